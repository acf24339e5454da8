"""Classic TF1 programs (tests/engine/programs/) give TensorFlow's numbers under `import engine as tf`.

Each program's golden (programs/expected/<name>.json) was recorded under real TensorFlow by
programs/record.py, whose docstring says how to re-record. Every number must agree to 1e-4
relative (1e-5 absolute near 0); ints, bools, strings, bytes and names must be equal.
"""

import ast
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import engine

# What each program needs that the engine lacks, from which the expected failures are made.
# Dotted names are `tf.<name>` attributes the program uses that the engine does not have
# (test_needs_lists_exactly_the_names_the_engine_lacks keeps that list exact); entries with a
# space are behaviours the names alone do not cover.
# Strict: when a program passes, its entry must go.
NEEDS = {}

PROGRAMS = Path(__file__).resolve().parent / "programs"
_spec = importlib.util.spec_from_file_location("tf1_programs_golden", PROGRAMS / "_golden.py")
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)

ALLOWED_IMPORTS = {"engine": "tf", "numpy": "np", "os": None, "tempfile": None}


def program_params():
    for name in golden.program_names():
        marks = ()
        if name in NEEDS:
            marks = pytest.mark.xfail(strict=True, reason="needs " + ", ".join(NEEDS[name]))
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", list(program_params()))
def test_program_gives_tensorflows_numbers(name):
    expected = json.loads(golden.golden_path(name).read_text(encoding="utf-8"))
    result = golden.to_json(golden.load_program(name).main())
    lines = golden.compare(result, expected)
    assert not lines, f"{name} differs from TensorFlow in {len(lines)} places:\n" + "\n".join(lines[:40])


def test_every_program_has_a_golden_and_every_golden_a_program():
    recorded = sorted(p.stem for p in golden.EXPECTED.glob("*.json"))
    assert recorded == golden.program_names()
    assert len(recorded) >= 20


def test_needs_names_only_programs():
    assert set(NEEDS) <= set(golden.program_names())


def parse(name):
    return ast.parse((PROGRAMS / f"{name}.py").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", golden.program_names())
def test_program_runs_unchanged_under_tensorflow_but_for_its_import_line(name):
    """A program imports `engine as tf`, numpy and a little of the standard library, nothing
    of the engine's insides, and has a `main()`: so record.py can run it under TensorFlow."""
    tree = parse(name)
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert not any(isinstance(node, ast.ImportFrom) for node in imports)
    aliases = [alias for node in imports for alias in node.names]
    assert {alias.name: alias.asname for alias in aliases}.items() <= ALLOWED_IMPORTS.items()
    assert ("engine", "tf") in [(alias.name, alias.asname) for alias in aliases]
    assert any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body)


def tf_names(tree):
    """The dotted `tf.a.b` chains a program spells out (the longest of each)."""
    chains = set()
    for node in ast.walk(tree):
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if parts and isinstance(node, ast.Name) and node.id == "tf":
            chains.add(".".join(reversed(parts)))
    return {c for c in chains if not any(other.startswith(c + ".") for other in chains)}


def engine_lacks(dotted):
    value = engine
    for part in dotted.split("."):
        if not hasattr(value, part):
            return True
        value = getattr(value, part)
    return False


@pytest.mark.parametrize("name", golden.program_names())
def test_needs_lists_exactly_the_names_the_engine_lacks(name):
    """NEEDS stays true: it names every `tf.` name a program uses that the engine lacks, and
    none the engine has (implement one, and this asks you to strike it)."""
    lacking = sorted(n for n in tf_names(parse(name)) if engine_lacks(n))
    listed = sorted(n for n in NEEDS.get(name, []) if " " not in n)
    assert listed == lacking


@pytest.mark.parametrize("got, expected, differs", [
    (1.00005, 1.0, False), (1.0002, 1.0, True), (5e-6, 0.0, False), (5e-5, 0.0, True),
    (1, 1.0, True), (1.0, 1, True), (True, 1, True), (2, 2, False),
    ([1.0, 2.0], [1.0, 2.0], False), ([1.0], [1.0, 2.0], True), ([[1.0]], [1.0], True),
    ("Add:0", "Add:0", False), ("add:0", "Add:0", True), ("Hello", {"bytes": "Hello"}, True),
    ({"bytes": "Hello"}, {"bytes": "Hello"}, False), (None, None, False), (None, [], True),
])
def test_comparison_tells_kinds_apart_and_allows_float_noise(got, expected, differs):
    assert bool(golden.mismatches(got, expected, golden.RTOL, golden.ATOL)) == differs


def test_results_become_json_keeping_kinds():
    value = {"f": np.float32(0.5), "i": np.int64(3), "b": np.bool_(True), "s": b"Hi",
             "a": np.array([[1, 2]], np.int32), "o": np.array([b"x"], dtype=object)}
    assert golden.to_json(value) == {"f": 0.5, "i": 3, "b": True, "s": {"bytes": "Hi"},
                                     "a": [[1, 2]], "o": [{"bytes": "x"}]}
    with pytest.raises(TypeError, match="a program returned object"):
        golden.to_json({"x": object()})
