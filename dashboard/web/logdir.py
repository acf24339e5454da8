"""The logdir a request reads: its run index, and its runs opened by a name that came from the URL.

The app holds the logdir's path (config LOGDIRS, {"": path}) and, made on the first request
that lists runs, its run index (dashboard.runs.index), which every run list reads; a run's
own data is read through the tracker's reader. Several named logdirs (--logdir_spec
name:path,...) are read as one, each run named `name/<run>`.

A logdir may be a URL (`s3://bucket/prefix`): its LOGDIRS entry is then a
tracker.remote_reader.RemoteLogdir, which lists its runs and fetches each into a local cache
where the tracker's reader opens it; this module and dashboard.runs.scan are the only ones
that tell the two kinds apart. A URL logdir is served read-only (its runs belong to the
machines that write them), and its run index is kept in a cache folder.
"""

import os

from flask import current_app

import tracker
from dashboard.runs.index import FILE, RunIndex
from dashboard.web import params
from dashboard.web.caches import app_cache
from dashboard.web.pages import NOTICES
from dashboard.web.state_folder import cache_folder, is_state_path, state_dir
from tracker import object_storage
from tracker.remote_reader import RemoteLogdir


def path():
    """The text naming what is served: the logdir's path, or the --logdir_spec."""
    return current_app.config["LOGDIR"]


def folders():
    """{name: path or RemoteLogdir} of the logdirs served ({"": path} for one); what a
    generator may keep (a RemoteLogdir is shared by threads)."""
    return current_app.config["LOGDIRS"]


def is_remote(folder):
    """True for a folders() value that is a logdir on object storage."""
    return isinstance(folder, RemoteLogdir)


def served(location, app):
    """What LOGDIRS holds for `location` (a path or a URL) of `app`: the absolute path, or a
    RemoteLogdir whose bucket was checked now (tracker.RemoteStorageError naming it: missing,
    credentials refused) and whose listing problems show on the pages' notices."""
    if not object_storage.is_url(location):
        return os.path.abspath(os.fspath(location))
    made = RemoteLogdir(location, cache_bytes=app.config["CACHE_BYTES"])
    made.check()
    made.notices = app.extensions.setdefault(NOTICES, [])
    return made


def text(folder):
    """How a LOGDIRS value is named to the user: its path or its URL."""
    return folder.url if is_remote(folder) else folder


def prefixed(name, run_name):
    return name if run_name == "." else f"{name}/{run_name}"


def open_in(logdirs, name):
    """Run `name` of `logdirs`, open for reading (a URL logdir's from its cached copy, fetched
    again when evicted or changed); RunNotFoundError naming it."""
    if "" in logdirs:
        return _open(logdirs[""], name)
    first, _, rest = name.partition("/")
    if first not in logdirs:
        raise tracker.RunNotFoundError(f"run {name!r} does not exist: it does not start with one of the "
                                       f"--logdir_spec names {', '.join(logdirs)}")
    run = _open(logdirs[first], rest or ".")
    run.name = prefixed(first, run.name)
    return run


def _open(folder, name):
    if is_remote(folder):
        return folder.open_run(name)
    return tracker.open_run(folder, name)


def _index_file(config):
    """Where the run index is kept: the logdir's state folder, or a cache folder when the logdir
    cannot be written, the server is --read-only, or several logdirs are served."""
    logdirs = config["LOGDIRS"]
    if "" in logdirs and not config["READ_ONLY"]:
        return state_dir(logdirs[""], create=True)[0] / FILE
    return cache_folder(config["LOGDIR"]) / FILE


def _made_index(config):
    try:
        path = _index_file(config)
    except OSError:
        path = None  # nowhere to keep it: kept in memory
    return RunIndex(config["LOGDIRS"], path, interval=config["REFRESH_SECONDS"])


def index():
    """The app's run index, brought up to date for this request (RunIndex.current)."""
    found = app_cache("run_index", _made_index)
    found.current()
    return found


def open_run(name):
    """Open run `name` (the request's `run`), checked first; a run that does not exist is a 404 naming it."""
    params.name("run", name)
    run = open_in(folders(), name)
    if is_state_path(run.name):
        run.close()
        raise tracker.RunNotFoundError(f"run {name!r} does not exist in {path()} (it is in the dashboard's state folder)")
    return run
