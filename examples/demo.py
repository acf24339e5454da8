"""The README's main job: train a handful of example runs into one logdir, then serve the dashboard.

    python3 tasks.py demo [--logdir runs/demo] [--port 6006] [--no-serve]

The runs differ in learning rate and optimizer so the Scalars and Compare pages have something to
compare; a Keras CNN adds the two runs its TensorBoard callback writes. A second demo replaces
the first one's runs, and only those: the demo lists what it creates in a marker file, and
leaves alone any directory that holds anything else.
"""

import json
import shutil
import sys
from pathlib import Path

from dashboard import cli
from dashboard.web.state_folder import STATE_FOLDER

LINEAR_RUNS = [("sgd", 0.01), ("sgd", 0.1), ("momentum", 0.05), ("adam", 0.1)]
XOR_RUNS = [("adam", 0.05), ("sgd", 0.5)]
MARKER = ".liteboard-demo.json"
RUN_FILES = ("events.sqlite", "events.sqlite-wal", "events.sqlite-shm", "events.sqlite-journal",
             "events.summary.json")


def planned_runs():
    """(example's main, run name, its flags, the runs it makes) for every demo training, named as
    the examples name them; Keras's TensorBoard callback makes `train` and `validation` inside
    its run directory."""
    # Imported only now, in main's reach, so Ctrl+C while numpy loads is as quiet as during training.
    from examples import keras_mnist_like, linear_regression, running_totals, xor_mlp

    runs = [(linear_regression.main, f"linreg/{opt}_lr={lr}", ["--optimizer", opt, "--lr", str(lr)])
            for opt, lr in LINEAR_RUNS]
    runs += [(xor_mlp.main, f"xor/{opt}_lr={lr}", ["--optimizer", opt, "--lr", str(lr)])
             for opt, lr in XOR_RUNS]
    runs += [(running_totals.main, "running_totals", [])]
    runs = [(main, name, flags, [name]) for main, name, flags in runs]
    keras = "keras_mnist_like"
    return runs + [(keras_mnist_like.main, keras, [], [f"{keras}/{run}" for run in keras_mnist_like.RUNS])]


def demo_run_names():
    """Every run the demo makes."""
    return [run for *_, made in planned_runs() for run in made]


def train_all(logdir, quiet=True):
    """Train every demo run into `logdir`, listing them in its marker file first, so even an
    interrupted demo is recognised, and replaced, as the demo's own by the next one."""
    runs = planned_runs()
    Path(logdir).mkdir(parents=True, exist_ok=True)
    (Path(logdir) / MARKER).write_text(json.dumps({"created_by": "liteboard demo",
                                                   "runs": [run for *_, made in runs for run in made]}))
    for main, name, flags, _ in runs:
        main([*flags, "--logdir", str(logdir), "--run", name, *(["--quiet"] if quiet else [])])


def foreign_entry(logdir):
    """The first path under `logdir` that a demo did not create, or None when all of it is the demo's."""
    try:
        ours = {Path(name) for name in json.loads((logdir / MARKER).read_text())["runs"]}
    except (OSError, ValueError, KeyError, TypeError):
        ours = set()
    ancestors = {parent for run in ours for parent in run.parents}
    for path in sorted(logdir.rglob("*")):
        rel = path.relative_to(logdir)
        if rel.parts[0] == STATE_FOLDER:
            continue  # the dashboard's own folder: its index, and the user's notes on the demo's runs
        if rel == Path(MARKER) and ours:
            continue
        if path.is_dir() and not path.is_symlink() and (rel in ours or rel in ancestors):
            continue
        if path.is_file() and not path.is_symlink() and rel.parent in ours and rel.name in RUN_FILES:
            continue
        return rel
    return None


def clear_previous_demo(logdir):
    """Empty `logdir` of an earlier demo's runs; return why not when it holds anything else."""
    if not logdir.exists():
        return None
    if not logdir.is_dir():
        return f"{logdir} is not a directory"
    foreign = foreign_entry(logdir)
    if foreign is not None:
        return (f"{logdir} holds {foreign}, which the demo did not create, so it is left alone; "
                f"pass --logdir with a new or empty directory")
    if any(logdir.iterdir()):
        print(f"replacing the earlier demo runs in {logdir}")
    for child in logdir.iterdir():
        if child.name == STATE_FOLDER:
            continue
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    return None


def main(argv=None):
    p = cli.Parser(prog="tasks.py demo", description=__doc__.splitlines()[0])
    p.add_argument("--logdir", default="runs/demo")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=cli.port_number, default=6006)
    p.add_argument("--no-serve", action="store_true", help="train the runs, then exit")
    args = p.parse_args(argv)

    refusal = clear_previous_demo(Path(args.logdir))
    if refusal:
        print(f"demo: {refusal}", file=sys.stderr)
        return 2
    try:
        train_all(args.logdir)
    except KeyboardInterrupt:
        cli.after_ctrl_c("demo: interrupted while training; the next demo replaces its runs", sys.stderr)
        return 130
    if args.no_serve:
        return 0
    return cli.main(["serve", "--logdir", args.logdir, "--host", args.host, "--port", str(args.port)])


if __name__ == "__main__":
    raise SystemExit(main())
