"""The Images family: the Images page, a tag's images per run (`/api/images`, without their
pixels) and one image's PNG (`/api/images/png`). Thin routes over the tracker's reader."""

from urllib.parse import quote

from flask import Blueprint, Response, current_app, request

from dashboard.web import logdir, params
from dashboard.web.errors import BadParameter
from dashboard.web.pages import render_page
from dashboard.web.per_run import answer, read_runs
from dashboard.web.strict_json import dumps

bp = Blueprint("images", __name__)


@bp.get("/images")
def page():
    return render_page("images/images.html")


def png_url(run, tag, step):
    return f"/api/images/png?run={quote(run, safe='')}&tag={quote(tag, safe='')}&step={step}"


@bp.get("/api/images")
def images():
    """Each run's images of `tag` by step: size, channels, batch layout and the PNG's URL."""
    tag, runs = read_runs(lambda run, tag, max_steps: {"images": [
        {**meta, "url": png_url(run.name, tag, meta["step"])}
        for meta in run.images(tag, max_steps=max_steps)]})
    return answer(dumps({"tag": tag, "runs": runs}), "ask for fewer runs or a smaller max_steps")


@bp.get("/api/images/png")
def png():
    """One image's PNG bytes (image/png), as logged."""
    name = params.names(request.args, "run")[0]
    tag = params.names(request.args, "tag")[0]
    step = params.integer(request.args, "step", minimum=-(2**63), maximum=2**63 - 1)
    if step is None:
        raise BadParameter("parameter 'step' is required")
    with logdir.open_run(name) as run:
        image = run.image(tag, step)
    response = Response(image["png"], mimetype="image/png")
    # a logged step's image never changes unless logged again: cache briefly, revalidate after
    response.headers["Cache-Control"] = f"private, max-age={int(current_app.config['REFRESH_SECONDS'])}"
    return response
