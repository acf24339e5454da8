"""Ten thousand runs (and a hundred thousand): the run index against today's per-request scan.

    python benchmarks/many_runs.py                 # 10,000 runs, then 100,000
    python benchmarks/many_runs.py --runs 10000    # one size
    python benchmarks/many_runs.py --keep DIR      # build the logdirs in DIR and reuse them

Each logdir holds small runs (1 tag x 10 steps). DISTINCT runs are written by the tracker's own
SummaryWriter (two processes at once); the rest are hard links of those runs' files under other
names, which the dashboard lists exactly as separate runs (each is a directory with its events
file and summary) at no extra disk or build time. Printed, in the same run:

  - baseline: what one /api/runs request cost before the index (every run's file opened and
    read, its summary built and the whole list encoded as JSON), best of 3;
  - the index's first build over the same logdir (no index file yet), as a ratio to the
    baseline (target: at least 5x faster), and a rescan that finds nothing changed;
  - launch to the first page of the Runs table (a fresh `liteboard serve` process until
    /api/runs?limit=100 answers) with the index kept from an earlier start, and without one
    (target: at most 2 s; TensorBoard 2.21 took 5.2 s to its full list of 10,000);
  - a warm first page (/api/runs?limit=100&tags=0, median of 20; target <= 50 ms) and a `since`
    poll with nothing new (median of 20, its size; target <= 10 ms);
  - a filtered and sorted page asked again, and the first page of a filter not asked before
    (what each pause in typing into the run filter costs), medians of 20;
  - the server's peak memory and the index file's size.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import tracker  # noqa: E402
from benchmarks.dashboard import Server, compile_bytecode, fetch  # noqa: E402
from dashboard.runs import summary  # noqa: E402
from dashboard.runs.index import FILE, RunIndex  # noqa: E402

DISTINCT = 2_000
STEPS = 10


def write_runs(root, first, count):
    for i in range(first, first + count):
        with tracker.SummaryWriter(str(root / f"w{i // 1000:03d}" / f"run_{i:06d}"), flush_secs=3600) as writer:
            writer.add_hparams({"lr": 10 ** -(1 + i % 4), "seed": i}, {"hp/loss": 1.0 / (i + 1)})
            for step in range(STEPS):
                writer.add_scalar("loss", 1.0 / (step + 1 + i % 7), step)


def build(root, runs):
    """`runs` runs under `root`: DISTINCT written, the rest hard links of them (reused with --keep)."""
    done = root / ".built"
    if done.exists():
        return 0.0
    if root.exists():
        shutil.rmtree(root)
    start = time.perf_counter()
    distinct = min(runs, DISTINCT)
    chunk = max(1, distinct // 8)
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(write_runs, [root] * 8, range(0, distinct, chunk), [chunk] * 8))
    written = sorted(p.parent for p in root.rglob(tracker.EVENTS_FILE))
    for i in range(len(written), runs):
        source = written[i % len(written)]
        target = root / f"l{i // 1000:03d}" / f"run_{i:06d}"
        target.mkdir(parents=True)
        for file in source.iterdir():
            os.link(file, target / file.name)
    done.touch()
    return time.perf_counter() - start


def before_the_index(root):
    """One /api/runs request as it was: every run's file opened, summarised and encoded."""
    runs = []
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        if tracker.EVENTS_FILE in files:
            name = Path(directory).relative_to(root).as_posix()
            with tracker.Run(name, Path(directory) / tracker.EVENTS_FILE) as run:
                info = run.info()
            runs.append(summary.summary(info, "#000000"))
    return len(json.dumps({"runs": runs}))


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def first_build(root, folder):
    path = folder / FILE
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    index = RunIndex({"": str(root)}, path)
    try:
        return timed(index.refresh)
    finally:
        index.close()


def rescan(root, folder):
    """Seconds a scan of the built index takes when nothing changed (what the background scanner
    does every few seconds while a page is open), after one walk that lists every directory."""
    index = RunIndex({"": str(root)}, folder / FILE)
    try:
        index.refresh()
        return min(timed(index.refresh) for _ in range(2))
    finally:
        index.close()


def launch(root, keep_index):
    """Seconds from starting `liteboard serve` to the first page of /api/runs; the server, still up."""
    index = root / ".liteboard" / FILE
    if not keep_index:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{index}{suffix}"):
                os.remove(f"{index}{suffix}")
    server = Server(root)
    fetch(f"{server.url}/api/runs?limit=100")
    return time.perf_counter() - server.started, server


def index_size(path):
    """Bytes of the index file and of its write-ahead log."""
    return sum(os.path.getsize(f"{path}{suffix}") for suffix in ("", "-wal") if os.path.exists(f"{path}{suffix}"))


def median_ms(url, repeats=20):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body = fetch(url)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, len(body)


def measure(root, runs, work):
    print(f"\n{runs:,} runs x 1 tag x {STEPS} steps ({min(runs, DISTINCT):,} written by SummaryWriter, "
          "the rest hard links)", flush=True)
    built = build(root, runs)
    if built:
        print(f"  built in {built:.0f} s")
    before = min(timed(before_the_index, root) for _ in range(3))
    print(f"  baseline  one /api/runs before the index      {before * 1000:8.0f} ms", flush=True)
    builds = [first_build(root, work / "index-build") for _ in range(3)]
    first = min(builds)
    print(f"  index     first build (no index file)         {first * 1000:8.0f} ms  = {before / first:.1f}x faster"
          f" (target >= 5x; {', '.join(f'{b * 1000:.0f}' for b in builds)})", flush=True)
    again = rescan(root, work / "index-build")
    print(f"  index     rescan, nothing changed             {again * 1000:8.0f} ms  = {before / again:.1f}x faster",
          flush=True)
    cold, server = launch(root, keep_index=False)
    while json.loads(fetch(f"{server.url}/api/runs?limit=1"))["indexing"]:  # the build it began, kept
        time.sleep(0.2)
    server.stop()
    warm_launch, server = launch(root, keep_index=True)
    try:
        print(f"  launch -> first page, no index file yet     {cold * 1000:8.0f} ms")
        print(f"  launch -> first page, index kept            {warm_launch * 1000:8.0f} ms  (target <= 2,000 ms)")
        page, size = median_ms(f"{server.url}/api/runs?limit=100&tags=0")
        print(f"  warm first page (100 runs, {size / 1000:.0f} kB)           {page:8.1f} ms  (target <= 50 ms)"
              f"  = {before * 1000 / page:.0f}x faster than the baseline")
        token = json.loads(fetch(f"{server.url}/api/runs?limit=1"))["token"]
        poll, size = median_ms(f"{server.url}/api/runs?limit=100&since={token}")
        print(f"  empty since poll ({size} bytes)              {poll:8.1f} ms  (target <= 10 ms)")
        filtered, _ = median_ms(f"{server.url}/api/runs?limit=100&tags=0&run_regex=run_0.*7$&sort=steps&desc=1")
        print(f"  filtered, sorted page                       {filtered:8.1f} ms")
        patterns = iter(f"run_0{i:02d}|^l00{i % 10}" for i in range(100))
        fresh = statistics.median(timed(fetch, f"{server.url}/api/runs?limit=100&tags=0&run_regex={next(patterns)}")
                                  for _ in range(20)) * 1000
        print(f"  first page of a filter not asked before     {fresh:8.1f} ms")
        print(f"  server peak memory                          {server.peak_mb():8.0f} MB;"
              f" index file {index_size(root / '.liteboard' / FILE) / 1e6:.0f} MB")
    finally:
        server.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, action="append", help="logdir size (repeatable); default 10,000 and 100,000")
    parser.add_argument("--keep", metavar="DIR", help="build the logdirs in DIR and keep them")
    args = parser.parse_args(argv)
    work = Path(args.keep or tempfile.mkdtemp(prefix="liteboard-many-runs-"))
    compile_bytecode()
    try:
        for runs in args.runs or (10_000, 100_000):
            measure(work / f"runs{runs}", runs, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
