"""The run index: what the run lists show of every run, kept between requests and restarts.

Listing runs by opening every file took seconds a request at 10,000 runs. The index keeps each
run's summary (its RunInfo as JSON, and the columns lists sort and filter by) in `index.sqlite`,
a file of the dashboard's own in the logdir's state folder (a cache folder when the logdir cannot
be written, memory when neither can), and reads a run again only when its files changed
(scan.py). It is a cache: a deleted, damaged or older index is rebuilt from the runs. Run files
are only ever opened read-only, by the tracker's reader.

Every change (a run new, changed, vanished, annotated, or given another colour) takes the next
generation number, and each answer carries a token naming the generation it saw: a client that
sends it back as `since` gets only what changed after it, a few hundred bytes when nothing did.

Small logdirs are scanned on every request, so a run written a moment ago is listed at once;
past SYNC_SCAN_RUNS runs whose walk takes longer than SYNC_SCAN_SECS, a background thread
rescans every reload interval while requests keep coming, and requests answer from the index
without waiting.
"""

import json
import os
import secrets
import sqlite3
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

import orjson
import re2

import tracker
from dashboard.runs import scan, summary
from dashboard.runs.colors import PALETTE
from tracker.interop import tb_files

FILE = "index.sqlite"
APPLICATION_ID = 0x6C626978  # "lbix"
VERSION = 2
#: A logdir of at most this many runs, or whose walk takes less than this, is scanned by the
#: request that needs the index; a bigger one in the background.
SYNC_SCAN_RUNS = 500
SYNC_SCAN_SECS = 0.05
#: The background scanner stops this long after the last request, and starts again with the next.
IDLE_SECS = 120.0
#: A first build commits its first runs after this many, then every CHUNK, so pages fill as it goes.
FIRST_CHUNK = 200
CHUNK = 5_000
#: Tombstones of vanished runs kept for `since` answers; a token older than the oldest is answered in full.
REMOVED_KEPT = 100_000

SCHEMA = f"""
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {VERSION};
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE runs (
    name TEXT PRIMARY KEY,
    state TEXT,
    info TEXT NOT NULL,
    status TEXT NOT NULL,
    start_unknown INTEGER NOT NULL,
    start_time REAL,
    duration REAL,
    steps INTEGER,
    last_step INTEGER,
    color INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL);
CREATE INDEX runs_by_start ON runs (start_unknown, start_time, name);
CREATE INDEX runs_by_change ON runs (changed);
CREATE TABLE run_tags (run TEXT NOT NULL, tag TEXT NOT NULL, kind TEXT NOT NULL, last REAL,
                       PRIMARY KEY (run, tag)) WITHOUT ROWID;
CREATE INDEX run_tags_by_tag ON run_tags (tag, last);
CREATE TABLE removed (name TEXT PRIMARY KEY, generation INTEGER NOT NULL) WITHOUT ROWID;
"""

#: The meta table's keys and first values: `complete` is 1 once a scan of the whole logdir ended
#: (a server stopped during its first build leaves 0, and the next one builds on what it kept).
META = {"instance": None, "generation": 0, "oldest": 0, "walk_seconds": 0.0, "scan_seconds": 0.0, "complete": 0}

SORTS = ("name", "status", "start_time", "duration", "steps", "last_step")
#: Statuses a run can leave without its files changing (its writer stops or resumes beating).
LIVE = ("running", "stalled", "error")


def say(message):
    print(f"liteboard: {message}", file=sys.stderr, flush=True)


@dataclass
class Query:
    """What a run list asks for: filters, order and page, and the token of its last answer."""

    regex: object = None          # a compiled RE2 pattern, matched against names and display names
    sort: str = "name"            # one of SORTS, or "tag:<tag>" (the tag's last value)
    desc: bool = False
    offset: int = 0
    limit: int | None = None
    since: str | None = None
    show_hidden: bool = False
    label: str | None = None
    tags: bool = True             # each run's per-tag summaries (the heavy part of an answer)


def _row(found, info):
    """The runs row of a run read from its files, and its run_tags rows."""
    data = info.to_dict()
    data.update(duration=summary.duration(info), steps=summary.steps(info), last_step=summary.last_step(info))
    start = info.start_time
    unknown = start is None or start != start or start in (float("inf"), float("-inf"))
    # orjson is many times quicker, but writes a NaN (a tag's last value) or an infinity as null:
    # its text reads back equal to the data exactly when the data held none (a check at C speed).
    text = orjson.dumps(data)
    text = text.decode() if orjson.loads(text) == data else json.dumps(data)
    row = (found.name, found.state if info.status != "error" else None, text, info.status,
           int(unknown), None if unknown else start, data["duration"], data["steps"], data["last_step"])
    tags = [(found.name, t.tag, t.kind, t.last if t.kind == "scalar" else None) for t in info.tags.values()]
    return row, tags


def run_info(data):
    """A RunInfo again from its stored JSON (for the pages that compute over RunInfos)."""
    names = {f.name for f in fields(tracker.RunInfo)}
    info = tracker.RunInfo(**{key: value for key, value in data.items() if key in names})
    info.tags = {tag: tracker.TagInfo(**tag_info) for tag, tag_info in info.tags.items()}
    return info


class RunIndex:
    """The index of the runs of `logdirs` ({name: path}, {"": path} for one logdir), kept in the
    SQLite file at `path` (None: in memory)."""

    def __init__(self, logdirs, path, interval=5.0):
        self.logdirs = dict(logdirs)
        self.path = Path(path) if path is not None else None
        self.interval = interval
        self._lock = threading.RLock()      # the connection: every read and write of the index
        self._scanning = threading.RLock()  # one scan at a time
        self._counts = {}                   # (filters, their arguments, generation) -> matched count
        self._matches = {}                  # (pattern, display names, roster) -> (condition, names)
        self._names = None                  # (roster key, names, their UTF-8), see _roster
        self._roster_version = 0            # moves on when runs come or go
        self._thread = None
        self._wanted = 0.0                  # when a request last asked for the index
        self._scan_started = -1.0
        self._recolor_due = False           # runs came, went or moved their start: colours are dealt again
        self.building = False               # a first build is under way (answers hold part of the runs)
        self._first_chunk = None
        self._build_error = None
        self._told = None                   # the TensorBoard directories this server kept and told of
        self._listings = scan.Listings()    # the directories as the last walk listed them
        self.conn = self._open()

    # --- the file --------------------------------------------------------------------------------

    def _open(self):
        if self.path is not None:
            try:
                conn = self._connect(self.path)
                if conn is not None:
                    return conn
            except (OSError, sqlite3.Error) as exc:
                say(f"the run index cannot be kept in {self.path} ({exc}); it is kept in memory")
            self.path = None
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.executescript(SCHEMA)
        self._start(conn)
        return conn

    def _connect(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(2):
            conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
            problem = self._problem(conn)
            if problem is None:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = OFF")  # a cache: a lost write is rebuilt
                conn.execute("PRAGMA journal_size_limit = 8388608")  # a first build's log, cut back once checkpointed
                self._inode = os.stat(path).st_ino
                return conn
            conn.close()
            if attempt:
                raise sqlite3.DatabaseError(problem)
            say(f"the run index {path} is {problem}; it is rebuilt from the runs")
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.remove(f"{path}{suffix}")
                except FileNotFoundError:
                    pass
        return None

    def _problem(self, conn):
        """Why `conn`'s file is no usable index (None: it is one, made now if it was empty)."""
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id == 0 and not conn.execute("SELECT 1 FROM sqlite_master").fetchone():
                conn.execute("BEGIN IMMEDIATE")  # another server may be making it this moment
                if not conn.execute("SELECT 1 FROM sqlite_master").fetchone():
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    self._start(conn)
                conn.execute("COMMIT")
                return None
            if app_id != APPLICATION_ID:
                return "not a liteboard run index"
            if version != VERSION:
                return f"of another version ({version}, this liteboard keeps version {VERSION})"
            # No integrity check here: it reads the whole file (a second at 100,000 runs); damage
            # found later is handled where it is met (RunIndex.current).
            keys = {key for (key,) in conn.execute("SELECT key FROM meta")}
            return None if keys >= set(META) else "damaged (its meta table is incomplete)"
        except sqlite3.DatabaseError as exc:
            return f"damaged ({exc})"

    @staticmethod
    def _start(conn):
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                         [(key, secrets.token_hex(6) if key == "instance" else value) for key, value in META.items()])

    def _meta(self, key):
        return self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]

    def _replaced(self):
        """True when the index file was deleted or replaced while serving: it is opened anew."""
        if self.path is None:
            return False
        try:
            return os.stat(self.path).st_ino != self._inode
        except OSError:
            return True

    def _discard(self, reason):
        """Start the index afresh: its file was removed or is damaged (it is only a cache)."""
        say(f"the run index {self.path or '(in memory)'} was {reason}; it is rebuilt from the runs")
        self.conn.close()
        self._names = self._told = None  # of the file that is gone
        if self.path is not None and os.path.exists(self.path) and not self._replaced():
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.remove(f"{self.path}{suffix}")
                except FileNotFoundError:
                    pass
        self.conn = self._open()

    def close(self):
        with self._lock:
            self.conn.close()

    # --- keeping it current ----------------------------------------------------------------------

    def current(self):
        """Bring the index up to date for a request: at once for a logdir that scans quickly,
        else by the background scanner (started here), answering from what the index holds.
        A first build answers as soon as its first FIRST_CHUNK runs are in, and goes on."""
        asked = self._wanted = time.monotonic()
        with self._lock:
            if self._replaced():
                self._discard("removed")
            try:
                walk_seconds = self._meta("walk_seconds")
                count = self.conn.execute("SELECT count(*) FROM runs").fetchone()[0]
                built = self._meta("complete")
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError as exc:
                self._discard(f"damaged ({exc})")
                walk_seconds, count, built = 0.0, 0, False
        if self.building or not built:
            self._first_build()
        elif count <= SYNC_SCAN_RUNS or walk_seconds < SYNC_SCAN_SECS:
            with self._scanning:
                if self._scan_started < asked:  # no scan began since this request came
                    self._refresh()
        else:
            self._start_scanner()

    def _first_build(self):
        """Start the first build (once, however many requests ask) and wait for its first runs;
        a build that failed before any is raised to the request, as a failed scan would be."""
        with self._lock:
            if not self.building:
                self.building, self._build_error = True, None
                self._first_chunk = threading.Event()
                threading.Thread(target=self._build, name="liteboard-run-index-build", daemon=True).start()
            first_chunk = self._first_chunk
        first_chunk.wait()
        if self._build_error is not None:
            raise self._build_error

    def _build(self):
        try:
            self.refresh()
        except Exception as exc:  # handed to the requests waiting (the next request tries again)
            self._build_error = exc
        finally:
            self.building = False
            self._first_chunk.set()

    def _start_scanner(self):
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._scan_while_wanted, name="liteboard-run-index",
                                            daemon=True)
            self._thread.start()

    def _scan_while_wanted(self):
        while time.monotonic() - self._wanted < IDLE_SECS:
            started = time.monotonic()
            try:
                self.refresh()
            except Exception as exc:  # the scanner must outlive one bad scan; the next may succeed
                say(f"scanning the logdir failed ({type(exc).__name__}: {exc}); trying again")
            took = time.monotonic() - started
            time.sleep(max(self.interval, 2 * took))

    def refresh(self):
        """Scan the logdirs once: read new and changed runs, drop vanished ones. The generation
        moves on only when something changed."""
        with self._scanning:
            self._refresh()

    def _refresh(self):
        started = self._scan_started = time.monotonic()
        with self._lock:
            known = {name: (state, status) for name, state, status in
                     self.conn.execute("SELECT name, state, status FROM runs")}
        seen, stale, chunk, applying, tensorboard = set(), [], FIRST_CHUNK, 0.0, {}
        for found in scan.walk(self.logdirs, tensorboard, self._listings):
            seen.add(found.name)
            old = known.get(found.name)
            if old is None or found.state is None or old[0] != found.state or old[1] in LIVE:
                stale.append(found)
            if len(stale) >= chunk and self.building:  # a first build shows its runs as it goes
                applying -= time.monotonic()
                self._apply([(f, scan.read_info(f)) for f in stale], [], known, final=False)
                applying += time.monotonic()
                stale, chunk = [], CHUNK
                self._first_chunk.set()
        walked = time.monotonic() - started - applying
        vanished = [name for name in known if name not in seen]
        read = [(f, scan.read_info(f)) for f in stale]
        with self._lock:
            self._apply(read, vanished, known)
            self.conn.executemany("UPDATE meta SET value = ? WHERE key = ?",
                                  [(walked, "walk_seconds"), (time.monotonic() - started, "scan_seconds"),
                                   (1, "complete")])
            tensorboard = {name: dirs for name, dirs in tensorboard.items() if dirs}
            if tensorboard != self._told:  # kept, and said on the terminal, when it changed
                self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('tensorboard', ?)", (json.dumps(tensorboard),))
                for name, dirs in tensorboard.items():
                    say(tb_files.notice(self.logdirs[name], dirs))
                self._told = tensorboard

    def tensorboard_dirs(self):
        """{logdir name: [directory]} of the directories of TensorBoard event files that are no
        run, as the last whole scan found them (relative to their logdir)."""
        with self._lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'tensorboard'").fetchone()
        return {} if row is None else json.loads(row[0])

    def _apply(self, read, vanished, known, final=True):
        """Write what a scan read; `final`: the scan's last part (vanished runs, the tombstones)."""
        rows, tags, states = [], [], []
        with self._lock:
            conn = self.conn
            generation = self._meta("generation") + 1
            old = {}
            if any(f.name in known for f, _ in read):
                old = {name: (info, status, start) for name, info, status, start in conn.execute(
                    "SELECT name, info, status, start_time FROM runs WHERE name IN (SELECT value FROM json_each(?))",
                    (json.dumps([f.name for f, _ in read if f.name in known]),))}
            for found, info in read:
                row, run_tags = _row(found, info)
                before = old.get(found.name)
                if before is not None and before[:2] == (row[2], row[3]):  # nothing a list shows changed
                    if known[found.name][0] != row[1]:
                        states.append((row[1], found.name))
                    continue
                if before is None:
                    self._roster_version += 1
                if before is None or before[2] != row[5]:
                    self._recolor_due = True  # a run new to the index, or its start moved
                rows.append((*row, generation))
                tags.extend(run_tags)
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany("UPDATE runs SET state = ? WHERE name = ?", states)
                if rows or vanished:
                    self._recolor_due = self._recolor_due or bool(vanished)
                    self._roster_version += bool(vanished)
                    names = [(row[0],) for row in rows]
                    # A run keeps its colour when read again. Colours are dealt at a scan's end; a
                    # first build's earlier parts take their place in the walk meanwhile (dealing
                    # them by start at every part would cost 6 s of a 100,000-run build), so the
                    # runs on screen are told apart at once.
                    base = conn.execute("SELECT count(*) FROM runs").fetchone()[0]
                    conn.executemany(
                        "INSERT INTO runs (name, state, info, status, start_unknown, start_time, duration, steps, "
                        "last_step, changed, color) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO "
                        "UPDATE SET state = excluded.state, info = excluded.info, status = excluded.status, "
                        "start_unknown = excluded.start_unknown, start_time = excluded.start_time, "
                        "duration = excluded.duration, steps = excluded.steps, last_step = excluded.last_step, "
                        "changed = excluded.changed",
                        [(*row, base + i) for i, row in enumerate(rows)])
                    conn.executemany("DELETE FROM run_tags WHERE run = ?", names + [(name,) for name in vanished])
                    conn.executemany("INSERT INTO run_tags VALUES (?, ?, ?, ?)", tags)
                    conn.executemany("DELETE FROM removed WHERE name = ?", names)
                    conn.executemany("DELETE FROM runs WHERE name = ?", [(name,) for name in vanished])
                    conn.executemany("INSERT OR REPLACE INTO removed VALUES (?, ?)",
                                     [(name, generation) for name in vanished])
                    conn.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (generation,))
                if final and self._recolor_due:
                    self._recolor(self._meta("generation") + 1)
                    self._prune_removed()
                    self._recolor_due = False
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _recolor(self, generation):
        """Colours follow the order runs started in (colors.py): a run that started before others
        (an import, a restored run) shifts theirs, and each shifted run counts as changed, in
        `generation` (the index's, from then on, if any did)."""
        moved = self.conn.execute(
            "UPDATE runs SET color = ranked.rank, changed = ? FROM (SELECT name, ROW_NUMBER() OVER "
            "(ORDER BY start_unknown, start_time, name) - 1 AS rank FROM runs) AS ranked "
            "WHERE runs.name = ranked.name AND runs.color != ranked.rank", (generation,)).rowcount
        if moved:
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (generation,))

    def _prune_removed(self):
        count = self.conn.execute("SELECT count(*) FROM removed").fetchone()[0]
        if count > REMOVED_KEPT:
            cut = self.conn.execute("SELECT generation FROM removed ORDER BY generation DESC LIMIT 1 OFFSET ?",
                                    (REMOVED_KEPT,)).fetchone()[0]
            self.conn.execute("DELETE FROM removed WHERE generation <= ?", (cut,))
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'oldest'", (cut,))

    def touch(self, name):
        """`name`'s annotations changed (hidden, renamed, labelled): clients polling see it again."""
        with self._lock:
            generation = self._meta("generation") + 1
            self.conn.execute("UPDATE runs SET changed = ? WHERE name = ?", (generation, name))
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (generation,))

    # --- reading ---------------------------------------------------------------------------------

    def token(self):
        with self._lock:
            return f"{self._meta('instance')}.{self._meta('generation')}"

    def _since(self, token):
        """The generation a token of this index names, or None (another index's, or too old)."""
        instance, _, generation = (token or "").partition(".")
        if instance != self._meta("instance") or not generation.isdigit():
            return None
        generation = int(generation)
        if generation < self._meta("oldest") or generation > self._meta("generation"):
            return None
        return generation

    def names(self):
        with self._lock:
            return [name for (name,) in self.conn.execute("SELECT name FROM runs ORDER BY name")]

    def infos(self, names=None):
        """The RunInfos of `names` (every run when None), in name order; unknown names are left out."""
        with self._lock:
            if names is None:
                rows = self.conn.execute("SELECT info FROM runs ORDER BY name").fetchall()
            else:
                rows = self.conn.execute("SELECT info FROM runs WHERE name IN (SELECT value FROM json_each(?)) "
                                         "ORDER BY name", (json.dumps(list(names)),)).fetchall()
        return [run_info(json.loads(info)) for (info,) in rows]

    def colors(self, names=None):
        """{name: colour} of `names` (every run when None)."""
        with self._lock:
            if names is None:
                rows = self.conn.execute("SELECT name, color FROM runs")
            else:
                rows = self.conn.execute("SELECT name, color FROM runs WHERE name IN (SELECT value FROM json_each(?))",
                                         (json.dumps(list(names)),))
            return {name: PALETTE[color % len(PALETTE)] for name, color in rows}

    def summaries(self, names):
        """The run list summaries (as /api/runs gives them, before annotations) of `names`, by name."""
        with self._lock:
            rows = self.conn.execute("SELECT info, color FROM runs WHERE name IN (SELECT value FROM json_each(?))",
                                     (json.dumps(list(names)),)).fetchall()
        return {run["name"]: run for run in (_summary(info, color, True) for info, color in rows)}

    def listing(self, query, annotations):
        """The answer to a run list request: one page of run summaries (or, with a valid `since`,
        the runs changed after it and the names of those gone), with the counts beside them.
        `annotations` is the user's {name: Annotation} (dashboard.manage.store)."""
        hidden = [name for name, a in annotations.items() if a.hidden]
        display = {name: a.display_name for name, a in annotations.items() if a.display_name}
        where, args = ["1"], []
        if not query.show_hidden and hidden:
            where.append("runs.name NOT IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(hidden))
        if query.label is not None:
            where.append("runs.name IN (SELECT value FROM json_each(?))")
            args.append(json.dumps([name for name, a in annotations.items() if query.label in a.labels]))
        with self._lock:
            if query.regex is not None:
                condition, names = self._matching(query.regex, display)
                where.append(condition)
                args.append(names)
            filters = " AND ".join(where)
            generation = self._meta("generation")
            token = f"{self._meta('instance')}.{generation}"
            since = self._since(query.since) if query.since else None
            total = self.conn.execute("SELECT count(*) FROM runs").fetchone()[0]
            matched = self._matched(filters, args, generation)
            existing = {name for (name,) in self.conn.execute(
                "SELECT name FROM runs WHERE name IN (SELECT value FROM json_each(?))",
                (json.dumps(list(annotations)),))}
            answer = {"token": token, "total": total, "matched": matched, "indexing": self.building,
                      "hidden_count": sum(1 for name in hidden if name in existing),
                      "labels": dict(sorted(Counter(label for name, a in annotations.items() if name in existing
                                                    for label in a.labels).items()))}
            if since is not None:
                answer.update(self._delta(filters, args, query, since), delta=True)
            else:
                answer.update(self._page(filters, args, query), delta=False, offset=query.offset,
                              limit=query.limit)
        return answer

    def _matching(self, regex, display):
        """The condition (SQL, and its one argument) of the runs `regex` finds in their name or
        display name: in the list of those names, or when most match, not in that of the others.
        Matched once per pattern while the index holds the same runs, by one RE2 set over every
        name: an SQLite function calling RE2 row by row took a second at 100,000 runs, this a
        tenth of that."""
        roster, names, encoded = self._roster()
        key = (regex.pattern, regex.options.case_sensitive, tuple(sorted(display.items())), roster)
        if key not in self._matches:
            matcher = re2.Set.SearchSet(regex.options)
            matcher.Add(regex.pattern)
            matcher.Compile()
            hits = {name for name, text in zip(names, encoded) if matcher.Match(text)}
            hits.update(name for name, shown in display.items() if matcher.Match(shown.encode()))
            if len(self._matches) >= 16:
                self._matches.pop(next(iter(self._matches)))
            if len(hits) * 2 <= len(names):
                self._matches[key] = ("runs.name IN (SELECT value FROM json_each(?))", json.dumps(sorted(hits)))
            else:
                self._matches[key] = ("runs.name NOT IN (SELECT value FROM json_each(?))",
                                      json.dumps([name for name in names if name not in hits]))
        return self._matches[key]

    def _roster(self):
        """Every run's name, and its UTF-8 bytes (as RE2 takes it), read again only when runs
        came or went here or another server (sharing the index file) wrote to it."""
        key = (self._roster_version, self.conn.execute("PRAGMA data_version").fetchone()[0])
        if self._names is None or self._names[0] != key:
            names = [name for (name,) in self.conn.execute("SELECT name FROM runs")]
            self._names = (key, names, [name.encode() for name in names])
            self._matches.clear()
        return self._names

    def _matched(self, filters, args, generation):
        key = (filters, tuple(args), generation)
        if key not in self._counts:
            if len(self._counts) > 64:
                self._counts.clear()
            self._counts[key] = self.conn.execute(f"SELECT count(*) FROM runs WHERE {filters}", args).fetchone()[0]
        return self._counts[key]

    def _page(self, filters, args, query):
        join, order_args = "", []
        direction = "DESC" if query.desc else "ASC"
        if query.sort == "name":
            order = f"runs.name {direction}"
        elif query.sort.startswith("tag:"):
            join = "LEFT JOIN run_tags AS t ON t.run = runs.name AND t.tag = ?"
            order_args = [query.sort[4:]]
            order = f"t.last IS NULL, t.last {direction}, runs.name"
        else:
            order = f"runs.{query.sort} IS NULL, runs.{query.sort} {direction}, runs.name"
        limit = -1 if query.limit is None else query.limit
        rows = self.conn.execute(
            f"SELECT runs.info, runs.color FROM runs {join} WHERE {filters} ORDER BY {order} LIMIT ? OFFSET ?",
            [*order_args, *args, limit, query.offset]).fetchall()
        return {"runs": [_summary(info, color, query.tags) for info, color in rows]}

    def _delta(self, filters, args, query, since):
        # Sorted here: an ORDER BY would walk the whole table by name instead of runs_by_change.
        rows = sorted(self.conn.execute(
            f"SELECT runs.name, runs.info, runs.color, {filters} FROM runs WHERE runs.changed > ?",
            [*args, since]).fetchall())
        runs = [_summary(info, color, query.tags) for name, info, color, matches in rows if matches]
        gone = [name for name, _, _, matches in rows if not matches]
        gone += [name for (name,) in self.conn.execute(
            "SELECT name FROM removed WHERE generation > ? ORDER BY name", (since,))]
        return {"runs": runs, "removed": sorted(gone)}


def _summary(info, color, tags):
    data = json.loads(info)
    data["color"] = PALETTE[color % len(PALETTE)]
    if not tags:
        del data["tags"]
    return data
