"""The logdir a request reads: its runs, listed, or opened by a name that came from the URL.

The app holds only the logdir's path (config LOGDIRS, {"": path}); every request reads what
it needs through the tracker's reader, so runs that appear or vanish are seen at once.
Several named logdirs (--logdir_spec name:path,...) are read as one, each run named
`name/<run>`.
"""

from dataclasses import replace

from flask import current_app

import tracker
from dashboard.web import params
from dashboard.web.state_folder import is_state_path


def path():
    """The text naming what is served: the logdir's path, or the --logdir_spec."""
    return current_app.config["LOGDIR"]


def folders():
    """{name: path} of the logdirs served ({"": path} for one); plain data a generator may keep."""
    return current_app.config["LOGDIRS"]


def prefixed(name, run_name):
    return name if run_name == "." else f"{name}/{run_name}"


def runs_in(logdirs):
    """Every run of `logdirs` (see folders()), as the tracker's RunInfo, sorted by name."""
    if "" in logdirs:
        return tracker.list_runs(logdirs[""])
    runs = [replace(info, name=prefixed(name, info.name))
            for name, folder in logdirs.items() for info in tracker.list_runs(folder)]
    return sorted(runs, key=lambda info: info.name)


def open_in(logdirs, name):
    """Run `name` of `logdirs`, open for reading; RunNotFoundError naming it."""
    if "" in logdirs:
        return tracker.open_run(logdirs[""], name)
    first, _, rest = name.partition("/")
    if first not in logdirs:
        raise tracker.RunNotFoundError(f"run {name!r} does not exist: it does not start with one of the "
                                       f"--logdir_spec names {', '.join(logdirs)}")
    run = tracker.open_run(logdirs[first], rest or ".")
    run.name = prefixed(first, run.name)
    return run


def list_runs():
    """Every run served, as the tracker's RunInfo (none from the dashboard's state folder,
    whose trash holds run directories)."""
    return [info for info in runs_in(folders()) if not is_state_path(info.name)]


def open_run(name):
    """Open run `name` (the request's `run`), checked first; a run that does not exist is a 404 naming it."""
    params.name("run", name)
    run = open_in(folders(), name)
    if is_state_path(run.name):
        run.close()
        raise tracker.RunNotFoundError(f"run {name!r} does not exist in {path()} (it is in the dashboard's state folder)")
    return run
