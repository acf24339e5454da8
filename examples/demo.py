"""The README's main job: train a handful of example runs into one logdir, then serve the dashboard.

    python3 tasks.py demo [--logdir runs/demo] [--port 6006] [--no-serve]

The runs differ in learning rate and optimizer so the Scalars and Compare pages have something to
compare. The logdir is emptied first, so the demo always shows exactly one set of runs.
"""

import argparse
import shutil
from pathlib import Path

from examples import linear_regression, running_totals, xor_mlp

LINEAR_RUNS = [("sgd", 0.01), ("sgd", 0.1), ("momentum", 0.05), ("adam", 0.1)]
XOR_RUNS = [("adam", 0.05), ("sgd", 0.5)]


def train_all(logdir, quiet=True):
    common = ["--logdir", logdir] + (["--quiet"] if quiet else [])
    for optimizer, lr in LINEAR_RUNS:
        linear_regression.main(["--optimizer", optimizer, "--lr", str(lr), *common])
    for optimizer, lr in XOR_RUNS:
        xor_mlp.main(["--optimizer", optimizer, "--lr", str(lr), *common])
    running_totals.main(common)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--logdir", default="runs/demo")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=6006)
    p.add_argument("--no-serve", action="store_true", help="train the runs, then exit")
    args = p.parse_args(argv)

    if Path(args.logdir).exists():
        print(f"emptying {args.logdir} for a fresh set of demo runs")
        shutil.rmtree(args.logdir)
    train_all(args.logdir)
    if args.no_serve:
        return 0
    from dashboard import cli
    return cli.main(["serve", "--logdir", args.logdir, "--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":
    raise SystemExit(main())
