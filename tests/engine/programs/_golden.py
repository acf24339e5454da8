"""What the TF1 programs and their goldens share: which files are programs, how a program's
result becomes JSON, and how a result is compared to its golden.

Kept free of both `engine` and `tensorflow`, so the recorder (under TensorFlow) and the test
(under the engine) read and write the same thing.
"""

import importlib.util
import math
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"
NOT_PROGRAMS = {"record.py"}
# The engine must agree with TensorFlow within rtol; atol covers float32 noise on values near 0.
RTOL, ATOL = 1e-4, 1e-5


def program_names():
    """Every program in this folder, by file stem (helpers start with an underscore)."""
    return sorted(p.stem for p in HERE.glob("*.py")
                  if not p.name.startswith("_") and p.name not in NOT_PROGRAMS)


def load_program(name):
    """Import programs/<name>.py afresh (its `import engine as tf` binds whatever `engine` is now)."""
    spec = importlib.util.spec_from_file_location(f"tf1_program_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def golden_path(name):
    return EXPECTED / f"{name}.json"


def to_json(value):
    """A program's value as JSON data: numbers, bools, None, str, lists; bytes as {"bytes": text}.

    numpy scalars and arrays become Python numbers and (nested) lists, so a golden keeps the
    kind of each number (bool, int, float) and the shape of each array."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (bytes, np.bytes_)):
        return {"bytes": bytes(value).decode("latin-1")}
    if isinstance(value, np.ndarray):
        return to_json(value.tolist())
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, np.generic):
        return to_json(value.item())
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"a program returned {type(value).__name__} {value!r}; "
                    "return numbers, strings, bytes or lists of them")


def _kind(value):
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind.__name__
    return "bytes" if isinstance(value, dict) else "null" if value is None else "list"


def mismatches(got, expected, rtol, atol, where=""):
    """Every difference between `got` and `expected` (both JSON data), as readable lines.

    Floats agree within rtol (relative) or atol (for values near 0); ints, bools, strings,
    bytes and None must be equal; an int is never a float, nor a float an int."""
    if isinstance(expected, list) or isinstance(got, list):
        if not (isinstance(expected, list) and isinstance(got, list)):
            return [f"{where}: expected {expected!r}, got {got!r}"]
        if len(got) != len(expected):
            return [f"{where}: expected {len(expected)} items, got {len(got)}: {got!r}"]
        return [line for i, (g, e) in enumerate(zip(got, expected))
                for line in mismatches(g, e, rtol, atol, f"{where}[{i}]")]
    if _kind(got) != _kind(expected):
        return [f"{where}: expected {_kind(expected)} {expected!r}, got {_kind(got)} {got!r}"]
    if isinstance(expected, float):
        if math.isnan(expected) and math.isnan(got):
            return []
        if not abs(got - expected) <= atol + rtol * abs(expected):
            return [f"{where}: expected {expected!r}, got {got!r}"]
        return []
    return [] if got == expected else [f"{where}: expected {expected!r}, got {got!r}"]


def compare(result, golden, rtol=RTOL, atol=ATOL):
    """Mismatching lines between a program's result dict and its golden dict, keyed by name."""
    lines = [f"{name}: missing from the result" for name in golden if name not in result]
    lines += [f"{name}: not in the golden (re-record?)" for name in result if name not in golden]
    for name in golden:
        if name in result:
            lines += mismatches(result[name], golden[name], rtol, atol, name)
    return lines
