"""Graph definitions for the graph tests, written in the contract's graph_def format."""


def node(name, op, inputs=(), dtype="float32", shape=None, **attrs):
    return {"name": name, "op": op, "inputs": list(inputs), "attrs": attrs, "dtype": dtype,
            "shape": shape}


def running_totals():
    """The seed's running-totals graph, by hand, as the engine names it."""
    return {"nodes": [
        node("transformation/input", "Placeholder", shape=[None], dtype="float32"),
        node("transformation/Const", "Const", shape=[1], dtype="int32", value=[0]),
        node("transformation/prod", "Prod", ["transformation/input", "transformation/Const"], shape=[]),
        node("transformation/sum", "Sum", ["transformation/input", "transformation/Const"], shape=[]),
        node("transformation/output", "AddV2", ["transformation/prod", "transformation/sum"], shape=[]),
        node("update/steps/initial_value", "Const", dtype="int32", shape=[], value=0),
        node("update/steps", "VariableV2", dtype="int32", shape=[]),
        node("update/steps/Assign", "Assign", ["update/steps", "update/steps/initial_value"], shape=[]),
        node("update/total_output", "VariableV2", shape=[]),
        node("update/AssignAdd", "AssignAdd", ["update/total_output", "transformation/output"], shape=[]),
        node("update/AssignAdd_1/value", "Const", dtype="int32", shape=[], value=1),
        node("update/AssignAdd_1", "AssignAdd", ["update/steps", "update/AssignAdd_1/value"],
             dtype="int32", shape=[]),
        node("summaries/Cast", "Cast", ["update/AssignAdd_1"], shape=[], DstT="float32"),
        node("summaries/average", "RealDiv", ["update/AssignAdd", "summaries/Cast"], shape=[]),
        node("summaries/output/tags", "Const", dtype="string", shape=[], value="output"),
        node("summaries/output", "ScalarSummary", ["summaries/output/tags", "transformation/output"],
             dtype="string", shape=[]),
        node("summaries/total", "ScalarSummary", ["update/AssignAdd"], dtype="string", shape=[]),
        node("summaries/average_1", "ScalarSummary", ["summaries/average"], dtype="string", shape=[]),
        node("global_ops/init", "NoOp", ["^update/steps/Assign"], dtype=None, shape=None),
        node("global_ops/Merge/MergeSummary", "MergeSummary",
             ["summaries/output", "summaries/total", "summaries/average_1"], dtype="string", shape=[]),
    ]}


def adds(count, scope="layer"):
    """`count` Add siblings in a chain: `add`, `add_1`, ... under `scope`."""
    names = [f"{scope}/add" if i == 0 else f"{scope}/add_{i}" for i in range(count)]
    nodes = [node(f"{scope}/x", "Placeholder", shape=[3])]
    previous = f"{scope}/x"
    for name in names:
        nodes.append(node(name, "Add", [previous, f"{scope}/x"], shape=[3]))
        previous = name
    nodes.append(node(f"{scope}/out", "Identity", [previous], shape=[3]))
    return {"nodes": nodes}


def deep(levels, per_scope=3):
    """A chain of nodes through `levels` nested scopes, `per_scope` nodes in each."""
    nodes, previous = [], None
    for level in range(1, levels + 1):
        scope = "/".join(f"s{k}" for k in range(1, level + 1))
        for i in range(per_scope):
            name = f"{scope}/n{i}"
            nodes.append(node(name, "Identity" if previous else "Placeholder",
                              [previous] if previous else [], shape=[2]))
            previous = name
    return {"nodes": nodes}


def flat(count):
    """`count` top-level nodes with no scopes at all (a graph the view must refuse to lay out)."""
    return {"nodes": [node("x", "Placeholder", shape=[])] +
            [node(f"op{i}", "Neg" if i % 2 else "Exp", ["x"], shape=[]) for i in range(count)]}


def xor_adam():
    """The xor example's graph with Adam, as the engine writes it: nested scopes, slots, init, summaries."""
    from examples.xor_mlp import build_graph

    graph, _ = build_graph(hidden=8, optimizer="adam", lr=0.05, seed=0)
    return graph.as_graph_def()
