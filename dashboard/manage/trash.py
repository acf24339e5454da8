"""Deleting a run: its directory moved (renamed) into the state folder's trash, restored from it,
and removed for good only when the user empties the trash.

A rename is instant and loses nothing; a copy across filesystems could fail half way or fill a
disk, so a trash on another filesystem than the run (or in the cache folder, used when the logdir
cannot be written) is refused with a message saying so, and nothing is copied. Emptying removes
only directories the trash's records name, each checked to be inside the trash folder.
"""

import errno
import os
import secrets
import shutil
import time
from pathlib import Path

TRASH_FOLDER = "trash"


class TrashRefused(Exception):
    """A run cannot be moved to the trash or back; the message says why and changes nothing."""


def _trash_folder(store):
    folder, in_cache = store.folder(True)
    if in_cache:
        raise TrashRefused(
            "the logdir cannot be written, so the dashboard's state folder is in the user's cache "
            f"directory ({folder}), and runs are never copied there; delete the run's directory yourself")
    trash = folder / TRASH_FOLDER
    trash.mkdir(exist_ok=True)
    return folder, trash


def move_to_trash(logdir, store, info, run_names):
    """Move run `info` (a RunInfo) into the trash; its TrashRecord. `run_names` name the logdir's runs."""
    name = info.name
    if name == ".":
        raise TrashRefused("the run '.' is the logdir itself; it cannot be moved to the trash")
    if info.status == "running":
        raise TrashRefused(f"run {name!r} is still being written (pid {info.pid}); stop it first")
    inner = [other for other in run_names if other.startswith(name + "/")]
    if inner:
        raise TrashRefused(f"run {name!r} holds other runs ({', '.join(inner[:3])}"
                           f"{', ...' if len(inner) > 3 else ''}); move those to the trash first")
    source = Path(logdir) / name
    folder, trash = _trash_folder(store)
    if os.stat(source).st_dev != os.stat(trash).st_dev:
        raise TrashRefused(f"the trash folder {trash} is on another filesystem than run {name!r}, and "
                           "runs are never copied; delete the run's directory yourself")
    target = trash / f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{secrets.token_hex(4)}"
    now = time.time()
    with store.transaction() as conn:
        cursor = conn.execute("INSERT INTO trash (run, folder, trashed_at) VALUES (?, ?, ?)",
                              (name, target.relative_to(folder).as_posix(), now))
        try:
            os.rename(source, target)
        except OSError as exc:
            if exc.errno == errno.EXDEV:
                raise TrashRefused(f"the trash folder is on another filesystem than run {name!r}; "
                                   "runs are never copied") from None
            raise TrashRefused(f"run {name!r} could not be moved to the trash: {exc.strerror or exc}") from None
        record_id = cursor.lastrowid
    return store.trash_record(record_id)


def restore(logdir, store, record):
    """Move a trashed run back where it was; refused if a run has appeared in its place."""
    folder, _ = store.folder(True)
    source = folder / record.folder
    target = Path(logdir) / record.run
    if not source.is_dir():
        raise TrashRefused(f"trashed run {record.run!r} is no longer in the trash folder ({source})")
    if target.exists():
        raise TrashRefused(f"{target} exists again; move it away before restoring run {record.run!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with store.transaction() as conn:
        conn.execute("DELETE FROM trash WHERE id = ?", (record.id,))
        try:
            os.rename(source, target)
        except OSError as exc:
            raise TrashRefused(f"run {record.run!r} could not be restored: {exc.strerror or exc}") from None


def empty(store):
    """Remove every trashed run's directory for good; the records removed."""
    folder, _ = store.folder(False)
    trash = (folder / TRASH_FOLDER).resolve()
    removed = []
    for record in store.trash():
        directory = (folder / record.folder).resolve()
        if trash not in directory.parents:
            continue  # a record that names no place in the trash is never followed
        with store.transaction() as conn:
            conn.execute("DELETE FROM trash WHERE id = ?", (record.id,))
            if directory.exists():
                shutil.rmtree(directory)
        removed.append(record)
    return removed
