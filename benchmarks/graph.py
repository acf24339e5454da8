"""How long the graph page waits for a layout, next to merely serialising the graph.

Generates a 2,000-node graph whose name scopes nest ten levels deep, then
times, in the same run:
  baseline   json.dumps of the graph definition alone (the least any server must do to send it)
  collapsed  index the definition, build the collapsed view, lay it out, json.dumps the drawing
  expanded   the same with every scope and series expanded (all 2,000 nodes laid out)
  warm       a second request for another view of the same graph (the index is cached per graph)
  api        the same two views through the Flask app's /api/graph/view on a fresh server (nothing
             cached: the graph is read from the run's SQLite file, indexed, laid out and serialised)
and prints each as a ratio to the baseline.

    python benchmarks/graph.py [--nodes 2000] [--levels 10] [--repeat 5]
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tracker  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.graph.layout import layout  # noqa: E402
from dashboard.graph.scopes import GraphIndex  # noqa: E402
from dashboard.graph.view import build_view, expanded_set  # noqa: E402

OPS = ["MatMul", "AddV2", "Relu", "Mul", "Sub", "Sigmoid", "Tanh", "Identity", "Sum", "Mean"]


def scope_tree(levels, top=4, branching_until=4):
    """Scope paths in depth-first order: `top` top-level scopes, binary splits down to level
    `branching_until`, then single chains down to level `levels` (like blocks, layers and units)."""
    paths = []

    def visit(path, level):
        paths.append(path)
        if level == levels:
            return
        children = 2 if level < branching_until else 1
        for k in range(children):
            visit(f"{path}/{'unit' if children == 1 else 'layer'}{k}_{level}", level + 1)

    for i in range(top):
        visit(f"block{i}", 1)
    return paths


def generate(nodes=2000, levels=10, seed=0):
    """A graph_def of `nodes` nodes spread over scopes `levels` deep, wired mostly to recent nodes."""
    rng = random.Random(seed)
    scopes = scope_tree(levels)
    graph, names, used = [], [], {}

    def add(scope, op, inputs, dtype="float32", shape=(None, 16)):
        base = op.lower()
        count = used.get((scope, base), 0)
        used[(scope, base)] = count + 1
        name = f"{scope}/{base}" + (f"_{count}" if count else "")
        graph.append({"name": name, "op": op, "inputs": inputs, "attrs": {"T": dtype},
                      "dtype": dtype, "shape": list(shape)})
        names.append(name)
        return name

    # The data flows from the input through every scope in turn, as activations do through layers;
    # `flow` is the latest op on that path (a scope's variable and constant are not on it).
    flow = add("inputs", "Placeholder", [])
    per_scope = nodes // len(scopes)
    for s, scope in enumerate(scopes):
        if len(names) >= nodes:
            break
        weight = add(scope, "VariableV2", [], shape=(16, 16))
        add(scope, "Const", [], shape=())
        for _ in range(max(1, per_scope - 2)):
            if len(names) >= nodes:
                break
            far = names[rng.randrange(max(0, len(names) - 60), len(names))]
            op = rng.choice(OPS)
            inputs = [flow, weight] if op == "MatMul" else [flow, far] if rng.random() < 0.5 else [flow]
            flow = add(scope, op, inputs)
    while len(names) < nodes:
        add(scopes[-1], "Identity", [names[-1]])
    return {"nodes": graph}


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nodes", type=int, default=2000)
    p.add_argument("--levels", type=int, default=10)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)

    graph_def = generate(args.nodes, args.levels)
    index = GraphIndex(graph_def)
    depth = max(s.depth for s in index.scopes.values())
    print(f"graph: {len(graph_def['nodes'])} nodes, {len(index.scopes) - 1} scopes, {depth} levels, "
          f"{len(index.series)} series")

    def cold(expand_all):
        fresh = GraphIndex(graph_def)
        view = build_view(fresh, expanded_set(fresh, expand_all=expand_all))
        return json.dumps(layout(view))

    def warm_expand(path):
        return json.dumps(layout(build_view(index, expanded_set(index, [path]))))

    base, text = timed(lambda: json.dumps(graph_def), args.repeat)
    collapsed, small = timed(lambda: cold(False), args.repeat)
    expanded, big = timed(lambda: cold(True), args.repeat)
    deepest = max(index.scopes, key=lambda s: s.count("/"))
    warm, _ = timed(lambda: warm_expand(deepest), args.repeat)

    print(f"baseline  json.dumps(graph_def)          {base * 1e3:8.2f} ms  {len(text) / 1e3:7.0f} kB")
    print(f"collapsed view, laid out + json          {collapsed * 1e3:8.2f} ms  {len(small) / 1e3:7.0f} kB"
          f"  = {collapsed / base:6.2f}x baseline")
    print(f"expanded view (all {args.nodes} nodes) + json   {expanded * 1e3:8.2f} ms  {len(big) / 1e3:7.0f} kB"
          f"  = {expanded / base:6.2f}x baseline")
    print(f"warm: open the deepest scope (cached index)  {warm * 1e3:8.2f} ms"
          f"  = {warm / base:6.2f}x baseline")

    with tempfile.TemporaryDirectory() as logdir:
        with tracker.SummaryWriter(f"{logdir}/bench") as writer:
            writer.add_graph(graph_def)

        def through_api(query):
            client = create_app(logdir, {"TESTING": True}).test_client()   # fresh: no cache
            response = client.get(f"/api/graph/view?run=bench&{query}")
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.data

        api_collapsed, _ = timed(lambda: through_api(""), args.repeat)
        api_expanded, _ = timed(lambda: through_api("expand_all=1"), args.repeat)
    print(f"api, fresh server: collapsed view             {api_collapsed * 1e3:8.2f} ms"
          f"  = {api_collapsed / base:6.2f}x baseline")
    print(f"api, fresh server: expanded view              {api_expanded * 1e3:8.2f} ms"
          f"  = {api_expanded / base:6.2f}x baseline")


if __name__ == "__main__":
    main()
