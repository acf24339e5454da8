"""One tag read from each run a request names (`?run=a&run=b&tag=t&max_steps=n`), and the
bounded JSON answer: the plumbing of the families that show a tag's values per run."""

from flask import Response, current_app, request

from dashboard.web import logdir, params
from dashboard.web.errors import BadParameter, too_large


def read_runs(read):
    """``read(run, tag, max_steps)`` for the tag in each requested run, bounded by the config."""
    run_names = params.names(request.args, "run")
    tag = params.names(request.args, "tag")[0]
    config = current_app.config
    if len(run_names) > config["MAX_SERIES"]:
        raise BadParameter(f"{len(run_names)} runs asked for; one request may ask for at most "
                           f"{config['MAX_SERIES']}")
    max_steps = params.integer(request.args, "max_steps", default=config["HISTOGRAM_STEPS"],
                               minimum=1, maximum=config["HISTOGRAM_STEPS_LIMIT"])
    runs = []
    for name in run_names:
        with logdir.open_run(name) as run:
            runs.append({"run": name, **read(run, tag, max_steps)})
    return tag, runs


def answer(body, advice):
    limit = current_app.config["MAX_RESPONSE_BYTES"]
    if len(body) > limit:
        raise too_large(limit, advice)
    return Response(body, mimetype="application/json")
