"""The application factory: one Flask app per logdir, pages and API as blueprints.

The app holds only the logdir's path and a few settings; every request reads
what it needs through the tracker's reader, so start-up costs nothing however
much data the logdir holds, and runs that appear or vanish are simply seen on
the next request.
"""

import os

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from dashboard import api, compare, errors, graph, pages, strict_json
from dashboard.resources import resource_dir
from dashboard.series_cache import SeriesCache

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
    "JSON_SORT_KEYS": False,
    # Memory for recently served series (JSON text), dropped when their file changes.
    "SERIES_CACHE_BYTES": 32 * 2**20,
}


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, minus the NaN and Infinity tokens browsers refuse."""

    def dumps(self, obj, **kwargs):
        kwargs.setdefault("default", self.default)
        kwargs.setdefault("ensure_ascii", self.ensure_ascii)
        kwargs.setdefault("sort_keys", self.sort_keys)
        return strict_json.dumps(obj, **kwargs)


def create_app(logdir=None, test_config=None):
    """Build the dashboard for `logdir` (default: $LITEBOARD_LOGDIR, else ./runs)."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        static_url_path="/static",
    )
    app.config.from_mapping(DEFAULTS)
    if logdir is None:
        logdir = os.environ.get("LITEBOARD_LOGDIR", "runs")
    app.config["LOGDIR"] = os.path.abspath(os.fspath(logdir))
    if test_config:
        app.config.from_mapping(test_config)
    app.json = StrictJSONProvider(app)
    app.json.sort_keys = app.config["JSON_SORT_KEYS"]
    # Never let Jinja's autoescape be switched off for our .html templates.
    app.jinja_env.autoescape = True

    app.extensions["liteboard_series"] = SeriesCache(app.config["SERIES_CACHE_BYTES"])
    # The Graph and Compare views keep their page and API routes in their own modules.
    for blueprint in (pages.bp, api.bp, *graph.blueprints, *compare.blueprints):
        app.register_blueprint(blueprint)
    errors.install(app)
    return app
