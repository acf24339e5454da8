"""TensorBoard logdir import speed: `liteboard import` against tbparse reading the same logdir.

    python benchmarks/tb_import.py [--runs 20] [--tags 4] [--steps 50000] [--rounds 2]
        [--logdir DIR] [--tbparse-python PYTHON ...]

Writes a TensorBoard logdir of RUNS runs x TAGS tags x STEPS steps (one event per
value, as torch's and tensorboardX's add_scalar write them; framed here with fast
CRCs, since tensorboard's own Python writer takes about 240 us an event), then times,
in the same run, tracker.interop.tb_import.import_logdir into a fresh liteboard
logdir, and tbparse's SummaryReader(logdir).scalars (the DataFrame a tbparse user
gets). Target: import at least 3x faster.

Each side runs in a process of its own, alternating, ROUNDS times; each process times
only its own work (not starting Python or importing modules), in wall time and in CPU
time: on a shared machine the wall clock mostly measures the other processes. The ratio
is of the medians. tbparse reads with TensorFlow's record reader where TensorFlow is
installed, and with tensorboard's own otherwise: --tbparse-python names the Python of
an environment that holds tbparse (with or without TensorFlow), once per environment to
compare against; by default this Python (without tbparse, the baseline is skipped, with
a message). --logdir keeps the TensorBoard logdir in DIR, written there once and read as
it is afterwards. `--only liteboard|tbparse` (used by the rounds) times one side once
and prints its figures as JSON.
"""

import argparse
import json
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# This script's folder holds tracker.py (another benchmark): put the checkout, not this folder,
# on the import path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

TAGS = ("loss", "accuracy", "lr", "grad_norm")
WALL = 1_700_000_000.0


def write_logdir(root, runs, tags, steps):
    """One event file per run, a file_version event and then one event per (step, tag)."""
    from tensorboard.compat.proto import event_pb2, summary_pb2

    from tracker.interop.tfrecords import masked_crc

    def record(data):
        header = struct.pack("<Q", len(data))
        return header + struct.pack("<I", masked_crc(header)) + data + struct.pack("<I", masked_crc(data))

    for r in range(runs):
        directory = root / f"run_{r:02d}"
        directory.mkdir(parents=True)
        chunks = [record(event_pb2.Event(wall_time=WALL, file_version="brain.Event:2").SerializeToString())]
        for step in range(steps):
            for t, tag in enumerate(tags):
                value = summary_pb2.Summary.Value(tag=tag, simple_value=(t + 1.0) / (step + 1))
                event = event_pb2.Event(step=step, wall_time=WALL + step * 0.01,
                                        summary=summary_pb2.Summary(value=[value]))
                chunks.append(record(event.SerializeToString()))
        (directory / f"events.out.tfevents.{int(WALL)}.bench.{r}").write_bytes(b"".join(chunks))


def timed(fn):
    """Wall seconds, CPU seconds of this process (all its threads) and the result of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def time_liteboard(tb_logdir):
    from tracker.interop import tb_import

    out = Path(tempfile.mkdtemp(prefix="liteboard-tb-bench-import-"))
    try:
        wall, cpu, report = timed(lambda: tb_import.import_logdir(tb_logdir, out / "lb"))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    assert not report.problems, report.summary()
    return {"wall": wall, "cpu": cpu, "scalars": report.imported["scalars"]}


def time_tbparse(tb_logdir):
    import importlib.util

    from tbparse import SummaryReader

    wall, cpu, frame = timed(lambda: SummaryReader(str(tb_logdir)).scalars)
    return {"wall": wall, "cpu": cpu, "scalars": len(frame),
            "tensorflow": importlib.util.find_spec("tensorflow") is not None}


def side(python, which, tb_logdir):
    """One timing of ``which`` in a new process of ``python``: its figures, or None (and why)."""
    try:
        done = subprocess.run([python, str(Path(__file__).resolve()), "--only", which, "--logdir",
                               str(tb_logdir)], capture_output=True, text=True)
    except OSError as exc:
        return None, str(exc)
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return None, (done.stderr.strip().splitlines() or ["no output"])[-1]
    return json.loads(lines[-1]), None


def label(key, result):
    """What a side is called in the output: liteboard, or tbparse with or without TensorFlow."""
    python, which = key
    if which == "liteboard":
        return "liteboard import"
    tf = "" if result is None else (" with TensorFlow" if result["tensorflow"] else " without TensorFlow")
    return f"tbparse{tf} ({python})"


def show(what, wall, cpu, total):
    print(f"{what:50} {wall:8.2f} s wall ({wall / total * 1e6:5.2f} us a scalar), "
          f"{cpu:8.2f} s CPU ({cpu / total * 1e6:5.2f} us)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--tags", type=int, default=len(TAGS), choices=range(1, len(TAGS) + 1))
    parser.add_argument("--steps", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=2, help="timings of each side, alternating")
    parser.add_argument("--logdir", type=Path, help="keep the TensorBoard logdir here (written once)")
    parser.add_argument("--tbparse-python", action="append", default=[], metavar="PYTHON",
                        help="the Python of an environment with tbparse (repeat to compare several)")
    parser.add_argument("--only", choices=("liteboard", "tbparse"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        print(json.dumps((time_liteboard if args.only == "liteboard" else time_tbparse)(args.logdir)))
        return
    total = args.runs * args.tags * args.steps
    work = None if args.logdir else Path(tempfile.mkdtemp(prefix="liteboard-tb-bench-"))
    tb_logdir = args.logdir or work / "tb"
    try:
        if tb_logdir.is_dir() and any(tb_logdir.iterdir()):
            print(f"TensorBoard logdir: {tb_logdir}, as it is")
        else:
            start = time.perf_counter()
            write_logdir(tb_logdir, args.runs, TAGS[:args.tags], args.steps)
            print(f"TensorBoard logdir: {args.runs} runs x {args.tags} tags x {args.steps:,} steps = "
                  f"{total:,} scalars, written in {time.perf_counter() - start:.1f} s")
        sides = [(sys.executable, "liteboard")] + [
            (python, "tbparse") for python in args.tbparse_python or [sys.executable]]
        figures = {key: [] for key in sides}
        for round_ in range(args.rounds):
            for key in sides:
                if figures[key] is None:  # it could not run
                    continue
                result, error = side(*key, tb_logdir)
                if result is None:
                    figures[key] = None
                    print(f"{label(key, None)}: not timed ({error})")
                    continue
                figures[key].append(result)
                show(f"{label(key, result)} #{round_ + 1}", result["wall"], result["cpu"], result["scalars"])
        ours = figures.pop(sides[0])
        counts = {r["scalars"] for results in figures.values() if results for r in results + ours}
        assert len(counts) <= 1, f"the sides read different numbers of scalars: {counts}"
        wall, cpu = (statistics.median(r[what] for r in ours) for what in ("wall", "cpu"))
        show("liteboard import (median)", wall, cpu, ours[0]["scalars"])
        for key, results in figures.items():
            if results:
                base_wall, base_cpu = (statistics.median(r[what] for r in results) for what in ("wall", "cpu"))
                show(f"{label(key, results[0])} (median)", base_wall, base_cpu, ours[0]["scalars"])
                print(f"ratio against {label(key, results[0])}: import is {base_wall / wall:.1f}x faster in "
                      f"wall time, {base_cpu / cpu:.1f}x in CPU time (target >= 3x)")
        if not any(figures.values()):
            print("tbparse was not timed (pip install tbparse, or --tbparse-python): baseline skipped")
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's start-up notices, in the baseline
    main()
