"""Listing many runs: tracker.list_runs from the runs' summary files against from their events files.

    python benchmarks/run_listing.py [--runs 10000] [--keep DIR]

Builds --runs small runs (1 tag x 10 steps each), every one written by the tracker's own
SummaryWriter (a copied directory would not do: a copy changes the files' mtimes, and the
summary of a run whose files changed is not trusted). Then, in the same run, the best of
3 of tracker.list_runs over all of them with their summary files (events.summary.json,
what the writer keeps), against with the summaries moved aside (each run read from its
SQLite file, as before summaries; they are put back afterwards). Target: at least 5x.

Last, what the summary costs the writer at its largest: a flush of one value of each of TAGS
tags, and the part of it that builds and writes the summary file (its size too).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import tracker  # noqa: E402
from benchmarks.tracker import best  # noqa: E402  (best of REPEATS calls)

STEPS = 10
TAGS = 10_000
MOVED = ".summary-aside"  # where a summary waits while the old path is measured


def build(logdir, runs):
    """Write ``runs`` runs under ``logdir`` (those already there from --keep are reused)."""
    logdir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    made = 0
    for i in range(runs):
        run_dir = logdir / f"run{i:06d}"
        if (run_dir / tracker.SUMMARY_FILE).exists():
            continue
        shutil.rmtree(run_dir, ignore_errors=True)  # half-made by an interrupted build
        with tracker.SummaryWriter(run_dir) as w:
            for step in range(STEPS):
                w.add_scalar("loss", 1.0 / (step + 1), step)
        made += 1
    return made, time.perf_counter() - start


def move_summaries(logdir, back=False):
    for run_dir in logdir.iterdir():
        here, aside = run_dir / tracker.SUMMARY_FILE, run_dir / MOVED
        if back and aside.exists():
            os.replace(aside, here)
        elif not back and here.exists():
            os.replace(here, aside)


def listing(logdir, runs):
    fast, listed = best(lambda: tracker.list_runs(logdir))
    assert len(listed) == runs and all(info.status == "finished" for info in listed)
    move_summaries(logdir)
    try:
        slow, old = best(lambda: tracker.list_runs(logdir))
    finally:
        move_summaries(logdir, back=True)
    assert [info.to_dict() for info in old] == [info.to_dict() for info in listed]
    return fast, slow


def summary_cost(tmp):
    """Seconds of a flush of one value of each of TAGS tags (its summary file included), of
    writing that summary file alone, and the file's size."""
    w = tracker.SummaryWriter(tmp / "tags", max_queue=10 * TAGS)
    try:
        tags = [f"group{i % 50}/tag{i}" for i in range(TAGS)]
        flushes = []
        for step in range(4):  # the first flush creates the tags: not counted
            for i, tag in enumerate(tags):
                w.add_scalar(tag, float(i + step), step)
            start = time.perf_counter()
            w.flush()
            flushes.append(time.perf_counter() - start)
        store = w._store
        with store._lock:
            alone, _ = best(store._save_summary_file)
        size = (Path(w.log_dir) / tracker.SUMMARY_FILE).stat().st_size
        return min(flushes[1:]), alone, size
    finally:
        w.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--keep", metavar="DIR",
                        help="build the logdir in DIR and keep it (a later run reuses it)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="liteboard-listing-"))
    try:
        logdir = work / f"runs{args.runs}"
        made, secs = build(logdir, args.runs)
        print(f"{args.runs:,} runs of 1 tag x {STEPS} steps ({made:,} written now in {secs:.1f} s)")
        fast, slow = listing(logdir, args.runs)
        print(f"  list_runs from summary files     {fast * 1e3:9.1f} ms  "
              f"{fast / args.runs * 1e6:6.1f} us/run")
        print(f"  list_runs from the events files  {slow * 1e3:9.1f} ms  "
              f"{slow / args.runs * 1e6:6.1f} us/run")
        print(f"  ratio events files / summaries   {slow / fast:9.1f}x   (target >= 5x)")
        with tempfile.TemporaryDirectory() as tmp:
            flush, alone, size = summary_cost(Path(tmp))
        print(f"a flush of one value of each of {TAGS:,} scalar tags")
        print(f"  the flush, its summary included  {flush * 1e3:9.1f} ms")
        print(f"  writing the summary file alone   {alone * 1e3:9.1f} ms  ({size / 1e6:.2f} MB)"
              f"   {alone / flush:.0%} of the flush")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
