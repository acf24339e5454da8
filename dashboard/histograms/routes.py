"""The Histograms family: the Histograms and Distributions pages, and their API: a tag's
histograms (`/api/histograms`) and percentiles (`/api/distributions`) per run, over at most
`max_steps` real steps, the latest always kept.

Thin routes over the tracker's reader and dashboard.histograms.distributions.
"""

from flask import Blueprint

from dashboard.histograms import distributions
from dashboard.web.pages import render_page
from dashboard.web.per_run import answer, read_runs
from dashboard.web.strict_json import dumps_arrays

bp = Blueprint("histograms", __name__)


@bp.get("/histograms")
def page():
    return render_page("histograms/histograms.html")


@bp.get("/distributions")
def distributions_page():
    return render_page("histograms/distributions.html", active="distributions")


@bp.get("/api/histograms")
def histograms():
    """Each run's histograms of `tag`: per step its edges, counts and statistics."""
    tag, runs = read_runs(lambda run, tag, max_steps: {
        "histograms": [vars(h) for h in run.histograms(tag, max_steps=max_steps)]})
    return answer(dumps_arrays({"tag": tag, "runs": runs}), "ask for fewer runs or a smaller max_steps")


@bp.get("/api/distributions")
def distribution():
    """Each run's nine percentiles of `tag` per step (TensorBoard's Distributions)."""
    tag, runs = read_runs(lambda run, tag, max_steps: distributions.distribution(
        run.histogram_columns(tag, max_steps=max_steps)))
    body = dumps_arrays({"tag": tag, "percentiles": distributions.PERCENTS, "runs": runs})
    return answer(body, "ask for fewer runs or a smaller max_steps")
