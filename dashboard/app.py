"""The application factory: one Flask app per logdir, a blueprint per page family.

The app holds only the logdir's path and a few settings; every request reads
what it needs through the tracker's reader, so start-up costs nothing however
much data the logdir holds, and runs that appear or vanish are simply seen on
the next request.

A page family (runs, scalars, graph, compare, ...) is a package holding its
routes (one blueprint: its pages and its /api routes), its plain functions and
its http_api.md. Adding one is adding it to FAMILIES (and its tab to
templates/base.html); the plumbing they share lives in dashboard.web.
"""

import os
from collections.abc import Mapping

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from dashboard.compare import routes as compare
from dashboard.graph import routes as graph
from dashboard.histograms import routes as histograms
from dashboard.images import routes as images
from dashboard.manage import routes as manage
from dashboard.pr_curves import routes as pr_curves
from dashboard.runs import routes as runs
from dashboard.scalars import routes as scalars
from dashboard.text import routes as text
from dashboard.web import csrf, errors, prefix, security, strict_json
from dashboard.web import routes as web
from dashboard.web.logdir import is_remote, served
from dashboard.web.logdir import text as logdir_text
from dashboard.web.resources import resource_dir

FAMILIES = (runs, scalars, graph, compare, histograms, images, text, pr_curves, manage)

DEFAULTS = {
    # Seconds between live-refresh polls in the browser.
    "REFRESH_SECONDS": 5.0,
    # Points per series the charts ask for; the server keeps bucket extremes.
    "MAX_POINTS": 2000,
    # Upper bound a client may ask for in one series (bounds memory per request).
    "MAX_POINTS_LIMIT": 100_000,
    # Upper bound on the (run, tag) series one request may name: a short URL crossing thousands of
    # runs with thousands of tags would otherwise cost the server gigabytes before the first lookup.
    "MAX_SERIES": 10_000,
    # Steps of a histogram or image tag one answer holds unless max_steps says otherwise (a long
    # run's are chosen evenly, the latest kept), and the most a client may ask for.
    "HISTOGRAM_STEPS": 500,
    "HISTOGRAM_STEPS_LIMIT": 10_000,
    # Upper bound on the series text one /api/scalars answer may hold (about 800 series of MAX_POINTS).
    "MAX_RESPONSE_BYTES": 64 * 2**20,
    "JSON_SORT_KEYS": False,
    # Bytes of run files a URL logdir (s3://...) keeps in its local cache (--cache_size); past
    # them, the runs used least recently are dropped, and fetched again when opened.
    "CACHE_BYTES": 4 * 10**9,
    # Memory for recently served series (JSON text), dropped when their file changes.
    "SERIES_CACHE_BYTES": 32 * 2**20,
    # Host header names served (dashboard.web.security); dashboard.cli adds the bound address and --host.
    "ALLOWED_HOSTS": security.LOOPBACK_NAMES,
    # `liteboard serve --read-only`: every state-changing request is refused (dashboard.web.csrf).
    "READ_ONLY": False,
    # Upper bound on a request body (a change's JSON: notes are at most 20,000 characters); past it, a 413.
    "MAX_CONTENT_LENGTH": 2**20,
    # The URL path the app is served under (--path_prefix), '' for the root; read at creation.
    "PATH_PREFIX": "",
    # The browser tab's title after the page's name (--window_title).
    "WINDOW_TITLE": "liteboard",
    # Origins that may show the pages in a frame (the notebook magic sets them); none by default.
    "FRAME_ANCESTORS": "'none'",
}


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, minus the NaN and Infinity tokens browsers refuse."""

    def dumps(self, obj, **kwargs):
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return strict_json.dumps(obj, **kwargs)


def create_app(logdir=None, test_config=None):
    """Build the dashboard for `logdir` (default: $LITEBOARD_LOGDIR, else ./runs).

    `logdir` may also map names to folders (--logdir_spec): each folder's runs are shown as
    `name/<run>`. A folder may be a URL (s3://bucket/prefix), served read-only from a local
    cache; its bucket is checked here (tracker.RemoteStorageError naming it). config LOGDIRS
    holds {name: absolute path or RemoteLogdir} ({"": ...} for one logdir) and LOGDIR the text
    that names what is served.
    """
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        static_url_path="/static",
    )
    app.config.from_mapping(DEFAULTS)
    if logdir is None:
        logdir = os.environ.get("LITEBOARD_LOGDIR", "runs")
    if test_config:
        app.config.from_mapping(test_config)
    locations = logdir if isinstance(logdir, Mapping) else {"": logdir}
    app.config["LOGDIRS"] = {name: served(location, app) for name, location in locations.items()}
    if isinstance(logdir, Mapping):
        app.config["LOGDIR"] = ",".join(f"{name}:{logdir_text(folder)}" for name, folder in app.config["LOGDIRS"].items())
    else:
        app.config["LOGDIR"] = logdir_text(app.config["LOGDIRS"][""])
    if isinstance(logdir, Mapping) or any(map(is_remote, app.config["LOGDIRS"].values())):
        # Run management keeps its state in one logdir's folder; across several it is not offered
        # yet, and the runs of a URL logdir belong to the machines that write them.
        app.config["READ_ONLY"] = True
    app.json = StrictJSONProvider(app)
    app.json.sort_keys = app.config["JSON_SORT_KEYS"]
    # Never let Jinja's autoescape be switched off for our .html templates.
    app.jinja_env.autoescape = True

    for family in FAMILIES:
        app.register_blueprint(family.bp)
    app.register_blueprint(web.bp)
    errors.install(app)
    security.install(app)
    csrf.install(app)
    prefix.install(app, app.config["PATH_PREFIX"])
    return app
