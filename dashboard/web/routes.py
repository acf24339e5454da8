"""The routes no page family owns: plotly.js for the charts, and the answer to an unknown /api route."""

from flask import Blueprint, abort, send_file

from dashboard.web.resources import plotly_js_path

bp = Blueprint("web", __name__)


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """plotly.js from the installed plotly package, so the dashboard works offline."""
    return send_file(plotly_js_path(), mimetype="text/javascript", max_age=86400)


@bp.get("/api/<path:anything>")
def unknown_api(anything):
    abort(404, f"no API route /api/{anything}")
