"""Tracker speed: add_scalar end to end against the plain-sqlite3 floor, and reads at 50k and 1M steps.

    python benchmarks/tracker.py

Write: 200,000 scalars (4 tags x 50,000 steps) through SummaryWriter.add_scalar,
including the final flush at close(), in microseconds per call, next to plain
sqlite3 executemany of the same rows into the same scalars table (same pragmas)
in one transaction, measured in the same run. Read: one tag's full series, and
a 2,000-point downsampled one, at 50,000 and at 1,000,000 steps, and at 1,000,000
steps with a NaN every NAN_EVERY steps (each group then also shows its first NaN).
Targets: end to end within 2x of the floor; downsampled read within 2x from 50k to 1M.
"""

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

# This script is named like the package it measures: put the checkout, not this folder,
# on the import path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import tracker  # noqa: E402
from tracker import schema  # noqa: E402

TAGS = ("loss", "accuracy", "lr", "grad_norm")
STEPS = 50_000
BIG = 1_000_000
REPEATS = 3
NAN_EVERY = 997


def best(fn, repeats=REPEATS):
    """Smallest wall time of ``repeats`` calls, in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def write_run(path, tags, steps, nan_every=0):
    """Seconds to log every (tag, step) through add_scalar and close the writer."""
    start = time.perf_counter()
    writer = tracker.SummaryWriter(path)
    add = writer.add_scalar
    for step in range(steps):
        value = float("nan") if nan_every and step % nan_every == 1 else 1.0 / (step + 1)
        for tag in tags:
            add(tag, value, step)
    writer.close()
    return time.perf_counter() - start


def executemany_floor(path, tags, steps):
    """Seconds for plain sqlite3 executemany of the same rows in one transaction."""
    wall = time.time()
    rows = [(tag_id, step, wall, 1.0 / (step + 1))
            for step in range(steps) for tag_id in range(1, len(tags) + 1)]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE tags (id INTEGER PRIMARY KEY)")
    conn.execute(schema.SCALARS.create_sql)
    conn.commit()
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO scalars (tag_id, step, wall_time, value) VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def read_times(logdir, name, tag):
    with tracker.open_run(logdir, name) as run:
        full, series = best(lambda: run.scalars(tag))
        assert len(series) == series.total
        down, series = best(lambda: run.scalars(tag, max_points=2000), repeats=REPEATS * 3)
        assert series.downsampled and len(series) <= 2000
    return full, down


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n = len(TAGS) * STEPS
        # Interleaved, best of REPEATS each: the machine may be busy with other work.
        ours, floor = [], []
        for i in range(REPEATS):
            ours.append(write_run(tmp / f"w{i}", TAGS, STEPS))
            floor.append(executemany_floor(tmp / f"floor{i}.sqlite", TAGS, STEPS))
        ours, floor = min(ours), min(floor)
        print(f"write {n:,} scalars ({len(TAGS)} tags x {STEPS:,} steps), final flush included")
        print(f"  SummaryWriter.add_scalar end to end   {ours / n * 1e6:7.3f} us/scalar")
        print(f"  sqlite3 executemany, one transaction  {floor / n * 1e6:7.3f} us/scalar (floor)")
        print(f"  ratio end to end / floor              {ours / floor:7.2f}x   (target <= 2x)")

        write_run(tmp / "big", ("loss",), BIG)
        full_small, down_small = read_times(tmp, "w0", "loss")
        full_big, down_big = read_times(tmp, "big", "loss")
        write_run(tmp / "nan", ("loss",), BIG, nan_every=NAN_EVERY)
        _, down_nan = read_times(tmp, "nan", "loss")
        print("read one tag")
        print(f"  full series        {STEPS:>9,} steps  {full_small * 1e3:8.2f} ms")
        print(f"  full series        {BIG:>9,} steps  {full_big * 1e3:8.2f} ms")
        print(f"  2,000-point        {STEPS:>9,} steps  {down_small * 1e3:8.2f} ms")
        print(f"  2,000-point        {BIG:>9,} steps  {down_big * 1e3:8.2f} ms")
        print(f"  2,000-point, NaNs  {BIG:>9,} steps  {down_nan * 1e3:8.2f} ms   "
              f"(a NaN every {NAN_EVERY:,} steps)")
        print(f"  ratio downsampled 1M / 50k            {down_big / down_small:7.2f}x   (target <= 2x)")
        print(f"  ratio full 1M / downsampled 1M        {full_big / down_big:7.1f}x")


if __name__ == "__main__":
    main()
