"""The routes no page family owns: plotly.js for the charts, and the answer to an unknown /api route."""

from flask import Blueprint, abort, current_app, request, send_file
from werkzeug.exceptions import MethodNotAllowed

from dashboard.web.resources import plotly_js_path

bp = Blueprint("web", __name__)


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """plotly.js from the installed plotly package, so the dashboard works offline."""
    return send_file(plotly_js_path(), mimetype="text/javascript", max_age=86400)


@bp.get("/api/<path:anything>")
def unknown_api(anything):
    """404, or 405 for a route that exists for other methods (a GET on a change is no change)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    others = [m for m in adapter.allowed_methods(request.path) if m not in ("GET", "HEAD", "OPTIONS")]
    if others:
        raise MethodNotAllowed(valid_methods=others)
    abort(404, f"no API route /api/{anything}")
