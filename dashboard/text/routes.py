"""The Text page (`/text`): per tag, each run's texts by step. Its data is the runs family's
`/api/texts?run=<run>&tag=<tag>`, whose HTML dashboard.runs.markdown renders and sanitizes."""

from flask import Blueprint

from dashboard.web.pages import render_page

bp = Blueprint("text", __name__)


@bp.get("/text")
def page():
    return render_page("text/text.html")
