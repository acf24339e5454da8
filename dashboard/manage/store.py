"""The user's own decisions about runs: hidden or not, a display name, notes, labels, and the
trash's records (which run each trashed directory was).

They live in `runs.sqlite` in the logdir's state folder, apart from the run index: an index is a
cache rebuilt from the runs at will, but nothing here can be rebuilt, so this file is never
discarded. One that is damaged (not SQLite, another program's file, failing its integrity check)
is moved aside as `runs.sqlite.damaged-<time>` with one line on the terminal and a notice on every
page, and a new one is started. Reads never create the file; the first change does.
"""

import os
import sqlite3
import sys
import threading
import time
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field

FILE = "runs.sqlite"
APPLICATION_ID = 0x6C62726D  # "lbrm": a stray SQLite file is never taken for this one
VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS annotations (
    run TEXT PRIMARY KEY, hidden INTEGER NOT NULL DEFAULT 0, display_name TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '', changed REAL NOT NULL);
CREATE TABLE IF NOT EXISTS labels (run TEXT NOT NULL, label TEXT NOT NULL, PRIMARY KEY (run, label));
CREATE TABLE IF NOT EXISTS trash (
    id INTEGER PRIMARY KEY, run TEXT NOT NULL, folder TEXT NOT NULL, trashed_at REAL NOT NULL);
"""


@dataclass
class Annotation:
    """What the user set on one run; a run never touched has the defaults."""

    hidden: bool = False
    display_name: str = ""
    notes: str = ""
    labels: list = field(default_factory=list)

    def to_dict(self):
        return asdict(self)


@dataclass
class TrashRecord:
    """A run directory moved to the trash: `folder` is its place relative to the state folder."""

    id: int
    run: str
    folder: str
    trashed_at: float

    def to_dict(self):
        return asdict(self)


def say(message):
    """One line on the server's terminal: each change, and a damaged file moved aside."""
    print(f"liteboard: {message}", file=sys.stderr, flush=True)


class StateUnwritable(Exception):
    """The state folder or its file cannot be made or written; the message names it."""


def _exists(path):
    """Whether `path` exists; a folder this process may not enter counts as none (reads go on)."""
    try:
        return path.exists()
    except OSError:
        return False


class Store:
    """runs.sqlite of a state folder. `folder(create=False)` gives (the folder, whether it is the
    cache folder), made when `create`; `notices` collects what every page should show."""

    def __init__(self, folder):
        self.folder = folder
        self.notices = []
        self._lock = threading.Lock()
        self._checked = False

    def path(self, create=False):
        return self.folder(create)[0] / FILE

    # --- opening -------------------------------------------------------------------------------

    def _damage(self, conn):
        """Why the open file is not a usable store, or None (a new, empty file is made one)."""
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id == 0 and version == 0 and not conn.execute("SELECT 1 FROM sqlite_master").fetchone():
                conn.executescript(f"PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {VERSION};")
            elif app_id != APPLICATION_ID:
                return "it is not liteboard's file of run names, notes and labels"
            elif version > VERSION:
                return None  # a newer liteboard's file: read what we know, never move it aside
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                return f"its integrity check failed ({check})"
            conn.executescript(SCHEMA)
        except sqlite3.OperationalError:
            raise  # busy or locked: the file is sound, only in use
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return None

    def _move_aside(self, path, reason):
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        aside = path.with_name(f"{FILE}.damaged-{stamp}")
        number = 1
        while _exists(aside):  # an earlier one of the same second is never overwritten
            aside = path.with_name(f"{FILE}.damaged-{stamp}-{number}")
            number += 1
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{path}{suffix}"):
                os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        message = (f"{path} was damaged ({reason}); moved aside to {aside.name}, and hidden runs, names, "
                   "notes, labels and trash records start afresh")
        say(message)
        self.notices.append(message)

    def _connect(self, path):
        conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 10000")
        return conn

    def check(self):
        """Open the file once, moving a damaged one aside; nothing is made when there is none."""
        with self._lock:
            self._check(self.path())

    def _check(self, path):
        if self._checked or not _exists(path):
            return
        try:
            with closing(self._connect(path)) as conn:
                reason = self._damage(conn)
        except sqlite3.OperationalError:
            return  # in use or unreadable just now: checked on the next request
        if reason:
            self._move_aside(path, reason)
        self._checked = True

    def _recover(self, path, exc):
        """A read found the file damaged while serving: move it aside once, and read nothing."""
        if isinstance(exc, sqlite3.OperationalError):
            raise exc
        with self._lock:
            if _exists(path):
                self._move_aside(path, str(exc))

    @contextmanager
    def _reading(self):
        """A connection to the file, or None when there is none yet."""
        try:
            path = self.path()
        except OSError:
            path = None
        if path is not None:
            with self._lock:
                self._check(path)
        if path is None or not _exists(path):
            yield None
            return
        with closing(self._connect(path)) as conn:
            yield conn

    @contextmanager
    def transaction(self):
        """A write transaction on the file, made (with its folder) if need be; one writer at a time."""
        try:
            path = self.path(create=True)
        except OSError as exc:
            raise StateUnwritable(f"the dashboard's state folder cannot be made: {exc}") from None
        with self._lock:
            self._check(path)
            try:
                conn = self._connect(path)
                conn.execute("PRAGMA application_id").fetchone()
            except sqlite3.OperationalError as exc:
                raise StateUnwritable(f"{path} cannot be opened for writing: {exc}") from None
            with closing(conn):
                reason = self._damage(conn)  # makes a new file a store (and checks one made by hand)
                if reason:
                    raise sqlite3.DatabaseError(f"{path}: {reason}")
                self._checked = True
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")

    # --- annotations ---------------------------------------------------------------------------

    def annotations(self):
        """{run: Annotation} of every run the user changed."""
        found = {}
        try:
            with self._reading() as conn:
                if conn is None or not _has_tables(conn):
                    return found
                for run, hidden, display_name, notes in conn.execute(
                        "SELECT run, hidden, display_name, notes FROM annotations"):
                    found[run] = Annotation(bool(hidden), display_name, notes)
                for run, label in conn.execute("SELECT run, label FROM labels ORDER BY run, label"):
                    found.setdefault(run, Annotation()).labels.append(label)
        except sqlite3.DatabaseError as exc:
            self._recover(self.path(), exc)
            return {}
        return found

    def annotation(self, run):
        return self.annotations().get(run, Annotation())

    def update(self, run, changes):
        """Apply `changes` (checked fields of Annotation) to `run`; the annotation as it is now."""
        with self.transaction() as conn:
            current = _annotation(conn, run)
            for key, value in changes.items():
                setattr(current, key, value)
            conn.execute(
                "INSERT INTO annotations (run, hidden, display_name, notes, changed) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (run) DO UPDATE SET hidden = excluded.hidden, display_name = excluded.display_name, "
                "notes = excluded.notes, changed = excluded.changed",
                (run, int(current.hidden), current.display_name, current.notes, time.time()))
            if "labels" in changes:
                conn.execute("DELETE FROM labels WHERE run = ?", (run,))
                conn.executemany("INSERT INTO labels (run, label) VALUES (?, ?)",
                                 [(run, label) for label in current.labels])
        return current

    # --- trash records -------------------------------------------------------------------------

    def trash(self):
        """Every trashed run, oldest first."""
        try:
            with self._reading() as conn:
                if conn is None or not _has_tables(conn):
                    return []
                rows = conn.execute("SELECT id, run, folder, trashed_at FROM trash ORDER BY id").fetchall()
        except sqlite3.DatabaseError as exc:
            self._recover(self.path(), exc)
            return []
        return [TrashRecord(*row) for row in rows]

    def trash_record(self, record_id):
        return next((record for record in self.trash() if record.id == record_id), None)


def _has_tables(conn):
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'trash'").fetchone() is not None


def _annotation(conn, run):
    row = conn.execute("SELECT hidden, display_name, notes FROM annotations WHERE run = ?", (run,)).fetchone()
    labels = [label for (label,) in conn.execute("SELECT label FROM labels WHERE run = ? ORDER BY label", (run,))]
    if row is None:
        return Annotation(labels=labels)
    return Annotation(bool(row[0]), row[1], row[2], labels)
