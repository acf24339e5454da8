"""Finding the runs of the served logdirs and telling which changed, without opening their files.

A run is known by the state of its files: the events file's and its write-ahead log's inode,
size, modification and change times (more than tracker.file_state, which says whether the data
changed: a chmod or a replaced file matters to a listing too). A run whose state is as the index
last saw it is not looked at again; new and changed runs are read by tracker.run_info, from the
writer's summary file when it is current, else from the events file, read-only.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import tracker
from dashboard.web.state_folder import STATE_FOLDER


@dataclass
class Found:
    """A run directory seen by a scan: its name (prefixed with its logdir's name under
    --logdir_spec), its events file, and the state of its files (None: unreadable)."""

    name: str
    path: str
    state: str | None
    error: str | None = None


def _stat(path):
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "-"
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def file_state(events_path):
    """The state of a run's files as one comparable text, or None when they cannot be looked at."""
    try:
        return f"{_stat(events_path)}|{_stat(f'{events_path}-wal')}"
    except OSError:
        return None


def prefixed(logdir_name, run_name):
    if not logdir_name:
        return run_name
    return logdir_name if run_name == "." else f"{logdir_name}/{run_name}"


def scan(logdirs):
    """Every run directory under `logdirs` ({name: path}, {"": path} for one), as Found, by name.

    The dashboard's state folder (whose trash holds run directories) is never entered. A
    directory that cannot be listed is a run in error, as tracker.list_runs reports it.
    """
    found = {}
    for logdir_name, folder in logdirs.items():
        root = Path(folder)
        if not root.is_dir():
            continue

        def unreadable(exc, root=root, logdir_name=logdir_name):
            name = prefixed(logdir_name, _relative(root, Path(exc.filename)))
            found[name] = Found(name, exc.filename, None, f"the directory cannot be read: {exc.strerror or exc}")

        for directory, subdirs, files in os.walk(root, onerror=unreadable):
            if directory == folder or Path(directory) == root:
                subdirs[:] = [d for d in subdirs if d != STATE_FOLDER]
            if tracker.EVENTS_FILE in files:
                name = prefixed(logdir_name, _relative(root, Path(directory)))
                path = os.path.join(directory, tracker.EVENTS_FILE)
                found[name] = Found(name, path, file_state(path))
    return found


def _relative(root, directory):
    return directory.relative_to(root).as_posix() or "."


def read_info(found):
    """The tracker's RunInfo of a found run; an unreadable one is a RunInfo in error, never raised."""
    if found.error is not None:
        return tracker.RunInfo(name=found.name, path=found.path, status="error", error=found.error)
    try:
        return tracker.run_info(found.path, found.name)  # from the writer's summary file when it is current
    except tracker.UnreadableRunError as exc:
        return tracker.RunInfo(name=found.name, path=exc.path, status="error", error=exc.reason)
