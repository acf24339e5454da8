"""A logdir of runs with graphs, for the graph API and browser tests (imported as fixtures).

The seed's running-totals program writes the main run through the engine and
the tracker; the others are the cases a graph page meets: two graphs in one
run, no graph, a 2,000-node graph ten scopes deep, a flat graph too wide to
lay out, and a stored definition that breaks the format.
"""

import pytest

import tracker
from graph_defs import deep, flat, running_totals

RUNS = {
    "two_graphs": [running_totals(), deep(3)],
    "big": [deep(10, per_scope=200)],
    "flat": [flat(2500)],
    "malformed": [{"nodes": [{"name": "a", "op": "Add"}, {"name": "a", "op": "Sub"}]}],
    "hostile": [{"nodes": [
        {"name": "<img src=x onerror=alert(1)>/x", "op": "Placeholder", "inputs": [], "attrs": {},
         "dtype": "float32", "shape": [2]},
        {"name": "<img src=x onerror=alert(1)>/<script>y", "op": "<script>alert(2)</script>",
         "inputs": ["<img src=x onerror=alert(1)>/x"], "attrs": {"note": "<i>attr</i>"},
         "dtype": "float32", "shape": [2]}]}],
}


@pytest.fixture(scope="session")
def graph_logdir(tmp_path_factory):
    from examples import running_totals as example

    root = tmp_path_factory.mktemp("graphs")
    example.main(["--logdir", str(root), "--run", "running_totals", "--steps", "4", "--quiet"])
    for name, graph_defs in RUNS.items():
        with tracker.SummaryWriter(str(root / name)) as writer:
            for graph_def in graph_defs:
                writer.add_graph(graph_def)
    for name in ("no_graph", "000_scalars_only"):
        with tracker.SummaryWriter(str(root / name)) as writer:
            writer.add_scalar("loss", 1.0, 0)
    return root


@pytest.fixture(scope="session")
def graph_app(graph_logdir):
    from dashboard.app import create_app

    return create_app(graph_logdir, {"TESTING": True})


@pytest.fixture
def graph_client(graph_app):
    return graph_app.test_client()


@pytest.fixture(scope="session")
def graph_server(graph_app, serve):
    with serve(graph_app) as url:
        yield url
