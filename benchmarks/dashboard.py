"""Dashboard speed and memory, against reading the same rows straight from SQLite in the same run.

    python benchmarks/dashboard.py            # 20 runs x 4 tags x 50,000 steps, and 20 x 1,000,000
    python benchmarks/dashboard.py --quick    # smaller logdirs, for a smoke test

Prints, for a logdir of 20 runs x 4 tags x 50,000 steps:
  - the baseline: every scalar row of the logdir read straight from SQLite (sqlite3, fetchall),
    and one tag's rows of all 20 runs read the same way;
  - ready: from starting the server (a subprocess, `python -m dashboard serve`) to having one
    tag's curves for all 20 runs (one /api/scalars request), as a ratio to the full read
    (target: at most 0.1); five fresh server processes, each starting with an empty series
    cache, alternate with five full reads, and the ratio is of the two medians;
  - the warm time of that request (answered from the server's series cache), the same request
    with a point budget not asked for before (a full re-read, no cache), its payload size, and the server's peak memory (VmHWM,
    read with psutil's process; target: under 150 MB);
  - the same warm request on runs of 1,000,000 steps, as a ratio to 50,000 (target: within 2x).

Data: the 50,000-step runs are each written by tracker.SummaryWriter (random walks, distinct
per run). The 1,000,000-step logdir is one run written by tracker.SummaryWriter and copied to
20 run directories (file copies), which is much faster than writing 20 million rows again and
reads the same as 20 separately written files.
"""

import argparse
import compileall
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import tracker  # noqa: E402

TAG = "train/loss"
TAGS = (TAG, "train/accuracy", "eval/loss", "lr")


def write_run(directory, steps, tags, seed):
    rng = np.random.default_rng(seed)
    walks = np.cumsum(rng.standard_normal((len(tags), steps)), axis=1).tolist()
    with tracker.SummaryWriter(str(directory), flush_secs=3600, max_queue=100_000) as writer:
        for step in range(steps):
            for k, tag in enumerate(tags):
                writer.add_scalar(tag, walks[k][step], step, walltime=1.7e9 + step * 0.01)


def build_logdir(root, runs, steps, tags, copies=False):
    """runs x tags x steps; with copies, one run is written and copied (much faster for big runs).

    A logdir that an earlier run with --keep finished building is used as it is.
    """
    start = time.perf_counter()
    names = [f"run_{i:02d}" for i in range(runs)]
    built = root.with_name(root.name + ".built")
    if built.exists():
        return names, 0.0
    if root.exists():
        shutil.rmtree(root)  # a build that was interrupted
    if copies:
        write_run(root / names[0], steps, tags, seed=0)
        for name in names[1:]:
            (root / name).mkdir(parents=True)
            shutil.copy(root / names[0] / tracker.EVENTS_FILE, root / name / tracker.EVENTS_FILE)
    else:
        for i, name in enumerate(names):
            write_run(root / name, steps, tags, seed=i)
    built.touch()
    return names, time.perf_counter() - start


def read_rows_directly(root, names, tag=None):
    """The baseline: the scalar rows as a plain SQLite reader gets them."""
    start = time.perf_counter()
    rows = 0
    for name in names:
        with sqlite3.connect(f"file:{root / name / tracker.EVENTS_FILE}?mode=ro", uri=True) as db:
            if tag is None:
                rows += len(db.execute("SELECT tag_id, step, wall_time, value FROM scalars").fetchall())
            else:
                rows += len(db.execute(
                    "SELECT step, wall_time, value FROM scalars WHERE tag_id = "
                    "(SELECT id FROM tags WHERE tag = ?) ORDER BY step", (tag,)).fetchall())
        db.close()
    return time.perf_counter() - start, rows


def fetch(url):
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


def peak_rss_mb(process):
    """The process's peak resident memory (VmHWM) where the OS reports it, else its current RSS."""
    try:
        with open(f"/proc/{process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return process.memory_info().rss / 2**20


class Server:
    """`python -m dashboard serve` in a subprocess; records when it printed its URL."""

    def __init__(self, logdir):
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "serve", "--logdir", str(logdir), "--port", "0"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if " at " not in line:
            self.stop()
            raise SystemExit(f"the server did not start: {line!r}")
        self.url = line.split(" at ")[1].split()[0].rstrip("/")
        self.listening = time.perf_counter() - self.started
        self.ps = psutil.Process(self.process.pid)
        self.samples = []
        self.sampling = True
        self.sampler = threading.Thread(target=self.sample, daemon=True)
        self.sampler.start()

    def sample(self):
        while self.sampling:
            try:
                self.samples.append(self.ps.memory_info().rss / 2**20)
            except psutil.Error:
                return
            time.sleep(0.005)

    def peak_mb(self):
        return max([peak_rss_mb(self.ps), *self.samples])

    def stop(self):
        self.sampling = False
        self.process.terminate()
        self.process.wait(timeout=10)


def curves_url(base, names, tag=TAG, max_points=None):
    query = [("tag", tag)] + [("run", n) for n in names]
    if max_points:
        query.append(("max_points", max_points))
    return f"{base}/api/scalars?" + urllib.parse.urlencode(query)


def cold_start(logdir, names):
    """A fresh server process (empty series cache): seconds to listening and to one tag's curves."""
    server = Server(logdir)
    try:
        body = fetch(curves_url(server.url, names))
        return server.listening, time.perf_counter() - server.started, body
    finally:
        server.stop()


def measure_server(logdir, names, repeats, cold):
    """``cold``: (listening, ready) of fresh servers; then on one more fresh server the warm
    and uncached requests, the page's flow and peak memory."""
    server = Server(logdir)
    try:
        body = fetch(curves_url(server.url, names))
        warm, uncached = [], []
        for i in range(repeats):
            start = time.perf_counter()
            fetch(curves_url(server.url, names))
            warm.append(time.perf_counter() - start)
            # A budget not asked for before misses the server's series cache: a full re-read.
            start = time.perf_counter()
            fetch(curves_url(server.url, names, max_points=1999 - i))
            uncached.append(time.perf_counter() - start)
        # What the Scalars page asks for first: the runs, the charts, then the curves.
        start = time.perf_counter()
        fetch(f"{server.url}/api/runs")
        fetch(f"{server.url}/api/tags")
        fetch(curves_url(server.url, names))
        page_flow = time.perf_counter() - start
        return {"listening": statistics.median(c[0] for c in cold), "readies": [c[1] for c in cold],
                "ready": statistics.median(c[1] for c in cold), "warm": statistics.median(warm),
                "uncached": statistics.median(uncached), "payload": len(body), "page_flow": page_flow,
                "peak_mb": server.peak_mb()}
    finally:
        server.stop()


def compile_bytecode():
    """Compile the server's own modules ahead, as pip install does for an installed liteboard.

    Where PYTHONDONTWRITEBYTECODE is set, a checkout would otherwise compile every module
    from source at every start (about 25 ms here), which no installed server does.
    """
    for package in ("dashboard", "tracker"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small logdirs (a smoke test, not the figures)")
    parser.add_argument("--keep", metavar="DIR",
                        help="build the logdirs in DIR and keep them (a later run reuses them)")
    args = parser.parse_args(argv)
    runs, steps, big_steps, repeats = (20, 50_000, 1_000_000, 10) if not args.quick else (4, 5_000, 50_000, 3)
    starts = 5  # fresh servers timed from start to curves, each after a full read; medians are reported

    work = Path(args.keep or tempfile.mkdtemp(prefix="liteboard-bench-"))
    try:
        small, big = work / f"steps_{steps}", work / f"steps_{big_steps}"
        print(f"building {runs} runs x {len(TAGS)} tags x {steps:,} steps with tracker.SummaryWriter ...", flush=True)
        names, built = build_logdir(small, runs, steps, TAGS)
        print(f"  {built:.1f} s")
        print(f"building {runs} runs x 1 tag x {big_steps:,} steps (one run written, copied) ...", flush=True)
        _, built_big = build_logdir(big, runs, big_steps, (TAG,), copies=True)
        print(f"  {built_big:.1f} s\n")

        compile_bytecode()
        # The full reads and the fresh servers' cold starts alternate, so both see the same load
        # on a shared machine; the ratio is of their medians. The first read also warms the OS
        # page cache, as it would for the server.
        reads, cold = [], []
        for _ in range(starts):
            reads.append(read_rows_directly(small, names))
            cold.append(cold_start(small, names))
        full_read, rows = statistics.median(r[0] for r in reads), reads[0][1]
        tag_read, tag_rows = read_rows_directly(small, names, TAG)
        result = measure_server(small, names, repeats, cold)
        big_result = measure_server(big, names, repeats, [cold_start(big, names) for _ in range(3)])

        print(f"logdir: {runs} runs x {len(TAGS)} tags x {steps:,} steps ({rows:,} scalar rows)")
        print(f"baseline  full read of every row from SQLite       {full_read * 1000:8.0f} ms  ({rows:,} rows;"
              f" median of {', '.join(f'{r[0] * 1000:.0f}' for r in reads)})")
        print(f"baseline  one tag's rows of all {runs} runs from SQLite {tag_read * 1000:8.0f} ms  ({tag_rows:,} rows)")
        print("server    (its modules' bytecode compiled ahead, as pip install does)")
        print(f"server    started and listening                     {result['listening'] * 1000:8.0f} ms")
        print(f"server    start -> one tag's curves for {runs} runs    {result['ready'] * 1000:8.0f} ms"
              f"   = {result['ready'] / full_read:.3f} x full read (target <= 0.1)")
        print(f"          (median of {starts} fresh servers: "
              f"{', '.join(f'{r * 1000:.0f}' for r in result['readies'])} ms)")
        print(f"server    warm request, same curves (median)        {result['warm'] * 1000:8.1f} ms"
              f"   = {result['warm'] / tag_read:.3f} x reading that tag's rows directly")
        print(f"server    warm server, uncached curves (median)     {result['uncached'] * 1000:8.1f} ms"
              f"   = {result['uncached'] / tag_read:.3f} x reading that tag's rows directly")
        print(f"server    runs + tags + curves (the page's first chart) {result['page_flow'] * 1000:4.0f} ms")
        print(f"payload   {result['payload'] / 1e6:.2f} MB for {runs} series"
              f" (at most 2,000 points each, of {steps:,})")
        print(f"memory    server peak RSS {result['peak_mb']:.0f} MB (target < 150 MB)")
        print(f"{big_steps:,} steps per run:")
        print(f"  warm request (median)      {big_result['warm'] * 1000:7.1f} ms vs {result['warm'] * 1000:7.1f} ms"
              f" at {steps:,} = {big_result['warm'] / result['warm']:.2f} x (target <= 2)")
        print(f"  uncached request (median)  {big_result['uncached'] * 1000:7.1f} ms vs {result['uncached'] * 1000:7.1f} ms"
              f" at {steps:,} = {big_result['uncached'] / result['uncached']:.2f} x (target <= 2)")
        print(f"  start -> curves {big_result['ready'] * 1000:.0f} ms; payload {big_result['payload'] / 1e6:.2f} MB;"
              f" server peak RSS {big_result['peak_mb']:.0f} MB")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
