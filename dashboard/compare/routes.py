"""The Compare page family's routes: the Compare page (`/compare`) and its API (`/api/compare...`).

Thin routes over dashboard.compare.table and dashboard.compare.parcoords: they
read the run list once (RunInfo carries hparams, their metrics and per-tag
statistics) and never open a run or read a series. The page's curves come from
the Scalars API.
"""

from flask import Blueprint, Response, abort, jsonify, request

from dashboard.compare import parcoords, table
from dashboard.web import logdir, params
from dashboard.web.errors import BadParameter
from dashboard.web.pages import render_page
from dashboard.web.security import allows_eval

bp = Blueprint("compare", __name__)

MAX_RUNS = 100        # runs in one comparison table


def named_runs(names):
    """The runs called `names` (from the run index), in the order given, and the colour each keeps
    on every page; 404 names an unknown one. Only those runs are read, however many the logdir holds."""
    index = logdir.index()
    by_name = {info.name: info for info in index.infos(names)}
    for name in names:
        if name not in by_name:
            abort(404, f"run '{name[:200]}' does not exist")
    return [by_name[name] for name in names], index.colors(names)


def chosen_runs():
    """The runs named by the repeated `run` parameter (2 to MAX_RUNS), in the order given, and their colours."""
    names = params.names(request.args, "run")
    if len(names) < 2:
        raise BadParameter(f"pick at least two runs to compare (parameter 'run' names {len(names)})")
    if len(names) > MAX_RUNS:
        raise BadParameter(f"parameter 'run' names {len(names)} runs; at most {MAX_RUNS} can be compared")
    return named_runs(names)


@bp.get("/compare")
@allows_eval      # the parallel-coordinates chart draws with WebGL through regl, which compiles with Function()
def page():
    return render_page("compare/compare.html")


@bp.get("/api/compare")
def compare_runs():
    """The chosen runs side by side: facts, hparams (differences marked), each scalar's statistics."""
    chosen, colors = chosen_runs()
    fmt = params.choice(request.args, "format", ("json", "csv"), "json")
    data = table.comparison(chosen, colors)
    if fmt == "csv":
        return Response(table.csv_text(data), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="comparison.csv"'})
    return jsonify(data)


@bp.get("/api/compare/parcoords")
def compare_parcoords():
    """Parallel-coordinates axes over the runs named by `run` (every readable run without one):
    their hparams and the value of `metric` (by default a real curve: parcoords.default_metric)."""
    names = params.names(request.args, "run", required=False)
    if names:
        runs, colors = named_runs(names)
    else:
        index = logdir.index()
        runs, colors = index.infos(), index.colors()
    readable = [info for info in runs if info.status != "error"]
    metric = request.args.get("metric")
    metric = parcoords.default_metric(readable) if metric is None else params.name("metric", metric)
    return jsonify(parcoords.parallel_coordinates(readable, metric, colors))
