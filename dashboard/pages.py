"""The HTML pages. Each is a template plus ES modules that fetch the JSON API.

Pages carry no data in their HTML beyond what the URL names (escaped by
Jinja); the modules render everything else with textContent.
"""

from flask import Blueprint, current_app, render_template, send_file

import tracker
from dashboard import params
from dashboard.resources import plotly_js_path

bp = Blueprint("pages", __name__)

# Scripts only from this server, never inline: even if a name slipped past escaping, an injected
# <img onerror> or <script> would not run. plotly adds inline styles, hence 'unsafe-inline' there.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
])


@bp.after_request
def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def settings():
    """Client settings, written into <body data-*> by base.html."""
    config = current_app.config
    return {"refresh-seconds": config["REFRESH_SECONDS"], "max-points": config["MAX_POINTS"]}


@bp.get("/")
def runs():
    return render_template("runs.html", settings=settings(), active="runs")


@bp.get("/runs/<path:name>")
def run(name):
    """A run's page; 404 for a name that is no run (an unreadable run still gets its page, flagged)."""
    params.name("run", name)
    try:
        tracker.open_run(current_app.config["LOGDIR"], name).close()
    except tracker.UnreadableRunError:
        pass
    return render_template("run.html", settings=settings(), active="runs", run_name=name)


@bp.get("/scalars")
def scalars():
    return render_template("scalars.html", settings=settings(), active="scalars")


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """plotly.js from the installed plotly package, so the dashboard works offline."""
    return send_file(plotly_js_path(), mimetype="text/javascript", max_age=86400)
