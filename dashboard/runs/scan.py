"""Finding the runs of the served logdirs and telling which changed, without opening their files.

A run is known by the state of its files: the events file's and its write-ahead log's inode,
size, modification and change times (more than tracker.file_state, which says whether the data
changed: a chmod or a replaced file matters to a listing too). A run whose state is as the index
last saw it is not looked at again; new and changed runs are read by tracker.run_info, from the
writer's summary file when it is current, else from the events file, read-only.

A logdir on object storage (a tracker.remote_reader.RemoteLogdir) is scanned by one listing: a
run's state is its events object's version (ETag and size), so unchanged runs cost nothing but
their line of the listing, and only a new or changed run is fetched (into the cache, to be read).
A listing that fails (the bucket gone, credentials refused) leaves that logdir without runs, said
in one line on the terminal when it starts and when it ends.
"""

import os
import sys
import time
from dataclasses import dataclass

import tracker
from dashboard.web.state_folder import STATE_FOLDER
from tracker.interop import tb_files
from tracker.remote_reader import RemoteLogdir


@dataclass
class Found:
    """A run directory seen by a scan: its name (prefixed with its logdir's name under
    --logdir_spec), its events file, and the state of its files (None: unreadable)."""

    name: str
    path: str
    state: str | None
    error: str | None = None
    remote: tuple | None = None  # (RemoteLogdir, its run name) of a run on object storage; path is its URL
    stats: tuple | None = None   # tracker.file_state of the same stats, so reading the run stats nothing again


def _text(st):
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def file_state(events_path, has_wal=True):
    """The state of a run's files as one comparable text, and tracker.file_state from the same
    stats; (None, None) when they cannot be looked at. `has_wal` False: the directory's listing
    showed no write-ahead log (no stat is spent on it)."""
    try:
        main = os.stat(events_path)
    except OSError:
        return None, None
    try:
        wal = os.stat(f"{events_path}-wal") if has_wal else None
    except FileNotFoundError:
        wal = None
    except OSError:
        return None, None
    if wal is None:
        return f"{_text(main)}|-", (main.st_size, main.st_mtime_ns, None, None)
    return f"{_text(main)}|{_text(wal)}", (main.st_size, main.st_mtime_ns, wal.st_size, wal.st_mtime_ns)


def prefixed(logdir_name, run_name):
    if not logdir_name:
        return run_name
    return logdir_name if run_name == "." else f"{logdir_name}/{run_name}"


class Listings:
    """What each directory of a walk held (an events file and its log, TensorBoard files, the
    subdirectories), kept from one walk to the next while the directory's own stat is as it
    was: creating, removing or renaming an entry changes a directory's mtime, and a chmod its
    ctime, so such a directory is not listed again. (A listing costs 5-10 stats; listings were
    most of a rescan of 100,000 unchanged runs.) A directory changed less than RACY_SECS before
    its listing is listed again by the next walk: a change in the same tick of the file
    system's clock would leave its times as they were."""

    RACY_SECS = 2.0
    EVENTS, WAL, TENSORBOARD = 1, 2, 4  # the flags of a listing

    def __init__(self):
        self._kept, self._next = {}, {}

    def start(self):
        self._next = {}

    def end(self):
        """The walk is over: keep the listings of the directories it met, and only those."""
        self._kept, self._next = self._next, {}

    def of(self, directory, skip=None):
        """(flags, subdirectory names in order) of `directory`, leaving out `skip`; raises
        OSError when it cannot be listed."""
        st = os.stat(directory)
        key = (st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
        kept = self._kept.get(directory)
        if kept is not None and kept[0] == key:
            self._next[directory] = kept
            return kept[1], kept[2]
        with os.scandir(directory) as found:
            entries = list(found)
        names = {entry.name for entry in entries}
        flags = 0
        if tracker.EVENTS_FILE in names:
            flags = self.EVENTS | (self.WAL if f"{tracker.EVENTS_FILE}-wal" in names else 0)
        elif any(map(tb_files.is_events_file, names)):
            flags = self.TENSORBOARD
        subdirs = tuple(sorted(entry.name for entry in entries if entry.name != skip and _is_dir(entry)))
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > self.RACY_SECS * 1e9:
            self._next[directory] = (key, flags, subdirs)
        return flags, subdirs


def _is_dir(entry):
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def walk(logdirs, tensorboard=None, listings=None):
    """Each run directory under `logdirs` as Found, in name order, as the walk reaches it (so a
    first index of 100,000 runs can be answering before the walk ends). `tensorboard`, a dict,
    gets {logdir name: [directory]} of the directories (relative to their logdir) that hold
    TensorBoard event files and no run: the walk passes them anyway, and none other is needed.
    `listings`: the Listings of the last walk, which this one uses and updates.

    The dashboard's state folder (whose trash holds run directories) is never entered, nor a
    symbolic link to a directory (as os.walk). A directory that cannot be listed is a run in
    error, as tracker.list_runs reports it.
    """
    listings = Listings() if listings is None else listings
    listings.start()
    for logdir_name, folder in logdirs.items():
        if isinstance(folder, RemoteLogdir):
            yield from _walk_remote(logdir_name, folder)
            continue
        root = os.path.abspath(folder)
        if os.path.isdir(root):
            found = [] if tensorboard is None else tensorboard.setdefault(logdir_name, [])
            yield from _walk(root, root, logdir_name, found, listings)
    listings.end()


def _walk(root, directory, logdir_name, tensorboard, listings):
    """os.walk's work, from each listing alone (os.walk spends a stat on every subdirectory to
    tell links, which DirEntry already knows), and from none where the directory is as listed."""
    try:
        flags, subdirs = listings.of(directory, STATE_FOLDER if directory == root else None)
    except OSError as exc:
        yield Found(_name(root, directory, logdir_name), directory, None,
                    f"the directory cannot be read: {exc.strerror or exc}")
        return
    if flags & Listings.EVENTS:
        path = os.path.join(directory, tracker.EVENTS_FILE)
        state, stats = file_state(path, bool(flags & Listings.WAL))
        yield Found(_name(root, directory, logdir_name), path, state, stats=stats)
    elif flags & Listings.TENSORBOARD:
        tensorboard.append(_name(root, directory, ""))
    for name in subdirs:
        yield from _walk(root, os.path.join(directory, name), logdir_name, tensorboard, listings)


def _name(root, directory, logdir_name):
    relative = "." if directory == root else directory[len(root) + 1:].replace(os.sep, "/")
    return prefixed(logdir_name, relative)


def _walk_remote(logdir_name, remote):
    """The runs of a logdir on object storage, from one listing, in name order."""
    before = remote.problem
    try:
        objects = remote.runs()
    except tracker.RemoteStorageError:
        if remote.problem != before:
            print(f"liteboard: {remote.problem}", file=sys.stderr, flush=True)
        return
    if before is not None:
        print(f"liteboard: logdir '{remote.url}' is listed again", file=sys.stderr, flush=True)
    for run, obj in sorted(objects.items()):
        yield Found(prefixed(logdir_name, run), obj.url, obj.version, remote=(remote, run))


def read_info(found):
    """The tracker's RunInfo of a found run; an unreadable one is a RunInfo in error, never raised."""
    if found.error is not None:
        return tracker.RunInfo(name=found.name, path=found.path, status="error", error=found.error)
    try:
        if found.remote is None:
            return tracker.run_info(found.path, found.name, found.stats)  # from the writer's summary when current
        remote, run = found.remote
        info = tracker.run_info(remote.local_copy(run, found.state), found.name)
        info.path = found.path  # where the run is, not where it is cached
        return info
    except tracker.UnreadableRunError as exc:
        path = found.path if found.remote else exc.path
        return tracker.RunInfo(name=found.name, path=path, status="error", error=exc.reason)
    except (tracker.RemoteStorageError, tracker.RunNotFoundError) as exc:  # gone or unreachable since listed
        return tracker.RunInfo(name=found.name, path=found.path, status="error", error=str(exc))
