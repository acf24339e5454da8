"""The graph JSON API through the Flask test client: good requests and every kind of bad one."""

import re
import time

import pytest

from graph_runs import graph_app, graph_client, graph_logdir  # noqa: F401  (fixtures)


def ok(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def error_of(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    return response.get_json()["error"]


def shown(body):
    return {item["id"] for item in body["items"]} | {box["id"] for box in body["boxes"]}


def test_list_graphs(graph_client):
    body = ok(graph_client.get("/api/graph/list?run=two_graphs"))
    assert [g["id"] for g in body["graphs"]] == [1, 2]
    assert [g["nodes"] for g in body["graphs"]] == [20, 9]
    assert ok(graph_client.get("/api/graph/list?run=no_graph"))["graphs"] == []


def test_engine_graph_starts_with_its_scopes_closed(graph_client):
    body = ok(graph_client.get("/api/graph/view?run=running_totals"))
    boxes = {item["name"] for item in body["items"] if item["kind"] == "box"}
    assert {"transformation", "update", "summaries"} <= boxes
    assert body["boxes"] == [] and body["expanded"] == []
    assert body["graph"] == 1 and body["graphs"] == [1]
    transformation = next(i for i in body["items"] if i["name"] == "transformation")
    assert transformation["count"] >= 4 and not transformation["expanded"]
    assert {"Placeholder", "Prod", "Sum"} <= set(transformation["op_counts"])
    assert all(len(edge["points"]) >= 2 for edge in body["edges"])
    assert any(e["source"] == "b:transformation" and e["target"] == "b:update" for e in body["edges"])


def test_expanding_a_scope_shows_its_nodes(graph_client):
    body = ok(graph_client.get("/api/graph/view?run=running_totals&expand=transformation"))
    assert body["expanded"] == ["transformation"]
    assert [b["name"] for b in body["boxes"]] == ["transformation"]
    names = {item["name"] for item in body["items"]}
    assert {"transformation/prod", "transformation/sum"} <= names
    box = body["boxes"][0]
    for item in body["items"]:
        if item["name"].startswith("transformation/"):
            assert box["x"] <= item["x"] and item["x"] + item["w"] <= box["x"] + box["w"]


def test_latest_graph_by_default_and_older_ones_by_id(graph_client):
    latest = ok(graph_client.get("/api/graph/view?run=two_graphs"))
    assert latest["graph"] == 2 and latest["nodes"] == 9
    first = ok(graph_client.get("/api/graph/view?run=two_graphs&graph=1"))
    assert first["graph"] == 1 and first["nodes"] == 20


@pytest.mark.parametrize("query, status, message", [
    ("run=nope", 404, "run 'nope' does not exist"),
    ("run=../../etc", 404, "does not exist"),
    ("", 400, "parameter 'run' is empty"),
    ("run=no_graph", 404, "run 'no_graph' has no graph"),
    ("run=two_graphs&graph=7", 404, r"run 'two_graphs' has no graph 7 \(its graphs: 1, 2\)"),
    ("run=two_graphs&graph=abc", 400, "parameter 'graph' must be an integer"),
    ("run=two_graphs&graph=-1", 400, "parameter 'graph' must be at least 0"),
    ("run=running_totals&expand=nope", 400, "expand: 'nope' is not a scope or series"),
    ("run=running_totals&expand=transformation/prod", 400, "is not a scope or series"),
    ("run=running_totals&expand=%00", 400, "parameter 'expand' contains a NUL"),
    ("run=running_totals&expand_all=yes", 400, "parameter 'expand_all' must be one of 0, 1"),
    ("run=flat", 413, "the graph's top level holds 2501 items"),
    ("run=malformed", 422, "run 'malformed' graph 1 cannot be shown: graph_def has two nodes named 'a'"),
])
def test_bad_view_requests(graph_client, query, status, message):
    assert re.search(message, error_of(graph_client.get(f"/api/graph/view?{query}"), status))


def test_too_many_expand_values(graph_client):
    query = "&".join(["expand=transformation"] * 10_001)
    message = error_of(graph_client.get(f"/api/graph/view?run=running_totals&{query}"), 400)
    assert "parameter 'expand' is given 10001 times" in message


def test_big_graph_lays_out_only_what_is_open(graph_client):
    start = time.perf_counter()
    collapsed = ok(graph_client.get("/api/graph/view?run=big"))
    assert collapsed["nodes"] == 2000
    assert [i["name"] for i in collapsed["items"]] == ["s1"] and collapsed["edges"] == []
    deep_path = "/".join(f"s{k}" for k in range(1, 11))
    opened = ok(graph_client.get(f"/api/graph/view?run=big&expand={deep_path}"))
    assert len(opened["boxes"]) == 10
    everything = ok(graph_client.get("/api/graph/view?run=big&expand_all=1"))
    assert sum(1 for i in everything["items"] if i["kind"] == "node") == 2000
    assert len(everything["edges"]) == 1999
    # Not a benchmark (benchmarks/graph.py is): only a guard against a layout that hangs.
    assert time.perf_counter() - start < 30


def test_node_details(graph_client):
    body = ok(graph_client.get("/api/graph/item?run=two_graphs&graph=1&name=summaries/average"))
    assert body["kind"] == "node" and body["op"] == "RealDiv"
    assert body["dtype"] == "float32" and body["shape"] == [] and body["shape_text"] == "[]"
    assert [i["name"] for i in body["inputs"]] == ["update/AssignAdd", "summaries/Cast"]
    assert body["inputs"][0]["op"] == "AssignAdd"
    assert [c["name"] for c in body["consumers"]] == ["summaries/average_1"]
    cast = ok(graph_client.get("/api/graph/item?run=two_graphs&graph=1&name=summaries/Cast"))
    assert cast["attrs"] == {"DstT": "float32"}


def test_engine_node_details(graph_client):
    body = ok(graph_client.get("/api/graph/item?run=running_totals&name=transformation/prod"))
    assert body["op"] == "Prod"
    assert "transformation/input" in [i["name"] for i in body["inputs"]]


def test_box_and_series_details(graph_client):
    box = ok(graph_client.get("/api/graph/item?run=two_graphs&graph=1&kind=box&name=update"))
    assert box["count"] == 7 and box["op_counts"]["VariableV2"] == 2
    root = ok(graph_client.get("/api/graph/item?run=two_graphs&graph=1&kind=box&name="))
    assert root["count"] == 20


@pytest.mark.parametrize("query, status, message", [
    ("run=two_graphs&graph=1&name=ghost", 404, "graph 1 of run 'two_graphs' has no node 'ghost'"),
    ("run=two_graphs&graph=1&kind=box&name=ghost", 404, "has no box 'ghost'"),
    ("run=two_graphs&graph=1&kind=series&name=ghost", 404, "has no series 'ghost'"),
    ("run=two_graphs&graph=1&kind=edge&name=x", 400, "parameter 'kind' must be one of node, box, series"),
    ("run=two_graphs&graph=1", 400, "parameter 'name' is empty"),
    ("run=no_graph&name=x", 404, "has no graph"),
])
def test_bad_item_requests(graph_client, query, status, message):
    assert message in error_of(graph_client.get(f"/api/graph/item?{query}"), status)


def test_search_by_regex(graph_client):
    body = ok(graph_client.get("/api/graph/search?run=two_graphs&graph=1&q=^transformation/(prod|sum)$"))
    assert [m["name"] for m in body["matches"]] == ["transformation/prod", "transformation/sum"]
    assert body["matches"][0]["scopes"] == ["transformation"] and body["total"] == 2
    limited = ok(graph_client.get("/api/graph/search?run=two_graphs&graph=1&q=update&limit=2"))
    assert len(limited["matches"]) == 2 and limited["truncated"] and limited["total"] > 2
    case = ok(graph_client.get("/api/graph/search?run=two_graphs&graph=1&q=ASSIGNADD"))
    assert case["total"] == 3


@pytest.mark.parametrize("query, message", [
    ("q=(", "parameter 'q' is not a valid regular expression"),
    ("", "parameter 'q' is required"),
    ("q=" + "a" * 201, "parameter 'q' is longer than 200 characters"),
    ("q=a&limit=0", "parameter 'limit' must be at least 1"),
])
def test_bad_searches(graph_client, query, message):
    assert message in error_of(graph_client.get(f"/api/graph/search?run=two_graphs&{query}"), 400)


def test_lineage_follows_the_open_view(graph_client):
    query = "run=two_graphs&graph=1&name=summaries/average"
    closed = ok(graph_client.get(f"/api/graph/lineage?{query}"))
    assert closed["sources"] == ["transformation/input", "update/steps", "update/total_output"]
    assert set(closed["items"]) == {"b:transformation", "b:update", "b:summaries"}
    opened = ok(graph_client.get(f"/api/graph/lineage?{query}&expand=summaries"))
    assert "n:summaries/Cast" in opened["items"]
    view = ok(graph_client.get("/api/graph/view?run=two_graphs&graph=1&expand=summaries"))
    lit = {(view["edges"][i]["source"], view["edges"][i]["target"]) for i in opened["edges"]}
    assert ("n:summaries/Cast", "n:summaries/average") in lit
    assert error_of(graph_client.get("/api/graph/lineage?run=two_graphs&graph=1&name=ghost"), 404)


def test_graph_page_is_served(graph_client):
    response = graph_client.get("/graph?run=%3Cscript%3E")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert b"<script>" not in response.data.replace(b'<script type="module"', b"")
