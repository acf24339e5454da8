"""TensorBoard logdir import speed: `liteboard import` against tbparse reading the same logdir.

    python benchmarks/tb_import.py [--runs 20] [--tags 4] [--steps 50000]

Writes a TensorBoard logdir of RUNS runs x TAGS tags x STEPS steps (one event per
value, as torch's and tensorboardX's add_scalar write them; framed here with fast
CRCs, since tensorboard's own Python writer takes about 240 us an event), then times,
in the same run, tracker.interop.tb_import.import_logdir into a fresh liteboard
logdir, and tbparse's SummaryReader(logdir).scalars (the DataFrame a tbparse user
gets). Target: import at least 3x faster. Both are timed in wall time and in this
process's CPU time: on a shared machine the wall clock mostly measures the other
processes. Without tbparse installed (pip install tbparse) the baseline is skipped,
with a message.
"""

import argparse
import shutil
import struct
import sys
import tempfile
import time
from pathlib import Path

# This script's folder holds tracker.py (another benchmark): put the checkout, not this folder,
# on the import path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

from tensorboard.compat.proto import event_pb2, summary_pb2  # noqa: E402

from tracker.interop import tb_import  # noqa: E402
from tracker.interop.tfrecords import masked_crc  # noqa: E402

TAGS = ("loss", "accuracy", "lr", "grad_norm")
WALL = 1_700_000_000.0


def record(data):
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc(header)) + data + struct.pack("<I", masked_crc(data))


def write_logdir(root, runs, tags, steps):
    """One event file per run, a file_version event and then one event per (step, tag)."""
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


def timed(fn, *args):
    """((wall seconds, CPU seconds of this process), result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return (time.perf_counter() - wall, time.process_time() - cpu), result


def show(what, wall, cpu, total):
    print(f"{what:38} {wall:8.2f} s wall ({wall / total * 1e6:5.2f} us a scalar), "
          f"{cpu:8.2f} s CPU ({cpu / total * 1e6:5.2f} us)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--tags", type=int, default=len(TAGS), choices=range(1, len(TAGS) + 1))
    parser.add_argument("--steps", type=int, default=50_000)
    args = parser.parse_args()
    total = args.runs * args.tags * args.steps
    work = Path(tempfile.mkdtemp(prefix="liteboard-tb-bench-"))
    try:
        start = time.perf_counter()
        write_logdir(work / "tb", args.runs, TAGS[:args.tags], args.steps)
        print(f"TensorBoard logdir: {args.runs} runs x {args.tags} tags x {args.steps:,} steps = "
              f"{total:,} scalars, written in {time.perf_counter() - start:.1f} s")

        (imported, imported_cpu), report = timed(tb_import.import_logdir, work / "tb", work / "lb")
        assert report.imported["scalars"] == total and not report.problems, report.summary()
        show("liteboard import", imported, imported_cpu, total)

        try:
            from tbparse import SummaryReader
        except ImportError:
            print("tbparse is not installed (pip install tbparse): baseline skipped")
            return
        (baseline, baseline_cpu), frame = timed(lambda: SummaryReader(str(work / "tb")).scalars)
        assert len(frame) == total, len(frame)
        show("tbparse SummaryReader(logdir).scalars", baseline, baseline_cpu, total)
        print(f"ratio: import is {baseline / imported:.1f}x faster than tbparse in wall time, "
              f"{baseline_cpu / imported_cpu:.1f}x in CPU time (target >= 3x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
