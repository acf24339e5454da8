"""The liteboard dashboard: a Flask app over the tracker's reader.

`create_app(logdir)` builds it (dashboard/app.py); `flask --app dashboard run` finds it here.
Each page family is a package (runs, scalars, graph, compare) holding its routes, its
plain functions and its http_api.md; dashboard.web is the plumbing they share.
"""

from dashboard.app import create_app

__all__ = ["create_app"]
