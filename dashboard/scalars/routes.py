"""The Scalars page family's routes: the Scalars page (`/scalars`), its charts and series.

Thin routes: they read parameters, call the tracker's reader and hand the result
to the plain functions in dashboard.scalars.charts and dashboard.scalars.series.
Series already served wait, as JSON text, in the app's series cache.
"""

from flask import Blueprint, Response, abort, current_app, jsonify, request

import tracker
from dashboard.scalars import charts, series
from dashboard.scalars.cache import SeriesCache
from dashboard.web import logdir, params
from dashboard.web.caches import app_cache
from dashboard.web.errors import BadParameter, too_large
from dashboard.web.pages import render_page
from dashboard.web.strict_json import dumps

bp = Blueprint("scalars", __name__)


def series_cache():
    return app_cache("series", lambda config: SeriesCache(config["SERIES_CACHE_BYTES"]))


@bp.get("/scalars")
def page():
    return render_page("scalars/scalars.html")


@bp.get("/api/tags")
def scalar_charts():
    """Custom-scalars charts by category, then scalar charts grouped by tag prefix; `run`
    (repeated) restricts the runs, `tag_regex` the tags of the prefix groups."""
    wanted = set(params.names(request.args, "run", required=False))
    pattern = params.regex(request.args, "tag_regex")
    infos = logdir.index().infos(wanted or None)
    return jsonify(groups=charts.custom_groups(infos) + charts.chart_groups(infos, pattern))


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
    logdirs = logdir.folders()
    by_run = {}
    for run_name, tag in pairs:
        by_run.setdefault(run_name, []).append(tag)
    found, missing = [], []
    for run_name, tags in by_run.items():
        with logdir.open_in(logdirs, run_name) as run:
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


def within_bound(read):
    """`read`, refusing (400) once the series texts it returned pass MAX_RESPONSE_BYTES in all:
    the answer stops growing at the bound plus one series, whatever the request asks."""
    limit = current_app.config["MAX_RESPONSE_BYTES"]
    used = 0

    def bounded(run, tag):
        nonlocal used
        text = read(run, tag)
        used += len(text)
        if used > limit:
            raise too_large(limit, "ask for fewer series or a smaller max_points")
        return text
    return bounded


@bp.get("/api/scalars")
def scalar_series():
    """Series of `tag` for each `run`: downsampled to `max_points` in [start, end], or the first
    `max_points` points after `after`."""
    pairs = requested_series()
    config = current_app.config
    max_points = params.integer(request.args, "max_points", default=config["MAX_POINTS"],
                                minimum=2, maximum=config["MAX_POINTS_LIMIT"])
    after = params.integer(request.args, "after")
    if after is not None:
        found, missing = read_series(pairs, within_bound(
            lambda run, tag: series.series_json(run.name, tag, run.scalars_since(tag, after, limit=max_points))))
        return series_response(found, missing)
    start = params.step_bound(request.args, "start")
    end = params.step_bound(request.args, "end")
    if start is not None and end is not None and start > end:
        raise BadParameter(f"parameter 'start' ({start}) is after 'end' ({end})")
    cache = series_cache()

    def read(run, tag):
        key = (str(run.path), tracker.file_state(run.path), tag, start, end, max_points)
        text = cache.get(key)
        if text is None:
            text = series.series_json(run.name, tag, run.scalars(tag, start=start, end=end, max_points=max_points))
            cache.put(key, text)
        return text

    return series_response(*read_series(pairs, within_bound(read)))


def readable(run, tag):
    """True if every point of scalar `tag` of `run` reads, else the reader's error (TagNotFoundError,
    UnreadableRunError): a download checks each series whole before its first byte goes out."""
    run.scalars(tag)
    return True


@bp.get("/api/scalars/download")
def scalar_download():
    """Every logged point of the chart's tags for the chosen runs, streamed as CSV or JSON."""
    pairs = requested_series()
    fmt = params.choice(request.args, "format", ("csv", "json"), "csv")
    # Read every pair once before the first byte goes out, so a damaged series is a 422 and not
    # a download cut off midway; then stream them, reading one series at a time again.
    present = [(run, tag) for run, tag, _ in read_series(pairs, readable)[0]]

    logdirs = logdir.folders()  # the generator runs after the request context is gone

    def full_series():
        for run_name, tag in present:
            with logdir.open_in(logdirs, run_name) as run:
                yield run_name, tag, run.scalars(tag)

    stem = series.download_stem(params.names(request.args, "tag"))
    lines = series.csv_lines if fmt == "csv" else series.json_lines
    return Response(lines(full_series()), mimetype="text/csv" if fmt == "csv" else "application/json",
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'})
