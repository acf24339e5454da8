"""The engine's modules import one another in one direction only: the graph at the bottom, the
Session and training on top. Imports inside functions count too (a local import that breaks a
cycle marks a thing in the wrong module)."""

import ast
import re
from pathlib import Path

import pytest

import engine

ENGINE = Path(engine.__file__).resolve().parent
MODULES = sorted(path.stem for path in ENGINE.glob("*.py"))


def engine_imports(module):
    """The engine modules that `module` imports, anywhere in its source (relative or absolute)."""
    tree = ast.parse((ENGINE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names = [node.module or ""]
            elif node.level == 1 and node.module:
                names = ["engine." + node.module]
            elif node.level == 1:  # from . import a, b
                names = ["engine." + alias.name for alias in node.names]
            else:
                continue
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "engine" and len(parts) > 1 and parts[1] in MODULES:
                found.add(parts[1])
            elif name == "engine" and isinstance(node, ast.ImportFrom):
                found.update(a.name for a in node.names if a.name in MODULES)
    found.discard(module)
    return found


IMPORTS = {module: engine_imports(module) for module in MODULES}


def find_cycle(graph):
    """A list of modules forming a cycle, or None (depth-first search with three colours)."""
    state, path = {}, []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for other in sorted(graph[node]):
            if state.get(other) == "open":
                return path[path.index(other):] + [other]
            if other not in state:
                cycle = visit(other)
                if cycle:
                    return cycle
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_import_graph_is_read_correctly():
    """The parser sees top-level, `from . import x` and function-local imports alike."""
    assert "graph" in IMPORTS["ops"]
    assert {"losses", "nn", "train"} <= IMPORTS["__init__"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_engine_modules_import_each_other_without_a_cycle():
    cycle = find_cycle(IMPORTS)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("module", ["dtypes", "errors"])
def test_leaf_modules_import_no_other_engine_module(module):
    assert IMPORTS[module] == set()


def test_graph_knows_nothing_above_it():
    """The graph and both default stacks sit at the bottom: only dtypes lies below."""
    assert IMPORTS["graph"] <= {"dtypes"}


def test_session_is_above_the_planner_and_nothing_computes_with_the_session():
    """Only the user-facing top imports the Session: the package, and Keras's models, which
    run their own Session as TF1's Keras backend does."""
    assert "plan" in IMPORTS["session"]
    importers = {m for m, imports in IMPORTS.items() if "session" in imports}
    assert importers == {"__init__", "keras_models"}


def test_engine_md_lists_the_modules_bottom_to_top():
    """docs/ENGINE.md's reading order is an order in which each module needs only those before it."""
    docs = (ENGINE.parent / "docs" / "ENGINE.md").read_text(encoding="utf-8")
    section = docs.split("## How it is built", 1)[1].split("\n## ", 1)[0]
    order = list(dict.fromkeys(re.findall(r"`(\w+)\.py`", section)))
    assert set(order) == set(MODULES) - {"__init__"}, "list every engine module once"
    for position, module in enumerate(order):
        later = IMPORTS[module] & set(order[position + 1:])
        assert not later, f"{module}.py imports {sorted(later)}, listed after it"
