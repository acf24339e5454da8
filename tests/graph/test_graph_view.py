"""Which items a set of expanded scopes shows, and the edges aggregated between them."""

import pytest

from dashboard.graph.scopes import GraphIndex
from dashboard.graph.view import ViewError, build_view, expanded_set, lineage_highlight
from graph_defs import adds, deep, flat, node, running_totals


def view_of(graph_def, *expand, expand_all=False):
    index = GraphIndex(graph_def)
    return index, build_view(index, expanded_set(index, expand, expand_all=expand_all))


def edge_map(view):
    return {(e.source, e.target): e for e in view.edges}


def test_collapsed_view_shows_top_level_boxes_with_counts():
    _, view = view_of(running_totals())
    ids = [item.id for item in view.root.children]
    assert ids == ["b:transformation", "b:update", "b:summaries"]
    # global_ops holds only the init NoOp and the summary merge: it waits in the side list.
    assert [item.id for item in view.root.aside] == ["b:global_ops"]
    assert view.items["b:global_ops"].side and view.items["b:global_ops"].count == 2
    assert view.items["b:update"].count == 7
    assert view.items["b:update"].op_counts["VariableV2"] == 2


def test_edges_between_boxes_count_distinct_tensors():
    _, view = view_of(running_totals())
    edges = edge_map(view)
    # update/AssignAdd and update/AssignAdd_1 both feed summaries: two tensors.
    assert len(edges[("b:update", "b:summaries")].tensors) == 2
    assert edges[("b:update", "b:summaries")].label == "2 tensors"
    # transformation/output feeds update and summaries once each: one tensor, labelled by its type.
    assert len(edges[("b:transformation", "b:update")].tensors) == 1
    assert edges[("b:transformation", "b:update")].label == "scalar"
    # The init NoOp's control dependency is a "^" tag on update, not a dashed edge across the drawing.
    assert not any(e.target == "b:global_ops" for e in view.edges)
    assert {"name": "global_ops/init", "op": "NoOp", "dir": "ctl"} in view.items["b:update"].annotations


def test_expanding_a_scope_shows_its_nodes_and_moves_edges_to_them():
    _, view = view_of(running_totals(), "transformation")
    box = view.items["b:transformation"]
    assert box.expanded
    assert [c.id for c in box.children] == [
        "n:transformation/input", "n:transformation/prod", "n:transformation/sum",
        "n:transformation/output"]
    edges = edge_map(view)
    assert ("n:transformation/input", "n:transformation/prod") in edges
    assert ("n:transformation/output", "b:update") in edges
    assert ("b:transformation", "b:update") not in edges


def test_constants_become_tags_on_their_consumers():
    _, view = view_of(running_totals(), "transformation")
    assert "n:transformation/Const" not in view.items
    prod = view.items["n:transformation/prod"]
    assert prod.annotations == [{"name": "transformation/Const", "op": "Const", "dir": "in"}]
    assert all("Const" not in e.source for e in view.edges)


def test_summaries_go_to_the_side_list_and_tag_their_producer():
    _, view = view_of(running_totals(), "summaries", "transformation")
    box = view.items["b:summaries"]
    # summaries/output is a summary with its own tag constant: a closed scope of aux ops, so it waits aside too.
    assert [i.id for i in box.aside] == ["b:summaries/output", "n:summaries/total", "n:summaries/average_1"]
    assert all(i.side for i in box.aside)
    assert {"name": "summaries/average_1", "op": "ScalarSummary", "dir": "out"} in \
        view.items["n:summaries/average"].annotations
    assert not any(e.target in {"n:summaries/total", "n:summaries/average_1"} for e in view.edges)


def test_expanding_a_deep_scope_opens_the_scopes_above_it():
    index, view = view_of(deep(5), "s1/s2/s3")
    assert {"", "s1", "s1/s2", "s1/s2/s3"} <= view.expanded
    assert view.items["b:s1/s2/s3/s4"].count == 6 and not view.items["b:s1/s2/s3/s4"].expanded
    assert "n:s1/s2/s3/n0" in view.items


def test_series_folds_and_unfolds():
    _, view = view_of(adds(8), "layer")
    series = view.items["s:layer/add_[0-7]"]
    assert series.kind == "series" and series.count == 8 and series.op == "Add"
    assert "n:layer/add_3" not in view.items
    # x feeds every add: one tensor into the series; the series feeds out.
    edges = edge_map(view)
    assert len(edges[("n:layer/x", "s:layer/add_[0-7]")].tensors) == 1
    assert ("s:layer/add_[0-7]", "n:layer/out") in edges
    _, opened = view_of(adds(8), "layer/add_[0-7]")
    assert "n:layer/add_3" in opened.items and "s:layer/add_[0-7]" not in opened.items


def test_expand_all_shows_every_node():
    index, view = view_of(deep(10), expand_all=True)
    shown = {i.name for i in view.items.values() if i.kind == "node"}
    assert shown == set(index.nodes)


@pytest.mark.parametrize("expand, message", [
    ("nope", "expand: 'nope' is not a scope or series"),
    ("transformation/", "expand: 'transformation/' is not a scope"),
    ("transformation/prod", "expand: 'transformation/prod' is not a scope"),
])
def test_bad_expand_values_are_named(expand, message):
    index = GraphIndex(running_totals())
    with pytest.raises(ViewError, match=message) as info:
        expanded_set(index, [expand])
    assert info.value.status == 400


def test_a_box_too_big_to_lay_out_is_refused_with_its_name():
    index = GraphIndex(flat(2500))
    with pytest.raises(ViewError, match="the graph's top level holds 2501 items") as info:
        build_view(index, expanded_set(index))
    assert info.value.status == 413


def test_lineage_lights_items_and_edges():
    index, view = view_of(running_totals(), "transformation")
    lit = lineage_highlight(index, view, "transformation/output")
    assert lit["sources"] == ["transformation/input"]
    assert set(lit["items"]) >= {"n:transformation/input", "n:transformation/prod",
                                 "n:transformation/sum", "n:transformation/output"}
    lit_edges = {(view.edges[i].source, view.edges[i].target) for i in lit["edges"]}
    assert ("n:transformation/input", "n:transformation/prod") in lit_edges
    assert ("n:transformation/output", "b:update") not in lit_edges


def test_annotations_are_bounded_and_counted_once():
    from graph_defs import node
    consts = [node(f"c{i}", "Const", shape=[]) for i in range(20)]
    reader = node("sum", "AddN", [f"c{i}" for i in range(20)] + ["c0", "c1"], shape=[])
    _, view = view_of({"nodes": consts + [reader]})
    item = view.items["n:sum"]
    assert len(item.annotations) == 12 and item.more_annotations == 8


def init_graph():
    """Two variables and an `init` NoOp that waits on their initializers, as TF1 writes it."""
    return {"nodes": [
        node("x", "Placeholder", shape=[None, 2]),
        node("w/initial_value", "Const", shape=[2, 1]), node("w", "VariableV2", shape=[2, 1]),
        node("w/Assign", "Assign", ["w", "w/initial_value"], shape=[2, 1]),
        node("b/initial_value", "Const", shape=[1]), node("b", "VariableV2", shape=[1]),
        node("b/Assign", "Assign", ["b", "b/initial_value"], shape=[1]),
        node("y", "MatMul", ["x", "w"], shape=[None, 1]),
        node("init", "NoOp", ["^w/Assign", "^b/Assign"], dtype=None),
        node("group", "NoOp", ["^y"], dtype=None),
        node("waits", "NoOp", ["^init"], dtype=None),
    ]}


@pytest.mark.parametrize("expand, sources", [
    ((), ("b:w", "b:b")),
    (("w", "b"), ("n:w/Assign", "n:b/Assign")),
])
def test_init_noop_goes_to_the_side_list_and_tags_each_variable(expand, sources):
    graph = init_graph()
    graph["nodes"] = [n for n in graph["nodes"] if n["name"] != "waits"]
    _, view = view_of(graph, *expand)
    for source in sources:
        assert {"name": "init", "op": "NoOp", "dir": "ctl"} in view.items[source].annotations
    assert view.items["n:init"].side
    assert not any(e.target == "n:init" for e in view.edges)


def test_a_noop_that_something_reads_stays_in_the_flow():
    _, view = view_of(init_graph())
    # `init` is read by `waits` (a control input), so it is no sink: it keeps its place and its edges.
    edges = edge_map(view)
    assert not view.items["n:init"].side
    assert edges[("b:w", "n:init")].control == 1
    assert view.items["n:waits"].side and view.items["n:group"].side
    assert {"name": "waits", "op": "NoOp", "dir": "ctl"} in view.items["n:init"].annotations
    assert {"name": "group", "op": "NoOp", "dir": "ctl"} in view.items["n:y"].annotations
