"""Runs whose log_dir is a URL (``s3://bucket/prefix/run``): written to a local cache, uploaded as snapshots.

The run is written into a local folder exactly as a local run is (RemoteRunStore
is a RunStore, so add_scalar's path is the same); a background thread uploads it
every ``flush_secs`` and close() once more. The events file travels as a
snapshot that SQLite's backup API takes in one read transaction, into a private
file switched to rollback-journal mode, so the object in the bucket is always
one whole, consistent, self-contained database, never a copy of a file being
written. The run's other files (checkpoints saved into ``SummaryWriter.local_dir``)
go up first, whenever their size or time changed, so a reader that sees a new
events object finds the checkpoints it names. A failed upload is retried with
backoff and never reaches the training loop; what is still not uploaded at
close() is reported in a warning, and the local copy stays.

On open, the bucket is checked (one clear error naming it), and the remote copy is
fetched when the local cache does not hold it: a run whose writer died resumes on
any machine. The cache keeps a marker of the last object uploaded from it (its
ETag): a cache whose marker matches the object holds everything the object
holds, and maybe more that a killed writer had not uploaded yet.

Credentials and endpoints come from where the storage library looks (for S3:
the AWS_* environment variables, ~/.aws, AWS_ENDPOINT_URL), never from liteboard.
"""

import json
import os
import sqlite3
import threading
import time
import warnings
from contextlib import closing
from pathlib import Path

from . import process, schema
from .errors import RemoteStorageError
from .object_storage import cache_dir, check_bucket, etag, filesystem, normalize
from .storage import RunStore

#: Seconds before retrying a failed upload, doubled on each failure up to MAX_BACKOFF_SECS.
FIRST_BACKOFF_SECS = 1.0
MAX_BACKOFF_SECS = 60.0
#: At close, the final upload is tried this many times (with backoff between) before warning.
CLOSE_ATTEMPTS = 3
#: The cache's record of what it uploaded, beside the events file.
MARKER = ".liteboard-upload.json"
_SNAPSHOT = f".{schema.EVENTS_FILE}.snapshot.tmp"
_DOWNLOAD = f".{schema.EVENTS_FILE}.download.tmp"
#: The events file's own companions, never uploaded as files of the run.
_SQLITE_FILES = {schema.EVENTS_FILE, f"{schema.EVENTS_FILE}-wal", f"{schema.EVENTS_FILE}-shm",
                 f"{schema.EVENTS_FILE}-journal", MARKER, _SNAPSHOT, _DOWNLOAD,
                 schema.SUMMARY_FILE}  # the summary describes the local file, not the snapshot
class RemoteRunStore(RunStore):
    """A RunStore over the local cache of a URL's run, uploaded in the background (see module)."""

    def __init__(self, url, *, max_queue, flush_secs, purge_step=None, dated_by_values=False,
                 journal_mode=None):
        self.remote = RemoteRun(url)
        super().__init__(self.remote.local_dir, max_queue=max_queue, flush_secs=flush_secs,
                         purge_step=purge_step, dated_by_values=dated_by_values,
                         journal_mode=journal_mode)
        self.remote.start(flush_secs)

    def close(self):
        """Commit and finish the run as a local one, then upload it a last time; what
        cannot be uploaded is reported in a warning and kept locally."""
        if self._closed:
            return
        self.remote.stop()  # before the store leaves WAL: a snapshot being read would block it
        try:
            super().close()
        finally:
            self.remote.finish()


class RemoteRun:
    """The link between one run's local cache folder and its URL: fetching and uploading."""

    def __init__(self, url):
        self.url = normalize(url)
        self.local_dir = cache_dir(self.url)
        self.fs, self.root = filesystem(self.url)
        self.bucket = self.root.split("/")[0]
        self.error = None  # the last upload's failure, or None
        self._thread = None
        self._stop = threading.Event()
        self._check_bucket()
        self.local_dir.mkdir(parents=True, exist_ok=True)
        self._uploaded = self._read_marker()
        self._fetch()

    # -- opening ---------------------------------------------------------------------

    def _check_bucket(self):
        check_bucket(self.fs, self.bucket, f"log_dir '{self.url}'")

    def _remote_files(self):
        """{path relative to the run: fsspec info} of every object of the run."""
        try:
            found = self.fs.find(self.root, detail=True)
        except FileNotFoundError:
            return {}
        return {path[len(self.root) + 1:]: info for path, info in found.items()
                if path.startswith(self.root + "/")}

    def _fetch(self):
        """Make the cache hold the remote copy, unless it already holds all of it."""
        try:
            remote = self._remote_files()
        except Exception as exc:
            raise RemoteStorageError(f"run '{self.url}' cannot be listed in bucket "
                                     f"'{self.bucket}': {type(exc).__name__}: {exc}") from exc
        events = remote.get(schema.EVENTS_FILE)
        local = self.local_dir / schema.EVENTS_FILE
        if events is None or (local.exists() and self._uploaded.get("etag") == etag(events)):
            return
        tmp = self.local_dir / _DOWNLOAD
        try:
            self._download(schema.EVENTS_FILE, tmp)
            for name in remote:
                if name != schema.EVENTS_FILE and not (self.local_dir / name).exists():
                    self._download(name, self.local_dir / name)
        except Exception as exc:
            tmp.unlink(missing_ok=True)
            raise RemoteStorageError(f"run '{self.url}' cannot be fetched from bucket "
                                     f"'{self.bucket}': {type(exc).__name__}: {exc}") from exc
        self._uploaded = {"etag": etag(events), "files": {
            name: _signature(self.local_dir / name) for name in remote if name != schema.EVENTS_FILE}}
        if local.exists() and _continues(local, tmp):
            tmp.unlink()  # a snapshot of this very copy (the marker missed it): the copy is newer
        else:
            if local.exists():
                aside = f"{schema.EVENTS_FILE}.replaced-{int(time.time())}"
                warnings.warn(f"run '{self.url}' was written elsewhere since this machine's copy "
                              f"({local}) was last uploaded; that copy is kept as {aside} and the "
                              "remote copy is resumed", stacklevel=4)
                for suffix in ("", "-wal", "-shm", "-journal"):  # the copy goes with its journals
                    if (self.local_dir / f"{schema.EVENTS_FILE}{suffix}").exists():
                        os.replace(self.local_dir / f"{schema.EVENTS_FILE}{suffix}",
                                   self.local_dir / f"{aside}{suffix}")
            _release_dead_writer(tmp)
            os.replace(tmp, local)
        self._write_marker()

    def _download(self, name, target):
        target.parent.mkdir(parents=True, exist_ok=True)
        self.fs.get_file(f"{self.root}/{name}", str(target))

    def _read_marker(self):
        try:
            marker = json.loads((self.local_dir / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"files": {}}
        if marker.get("url") != self.url or not isinstance(marker.get("files"), dict):
            return {"files": {}}
        return marker

    def _write_marker(self):
        tmp = self.local_dir / f"{MARKER}.tmp"
        tmp.write_text(json.dumps({**self._uploaded, "url": self.url}), encoding="utf-8")
        os.replace(tmp, self.local_dir / MARKER)

    # -- uploading -------------------------------------------------------------------

    def start(self, interval):
        """Upload every ``interval`` seconds, in a background thread, while anything changed."""
        self._interval = interval
        self._thread = threading.Thread(target=self._loop, name=f"liteboard-upload {self.url}",
                                        daemon=True)
        self._thread.start()

    def _loop(self):
        wait, failures = self._interval, 0
        while not self._stop.wait(wait):
            started = time.monotonic()
            if self.upload():
                # a large run whose upload takes longer than the interval uploads at most half
                # the time, so the thread never competes with training all the time
                wait, failures = max(self._interval, time.monotonic() - started), 0
            else:
                failures += 1
                wait = min(FIRST_BACKOFF_SECS * 2 ** (failures - 1), MAX_BACKOFF_SECS)
                wait = max(wait, self._interval)

    def stop(self):
        """Stop the background uploads (an upload under way finishes first)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def finish(self):
        """The last upload, retried CLOSE_ATTEMPTS times; a warning naming the URL and the
        cause if it still fails (the local copy stays, and is uploaded on the next open)."""
        self.stop()
        for attempt in range(CLOSE_ATTEMPTS):
            if attempt:
                time.sleep(FIRST_BACKOFF_SECS * 2 ** (attempt - 1))
            if self.upload():
                return
        warnings.warn(f"run '{self.url}' could not be uploaded to bucket '{self.bucket}' "
                      f"({self.error}); its local copy is kept in {self.local_dir} and is "
                      "uploaded when the run is next opened there", stacklevel=2)

    def upload(self):
        """Upload what changed since the last upload: the other files, then a snapshot of the
        events file. True if everything is uploaded; False (and ``error`` says why) if not."""
        try:
            files = self._uploaded.setdefault("files", {})
            for name, signature in self._local_files().items():
                if files.get(name) != signature:
                    self.fs.put_file(str(self.local_dir / name), f"{self.root}/{name}")
                    files[name] = signature
            events = _signature(self.local_dir / schema.EVENTS_FILE,
                                self.local_dir / f"{schema.EVENTS_FILE}-wal")
            if events != self._uploaded.get("events"):
                snapshot = self._snapshot()
                target = f"{self.root}/{schema.EVENTS_FILE}"
                self.fs.put_file(str(snapshot), target)
                snapshot.unlink()
                self._uploaded["events"] = events
                self._uploaded["etag"] = etag(self.fs.info(target))
            self._write_marker()
        except Exception as exc:  # anything the storage raises: kept for the report at close
            self.error = f"{type(exc).__name__}: {exc}"
            return False
        self.error = None
        return True

    def _local_files(self):
        """{path relative to the run: signature} of the run's files other than the events file."""
        found = {}
        for path in self.local_dir.rglob("*"):
            name = path.relative_to(self.local_dir).as_posix()
            if path.is_file() and name not in _SQLITE_FILES and not path.name.startswith("."):
                found[name] = _signature(path)
        return found

    def _snapshot(self):
        """A consistent copy of the events file, in rollback-journal mode: SQLite's backup API
        reads it in one read transaction while the writer goes on."""
        target = self.local_dir / _SNAPSHOT
        target.unlink(missing_ok=True)
        source_uri = Path(self.local_dir / schema.EVENTS_FILE).absolute().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(source_uri, uri=True, timeout=5.0)) as source, \
                closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal
        return target


def _signature(*paths):
    """[size, mtime_ns] of each path that exists: what changes when a file is written."""
    signature = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        signature += [stat.st_size, stat.st_mtime_ns]
    return signature


def _run_row(path):
    with closing(sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT host, pid, start_time, last_write FROM run").fetchone()


def _continues(local, snapshot):
    """True if ``local`` is the file ``snapshot`` was taken of, as new or newer: the same
    writer (host, pid, start) and a heartbeat no older."""
    try:
        mine, theirs = _run_row(local), _run_row(snapshot)
    except sqlite3.Error:
        return False
    return mine[:3] == theirs[:3] and mine[3] >= theirs[3]


def _release_dead_writer(path):
    """A fetched copy left "running" by a writer on another host whose heartbeat is overdue
    is that writer's crash: mark it finished so this writer may take it over (on this host,
    the store's claim itself tells a dead pid)."""
    with closing(sqlite3.connect(path)) as conn, conn:
        row = conn.execute("SELECT status, host, pid, last_write, heartbeat_secs FROM run").fetchone()
        if row and row[0] == "running" and row[1] != process.host_name() and \
                process.writer_state(*row[1:]) == process.GONE:
            conn.execute("UPDATE run SET status = 'finished'")

