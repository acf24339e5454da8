"""The Runs page family's routes: the Runs page (`/`), a run's page (`/runs/<run>`) and their API.

Thin routes over the tracker's reader and dashboard.runs.summary.
"""

from flask import Blueprint, Response, current_app, jsonify, request

import tracker
from dashboard.manage.routes import annotated_run, store
from dashboard.manage import annotate
from dashboard.runs import summary
from dashboard.runs.index import SORTS, Query
from dashboard.runs.markdown import text_html
from dashboard.runs.tensors import tensor_item
from dashboard.web import logdir, params
from dashboard.web.errors import too_large
from dashboard.web.pages import render_page
from dashboard.web.strict_json import dumps
from tracker.interop import tb_files

bp = Blueprint("runs", __name__)


@bp.get("/")
def page():
    return render_page("runs/runs.html")


@bp.get("/runs/<path:name>")
def run_page(name):
    """A run's page; 404 for a name that is no run (an unreadable run still gets its page, flagged)."""
    try:
        logdir.open_run(name).close()
    except tracker.UnreadableRunError:
        pass
    return render_page("runs/run.html", run_name=name)


MAX_PAGE = 10_000


def list_query(args):
    """The Query of a run list request (/api/runs), every parameter checked."""
    sort = args.get("sort", "name")
    if sort.startswith("tag:"):
        params.name("sort", sort[4:])
    elif sort not in SORTS:
        raise params.BadParameter(f"parameter 'sort' must be one of {', '.join(SORTS)} or tag:<tag>, "
                                  f"got {sort[:40]!r}")
    return Query(regex=params.regex(args, "run_regex"), sort=sort,
                 desc=params.choice(args, "desc", ("0", "1"), "0") == "1",
                 offset=params.integer(args, "offset", default=0, minimum=0),
                 limit=params.integer(args, "limit", default=None, minimum=1, maximum=MAX_PAGE),
                 since=args.get("since") or None,
                 show_hidden=params.choice(args, "hidden", ("0", "1"), "0") == "1",
                 label=args.get("label") or None,
                 tags=params.choice(args, "tags", ("0", "1"), "1") == "1")


@bp.get("/api/runs")
def list_runs():
    """The logdir's runs from the run index: filtered, sorted and paged on the server, each with
    its status, colour, duration, steps, tag summaries and the user's annotations; with `since`,
    only what changed after the answer that gave that token."""
    query = list_query(request.args)
    annotations = store().annotations()
    answer = logdir.index().listing(query, annotations)
    annotate.annotate(answer["runs"], annotations)
    return Response(dumps(answer), mimetype="application/json")


@bp.get("/api/tensorboard")
def tensorboard_dirs():
    """The logdir's directories of TensorBoard event files that are no liteboard run yet, and the
    command that imports them; fetched once by the Runs page. Of several logdirs (--logdir_spec),
    the first that holds any, its directories named as its runs are."""
    folders = logdir.folders()
    for name, found in logdir.index().tensorboard_dirs().items():  # what the index's scan passed
        folder = folders.get(name)
        dirs = [logdir.prefixed(name, d) if name else d for d in found]
        if dirs and folder is not None:  # (an index kept by a server of other --logdir_spec names)
            return jsonify(count=len(dirs), dirs=dirs[:tb_files.SHOWN_DIRS],
                           message=f"This logdir {tb_files.describe(dirs)}.",
                           command=tb_files.import_command(folder))
    return jsonify(count=0, dirs=[], message=None, command=None)


@bp.get("/api/runs/<path:name>")
def run_detail(name):
    """One run's summary, hparams and metrics, and its graphs' ids."""
    with logdir.open_run(name) as run:
        info = run.info()
        hparams = run.hparams()
        graphs = [{"id": g["id"], "wall_time": g["wall_time"]} for g in run.graphs()]
    color = logdir.index().colors([info.name]).get(info.name)
    run = annotated_run(summary.summary(info, color))
    return jsonify(run=run, hparams=hparams, graphs=graphs)


# Texts and figures take the run as a parameter: a run name may itself end in "/texts".
@bp.get("/api/texts", defaults={"kind": "texts"})
@bp.get("/api/figures", defaults={"kind": "figures"})
def run_items(kind):
    """A run's text summaries (each with its sanitized HTML) or plotly figures, oldest first;
    `tag` keeps one tag."""
    name = params.names(request.args, "run")[0]
    tag = request.args.get("tag") or None
    with logdir.open_run(name) as run:
        items = run.texts(tag) if kind == "texts" else run.figures(tag)
    if kind == "texts":
        for item in items:
            item["html"] = text_html(item["text"])
    body = dumps({"run": name, kind: items})
    limit = current_app.config["MAX_RESPONSE_BYTES"]
    if len(body) > limit:
        raise too_large(limit, "ask for one tag" if tag is None else f"tag {tag[:200]!r} holds more")
    return Response(body, mimetype="application/json")


@bp.get("/api/tensors")
def run_tensors():
    """A run's tensors (add_tensor) by tag then step, small ones as text; `tag` keeps one tag."""
    name = params.names(request.args, "run")[0]
    tag = request.args.get("tag") or None
    with logdir.open_run(name) as run:
        tags = [tag] if tag else sorted(t for t, i in run.info().tags.items() if i.kind == "tensor")
        items = [tensor_item(item, t) for t in tags for item in run.tensors(t)]
    body = dumps({"run": name, "tensors": items})
    limit = current_app.config["MAX_RESPONSE_BYTES"]
    if len(body) > limit:
        raise too_large(limit, "ask for one tag")
    return Response(body, mimetype="application/json")
