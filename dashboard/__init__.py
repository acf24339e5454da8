"""The liteboard dashboard: a Flask app over the tracker's reader.

`create_app(logdir)` builds it (dashboard/app.py); `flask --app dashboard run` finds it here, and
`%load_ext dashboard` adds the notebook magic `%liteboard`.
Each page family is a package (runs, scalars, graph, compare) holding its routes, its
plain functions and its http_api.md; dashboard.web is the plumbing they share.
"""

from dashboard.app import create_app

__all__ = ["create_app", "load_ipython_extension"]


def load_ipython_extension(ipython):
    """`%load_ext dashboard` in a notebook adds the `%liteboard` magic (dashboard/notebook.py)."""
    from dashboard import notebook

    notebook.load_ipython_extension(ipython)
