"""Edge geometry: every edge starts and ends on a drawn item, stays inside the drawing, and
crosses no other item on its way (also where it leaves or enters an open box)."""

import pytest

from dashboard.graph.layout import layout
from dashboard.graph.scopes import GraphIndex
from dashboard.graph.view import build_view, expanded_set
from graph_defs import adds, deep, running_totals, xor_adam

CASES = [
    (xor_adam, ()),
    (xor_adam, ("network", "network/hidden")),
    (xor_adam, ("network/hidden", "network/output", "train")),
    (xor_adam, "all"),
    (running_totals, ()),
    (running_totals, ("transformation", "update", "summaries", "global_ops")),
    (lambda: adds(9), ("layer",)),
    (lambda: deep(6), "all"),
]


@pytest.fixture(params=CASES, ids=lambda c: f"{c[0].__name__}-{'+'.join(c[1]) if c[1] != 'all' else 'all'}")
def drawn(request):
    make, expand = request.param
    index = GraphIndex(make())
    opened = expanded_set(index, expand_all=True) if expand == "all" else expanded_set(index, expand)
    return layout(build_view(index, opened))


def shapes(out):
    return {s["id"]: s for s in out["items"] + out["boxes"]}


def on_border(point, shape, tol=0.2):
    x, y = point
    inside_x = shape["x"] - tol <= x <= shape["x"] + shape["w"] + tol
    return inside_x and (abs(y - shape["y"]) <= tol or abs(y - shape["y"] - shape["h"]) <= tol)


def test_edges_end_on_visible_items(drawn):
    by_id = shapes(drawn)
    assert drawn["edges"]
    for edge in drawn["edges"]:
        source, target = by_id[edge["source"]], by_id[edge["target"]]
        assert not source.get("expanded") and not target.get("expanded")
        assert on_border(edge["points"][0], source), edge
        assert on_border(edge["points"][-1], target), edge


def test_the_drawing_bounds_hold_every_item_and_edge_point(drawn):
    for shape in shapes(drawn).values():
        assert 0 <= shape["x"] and shape["x"] + shape["w"] <= drawn["width"] + 0.5, shape["id"]
        assert 0 <= shape["y"] and shape["y"] + shape["h"] <= drawn["height"] + 0.5, shape["id"]
    for edge in drawn["edges"]:
        for x, y in edge["points"]:
            assert 0 <= x <= drawn["width"] and 0 <= y <= drawn["height"], (edge["source"], edge["target"], x, y)


def crosses(p, q, shape, margin=2.0):
    """Whether segment p-q passes through the inside of `shape` (shrunk by `margin`)."""
    x0, y0 = shape["x"] + margin, shape["y"] + margin
    x1, y1 = shape["x"] + shape["w"] - margin, shape["y"] + shape["h"] - margin
    steps = 40
    return any(x0 < p[0] + (q[0] - p[0]) * t / steps < x1 and y0 < p[1] + (q[1] - p[1]) * t / steps < y1
               for t in range(steps + 1))


def test_edges_cross_no_item_on_their_way(drawn):
    # Bends cross each layer upright in a slot kept free, and edges leave open boxes through ports.
    for edge in drawn["edges"]:
        path = list(zip(edge["points"], edge["points"][1:]))
        for shape in drawn["items"]:
            if shape["id"] in (edge["source"], edge["target"]):
                continue
            assert not any(crosses(p, q, shape) for p, q in path), (edge["source"], edge["target"], shape["id"])


def test_init_waits_in_the_side_list_of_the_xor_graph():
    index = GraphIndex(xor_adam())
    out = layout(build_view(index, expanded_set(index, ["network/hidden"])))
    init = shapes(out)["n:init"]
    assert init["side"]
    assert not [e for e in out["edges"] if e["target"] == "n:init"]
    weights = shapes(out)["b:network/hidden/weights"]
    assert {"name": "init", "op": "NoOp", "dir": "ctl"} in weights["annotations"]
