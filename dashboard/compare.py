"""The Compare page and its JSON API (`/compare`, `/api/compare`, `/api/compare/parcoords`).

Thin routes over dashboard.comparison: they read the run list once
(RunInfo carries hparams, their metrics and per-tag statistics) and never
open a run or read a series.
"""

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

import tracker
from dashboard import comparison, params
from dashboard.colors import assign_colors
from dashboard.errors import BadParameter
from dashboard.pages import CONTENT_SECURITY_POLICY, security_headers, settings

pages_bp = Blueprint("compare_pages", __name__)
api_bp = Blueprint("compare_api", __name__, url_prefix="/api/compare")
blueprints = (pages_bp, api_bp)
# plotly's parcoords draws with WebGL through regl, which compiles its drawing code with
# Function(): this page's policy allows that (inline scripts stay forbidden, as on every page).
COMPARE_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'")


@pages_bp.after_request
def compare_security_headers(response):
    response.headers["Content-Security-Policy"] = COMPARE_POLICY
    return security_headers(response)

MAX_RUNS = 100        # runs in one comparison table


def all_runs():
    """Every run of the logdir and the colour each keeps on every page."""
    infos = tracker.list_runs(current_app.config["LOGDIR"])
    return infos, assign_colors((info.name, info.start_time) for info in infos)


def chosen_runs(infos):
    """The runs named by the repeated `run` parameter, in the order given; 404 names an unknown one."""
    names = params.names(request.args, "run")
    if len(names) < 2:
        raise BadParameter(f"pick at least two runs to compare (parameter 'run' names {len(names)})")
    if len(names) > MAX_RUNS:
        raise BadParameter(f"parameter 'run' names {len(names)} runs; at most {MAX_RUNS} can be compared")
    by_name = {info.name: info for info in infos}
    for name in names:
        if name not in by_name:
            abort(404, f"run '{name[:200]}' does not exist")
    return [by_name[name] for name in names]


@pages_bp.get("/compare")
def compare_page():
    return render_template("compare.html", settings=settings(), active="compare")


@api_bp.get("")
def compare_runs():
    """The chosen runs side by side: facts, hparams (differences marked), each scalar's statistics."""
    infos, colors = all_runs()
    chosen = chosen_runs(infos)
    fmt = params.choice(request.args, "format", ("json", "csv"), "json")
    table = comparison.comparison(chosen, colors)
    if fmt == "csv":
        return Response(comparison.csv_text(table), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="comparison.csv"'})
    return jsonify(table)


@api_bp.get("/parcoords")
def compare_parcoords():
    """Parallel-coordinates axes over every run: its hparams and the last value of `metric`."""
    metric = params.name("metric", request.args.get("metric"))
    infos, colors = all_runs()
    readable = [info for info in infos if info.status != "error"]
    return jsonify(comparison.parallel_coordinates(readable, metric, colors))
