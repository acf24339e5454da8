"""Histogram and image logging speed, as ratios to numpy and Pillow doing the bare work.

    python benchmarks/histograms.py

add_histogram: 1,000,000 float32 values with the default bins ("tensorflow": TF's buckets),
through SummaryWriter.add_histogram and a flush, against np.histogram of the same values with
the same edges. add_images: 64 images of 28x28x1 uint8 through add_images and a flush, against
Pillow encoding the 64 images to PNG one by one (and, for reference, against Pillow encoding the
grid add_images stores). Each is the best of REPEATS, the two sides of a ratio taking turns, so
a loaded machine slows both alike. Targets: both within 1.5x. Then a tag of LONG_STEPS histograms
(100 values, 30 buckets each): the dashboard's read of 500 of its steps against reading them all.
Last, RUNS runs of RUN_STEPS histograms of one tag: /api/distributions for all of them (one
request, as the Distributions page makes it) against reading every one of those histograms.
Target: at most 0.1x.
"""

import io
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [str(HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

import tracker  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from tracker.histogram import tensorflow_edges  # noqa: E402
from tracker.image import grid  # noqa: E402

REPEATS = 30
LONG_STEPS = 100_000
RUNS, RUN_STEPS = 20, 10_000


def best(*fns, repeats=REPEATS):
    """The smallest wall time of each function, in seconds, over ``repeats`` turns of all."""
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, spent in zip(fns, times):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [min(spent) for spent in times]


def png(pixels):
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def main():
    rng = np.random.default_rng(0)
    values = rng.normal(size=1_000_000).astype(np.float32)
    images = rng.integers(0, 256, size=(64, 1, 28, 28), dtype=np.uint8)
    edges = tensorflow_edges()
    with tempfile.TemporaryDirectory() as logdir:
        with tracker.SummaryWriter(Path(logdir) / "bench") as writer:
            steps = iter(range(10**6))

            def add_histogram():
                writer.add_histogram("weights", values, next(steps))
                writer.flush()

            def add_images():
                writer.add_images("samples", images, next(steps))
                writer.flush()

            hist, numpy_hist = best(add_histogram, lambda: np.histogram(values, bins=edges))
            tiled = grid(images.transpose(0, 2, 3, 1))[0][:, :, 0]
            imgs, one_by_one, grid_only = best(
                add_images, lambda: [png(image[0]) for image in images], lambda: png(tiled))
        long_run = Path(logdir) / "long"
        small = rng.normal(size=(1000, 100))
        start = time.perf_counter()
        with tracker.SummaryWriter(long_run) as writer:
            for step in range(LONG_STEPS):
                writer.add_histogram("weights", small[step % 1000], step, bins=30)
        write_secs = time.perf_counter() - start
        with tracker.open_run(logdir, "long") as run:
            some, every = best(lambda: run.histograms("weights", max_steps=500),
                               lambda: run.histograms("weights"), repeats=3)
        names = [f"run{i:02d}" for i in range(RUNS)]
        for name in names:
            with tracker.SummaryWriter(Path(logdir) / "many" / name) as writer:
                for step in range(RUN_STEPS):
                    writer.add_histogram("weights", small[step % 1000], step, bins=30)
        client = create_app(Path(logdir) / "many").test_client()
        query = "&".join(f"run={name}" for name in names) + "&tag=weights"

        def served():
            response = client.get(f"/api/distributions?{query}")
            assert response.status_code == 200, response.get_data(as_text=True)

        def read_all():
            for name in names:
                with tracker.open_run(Path(logdir) / "many", name) as run:
                    run.histograms("weights")

        chart, full = best(served, read_all, repeats=3)
    print(f"add_histogram 1e6 float32: {hist * 1e3:.1f} ms, np.histogram same bins "
          f"{numpy_hist * 1e3:.1f} ms: ratio {hist / numpy_hist:.2f}x (target <= 1.5x)")
    print(f"add_images 64 x 28x28x1: {imgs * 1e3:.2f} ms, Pillow PNG one by one "
          f"{one_by_one * 1e3:.2f} ms: ratio {imgs / one_by_one:.2f}x (target <= 1.5x); "
          f"Pillow PNG of the grid {grid_only * 1e3:.2f} ms: ratio {imgs / grid_only:.2f}x")
    print(f"{LONG_STEPS:,} histograms of one tag written in {write_secs:.1f} s "
          f"({write_secs / LONG_STEPS * 1e6:.0f} us each); 500 of them read in {some * 1e3:.1f} ms, "
          f"all in {every * 1e3:.0f} ms: ratio {some / every:.3f}x")
    print(f"/api/distributions of {RUNS} runs x {RUN_STEPS:,} histograms: {chart * 1e3:.0f} ms, "
          f"reading all those histograms {full * 1e3:.0f} ms: ratio {chart / full:.3f}x "
          "(target <= 0.1x)")


if __name__ == "__main__":
    main()
