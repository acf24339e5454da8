"""The JSON API under /api: what every page uses, documented in docs/API.md.

Routes are thin: they read parameters, call the tracker's reader and hand the
result to the plain functions in dashboard.runs and dashboard.scalars.
"""


from flask import Blueprint, Response, abort, current_app, jsonify, request

import tracker
from dashboard import params, runs, scalars
from dashboard.errors import BadParameter
from dashboard.series_cache import file_state
from dashboard.strict_json import dumps

bp = Blueprint("api", __name__, url_prefix="/api")


def logdir():
    return current_app.config["LOGDIR"]


def open_run(name):
    """Open run `name` of the logdir, or answer 404 naming it."""
    params.name("run", name)
    return tracker.open_run(logdir(), name)


@bp.get("/runs")
def list_runs():
    """Every run of the logdir with status, colour, duration, steps and tag summaries."""
    return jsonify(runs=runs.summaries(tracker.list_runs(logdir())))


@bp.get("/runs/<path:name>")
def run_detail(name):
    """One run's summary, hparams and metrics, and its graphs' ids."""
    with open_run(name) as run:
        info = run.info()
        hparams = run.hparams()
        graphs = [{"id": g["id"], "wall_time": g["wall_time"]} for g in run.graphs()]
    colors = runs.assign_colors((i.name, i.start_time) for i in tracker.list_runs(logdir()))
    summary = runs.summary(info, colors.get(info.name))
    return jsonify(run=summary, hparams=hparams, graphs=graphs)


# Texts and figures take the run as a parameter: a run name may itself end in "/texts".
@bp.get("/texts", defaults={"kind": "texts"})
@bp.get("/figures", defaults={"kind": "figures"})
def run_items(kind):
    """A run's text summaries or plotly figures, oldest first; `tag` keeps one tag."""
    name = params.names(request.args, "run")[0]
    tag = request.args.get("tag") or None
    with open_run(name) as run:
        read = run.texts if kind == "texts" else run.figures
        return jsonify({"run": name, kind: read(tag)})


@bp.get("/tags")
def scalar_charts():
    """Scalar charts grouped by tag prefix; `run` (repeated) restricts the runs, `tag_regex` the tags."""
    wanted = set(params.names(request.args, "run", required=False))
    pattern = params.regex(request.args, "tag_regex")
    infos = [i for i in tracker.list_runs(logdir()) if not wanted or i.name in wanted]
    return jsonify(groups=scalars.chart_groups(infos, pattern))


def requested_series():
    """(run, tag) pairs named by the query, in order: every run crossed with every tag."""
    run_names = params.names(request.args, "run")
    tags = params.names(request.args, "tag")
    limit = current_app.config["MAX_SERIES"]
    if len(run_names) * len(tags) > limit:
        raise BadParameter(f"{len(run_names)} runs times {len(tags)} tags is {len(run_names) * len(tags)} "
                           f"series; one request may ask for at most {limit}")
    return [(r, t) for r in run_names for t in tags]


def read_series(pairs, read):
    """read(run, tag) for each (run name, tag) pair, each run opened once; missing tags are listed.

    (Reading runs in parallel threads was measured: no faster on this workload, so it is not done.)
    """
    root = logdir()
    by_run = {}
    for run_name, tag in pairs:
        by_run.setdefault(run_name, []).append(tag)
    found, missing = [], []
    for run_name, tags in by_run.items():
        with tracker.open_run(root, run_name) as run:
            for tag in tags:
                try:
                    found.append((run_name, tag, read(run, tag)))
                except tracker.TagNotFoundError:
                    missing.append({"run": run_name, "tag": tag})
    if not found:
        run_name, tag = pairs[0]
        abort(404, f"tag '{tag}' does not exist in run '{run_name}'"
              if len(pairs) == 1 else "none of the requested runs has the requested tags")
    return found, missing


def series_response(found, missing):
    """{"series": [...], "missing": [...]} from series already encoded as JSON text."""
    body = '{"series":[' + ",".join(text for _, _, text in found) + '],"missing":' + dumps(missing) + "}"
    return Response(body, mimetype="application/json")


@bp.get("/scalars")
def scalar_series():
    """Series of `tag` for each `run`: downsampled to `max_points` in [start, end], or only after `after`."""
    pairs = requested_series()
    after = params.integer(request.args, "after")
    if after is not None:
        found, missing = read_series(
            pairs, lambda run, tag: scalars.series_json(run.name, tag, run.scalars_since(tag, after)))
        return series_response(found, missing)
    config = current_app.config
    start = params.step_bound(request.args, "start")
    end = params.step_bound(request.args, "end")
    if start is not None and end is not None and start > end:
        raise BadParameter(f"parameter 'start' ({start}) is after 'end' ({end})")
    max_points = params.integer(request.args, "max_points", default=config["MAX_POINTS"],
                                minimum=2, maximum=config["MAX_POINTS_LIMIT"])
    cache = current_app.extensions["liteboard_series"]

    def read(run, tag):
        key = (str(run.path), file_state(run.path), tag, start, end, max_points)
        text = cache.get(key)
        if text is None:
            series = run.scalars(tag, start=start, end=end, max_points=max_points)
            text = scalars.series_json(run.name, tag, series)
            cache.put(key, text)
        return text

    return series_response(*read_series(pairs, read))


def has_tag(run, tag):
    """True if `run` logged scalar `tag`, else TagNotFoundError; reads no points."""
    info = run.info().tags.get(tag)
    if info is None or info.kind != "scalar":
        raise tracker.TagNotFoundError(f"run '{run.name}' has no scalar tag '{tag}'")
    return True


@bp.get("/scalars/download")
def scalar_download():
    """Every logged point of the chart's tags for the chosen runs, streamed as CSV or JSON."""
    pairs = requested_series()
    fmt = params.choice(request.args, "format", ("csv", "json"), "csv")
    # Check every pair before the first byte goes out; then read one series at a time.
    present = [(run, tag) for run, tag, _ in read_series(pairs, has_tag)[0]]

    root = logdir()  # the generator runs after the request context is gone

    def full_series():
        for run_name, tag in present:
            with tracker.open_run(root, run_name) as run:
                yield run_name, tag, run.scalars(tag)

    stem = scalars.download_stem(params.names(request.args, "tag"))
    lines = scalars.csv_lines if fmt == "csv" else scalars.json_lines
    return Response(lines(full_series()), mimetype="text/csv" if fmt == "csv" else "application/json",
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})


@bp.get("/<path:anything>")
def unknown(anything):
    abort(404, f"no API route /api/{anything}")
