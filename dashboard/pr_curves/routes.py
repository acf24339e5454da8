"""The PR curves family's routes: the page (`/pr_curves`) and a tag's curves per run
(`/api/pr_curves`). Thin routes over the tracker's reader."""

from flask import Blueprint

from dashboard.web.pages import render_page
from dashboard.web.per_run import answer, read_runs
from dashboard.web.strict_json import dumps

bp = Blueprint("pr_curves", __name__)


@bp.get("/pr_curves")
def page():
    return render_page("pr_curves/pr_curves.html")


@bp.get("/api/pr_curves")
def pr_curves():
    """Each run's curves of `tag` by step: thresholds, counts, precision and recall."""
    tag, runs = read_runs(lambda run, tag, max_steps: {
        "curves": run.pr_curves(tag, max_steps=max_steps)})
    return answer(dumps({"tag": tag, "runs": runs}), "ask for fewer runs or a smaller max_steps")
