"""Record what each TF1 program in this folder gives under real TensorFlow: expected/<name>.json.

These goldens are the yardstick `tests/engine/test_engine_tf1_programs.py` holds the engine to:
run under `import engine as tf`, every program must give TensorFlow's numbers to 1e-4 relative.
TensorFlow is never a dependency of liteboard, nor imported by a test or CI: record in a scratch
venv outside the repository, and commit the JSON.

    python3 -m venv <scratch>/tfvenv
    <scratch>/tfvenv/bin/pip install tensorflow-cpu==2.21.0 tf-keras==2.21.0
    <scratch>/tfvenv/bin/python tests/engine/programs/record.py              # every program
    <scratch>/tfvenv/bin/python tests/engine/programs/record.py tiny_cnn     # just these
    <scratch>/tfvenv/bin/python tests/engine/programs/record.py --check      # rerun, diff, write nothing
    <scratch>/tfvenv/bin/python tests/engine/programs/record.py --perturb    # how touchy each number is

`import engine as tf` is made to mean `tensorflow.compat.v1` after `disable_v2_behavior()`, which
is TF1's graph mode with its reference variables, v1 control flow and v1 op names (eager
execution off alone would keep TF2's resource variables and while_v2). `tf.layers` needs the
`tf-keras` package (TF_USE_LEGACY_KERAS=1, set here), since Keras 3 dropped it. Each program runs
on a fresh default graph.

`--perturb` reruns every program with each float array drawn from `np.random.RandomState` scaled
by (1 + 1e-7 * noise), about as much as the engine's float32 rounding differs from TensorFlow's
(a different summation order), and prints the largest share of the test's tolerance any number then moves by. A
program using more than a quarter of it is too chaotic to be a fair yardstick: shorten its
training, tame its learning rate, or return a better-conditioned number.
"""

import argparse
import json
import os
import sys

import numpy as np

import _golden

RTOL, ATOL = _golden.RTOL, _golden.ATOL


def tensorflow_as_engine():
    """Import TensorFlow's TF1 API and make `import engine` give it."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tensorflow.compat.v1 as tf
    tf.disable_v2_behavior()
    tf.logging.set_verbosity(tf.logging.ERROR)
    sys.modules["engine"] = tf
    return tf


def run(tf, name):
    tf.reset_default_graph()
    return _golden.to_json(_golden.load_program(name).main())


def dumps(result):
    """One key per line, each value on its line, so a re-recording diffs readably."""
    lines = [f"  {json.dumps(key)}: {json.dumps(value, allow_nan=True)}" for key, value in result.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


class PerturbedRandomState(np.random.RandomState):
    """np.random.RandomState whose float draws are off by about 1e-7 relative, as rounding is."""

    def _nudge(self, values):
        values = np.asarray(values)
        if values.dtype.kind != "f":
            return values
        return values * (1 + 1e-7 * np.random.default_rng(values.size).standard_normal(values.shape))

    def randn(self, *args):
        return self._nudge(super().randn(*args))

    def rand(self, *args):
        return self._nudge(super().rand(*args))

    def uniform(self, *args, **kwargs):
        return self._nudge(super().uniform(*args, **kwargs))

    def normal(self, *args, **kwargs):
        return self._nudge(super().normal(*args, **kwargs))


def tolerance_used(result, golden):
    """The largest share of the test's tolerance (atol + rtol * |expected|) that any float of
    `result` uses against `golden`, and its key."""
    worst = (0.0, None)
    for key, expected in golden.items():
        got = np.asarray(result.get(key), dtype=object).ravel()
        want = np.asarray(expected, dtype=object).ravel()
        for g, e in zip(got, want):
            if isinstance(e, float) and isinstance(g, float):
                used = abs(g - e) / (ATOL + RTOL * abs(e))
                worst = max(worst, (used, key), key=lambda pair: pair[0])
    return worst


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("programs", nargs="*", help="program names (default: all)")
    parser.add_argument("--check", action="store_true", help="rerun and diff against the goldens")
    parser.add_argument("--perturb", action="store_true", help="print each program's sensitivity")
    args = parser.parse_args(argv)
    names = args.programs or _golden.program_names()
    unknown = sorted(set(names) - set(_golden.program_names()))
    if unknown:
        parser.error(f"no such program: {', '.join(unknown)}")
    tf = tensorflow_as_engine()
    if args.perturb:
        np.random.RandomState = PerturbedRandomState
    failed = False
    for name in names:
        result = run(tf, name)
        path = _golden.golden_path(name)
        if args.check or args.perturb:
            golden = json.loads(path.read_text(encoding="utf-8"))
            if args.perturb:
                used, key = tolerance_used(result, golden)
                flag = "  TOO TOUCHY" if used > 0.25 else ""
                failed |= bool(flag)
                print(f"{name}: uses {used:.0%} of the tolerance ({key}){flag}")
                continue
            lines = _golden.compare(result, golden, RTOL, ATOL)
            failed |= bool(lines)
            print(f"{name}: " + ("same" if not lines else "\n  ".join(["DIFFERS"] + lines)))
        else:
            path.parent.mkdir(exist_ok=True)
            path.write_text(dumps(result), encoding="utf-8")
            print(f"{name}: {len(result)} values -> {path.relative_to(_golden.HERE)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
