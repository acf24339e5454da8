"""Where the dashboard keeps its own files for a logdir: its state folder.

LOGDIR/.liteboard/ when the logdir can be written, else a per-logdir folder of the user's cache
directory (the same rule as the run index's state folder; this module gives way to
dashboard.web.state once that is on main). Reads never create the folder, so merely browsing a
logdir leaves it as it was.
"""

import hashlib
import os
from pathlib import Path

import platformdirs

from tracker.object_storage import is_url

STATE_FOLDER = ".liteboard"


def cache_folder(logdir):
    """The cache folder of `logdir`: a path, or a URL (s3://...), taken as it is."""
    if is_url(logdir):
        key, name = logdir, logdir.rstrip("/").rpartition("/")[2]
    else:
        key, name = os.path.abspath(logdir), Path(logdir).name
    digest = hashlib.sha256(os.fsencode(key)).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("liteboard", appauthor=False)) / "logdirs" / f"{name}-{digest}"


def state_dir(logdir, create=False):
    """The state folder of `logdir` (made when `create`), and whether it is the cache folder
    (always, for a URL)."""
    if is_url(logdir):
        cache = cache_folder(logdir)
        if create:
            cache.mkdir(parents=True, exist_ok=True)
        return cache, True
    logdir = Path(logdir)
    inside = logdir / STATE_FOLDER
    if inside.is_dir() and os.access(inside, os.W_OK | os.X_OK):
        return inside, False
    if logdir.is_dir() and os.access(logdir, os.W_OK | os.X_OK):
        if create:
            inside.mkdir(exist_ok=True)
        return inside, False
    cache = cache_folder(logdir)
    if create:
        cache.mkdir(parents=True, exist_ok=True)
    return cache, True


def is_state_path(name):
    """True for a run name inside the state folder (the trash holds run directories)."""
    return name == STATE_FOLDER or name.startswith(STATE_FOLDER + "/")
