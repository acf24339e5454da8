"""The output object behind SummaryWriter: buffers one run's rows and commits them to its events file.

The writer checks each value and hands it to an ``add_*`` method here. The store
gives a tag its id and a value logged without a step the tag's next step, buffers
the row in its table's shape (schema.py) and commits the buffers in one
transaction per batch: when a buffer reaches ``max_queue`` rows, and at most
``flush_secs`` after a row arrived. Each commit keeps the tags' summaries and the
scalar buckets (pyramid.py) current, and a heartbeat tells readers that the
writer is alive.
"""

import itertools
import os
import secrets
import shlex
import sqlite3
import sys
import threading
import time
from dataclasses import astuple, dataclass, field, fields
from operator import attrgetter
from pathlib import Path

import numpy as np
import sqlite_utils

from . import journal, process, schema, summary_file, validate
from .errors import CommitError, LogDirError, RunInUseError
from .extremes import extremes
from .pyramid import COLUMNS as BUCKET_COLUMNS
from .pyramid import Buckets, Pyramid

HEARTBEAT_SECS = 5.0
#: How long a write waits for another connection's lock before giving up.
BUSY_TIMEOUT_SECS = 10.0
#: A flush that leaves the write-ahead log past this size checkpoints it and empties it, so
#: it stays bounded while readers keep reading (they would stop SQLite's own checkpoints
#: from ever starting the log over).
WAL_LIMIT_BYTES = 8 << 20
#: How long that checkpoint waits for the readers in the log to finish their snapshot.
WAL_CHECKPOINT_WAIT_SECS = 0.2

#: Rows one INSERT statement of a commit writes (see _insert_rows).
ROWS_PER_INSERT = 64
_MANY_SQL = {}  # table name -> its INSERT of ROWS_PER_INSERT rows
_SCALAR_ROW = schema.SCALARS.dtype()
_SUMMARY = schema.column_names(schema.TagSummary)
_UPDATE_SUMMARY = f"UPDATE tags SET {', '.join(f'{name} = ?' for name in _SUMMARY)} WHERE id = ?"
#: A TagState's tags row as the run's summary file holds it.
_SUMMARY_TAG_ROW = attrgetter(*summary_file.TAG_COLUMNS)


@dataclass
class TagState(schema.TagSummary, schema.TagName):
    """What the writer knows of a tag without reading it back: its tags row (the
    TagName fields, then the TagSummary ones), its incomplete buckets, and whether
    the file has its current name, kind and chart."""

    pyramid: Pyramid = field(default_factory=Pyramid)
    stored: bool = False

    def summary_row(self):
        """The tag's summary columns, then its id: the parameters of _UPDATE_SUMMARY."""
        return tuple(getattr(self, name) for name in _SUMMARY) + (self.id,)

    def reset(self):
        """Forget the summary and buckets (they are rebuilt from the stored points)."""
        for summary_field in fields(schema.TagSummary):
            setattr(self, summary_field.name, summary_field.default)
        self.pyramid = Pyramid()


def command_line():
    """The training script's command line, as a shell would take it."""
    argv = sys.argv if sys.argv and sys.argv[0] else ["python"]
    return shlex.join(argv)


def _connect(path):
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECS, check_same_thread=False)


def _database(conn, journal_mode):
    """The writer's settings on a connection to a file known to be ours (they write to it).
    ``journal_mode``: "wal", or "delete" where WAL is unsafe (journal.py)."""
    db = sqlite_utils.Database(conn)
    # NORMAL keeps a WAL file intact through a power cut; a rollback journal needs FULL for that
    db.execute(f"PRAGMA synchronous = {'NORMAL' if journal_mode == 'wal' else 'FULL'}")
    db.execute(f"PRAGMA journal_mode = {journal_mode.upper()}")
    return db


class RunStore:
    """One run's events file, opened for writing by one writer at a time.

    The ``add_*`` methods take values the writer has checked, except add_scalar's tag:
    the store checks a tag when it first sees it, so the hot path checks nothing twice.
    A tag that holds another kind is a ValueError. Any add_* may commit (see flush).
    """

    def __init__(self, run_dir, *, max_queue, flush_secs, purge_step=None, dated_by_values=False,
                 journal_mode=None):
        self.run_dir = Path(run_dir)
        #: At close, the run's start and end are its first and last value's wall time, not
        #: the clock's (an import of older logs: see SummaryWriter's dated_by_values).
        self.dated_by_values = dated_by_values
        self.path = self.run_dir / schema.EVENTS_FILE
        self.journal_mode = journal.resolve(self.run_dir, journal_mode)
        self._max_queue = max_queue
        self._flush_secs = flush_secs
        # Buffers of rows as tuples in their record's field order. Any thread may append;
        # a flush takes a prefix with one slice and one del (each atomic under the GIL),
        # so no row is lost.
        self._scalars = []  # schema.ScalarRow
        self._items = []  # the kind, then a row of its schema.VALUE_TABLES table (TextRow, ...)
        self._graphs = []  # schema.GraphRow
        self._hparams = []  # schema.HparamRow
        self._charts = []  # schema.ChartRow
        #: An add_* flushes once its buffer holds this many rows: max_queue, or 0 when the
        #: timer finds a flush due, so that the training thread commits (see _tick).
        self._flush_at = max_queue
        self._lock = threading.RLock()
        self._closed = False
        self._bg_error = None
        self._last_commit = time.monotonic()
        self._tags = {}  # tag -> TagState
        self._tags_by_id = {}
        self._scalar_ids = {}  # tag -> id, of the tags add_scalar has logged
        self._chart_ids = {}  # tag -> id, of the tags add_scalars has put on their chart
        self._next_steps = {}  # tag_id -> its next automatic step, until the next commit
        self._db, created = self._open()
        try:
            self._claim(created)
            schema.upgrade_schema(self._db)  # after the claim: no other writer is using it
            self._load_tags()
            self._load_run_summary()
            if purge_step is not None:
                self.purge(purge_step)
        except BaseException:
            self._db.close()
            raise
        self._save_summary_file()
        self._stop = threading.Event()
        self._timer = threading.Thread(target=self._tick, name=f"liteboard-flush {self.path}",
                                       daemon=True)
        self._timer.start()

    # -- adding values -------------------------------------------------------------------

    def add_scalar(self, tag, value, step, wall_time):
        """Buffer one number of ``tag``; ``step`` None is the tag's next step."""
        # The training loop's hot path: one dict lookup, one append, one comparison.
        try:
            tag_id = self._scalar_ids[tag]
        except (KeyError, TypeError):  # a tag not seen yet, or not a tag at all
            tag_id = self._scalar_ids[tag] = self._tag(tag, "scalar").id
        if step is None:
            step = self._next_step(tag_id)
        scalars = self._scalars
        scalars.append((tag_id, step, wall_time, value))
        if len(scalars) >= self._flush_at:
            self.flush()

    def add_scalar_rows(self, tag, steps, wall_times, values):
        """Buffer many numbers of ``tag`` at once, as add_scalar each in turn would: arrays of one
        length (int64 steps, float64 wall times and values) the writer has checked."""
        try:
            tag_id = self._scalar_ids[tag]
        except (KeyError, TypeError):
            tag_id = self._scalar_ids[tag] = self._tag(tag, "scalar").id
        scalars = self._scalars
        scalars += zip(itertools.repeat(tag_id, len(steps)), steps.tolist(), wall_times.tolist(),
                       values.tolist())
        if len(scalars) >= self._flush_at:
            self.flush()

    def add_scalars(self, chart, values, wall_time):
        """Buffer (tag, value, step) triples of tags drawn on one chart named ``chart``."""
        for tag, value, step in values:
            tag_id = self._chart_ids.get(tag)
            if tag_id is None:
                tag_id = self._chart_ids[tag] = self._tag(tag, "scalar", chart).id
            if step is None:
                step = self._next_step(tag_id)
            self._scalars.append((tag_id, step, wall_time, value))
        if len(self._scalars) >= self._flush_at:
            self.flush()

    def add_item(self, kind, tag, step, wall_time, *values):
        """Buffer one value of a tag of ``kind`` ("text", "image", ...): ``values`` are the
        columns of its table after wall_time; ``step`` None is the tag's next step."""
        tag_id = self._tag(tag, kind).id
        if step is None:
            step = self._next_step(tag_id)
        self._items.append((kind, tag_id, step, wall_time, *values))
        if len(self._items) >= self._flush_at:
            self.flush()

    def add_graph(self, wall_time, graph):
        """Buffer a graph definition (its JSON)."""
        self._graphs.append((None, wall_time, graph))

    def add_hparams(self, hparams, metrics):
        """Buffer the run's hyperparameters and metrics (dicts of name -> JSON); the names
        given replace their earlier values, the others stay."""
        self._hparams.extend([("hparam", name, value) for name, value in hparams.items()]
                             + [("metric", name, value) for name, value in metrics.items()])

    def add_charts(self, charts):
        """Buffer charts of the run's custom-scalars layout (schema.ChartRow tuples); a chart
        of the same category and title replaces the earlier one, the others stay."""
        self._charts.extend(charts)

    # -- tags ------------------------------------------------------------------------

    def _tag(self, tag, kind, chart=None):
        """The state of ``tag`` (checked and created on first use); ValueError if it holds
        another kind."""
        state = self._tags.get(validate.check_tag(tag))
        if state is None:
            with self._lock:
                state = self._tags.get(tag)
                if state is None:
                    state = TagState(id=max(self._tags_by_id, default=0) + 1, tag=tag,
                                     kind=kind, chart=chart)
                    self._register(state)
        if state.kind != kind:
            raise ValueError(f"tag '{tag}' already holds {state.kind} values, not {kind}")
        if chart is not None and state.chart != chart:
            state.chart = chart
            state.stored = False
        return state

    def has_tag(self, tag):
        """Whether the run holds ``tag`` (of any kind), logged before or buffered."""
        return tag in self._tags

    def _register(self, state):
        self._tags[state.tag] = state
        self._tags_by_id[state.id] = state

    def _next_step(self, tag_id):
        """The step for a value logged without one: one past the tag's last step, counting
        buffered values, then one more per call until the next commit."""
        step = self._next_steps.get(tag_id)
        if step is None:
            state = self._tags_by_id[tag_id]
            last = state.last_step
            buffered = self._scalars if state.kind == "scalar" else (
                row[1:3] for row in self._items)
            for row in buffered:
                if row[0] == tag_id and (last is None or row[1] > last):
                    last = row[1]
            step = 0 if last is None else last + 1
        self._next_steps[tag_id] = step + 1
        return step

    # -- opening ---------------------------------------------------------------------

    def _open(self):
        """The writer's database, and whether this process created the file."""
        try:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            _remove_stale_temporaries(self.run_dir)
            created = not self.path.exists() and self._create()
            conn = _connect(self.path)
            problem = schema.format_problem(conn)  # before any write: a foreign file stays as it is
            if not problem:
                return _database(conn, self.journal_mode), created
        except (OSError, sqlite3.Error) as exc:
            raise LogDirError(f"log_dir '{self.run_dir}' cannot be created or written: {exc}") from exc
        conn.close()
        raise LogDirError(f"log_dir '{self.run_dir}' holds {self.path.name} that liteboard "
                          f"cannot append to: {problem}")

    def _create(self):
        """Build the schema in a private file, then link it into place: readers never see half a
        file, and a kill after the link leaves a "running" run of a dead pid, a crashed one.
        True if this file is the one in place (False: another writer's came first)."""
        tmp = _temporary(self.run_dir, schema.EVENTS_FILE)
        db = _database(_connect(tmp), self.journal_mode)
        try:
            with db.atomic():
                schema.create_schema(db)
                now = time.time()
                run = schema.RunRow(
                    id=1, name=self.run_dir.name, status="running", start_time=now,
                    end_time=None, last_write=now, heartbeat_secs=HEARTBEAT_SECS,
                    host=process.host_name(), pid=os.getpid(), command=command_line())
                db.execute(schema.RUN.insert_sql, astuple(run))
        finally:
            db.close()
        try:
            os.link(tmp, self.path)  # fails if another writer created the run meanwhile
            return True
        except FileExistsError:
            return False
        except OSError:  # a filesystem without hard links
            if not self.path.exists():
                os.replace(tmp, self.path)
                return True
            return False
        finally:
            if tmp.exists():
                tmp.unlink()

    def _claim(self, created):
        """Mark the run as written by this process, unless another writer holds it that is
        not provably gone (``created``: this process just made the file, so it holds it)."""
        conn = self._db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            status, host, pid = conn.execute("SELECT status, host, pid FROM run").fetchone()
            if status == "running" and not created and not process.provably_gone(host, pid):
                if host == process.host_name():
                    raise RunInUseError(
                        f"run '{self.run_dir}' is already being written by pid {pid} on {host}; "
                        "close that SummaryWriter first or write to another log_dir")
                raise RunInUseError(
                    f"run '{self.run_dir}' was last written by pid {pid} on {host}, which "
                    f"cannot be proven gone from here; resume it on {host} or write to "
                    "another log_dir")
            conn.execute(
                "UPDATE run SET status = 'running', end_time = NULL, last_write = ?, "
                "heartbeat_secs = ?, host = ?, pid = ?, command = ?",
                (time.time(), HEARTBEAT_SECS, process.host_name(), os.getpid(), command_line()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _load_tags(self):
        """Know the file's tags, and go on with each scalar tag's buckets where the run stopped."""
        for row in self._db.query(f"SELECT {', '.join(schema.TAGS.columns)} FROM tags ORDER BY id"):
            state = TagState(**row, stored=True)
            self._register(state)
            if state.kind == "scalar" and state.count:
                state.pyramid = self._load_pyramid(state)

    def _reload_tags(self):
        """After a commit rolled back: each tag's summary and buckets as the file has them,
        and every tag to be written again, so the next flush commits the kept rows whole."""
        stored = {row["id"]: row for row in self._db.query(
            f"SELECT {', '.join(schema.TAGS.columns)} FROM tags")}
        for state in self._tags.values():
            state.reset()
            state.stored = False
            row = stored.get(state.id)
            if row is not None:
                for name in _SUMMARY:
                    setattr(state, name, row[name])
                if state.kind == "scalar" and state.count:
                    state.pyramid = self._load_pyramid(state)

    def _load_pyramid(self, state):
        """The tag's incomplete bucket of each level: its last points and stored buckets."""
        tails = []
        for level, length in enumerate(Pyramid.tail_lengths(state.count)):
            if not length:
                tails.append(Buckets.empty())
            elif level == 0:
                rows = self._db.execute(
                    f"{schema.SELECT_POINTS} WHERE tag_id = ? ORDER BY step DESC LIMIT ?",
                    (state.id, length)).fetchall()
                tails.append(Buckets.of_points(*schema.point_columns(rows[::-1])))
            else:
                rows = self._db.execute(
                    f"SELECT {', '.join(BUCKET_COLUMNS)} FROM scalar_buckets WHERE tag_id = ? "
                    "AND level = ? ORDER BY step_first DESC LIMIT ?",
                    (state.id, level - 1, length)).fetchall()
                tails.append(Buckets.of_rows(rows[::-1]))
        return Pyramid(state.count, tails)

    def purge(self, purge_step):
        """Forget every value at or after purge_step, as PyTorch does when a run resumes."""
        with self._lock, self._db.atomic():
            for table in schema.VALUE_TABLES.values():
                self._db.execute(f"DELETE FROM {table.name} WHERE step >= ?", (purge_step,))
            for state in list(self._tags.values()):
                if state.last_step is not None and state.last_step >= purge_step:
                    if state.kind == "scalar":
                        self._rebuild(state)
                    else:
                        self._recount_items(state)
            self._write_summaries(self._tags.values())
        with self._lock:
            self._save_summary_file()

    # -- committing ------------------------------------------------------------------

    def _pending(self):
        return bool(self._scalars or self._items or self._graphs or self._hparams or self._charts)

    def flush(self):
        """Commit everything buffered so far in one transaction."""
        with self._lock:
            self._flush_at = self._max_queue
            if self._bg_error is not None:
                error, self._bg_error = self._bg_error, None
                raise error
            if self._db is None:
                return
            buffers = (self._scalars, self._items, self._graphs, self._hparams, self._charts)
            taken = [_take(buffer) for buffer in buffers]
            try:
                with self._db.atomic():
                    self._commit(*taken)
            except BaseException as exc:
                for buffer, rows in zip(buffers, taken):
                    buffer[:0] = rows  # keep them for the next attempt
                self._reload_tags()
                # the next attempt comes after max_queue more rows or flush_secs, not every call
                self._flush_at = self._max_queue + max(map(len, buffers))
                if isinstance(exc, sqlite3.Error):
                    raise CommitError(
                        f"run '{self.run_dir}': {sum(map(len, taken))} values could not be "
                        f"committed to {self.path.name} ({exc}); they are kept, and the next "
                        "flush tries again") from exc
                raise
            self._last_commit = time.monotonic()
            self._next_steps.clear()
            self._hparam_values.update(((kind, name), value) for kind, name, value in taken[3])
            self._chart_values.update(((c, t), (kind, tags)) for c, t, kind, tags in taken[4])
            self._bound_wal()
            self._save_summary_file()

    def _bound_wal(self):
        """Checkpoint and empty the write-ahead log once it passes WAL_LIMIT_BYTES; if readers
        keep it busy past WAL_CHECKPOINT_WAIT_SECS, a later flush tries again."""
        try:
            if os.path.getsize(f"{self.path}-wal") <= WAL_LIMIT_BYTES:
                return
        except OSError:
            return
        conn = self._db.conn
        conn.execute(f"PRAGMA busy_timeout = {int(WAL_CHECKPOINT_WAIT_SECS * 1000)}")
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError:
            pass
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECS * 1000)}")

    def _commit(self, scalars, items, graphs, hparams, charts):
        new_tags = [s for s in self._tags.values() if not s.stored]
        if new_tags:
            names = schema.column_names(schema.TagName)
            self._db.table("tags").upsert_all(
                ({name: getattr(s, name) for name in names} for s in new_tags), pk="id")
            for state in new_tags:
                state.stored = True
        touched = self._commit_scalars(scalars) if scalars else []
        touched += self._commit_items(items) if items else []
        self._write_summaries(touched)
        self._db.conn.executemany(schema.GRAPHS.insert_sql, graphs)
        self._db.conn.executemany(schema.HPARAMS.insert_sql, hparams)
        self._db.conn.executemany(schema.CHARTS.insert_sql, charts)
        self._run.last_write = time.time()
        self._db.execute("UPDATE run SET last_write = ?", (self._run.last_write,))

    def _commit_scalars(self, rows):
        # The hot path goes straight to the connection's executemany: the buffered rows
        # already have the table's shape, and sqlite-utils' insert_all would build a dict
        # per row and re-inspect the table per batch, several times the cost of the insert.
        _insert_rows(self._db.conn, schema.SCALARS, rows)
        # fromiter: rows of known count convert faster than through np.array's shape discovery
        arr = np.fromiter(rows, dtype=_SCALAR_ROW, count=len(rows))
        bucket_rows, rebuild, touched = [], [], []
        for tag_id, part in _split_by_tag(arr):
            state = self._tags_by_id[tag_id]
            touched.append(state)
            step = part["step"]
            if (state.count and step[0] <= state.last_step) or np.any(step[1:] <= step[:-1]):
                rebuild.append(state)  # a step written again or out of order
            else:
                bucket_rows += self._append_points(state, step, part["wall_time"], part["value"])
        _insert_rows(self._db.conn, schema.SCALAR_BUCKETS, bucket_rows)
        for state in rebuild:
            self._rebuild(state)
        return touched

    def _append_points(self, state, step, wall_time, value):
        """Fold points appended after the tag's last step into its buckets and summary."""
        rows = []
        for level, first, done in state.pyramid.add(step, wall_time, value):
            rows += [(state.id, level, first + i) + row for i, row in enumerate(done.rows())]
        found = extremes(value)
        if found is not None:
            low, high = float(value[found[0]]), float(value[found[1]])
            if state.min is None or low < state.min:
                state.min, state.min_step = low, int(step[found[0]])
            if state.max is None or high > state.max:
                state.max, state.max_step = high, int(step[found[1]])
        if not state.count:
            state.first_step = int(step[0])
        state.count += len(step)
        state.last_step = int(step[-1])
        state.last = float(value[-1])
        return rows

    def _rebuild(self, state):
        """Recompute a tag's buckets and summary from its stored points."""
        self._db.execute("DELETE FROM scalar_buckets WHERE tag_id = ?", (state.id,))
        data = self._db.execute(f"{schema.SELECT_POINTS} WHERE tag_id = ? ORDER BY step",
                                (state.id,)).fetchall()
        state.reset()
        if data:
            step, wall_time, value = schema.point_columns(data)
            self._db.conn.executemany(schema.SCALAR_BUCKETS.insert_sql,
                                      self._append_points(state, step, wall_time, value))

    def _commit_items(self, items):
        touched = {}
        for kind, table in schema.VALUE_TABLES.items():
            rows = [row[1:] for row in items if row[0] == kind]
            if rows:
                self._db.conn.executemany(table.insert_sql, rows)
            for tag_id in {row[0] for row in rows}:
                touched[tag_id] = self._recount_items(self._tags_by_id[tag_id])
        return list(touched.values())

    def _recount_items(self, state):
        table = schema.VALUE_TABLES[state.kind].name
        state.count, state.first_step, state.last_step = self._db.execute(
            f"SELECT count(*), min(step), max(step) FROM {table} WHERE tag_id = ?",
            (state.id,)).fetchone()
        return state

    def _write_summaries(self, states):
        states = list(states)
        self._db.conn.executemany(_UPDATE_SUMMARY, [s.summary_row() for s in states])
        empty = [s for s in states if not s.count]
        self._db.conn.executemany("DELETE FROM tags WHERE id = ?", [(s.id,) for s in empty])
        for state in empty:
            state.stored = False  # written again if the tag gets new values

    # -- background: timed flushes and heartbeat ---------------------------------------

    def _tick(self):
        tick = min(max(self._flush_secs / 4, 0.05), 1.0)
        asked = float("-inf")
        while not self._stop.wait(tick):
            now = time.monotonic()
            try:
                if self._pending() and now - self._last_commit >= self._flush_secs:
                    if asked < self._last_commit:
                        # Ask the training thread to flush on its next add_* (a flush from
                        # here would fight it for the GIL row by row); if it has not come
                        # back within a tick, it is busy elsewhere: flush from here.
                        asked, self._flush_at = now, 0
                    elif now - asked >= tick:
                        self.flush()
                elif now - self._last_commit >= HEARTBEAT_SECS:
                    self._heartbeat(now)
            except Exception as exc:  # reported by the writer's next flush or close
                self._bg_error = exc
                self._stop.wait(self._flush_secs)

    def _heartbeat(self, now):
        with self._lock:
            if self._db is None:
                return
            try:
                self._run.last_write = time.time()
                self._db.execute("UPDATE run SET last_write = ?", (self._run.last_write,))
            except sqlite3.Error as exc:
                raise CommitError(f"run '{self.run_dir}': its heartbeat could not be written to "
                                  f"{self.path.name} ({exc})") from exc
            self._last_commit = now
            self._save_summary_file()

    # -- the summary file ------------------------------------------------------------

    def _load_run_summary(self):
        """Know what the run's summary file holds besides the tags: the run row, the hparams and
        the charts as the file has them when the writer opens it (the commits keep them)."""
        self._run = schema.RunRow(*self._db.execute(
            f"SELECT {', '.join(schema.RUN.columns)} FROM run").fetchone())
        self._hparam_values = {(kind, name): value for kind, name, value in self._db.execute(
            "SELECT kind, name, value FROM hparams")}
        self._chart_values = {(category, title): (kind, tags) for category, title, kind, tags
                              in self._db.execute("SELECT category, title, kind, tags FROM charts")}
        self._summary_tmp = _temporary(self.run_dir, schema.SUMMARY_FILE)

    def _save_summary_file(self):
        """Write the run's summary file (summary_file.py) from memory, with the files' state as
        the last commit left them; a disk that refuses it only leaves readers the slower path.
        Closing writes one, last, after the connection closed: the flush's would be replaced."""
        if self._closed and self._db is not None:
            return
        tags = sorted(_SUMMARY_TAG_ROW(s) for s in self._tags.values() if s.stored or s.count)
        hparams = sorted(((kind, name, value) for (kind, name), value in self._hparam_values.items()),
                         key=lambda row: row[1])
        charts = [(*key, *value) for key, value in sorted(self._chart_values.items())]
        data = summary_file.encode(self._run, tags, hparams, charts,
                                   summary_file.file_state(self.path))
        summary_file.write(self.run_dir, self._summary_tmp, data)

    # -- closing ---------------------------------------------------------------------

    def close(self):
        """Commit everything, mark the run finished and release the file (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._stop.set()
        if self._timer is not threading.current_thread():
            self._timer.join()
        with self._lock:
            try:
                self._bg_error = None
                try:
                    self.flush()
                    unwritten = None
                except CommitError as exc:  # still marked finished: the writer is gone
                    unwritten = exc.__cause__
                self._finish(unwritten)
            finally:
                self._db.close()
                self._db = None
                if self._run.status == "finished":  # last: closing may have emptied the log
                    self._save_summary_file()

    def _finish(self, unwritten):
        """Mark the run finished; then raise if values were lost (``unwritten``: why)."""
        lost = sum(map(len, (self._scalars, self._items, self._graphs, self._hparams, self._charts)))
        try:
            with self._db.atomic():
                now = time.time()
                self._db.execute("UPDATE run SET status = 'finished', end_time = ?, "
                                 "last_write = ?", (now, now))
                if self.dated_by_values:
                    dates = self._date_by_values()
            self._run.status, self._run.end_time, self._run.last_write = "finished", now, now
            if self.dated_by_values and dates is not None:
                self._run.start_time, self._run.end_time = dates
        except sqlite3.Error as exc:
            raise CommitError(f"run '{self.run_dir}' could not be marked finished in "
                              f"{self.path.name} ({exc}); {lost} values were not written") from exc
        self._leave_wal()
        if unwritten is not None:
            raise CommitError(f"run '{self.run_dir}' closed with {lost} values not written to "
                              f"{self.path.name} ({unwritten})") from unwritten

    def _date_by_values(self):
        """Set the run's start and end to its first and last value's wall time (if it has any)."""
        tables = [table.name for table in schema.VALUE_TABLES.values()] + [schema.GRAPHS.name]
        values = " UNION ALL ".join(f"SELECT wall_time FROM {name}" for name in tables)
        first, last = self._db.execute(
            f"SELECT min(wall_time), max(wall_time) FROM ({values})").fetchone()
        if first is None:
            return None
        self._db.execute("UPDATE run SET start_time = ?, end_time = ?", (first, last))
        return first, last

    def _leave_wal(self):
        """Put the finished run in rollback-journal mode, so a viewer who cannot write its
        directory (SQLite makes a -shm file there for a WAL file) can still read it. A reader
        holding the file open blocks the switch: retried for a second, then left in WAL."""
        for _ in range(20):
            try:
                self._db.execute("PRAGMA journal_mode = DELETE")
                return
            except sqlite3.OperationalError:
                time.sleep(0.05)


#: The files a writer makes under a temporary name first: the events file and its summary.
_TMP_PREFIXES = tuple(f".{name}." for name in (schema.EVENTS_FILE, schema.SUMMARY_FILE))


def _temporary(run_dir, name):
    """A private name in ``run_dir`` for a file to be moved into place as ``name``:
    ``.<name>.<host>.<pid>.<hex>.tmp``, which _remove_stale_temporaries recognises."""
    return run_dir / f".{name}.{process.host_name()}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def _remove_stale_temporaries(run_dir):
    """Delete the files a killed writer left under a _temporary name (the events file RunStore._create
    was building, with its journals, or a summary being written), whose creator is provably gone
    (a dead pid of this host)."""
    for prefix in _TMP_PREFIXES:
        for path in run_dir.glob(f"{prefix}*.tmp*"):
            parts = path.name[len(prefix):].rpartition(".tmp")[0].rsplit(".", 2)
            if (len(parts) == 3 and parts[1].isdigit()
                    and process.provably_gone(parts[0], int(parts[1]))):
                path.unlink(missing_ok=True)


def _take(buffer):
    """Remove and return the rows buffered so far (rows appended meanwhile stay)."""
    rows = buffer[:len(buffer)]
    del buffer[:len(rows)]
    return rows


def _insert_rows(conn, table, rows):
    """``table``'s insert_sql for each of ``rows`` in turn, ROWS_PER_INSERT rows a statement:
    a statement a row costs SQLite and the sqlite3 module half as much again."""
    whole = len(rows) - len(rows) % ROWS_PER_INSERT
    if whole:
        sql = _MANY_SQL.get(table.name)
        if sql is None:
            one = table.insert_sql[table.insert_sql.rindex("VALUES (") + len("VALUES "):]
            sql = _MANY_SQL[table.name] = table.insert_sql.replace(one, ", ".join([one] * ROWS_PER_INSERT))
        width = len(table.columns) * ROWS_PER_INSERT
        flat = list(itertools.chain.from_iterable(itertools.islice(rows, whole)))
        conn.executemany(sql, [flat[at:at + width] for at in range(0, len(flat), width)])
    conn.executemany(table.insert_sql, rows[whole:])


def _split_by_tag(arr):
    """(tag_id, rows) groups of a batch, each group's rows in arrival order."""
    tags = arr["tag_id"]
    if tags[0] == tags[-1] and np.all(tags == tags[0]):
        return [(int(tags[0]), arr)]
    order = np.argsort(tags, kind="stable")
    arr = arr[order]
    tags = arr["tag_id"]
    starts = np.flatnonzero(np.concatenate(([True], tags[1:] != tags[:-1])))
    ends = np.concatenate((starts[1:], [len(arr)]))
    return [(int(tags[a]), arr[a:b]) for a, b in zip(starts, ends)]
