"""The logdir a request reads: its runs, listed, or opened by a name that came from the URL.

The app holds only the logdir's path (config LOGDIR); every request reads what it
needs through the tracker's reader, so runs that appear or vanish are seen at once.
"""

from flask import current_app

import tracker
from dashboard.web import params
from dashboard.web.state_folder import is_state_path


def path():
    return current_app.config["LOGDIR"]


def list_runs():
    """Every run of the logdir, as the tracker's RunInfo (none from the dashboard's state folder,
    whose trash holds run directories)."""
    return [info for info in tracker.list_runs(path()) if not is_state_path(info.name)]


def open_run(name):
    """Open run `name` (the request's `run`), checked first; a run that does not exist is a 404 naming it."""
    params.name("run", name)
    run = tracker.open_run(path(), name)
    if is_state_path(run.name):
        run.close()
        raise tracker.RunNotFoundError(f"run {name!r} does not exist in {path()} (it is in the dashboard's state folder)")
    return run
