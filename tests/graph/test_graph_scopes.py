"""The scope tree read from a graph definition: where nodes live, op counts, series, lineage."""

import pytest

from dashboard.graph.scopes import GraphDefError, GraphIndex, parse_input
from graph_defs import adds, deep, node, running_totals


@pytest.mark.parametrize("text, expected", [
    ("x", ("x", 0, False)),
    ("a/b:1", ("a/b", 1, False)),
    ("^init", ("init", 0, True)),
    ("^a/b:2", ("a/b", 2, True)),
    ("odd:name", ("odd:name", 0, False)),
])
def test_parse_input(text, expected):
    assert parse_input(text) == expected


def test_top_level_scopes_and_op_counts():
    index = GraphIndex(running_totals())
    assert sorted(index.root.scopes) == ["global_ops", "summaries", "transformation", "update"]
    transformation = index.scopes["transformation"]
    assert transformation.size == 5
    assert transformation.op_counts == {"Placeholder": 1, "Const": 1, "Prod": 1, "Sum": 1, "AddV2": 1}
    assert index.root.size == len(running_totals()["nodes"])


def test_node_named_like_a_scope_lives_inside_it():
    index = GraphIndex(running_totals())
    assert index.nodes["update/steps"].scope == "update/steps"
    assert "update/steps" in index.scopes["update/steps"].nodes
    assert index.nodes["update/AssignAdd"].scope == "update"


def test_consumers_include_control_inputs():
    index = GraphIndex(running_totals())
    assert ("global_ops/init", 0, True) in index.consumers["update/steps/Assign"]
    assert {c for c, _, _ in index.consumers["transformation/input"]} == {
        "transformation/prod", "transformation/sum"}


@pytest.mark.parametrize("count, folded", [(4, False), (5, True), (12, True)])
def test_same_op_siblings_fold_into_a_series_from_five(count, folded):
    index = GraphIndex(adds(count))
    if folded:
        (series,) = index.series.values()
        assert series.id == f"layer/add_[0-{count - 1}]"
        assert series.members[0] == "layer/add" and len(series.members) == count
        assert series.members[-1] == f"layer/add_{count - 1}"
        assert all(index.nodes[name].series == series.id for name in series.members)
    else:
        assert index.series == {}


def test_series_needs_the_same_op():
    graph = adds(6)
    graph["nodes"][3]["op"] = "Sub"       # layer/add_2 is not an Add
    index = GraphIndex(graph)
    (series,) = index.series.values()
    assert len(series.members) == 5 and "layer/add_2" not in series.members


def test_deep_scopes():
    index = GraphIndex(deep(10))
    assert index.scopes["s1/s2/s3/s4/s5/s6/s7/s8/s9/s10"].depth == 10
    assert index.scopes["s1"].size == 30
    assert index.chain("s1/s2/s3") == ["", "s1", "s1/s2", "s1/s2/s3"]


def test_lineage_stops_at_placeholders_and_variables():
    index = GraphIndex(running_totals())
    lineage = index.lineage("summaries/average")
    assert {"transformation/input", "update/total_output", "update/steps",
            "summaries/Cast", "transformation/Const"} <= lineage
    # The variable's initializer is not something the average depends on.
    assert "update/steps/initial_value" not in lineage
    assert "summaries/output" not in lineage


def test_missing_inputs_are_recorded_not_fatal():
    index = GraphIndex({"nodes": [node("a", "Identity", ["ghost:1"])]})
    assert index.missing_inputs == [("a", "ghost")]


@pytest.mark.parametrize("graph_def, message", [
    ([], "must be an object with a 'nodes' list"),
    ({"nodes": "x"}, "must be an object with a 'nodes' list"),
    ({"nodes": [42]}, "node 0 is not an object"),
    ({"nodes": [{"op": "Add"}]}, "node 0 has no name"),
    ({"nodes": [{"name": "a"}]}, "node 'a' has no op"),
    ({"nodes": [{"name": "a", "op": "Add", "inputs": "b"}]}, "node 'a' has inputs that are not"),
    ({"nodes": [{"name": "a", "op": "Add", "attrs": []}]}, "node 'a' has attrs that are not"),
    ({"nodes": [node("a", "Add"), node("a", "Sub")]}, "two nodes named 'a'"),
])
def test_malformed_graph_defs_are_named(graph_def, message):
    with pytest.raises(GraphDefError, match=message):
        GraphIndex(graph_def)
