"""Runs on object storage: writing (add_scalar's cost with uploads every 2 s) and serving
(launch to first curves), each against the same runs on local disk, in the same run.

    python benchmarks/object_storage.py [--steps 50000] [--runs 20] [--only write|serve]

Starts moto's S3-compatible server (the dev extra) on 127.0.0.1, then writes one
run twice in this process: to a local directory and to s3://bench/run<n>, each with
flush_secs=2, so the remote run is snapshotted and uploaded every 2 s while it
trains. Each step does a little numpy work (a training step's stand-in, so the
upload thread runs beside something) and logs 4 scalars; what is timed is the
time inside add_scalar only, in microseconds per scalar, commits included (best of
REPEATS alternated runs of each).
close() is reported apart: the remote one waits for the last upload.
Target: remote within 1.2x of local.

Serving: RUNS runs of --steps steps x 4 tags are written to s3://bench/served/ (by the
writer, as training machines would) and the same objects downloaded into a local logdir.
Launch to first curves is the time from create_app to the answers the Scalars page needs
first, /api/runs, /api/tags and one /api/scalars of a tag for every run (through Flask's
test client, so no socket is timed), best of SERVE_REPEATS: for the s3:// logdir with a cold
cache (a fresh cache folder: every run fetched) and a warm one (a restart: nothing
fetched), for the local logdir with a cold run index and a warm one.
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
SERVE_REPEATS = 3


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


def write_runs(logdir, runs, steps):
    """``runs`` runs of ``steps`` steps x TAGS under ``logdir`` (a folder or a URL)."""
    for i in range(runs):
        with tracker.SummaryWriter(f"{logdir}/run{i:02d}", flush_secs=600) as writer:
            for step in range(steps):
                for tag in TAGS:
                    writer.add_scalar(tag, 1.0 / (step + 1) + i, step)


def first_curves(logdir, cache):
    """Seconds from create_app(logdir) to the Scalars page's first answers, with the user cache
    folder ``cache``; and the number of objects fetched."""
    os.environ["XDG_CACHE_HOME"] = str(cache)
    from dashboard.app import create_app

    started = time.perf_counter()
    app = create_app(logdir, {"TESTING": True})
    client = app.test_client()
    runs = client.get("/api/runs").get_json()["runs"]
    tags = client.get("/api/tags")
    answer = client.get("/api/scalars", query_string={"run": [run["name"] for run in runs], "tag": "loss"})
    seconds = time.perf_counter() - started
    assert tags.status_code == 200 and answer.status_code == 200, answer.get_json()
    assert len(answer.get_json()["series"]) == len(runs) and runs
    remote = app.config["LOGDIRS"][""]
    return seconds, getattr(remote, "fetches", 0)


def serving(tmp, runs, steps):
    """Launch to first curves, s3 cold and warm cache against local disk cold and warm index."""
    import boto3

    client = boto3.client("s3")
    client.create_bucket(Bucket="bench-served")
    url = "s3://bench-served/served"
    started = time.perf_counter()
    write_runs(url, runs, steps)
    wrote = time.perf_counter() - started
    local = Path(tmp) / "served-local"
    for i in range(runs):  # the very objects, on local disk
        (local / f"run{i:02d}").mkdir(parents=True)
        client.download_file("bench-served", f"served/run{i:02d}/events.sqlite",
                             str(local / f"run{i:02d}" / "events.sqlite"))
    size = sum(path.stat().st_size for path in local.glob("*/events.sqlite"))
    times = {"s3 cold": [], "s3 warm": [], "local cold": [], "local warm": []}
    for attempt in range(SERVE_REPEATS):
        cache = Path(tmp) / f"serve-cache{attempt}"
        times["s3 cold"].append(first_curves(url, cache))
        times["s3 warm"].append(first_curves(url, cache))
        for path in (local / ".liteboard").glob("index.sqlite*"):  # the local index, cold again
            path.unlink()
        times["local cold"].append(first_curves(local, cache))
        times["local warm"].append(first_curves(local, cache))
    best = {key: min(values) for key, values in times.items()}
    print(f"serving {runs} runs x {steps:,} steps x {len(TAGS)} tags ({size / 1e6:.0f} MB in all, "
          f"written to s3 in {wrote:.1f} s): launch to first curves (runs, tags, one chart of every run)")
    for key, (seconds, fetched) in best.items():
        print(f"  {key:<11} {seconds * 1e3:8.1f} ms" + (f"   {fetched} objects fetched" if key.startswith("s3") else ""))
    print(f"  ratio s3/local, cold  {best['s3 cold'][0] / best['local cold'][0]:6.2f}x")
    print(f"  ratio s3/local, warm  {best['s3 warm'][0] / best['local warm'][0]:6.2f}x")


def writing(tmp, steps):
    """add_scalar's cost with uploads every FLUSH_SECS, against local disk."""
    import boto3

    client = boto3.client("s3")
    client.create_bucket(Bucket="bench")
    # versions count the uploads
    client.put_bucket_versioning(Bucket="bench", VersioningConfiguration={"Status": "Enabled"})
    scalars = steps * len(TAGS)
    started = time.perf_counter()
    local, remote = [], []
    for attempt in range(REPEATS):  # alternated, so a noisy neighbour hits both
        local.append(train(Path(tmp) / f"local{attempt}", steps))
        remote.append(train(f"s3://bench/run{attempt}", steps))
    (local, local_close), (remote, remote_close) = min(local), min(remote)
    seconds = time.perf_counter() - started
    versions = client.list_object_versions(Bucket="bench", Prefix="run0/events.sqlite")["Versions"]
    size = max(version["Size"] for version in versions)
    print(f"{scalars:,} scalars per run ({steps:,} steps x {len(TAGS)} tags), "
          f"flush_secs={FLUSH_SECS:g}, {seconds:.1f} s in all; {len(versions)} uploads of one run, "
          f"up to {size / 1e6:.1f} MB")
    print(f"  local disk      {local / scalars * 1e6:6.2f} us/scalar   close {local_close * 1e3:7.1f} ms")
    print(f"  s3 (moto)       {remote / scalars * 1e6:6.2f} us/scalar   close {remote_close * 1e3:7.1f} ms")
    print(f"  ratio s3/local  {remote / local:6.2f}x   (target <= 1.2x)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20, help="runs served (default 20)")
    parser.add_argument("--only", choices=("write", "serve"), default=None)
    args = parser.parse_args()
    server, endpoint = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                              AWS_DEFAULT_REGION="us-east-1", AWS_ENDPOINT_URL=endpoint,
                              XDG_CACHE_HOME=str(Path(tmp) / "cache"))
            if args.only != "serve":
                writing(tmp, args.steps)
            if args.only != "write":
                serving(tmp, args.runs, args.steps)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
