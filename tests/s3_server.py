"""A real S3-compatible server (moto's standalone server, in its own process) for the tests of
runs written to and served from s3:// URLs: the fixtures of tests/tracker and tests/remote_logdir,
whose conftest.py files import them."""

import os
import socket
import subprocess
import sys
import time
import uuid
import urllib.request

import pytest


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(tmp_path_factory, **env):
    pytest.importorskip("moto.server", reason="moto[server] (the dev extra) runs a local S3 server")
    pytest.importorskip("s3fs", reason="s3fs (liteboard[s3], in the dev extra) writes to S3")
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"moto server did not start: {log.read_text()}")
            time.sleep(0.1)
    return server, url


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """The endpoint URL of a moto S3 server that accepts any credentials."""
    server, url = _start_server(tmp_path_factory)
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture
def s3_env(s3_server, tmp_path, monkeypatch):
    """Environment of a machine that writes to the test server: credentials and endpoint in the
    usual AWS variables, its own user cache folder (XDG_CACHE_HOME). Returns that env."""
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": s3_server,
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE",
                 "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return dict(os.environ)


@pytest.fixture
def bucket(s3_env):
    """A new, empty bucket on the test server (boto3, as another tool would make it)."""
    import boto3

    name = f"lb-{uuid.uuid4().hex}"
    client = boto3.client("s3")
    client.create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="session")
def s3_auth_server(tmp_path_factory):
    """A moto server that checks credentials (and knows none): every key is a bad one."""
    server, url = _start_server(tmp_path_factory, INITIAL_NO_AUTH_ACTION_COUNT="0")
    yield url
    server.terminate()
    server.wait(10)
