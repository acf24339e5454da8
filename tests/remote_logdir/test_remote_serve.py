"""Serving an s3:// logdir, against a real S3-compatible server (moto's, tests/s3_server.py): runs
written by two "hosts" listed and their curves served, a changed run fetched again by its ETag and
an unchanged poll fetching nothing, a cold cache, the cache's bound, a bucket that disappears, bad
credentials, a --logdir_spec mixing a folder and a URL, and the CLI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import tracker
from dashboard.app import create_app
from tracker.remote_reader import RemoteLogdir

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("s3fs", reason="s3fs (liteboard[s3], in the dev extra) reads from S3")
pytest.importorskip("boto3", reason="boto3 (with moto[server], in the dev extra) makes the buckets")

HOST = """
import sys, tracker
url, offset, steps = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
with tracker.SummaryWriter(url, flush_secs=60) as w:
    for step in range(steps):
        w.add_scalar("loss", offset + step, step)
"""


def _write_as_host(s3_env, cache, url, offset, steps=500):
    """Write run `url` in a process of its own, as another machine would (its own cache folder)."""
    env = dict(s3_env, XDG_CACHE_HOME=str(cache),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-c", HOST, url, str(offset), str(steps)], env=env)


def _write(url, offset, steps=500, start=0):
    with tracker.SummaryWriter(url, flush_secs=60) as writer:
        for step in range(start, steps):
            writer.add_scalar("loss", offset + step, step)


@pytest.fixture
def two_hosts(bucket, s3_env, tmp_path):
    """Runs sweep/lr-0 and sweep/lr-1 of s3://<bucket>/exp, each written by its own process."""
    hosts = [_write_as_host(s3_env, tmp_path / f"host{i}", f"s3://{bucket}/exp/sweep/lr-{i}", i * 1000)
             for i in range(2)]
    assert [host.wait(120) for host in hosts] == [0, 0]
    return f"s3://{bucket}/exp"


def _app(logdir, **config):
    return create_app(logdir, {"TESTING": True, **config})


def _remote(app, name=""):
    return app.config["LOGDIRS"][name]


def _runs(client):
    answer = client.get("/api/runs")
    assert answer.status_code == 200, answer.json
    return {run["name"]: run for run in answer.json["runs"]}


def _loss(client, run):
    answer = client.get("/api/scalars", query_string={"run": run, "tag": "loss"})
    assert answer.status_code == 200, answer.json
    (series,) = answer.json["series"]
    return series


def test_runs_of_two_hosts_are_listed_and_their_curves_served(two_hosts):
    app = _app(two_hosts)
    client = app.test_client()
    runs = _runs(client)
    assert sorted(runs) == ["sweep/lr-0", "sweep/lr-1"]
    assert {run["status"] for run in runs.values()} == {"finished"}
    assert runs["sweep/lr-1"]["path"] == f"{two_hosts}/sweep/lr-1/events.sqlite"
    detail = client.get("/api/runs/sweep/lr-1").json["run"]
    assert detail["path"] == f"{two_hosts}/sweep/lr-1/events.sqlite" and detail["status"] == "finished"
    for i in range(2):
        series = _loss(client, f"sweep/lr-{i}")
        assert series["step"] == list(range(500))
        assert series["value"] == [i * 1000.0 + step for step in range(500)]
    assert _remote(app).fetches == 2  # each run fetched once, by the index; the pages read the cache
    assert app.config["READ_ONLY"] and app.config["LOGDIR"] == two_hosts


def test_an_unchanged_poll_fetches_nothing_and_a_changed_run_is_fetched_again(bucket):
    url = f"s3://{bucket}/exp"
    _write(f"{url}/a", 0.0)
    _write(f"{url}/b", 10.0)
    app = _app(url)
    client = app.test_client()
    remote = _remote(app)
    assert sorted(_runs(client)) == ["a", "b"] and remote.fetches == 2
    for _ in range(3):  # polls: one listing each, no object fetched
        assert sorted(_runs(client)) == ["a", "b"]
        _loss(client, "a")
    assert remote.fetches == 2

    _write(f"{url}/a", 0.0, steps=800, start=500)  # the run goes on: a new snapshot, a new ETag
    runs = _runs(client)
    assert runs["a"]["last_step"] == 799 and remote.fetches == 3
    assert _loss(client, "a")["step"] == list(range(800))
    assert remote.fetches == 3
    assert len(list((remote.cache_dir / "runs").glob("*/*.sqlite"))) == 2  # the old version is gone

    _write(f"{url}/c", 20.0, steps=5)  # a new run is seen by the next poll
    assert sorted(_runs(client)) == ["a", "b", "c"] and remote.fetches == 4


def test_a_page_opens_the_current_version_even_before_the_index_sees_it(bucket):
    url = f"s3://{bucket}/exp"
    _write(f"{url}/a", 0.0, steps=10)
    app = _app(url)
    client = app.test_client()
    _runs(client)
    remote = _remote(app)
    remote.fresh_secs = 0  # a listing is trusted for no time: the page asks for the object's version
    _write(f"{url}/a", 0.0, steps=20, start=10)
    assert _loss(client, "a")["step"] == list(range(20))
    assert remote.fetches == 2


def test_a_restart_with_a_cold_cache_fetches_and_serves_every_run(two_hosts, tmp_path, monkeypatch):
    client = _app(two_hosts).test_client()
    assert sorted(_runs(client)) == ["sweep/lr-0", "sweep/lr-1"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold"))  # a new machine: no index, no runs
    app = _app(two_hosts)
    assert str(_remote(app).cache_dir).startswith(str(tmp_path / "cold"))
    client = app.test_client()
    assert sorted(_runs(client)) == ["sweep/lr-0", "sweep/lr-1"]
    assert _loss(client, "sweep/lr-1")["value"][:3] == [1000.0, 1001.0, 1002.0]
    assert _remote(app).fetches == 2


def test_a_restart_with_a_warm_cache_fetches_nothing(two_hosts):
    _runs(_app(two_hosts).test_client())
    app = _app(two_hosts)
    client = app.test_client()
    assert sorted(_runs(client)) == ["sweep/lr-0", "sweep/lr-1"]
    assert _loss(client, "sweep/lr-0")["value"][:2] == [0.0, 1.0]
    assert _remote(app).fetches == 0


def test_the_cache_bound_evicts_the_least_recently_used_run(bucket):
    url = f"s3://{bucket}/exp"
    for name in ("a", "b", "c"):
        _write(f"{url}/{name}", 0.0, steps=2000)
    size = RemoteLogdir(url).runs()["a"].version.rpartition(":")[2]
    app = _app(url, CACHE_BYTES=int(size) * 2 + 100)  # room for two runs
    client = app.test_client()
    remote = _remote(app)
    assert sorted(_runs(client)) == ["a", "b", "c"] and remote.fetches == 3
    assert remote.cached_bytes() <= remote.cache_bytes
    assert len(list((remote.cache_dir / "runs").glob("*/*.sqlite"))) == 2
    _loss(client, "c")
    _loss(client, "b")  # now a is the least recently used, if it is still cached at all
    fetched = remote.fetches
    assert _loss(client, "a")["step"] == list(range(2000))  # evicted: fetched again
    assert remote.fetches == fetched + 1
    _loss(client, "b")  # used just before a: still cached
    assert remote.fetches == fetched + 1
    assert _loss(client, "c")["step"] == list(range(2000))  # the least recently used: evicted by a
    assert remote.fetches == fetched + 2
    assert remote.cached_bytes() <= remote.cache_bytes


def test_a_bucket_that_disappears_empties_the_list_with_one_notice(bucket, capsys):
    import boto3

    url = f"s3://{bucket}/exp"
    _write(f"{url}/a", 0.0, steps=10)
    app = _app(url)
    client = app.test_client()
    assert sorted(_runs(client)) == ["a"]
    s3 = boto3.resource("s3").Bucket(bucket)
    s3.objects.all().delete()
    s3.delete()
    capsys.readouterr()
    for _ in range(3):
        assert _runs(client) == {}
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"liteboard: logdir '{url}' cannot be listed: bucket '{bucket}' does not exist "
                     "(any more); its runs are not shown until it can be listed again"]
    page = client.get("/")
    assert page.status_code == 200 and f"bucket &#39;{bucket}&#39; does not exist" in page.text
    gone = client.get("/api/scalars", query_string={"run": "a", "tag": "loss"})
    assert gone.status_code == 404 and "run 'a' does not exist" in gone.json["error"]

    s3.create()  # it comes back
    _write(f"{url}/b", 0.0, steps=10)
    assert sorted(_runs(client)) == ["b"]
    assert capsys.readouterr().err == f"liteboard: logdir '{url}' is listed again\n"
    assert f"bucket &#39;{bucket}&#39;" not in client.get("/").text


def test_a_missing_bucket_at_start_is_one_clear_error(s3_env):
    with pytest.raises(tracker.RemoteStorageError,
                       match="bucket 'no-such-bucket' of logdir 's3://no-such-bucket/exp' cannot be used: "
                             "it does not exist"):
        _app("s3://no-such-bucket/exp")


def test_bad_credentials_at_start_are_one_clear_error_naming_the_bucket(s3_env, s3_auth_server, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_auth_server)
    with pytest.raises(tracker.RemoteStorageError) as caught:
        _app("s3://lab-bucket/exp")
    assert str(caught.value).startswith("bucket 'lab-bucket' of logdir 's3://lab-bucket/exp' "
                                        "cannot be used: access was refused")


@pytest.mark.parametrize("name", ["../a", "a/../b", "a//b", "./a", "a\x00", "x" * 2000, "missing"])
def test_a_bad_or_unknown_run_name_is_a_404_naming_it(bucket, name):
    url = f"s3://{bucket}/exp"
    _write(f"{url}/a", 0.0, steps=10)
    client = _app(url).test_client()
    answer = client.get("/api/scalars", query_string={"run": name, "tag": "loss"})
    assert answer.status_code in (400, 404), answer.json
    assert "run" in answer.json["error"]


def test_run_management_is_refused_for_a_url_logdir(bucket):
    url = f"s3://{bucket}/exp"
    _write(f"{url}/a", 0.0, steps=10)
    client = _app(url).test_client()
    _runs(client)
    answer = client.put("/api/manage/run", json={"run": "a", "hidden": True})
    assert answer.status_code in (403, 409) and "read-only" in answer.json["error"]


def test_a_logdir_spec_mixes_a_folder_and_a_url(bucket, tmp_path):
    _write(f"s3://{bucket}/exp/a", 5.0, steps=10)
    with tracker.SummaryWriter(str(tmp_path / "local" / "b")) as writer:
        writer.add_scalar("loss", 1.0, 0)
    app = _app({"here": tmp_path / "local", "there": f"s3://{bucket}/exp"})
    client = app.test_client()
    assert sorted(_runs(client)) == ["here/b", "there/a"]
    assert _loss(client, "there/a")["value"][:2] == [5.0, 6.0]
    assert _loss(client, "here/b")["value"] == [1.0]
    assert app.config["LOGDIR"] == f"here:{tmp_path / 'local'},there:s3://{bucket}/exp"


def _serve_cli(args, env):
    return subprocess.Popen([sys.executable, "-m", "dashboard", "serve", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_the_cli_serves_a_url_logdir(two_hosts, s3_env):
    import json
    import urllib.request

    env = dict(s3_env, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    server = _serve_cli(["--logdir", two_hosts, "--port", "0", "--cache_size", "50MB"], env)
    try:
        line = server.stdout.readline()
        assert line.startswith(f"liteboard: serving {two_hosts} at http://127.0.0.1:"), server.stderr.read()
        base = line.split(" at ")[1].split()[0].rstrip("/")
        with urllib.request.urlopen(f"{base}/api/scalars?run=sweep/lr-1&tag=loss", timeout=30) as answer:
            series = json.load(answer)["series"][0]
        assert series["value"][:2] == [1000.0, 1001.0]
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_the_cli_exits_2_naming_a_missing_bucket(s3_env):
    env = dict(s3_env, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    server = _serve_cli(["--logdir", "s3://no-such-bucket/exp", "--port", "0"], env)
    out, err = server.communicate(timeout=60)
    assert server.returncode == 2 and out == ""
    assert err.startswith("liteboard: bucket 'no-such-bucket' of logdir 's3://no-such-bucket/exp' "
                          "cannot be used: it does not exist") and err.count("\n") == 1


@pytest.mark.parametrize("size", ["lots", "-1GB", "4XB"])
def test_the_cli_refuses_a_bad_cache_size(size):
    answer = subprocess.run([sys.executable, "-m", "dashboard", "serve", f"--cache_size={size}"],
                            capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert answer.returncode == 2
    assert f"argument --cache_size: {size!r} is not a size such as 4GB" in answer.stderr
