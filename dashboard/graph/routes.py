"""The Graph page family's routes: the Graph page (`/graph`) and its API (`/api/graph/...`).

Routes are thin: they read and bound parameters, fetch the stored graph
through the tracker's reader, and hand it to the plain modules that do the
work (scopes, view, layout, panel). A graph never changes once stored, so its
index and its recent layouts are cached per (run file, graph id); the first
request for a graph pays for reading it.
"""

from flask import Blueprint, abort, jsonify, request

from dashboard.graph import panel
from dashboard.graph.scopes import GraphDefError, GraphIndex
from dashboard.graph.view import ViewError, build_view, expanded_set, lineage_highlight
from dashboard.web import logdir, params
from dashboard.web.caches import app_cache
from dashboard.web.errors import BadParameter
from dashboard.web.lru import LRU
from dashboard.web.pages import render_page

bp = Blueprint("graph", __name__)

MAX_EXPAND = 10_000          # expand values in one request
MAX_PATTERN = 200            # characters in a search regex
SEARCH_LIMIT = 200           # matches returned by default (at most 1000)


def index_cache():
    return app_cache("graph_index", lambda config: LRU(8))


def layout_cache():
    return app_cache("graph_layout", lambda config: LRU(64))


def _graph_ids(run):
    return [g["id"] for g in run.graphs()]


def load_graph():
    """The `run` and `graph` parameters resolved to (run name, graph id, cache key, GraphIndex, all graph ids).

    The cache key (events file, run start time, graph id) names this stored graph for the caches.
    """
    run_name = params.name("run", request.args.get("run"))
    graph_id = params.integer(request.args, "graph", minimum=0)
    with logdir.open_run(run_name) as run:
        info = run.info()
        ids = _graph_ids(run)
        if not ids:
            abort(404, f"run '{run_name}' has no graph")
        if graph_id is None:
            graph_id = max(ids)
        elif graph_id not in ids:
            abort(404, f"run '{run_name}' has no graph {graph_id} (its graphs: "
                       f"{', '.join(map(str, ids))})")
        key = (info.path, info.start_time, graph_id)
        index = index_cache().get(key)
        if index is None:
            graph_def = run.graph(graph_id)
            try:
                index = index_cache().put(key, GraphIndex(graph_def))
            except GraphDefError as exc:
                abort(422, f"run '{run_name}' graph {graph_id} cannot be shown: {exc}")
    return run_name, graph_id, key, index, ids


def requested_expansion(index):
    expand = request.args.getlist("expand")
    if len(expand) > MAX_EXPAND:
        raise BadParameter(f"parameter 'expand' is given {len(expand)} times; at most {MAX_EXPAND}")
    expand = [params.name("expand", value) for value in expand if value != ""]
    expand_all = params.choice(request.args, "expand_all", ("0", "1"), "0") == "1"
    try:
        return expanded_set(index, expand, expand_all=expand_all)
    except ViewError as exc:
        abort(exc.status, str(exc))


def view_for(key, index, expanded):
    """The view and its drawing, cached per graph and expanded set."""
    cache = layout_cache()
    cached = cache.get((key, expanded))
    if cached is None:
        # Imported here: the layout loads igraph, which the server's start need not wait for.
        from dashboard.graph.layout import layout

        try:
            view = build_view(index, expanded)
        except ViewError as exc:
            abort(exc.status, str(exc))
        cached = cache.put((key, expanded), (view, layout(view)))
    return cached


@bp.get("/graph")
def page():
    return render_page("graph/graph.html")


@bp.get("/api/graph/list")
def graph_list():
    """The run's stored graphs, newest last, with their sizes."""
    run_name = request.args.get("run")
    with logdir.open_run(run_name) as run:
        graphs = run.graphs()
    listed = []
    for g in graphs:
        nodes = g["graph"].get("nodes") if isinstance(g["graph"], dict) else None
        listed.append({"id": g["id"], "wall_time": g["wall_time"],
                       "nodes": len(nodes) if isinstance(nodes, list) else None})
    return jsonify(run=run_name, graphs=listed)


@bp.get("/api/graph/view")
def graph_view():
    """Positioned boxes, items and edge polylines for the expanded scopes."""
    run_name, graph_id, key, index, ids = load_graph()
    expanded = requested_expansion(index)
    _, drawing = view_for(key, index, expanded)
    return jsonify(run=run_name, graph=graph_id, graphs=ids, nodes=len(index.nodes),
                   expanded=sorted(e for e in expanded if e), **drawing)


@bp.get("/api/graph/item")
def graph_item():
    """Details for the side panel: a node, a scope box or a series."""
    run_name, graph_id, _, index, _ = load_graph()
    kind = params.choice(request.args, "kind", ("node", "box", "series"), "node")
    name = request.args.get("name", "")
    if kind != "box" or name:
        params.name("name", name)
    try:
        detail = panel.describe(index, kind, name)
    except KeyError:
        abort(404, f"graph {graph_id} of run '{run_name}' has no {kind} {name[:200]!r}")
    return jsonify(run=run_name, graph=graph_id, **detail)


@bp.get("/api/graph/search")
def graph_search():
    """Nodes whose name matches the regex `q` (case-insensitive), with the scopes that reveal them."""
    run_name, graph_id, _, index, _ = load_graph()
    regex = params.regex(request.args, "q", required=True, max_length=MAX_PATTERN)
    limit = params.integer(request.args, "limit", default=SEARCH_LIMIT, minimum=1, maximum=1000)
    return jsonify(run=run_name, graph=graph_id, q=regex.pattern, **panel.search(index, regex, limit))


@bp.get("/api/graph/lineage")
def graph_lineage():
    """Everything node `name` depends on, and which visible items and edges of the view carry it."""
    run_name, graph_id, key, index, _ = load_graph()
    name = params.name("name", request.args.get("name"))
    if name not in index.nodes:
        abort(404, f"graph {graph_id} of run '{run_name}' has no node {name[:200]!r}")
    view, _ = view_for(key, index, requested_expansion(index))
    return jsonify(run=run_name, graph=graph_id, **lineage_highlight(index, view, name))
