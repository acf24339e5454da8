"""Text summaries served as rendered, sanitized markdown, against reading their rows from SQLite.

    python benchmarks/texts.py            # one run of 1,000 markdown texts (tables, lists, code)
    python benchmarks/texts.py --quick    # 100 texts, for a smoke test

Prints the baseline (the run's text rows read straight from SQLite, sqlite3 fetchall), then
/api/texts of that run (through Flask's test client) cold (every text rendered by markdown-it-py
and cleaned by nh3) and warm (the renderer's cache holds them), each as a ratio to the baseline.
Each figure is the best of five; the cold one clears the cache before each try.
"""

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tracker  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.runs import markdown  # noqa: E402

TEXT = ("# Epoch {step}\n\n| metric | value |\n|---|---|\n| loss | **{loss:.4f}** |\n| accuracy | 0.98 |\n\n"
        "- learning rate `1e-3`\n- batch 128\n\n```\nmodel.fit(x, y)\n```\n\n[notes](https://example.org)\n")


def best(task, tries=5, before=None):
    times = []
    for _ in range(tries):
        if before:
            before()
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    count = 100 if args.quick else 1000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with tracker.SummaryWriter(str(root / "run")) as writer:
            for step in range(count):
                writer.add_text("report", TEXT.format(step=step, loss=1 / (step + 1)), step)
        path = root / "run" / "events.sqlite"
        client = create_app(root, {"TESTING": True}).test_client()

        def read_rows():
            with sqlite3.connect(path) as db:
                db.execute("SELECT tag_id, step, wall_time, text FROM texts").fetchall()
            db.close()

        def serve():
            assert client.get("/api/texts?run=run").status_code == 200

        baseline = best(read_rows)
        cold = best(serve, before=markdown.RENDERED.clear)
        warm = best(serve)
    print(f"{count} texts: SQLite read {baseline * 1e3:.2f} ms")
    print(f"/api/texts cold {cold * 1e3:.1f} ms ({cold / baseline:.0f}x), "
          f"{cold / count * 1e3:.2f} ms a text")
    print(f"/api/texts warm {warm * 1e3:.1f} ms ({warm / baseline:.0f}x); warm/cold {warm / cold:.3f}")


if __name__ == "__main__":
    main()
