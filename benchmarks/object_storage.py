"""Writing a run to object storage: add_scalar's cost with uploads every 2 s, against the same run on local disk.

    python benchmarks/object_storage.py [--steps 50000]

Starts moto's S3-compatible server (the dev extra) on 127.0.0.1, then writes one
run twice in this process: to a local directory and to s3://bench/run<n>, each with
flush_secs=2, so the remote run is snapshotted and uploaded every 2 s while it
trains. Each step does a little numpy work (a training step's stand-in, so the
upload thread runs beside something) and logs 4 scalars; what is timed is the
time inside add_scalar only, in microseconds per scalar, commits included (best of
REPEATS alternated runs of each).
close() is reported apart: the remote one waits for the last upload.
Target: remote within 1.2x of local.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

# one BLAS thread: the training step's stand-in leaves the other core to the server and uploads
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

import tracker  # noqa: E402

TAGS = ("loss", "accuracy", "lr", "grad_norm")
FLUSH_SECS = 2.0
REPEATS = 2


def start_server():
    """A moto S3 server in its own process, and its endpoint URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1).close()
            return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("moto server did not start (pip install 'moto[server]')")


def train(log_dir, steps):
    """(seconds inside add_scalar, seconds in close) for ``steps`` steps of 4 scalars."""
    rng = np.random.default_rng(0)
    weights = rng.standard_normal((160, 160))
    writer = tracker.SummaryWriter(log_dir, flush_secs=FLUSH_SECS)
    add, clock, logging = writer.add_scalar, time.perf_counter, 0.0
    for step in range(steps):
        weights = np.tanh(weights @ weights * 0.01)  # the training step
        loss = float(weights[0, 0])
        start = clock()
        add("loss", loss, step)
        add("accuracy", 1.0 - loss, step)
        add("lr", 0.1, step)
        add("grad_norm", loss * 2.0, step)
        logging += clock() - start
    start = clock()
    writer.close()
    return logging, clock() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50_000)
    args = parser.parse_args()
    server, endpoint = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                              AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=endpoint,
                              XDG_CACHE_HOME=str(Path(tmp) / "cache"))
            import boto3

            client = boto3.client("s3")
            client.create_bucket(Bucket="bench")
            # versions count the uploads
            client.put_bucket_versioning(Bucket="bench", VersioningConfiguration={"Status": "Enabled"})
            scalars = args.steps * len(TAGS)
            started = time.perf_counter()
            local, remote = [], []
            for attempt in range(REPEATS):  # alternated, so a noisy neighbour hits both
                local.append(train(Path(tmp) / f"local{attempt}", args.steps))
                remote.append(train(f"s3://bench/run{attempt}", args.steps))
            (local, local_close), (remote, remote_close) = min(local), min(remote)
            seconds = time.perf_counter() - started
            versions = client.list_object_versions(Bucket="bench", Prefix="run0/events.sqlite")["Versions"]
            size = max(version["Size"] for version in versions)
    finally:
        server.terminate()
        server.wait()
    print(f"{scalars:,} scalars per run ({args.steps:,} steps x {len(TAGS)} tags), "
          f"flush_secs={FLUSH_SECS:g}, {seconds:.1f} s in all; {len(versions)} uploads of one run, "
          f"up to {size / 1e6:.1f} MB")
    print(f"  local disk      {local / scalars * 1e6:6.2f} us/scalar   close {local_close * 1e3:7.1f} ms")
    print(f"  s3 (moto)       {remote / scalars * 1e6:6.2f} us/scalar   close {remote_close * 1e3:7.1f} ms")
    print(f"  ratio s3/local  {remote / local:6.2f}x   (target <= 1.2x)")


if __name__ == "__main__":
    main()
