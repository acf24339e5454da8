"""Positions: nothing overlaps, boxes hold their children, edges run from end to end."""

import itertools

import pytest

from dashboard.graph.layout import layout
from dashboard.graph.scopes import GraphIndex
from dashboard.graph.view import build_view, expanded_set
from graph_defs import adds, deep, node, running_totals


def drawing(graph_def, *expand, expand_all=False):
    index = GraphIndex(graph_def)
    return layout(build_view(index, expanded_set(index, expand, expand_all=expand_all)))


def rect(item):
    return item["x"], item["y"], item["x"] + item["w"], item["y"] + item["h"]


def overlap(a, b):
    ax0, ay0, ax1, ay1 = rect(a)
    bx0, by0, bx1, by1 = rect(b)
    return ax0 < bx1 - 0.5 and bx0 < ax1 - 0.5 and ay0 < by1 - 0.5 and by0 < ay1 - 0.5


def inside(inner, outer):
    ix0, iy0, ix1, iy1 = rect(inner)
    ox0, oy0, ox1, oy1 = rect(outer)
    return ox0 <= ix0 and oy0 <= iy0 and ix1 <= ox1 and iy1 <= oy1


def parent_of(shape, boxes):
    name = shape["name"] if shape["kind"] != "node" else shape["name"]
    holders = [b for b in boxes if name.startswith(b["name"] + "/") or
               (shape["kind"] == "node" and name == b["name"])]
    return max(holders, key=lambda b: b["depth"], default=None)


CASES = [
    (running_totals, (), False),
    (running_totals, ("transformation",), False),
    (running_totals, ("transformation", "update", "summaries", "global_ops"), False),
    (running_totals, (), True),
    (lambda: adds(9), ("layer",), False),
    (lambda: deep(10), (), True),
]


@pytest.mark.parametrize("make, expand, expand_all", CASES)
def test_siblings_do_not_overlap_and_boxes_hold_their_children(make, expand, expand_all):
    out = drawing(make(), *expand, expand_all=expand_all)
    shapes = out["items"] + out["boxes"]
    for shape in shapes:
        assert shape["w"] > 0 and shape["h"] > 0
        assert 0 <= shape["x"] and shape["x"] + shape["w"] <= out["width"] + 0.5
        assert 0 <= shape["y"] and shape["y"] + shape["h"] <= out["height"] + 0.5
        holder = parent_of(shape, [b for b in out["boxes"] if b is not shape])
        if holder is not None:
            assert inside(shape, holder), (shape["id"], holder["id"])
    for a, b in itertools.combinations(shapes, 2):
        if parent_of(a, out["boxes"]) is parent_of(b, out["boxes"]) and a is not b:
            if a in out["boxes"] and inside(b, a) or b in out["boxes"] and inside(a, b):
                continue
            assert not overlap(a, b), (a["id"], b["id"])


@pytest.mark.parametrize("make, expand, expand_all", CASES)
def test_edges_run_from_the_source_to_the_target(make, expand, expand_all):
    out = drawing(make(), *expand, expand_all=expand_all)
    by_id = {s["id"]: s for s in out["items"] + out["boxes"]}
    for edge in out["edges"]:
        (x0, y0), (x1, y1) = edge["points"][0], edge["points"][-1]
        source, target = by_id[edge["source"]], by_id[edge["target"]]
        assert x0 == pytest.approx(source["x"] + source["w"] / 2, abs=0.2)
        assert y0 in (pytest.approx(source["y"], abs=0.2), pytest.approx(source["y"] + source["h"], abs=0.2))
        assert x1 == pytest.approx(target["x"] + target["w"] / 2, abs=0.2)
        assert y1 in (pytest.approx(target["y"], abs=0.2), pytest.approx(target["y"] + target["h"], abs=0.2))


def test_data_flows_downwards():
    out = drawing(running_totals(), "transformation")
    by_id = {s["id"]: s for s in out["items"]}
    assert by_id["n:transformation/input"]["y"] < by_id["n:transformation/prod"]["y"]
    assert by_id["n:transformation/prod"]["y"] < by_id["n:transformation/output"]["y"]
    assert by_id["n:transformation/prod"]["y"] == by_id["n:transformation/sum"]["y"]


def test_ten_levels_of_boxes_nest():
    out = drawing(deep(10), expand_all=True)
    depths = [b["depth"] for b in out["boxes"]]
    assert depths == list(range(1, 11))
    for outer, inner in zip(out["boxes"], out["boxes"][1:]):
        assert inside(inner, outer)


def test_summaries_sit_beside_the_flow():
    out = drawing(running_totals(), "summaries")
    side = [i for i in out["items"] if i.get("side") and i["name"].startswith("summaries/")]
    assert {i["name"] for i in side} == {"summaries/output", "summaries/total", "summaries/average_1"}
    flow = [i for i in out["items"] if i["name"] in ("summaries/Cast", "summaries/average")]
    assert min(s["x"] for s in side) > max(f["x"] + f["w"] for f in flow)


def test_items_without_edges_wrap_into_rows():
    graph = {"nodes": [node(f"n{i}", "Placeholder", shape=[]) for i in range(40)]}
    out = drawing(graph)
    assert len({i["y"] for i in out["items"]}) > 1
    assert out["width"] < 1200
