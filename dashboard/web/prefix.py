"""Serving under a URL path (--path_prefix), as behind a reverse proxy or JupyterHub.

werkzeug's DispatcherMiddleware mounts the app at the prefix: the prefix moves from
PATH_INFO to SCRIPT_NAME, so url_for() writes every link, script and asset under it and
the pages read it from <body data-root> for the URLs their scripts build. A path outside
the prefix is a JSON 404 that names where the dashboard is.
"""

import json

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Response


def outside(prefix):
    """The WSGI app answering every path that is not under `prefix`."""

    def answer(environ, start_response):
        path = environ.get("PATH_INFO", "")[:200]
        body = json.dumps({"error": f"{path!r} is outside {prefix}/, where this dashboard is served"})
        response = Response(body, status=404, mimetype="application/json")
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response(environ, start_response)

    return answer


def install(app, prefix):
    """Mount `app` at `prefix` ('' leaves it at the root)."""
    if prefix:
        app.wsgi_app = DispatcherMiddleware(outside(prefix), {prefix: app.wsgi_app})
