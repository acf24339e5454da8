"""Read-only access to the runs under a logdir: what the dashboard calls.

Files are opened through ``file:...?mode=ro`` URIs, so reading never changes
them, even while a writer appends (WAL mode gives each read a consistent
snapshot). A file that cannot be read is reported for its run alone.
"""

import copy
import json
import os
import sqlite3
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from . import arrays, downsample, pr_curve, process, schema, summary_file
from .errors import RunNotFoundError, TagNotFoundError, UnreadableRunError


@dataclass
class _Tag:
    tag: str
    kind: str


@dataclass
class TagInfo(schema.TagSummary, _Tag):
    """A tag's kind, chart group and summary (schema.TagSummary: the value fields are for
    scalars only). Its fields are tag, kind, the summary's, then chart."""

    chart: str | None = None

    def to_dict(self):
        # Every field is a plain value: no need for asdict's recursive deep copy (most of the
        # cost of listing 10,000 runs).
        return {name: getattr(self, name) for name in _TAG_COLUMNS}


_TAG_COLUMNS = tuple(f.name for f in fields(TagInfo))
_SUMMARY_COLUMNS = schema.column_names(schema.TagSummary)
_SELECT_TAGS = f"SELECT {', '.join(_TAG_COLUMNS)} FROM tags ORDER BY tag"
_SELECT_HPARAMS = "SELECT kind, name, value FROM hparams ORDER BY name"
_SELECT_CHARTS = "SELECT category, title, kind, tags FROM charts ORDER BY category, title"


@dataclass
class RunInfo:
    """A run's metadata and tag summaries, as listed without reading any series."""

    name: str
    path: str
    status: str
    error: str | None = None
    start_time: float | None = None
    end_time: float | None = None
    last_write: float | None = None
    host: str | None = None
    pid: int | None = None
    command: str = ""
    hparams: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)   # the metric dict given to add_hparams
    tags: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)   # the custom-scalars layout (Run.custom_charts)
    problems: list = field(default_factory=list)  # fields of this run that could not be read, left out

    def to_dict(self):
        """A JSON-able copy, as asdict would give, without its recursive deep copy: plain values
        as they are, the containers copied."""
        data = {name: getattr(self, name) for name in _RUN_FIELDS}
        data.update(hparams=dict(self.hparams), metrics=dict(self.metrics), problems=list(self.problems),
                    charts=copy.deepcopy(self.charts) if self.charts else {},
                    tags={name: info.to_dict() for name, info in self.tags.items()})
        return data


_RUN_FIELDS = tuple(f.name for f in fields(RunInfo))


@dataclass
class Series:
    """A tag's points as arrays; ``total`` counts every point logged in the requested range."""

    step: np.ndarray
    wall_time: np.ndarray
    value: np.ndarray
    total: int
    downsampled: bool = False

    def __len__(self):
        return len(self.step)


@dataclass
class Histogram:
    """One logged histogram: bucket i holds edges[i] <= x < edges[i + 1] (the last bucket its
    right edge too) of the finite values; min, max, sum and sum_squares are theirs; count
    is of every value, the NaN and infinities counted apart."""

    step: int
    wall_time: float
    count: int
    min: float
    max: float
    sum: float
    sum_squares: float
    nan_count: int
    neg_inf_count: int
    pos_inf_count: int
    edges: np.ndarray
    counts: np.ndarray

    @classmethod
    def of_row(cls, row):
        """From a histograms row without its tag_id."""
        *fields_, edges, counts = row
        return cls(*fields_, np.frombuffer(edges, schema.HISTOGRAM_ARRAY),
                   np.frombuffer(counts, schema.HISTOGRAM_ARRAY))

    def to_dict(self):
        data = asdict(self)
        data["edges"], data["counts"] = self.edges.tolist(), self.counts.tolist()
        return data


@dataclass
class HistogramColumns:
    """A tag's histograms at once, as arrays: per histogram its step, wall_time, min, max
    (NaN where no finite value was logged) and bucket count (``sizes``); the edges and counts of
    all of them end to end (a histogram of n buckets has n + 1 edges). What a chart over many
    steps needs, without an object per histogram."""

    step: np.ndarray
    wall_time: np.ndarray
    min: np.ndarray
    max: np.ndarray
    sizes: np.ndarray
    edges: np.ndarray
    counts: np.ndarray

    COLUMNS = ("step", "wall_time", "min", "max", "edges", "counts")

    @classmethod
    def of_rows(cls, rows):
        """From (step, wall_time, min, max, edges blob, counts blob) rows."""
        steps, walls, lows, highs, edges, counts = zip(*rows) if rows else ((),) * 6
        return cls(np.array(steps, np.int64), np.array(walls, np.float64),
                   np.array(lows, np.float64), np.array(highs, np.float64),
                   np.array([len(c) for c in counts], np.int64) // schema.HISTOGRAM_ARRAY.itemsize,
                   np.frombuffer(b"".join(edges), schema.HISTOGRAM_ARRAY),
                   np.frombuffer(b"".join(counts), schema.HISTOGRAM_ARRAY))

    @classmethod
    def of(cls, histograms):
        """From Histogram objects."""
        return cls.of_rows([(h.step, h.wall_time, h.min, h.max,
                             np.asarray(h.edges, schema.HISTOGRAM_ARRAY).tobytes(),
                             np.asarray(h.counts, schema.HISTOGRAM_ARRAY).tobytes()) for h in histograms])


def _check_max_steps(max_steps):
    if max_steps is not None and (isinstance(max_steps, bool)
                                  or not isinstance(max_steps, int) or max_steps < 1):
        raise ValueError(f"max_steps must be a positive int, got {max_steps!r}")


def _empty_series():
    return Series(np.empty(0, np.int64), np.empty(0, np.float64), np.empty(0, np.float64), 0)


def _series(points, total=None, downsampled=False):
    """A Series from a schema.POINT array."""
    return Series(points["step"].copy(), points["wall_time"].copy(), points["value"].copy(),
                  len(points) if total is None else total, downsampled)


def _shown(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "..."


def _number(value, name, problems):
    """``value`` if it is a number (or None); else None, and ``problems`` says so."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    problems.append(f"{name} is not a number: {_shown(value)}")
    return None


def _tag_info(row, problems):
    """A TagInfo of a tags row; a summary field of the wrong type is left out (None) and named in
    ``problems``, and a row whose name or kind is not text is skipped and named."""
    info = TagInfo(*row)
    if not isinstance(info.tag, str) or not isinstance(info.kind, str):
        problems.append(f"tag {_shown(info.tag)} of kind {_shown(info.kind)} is not readable")
        return None
    for name in _SUMMARY_COLUMNS:
        value = getattr(info, name)
        if name in ("last", "min", "max"):
            setattr(info, name, _number(value, f"tag {info.tag!r} {name}", problems))
        elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(f"tag {info.tag!r} {name} is not an integer: {_shown(value)}")
            setattr(info, name, 0 if name == "count" else None)
    return info


def _status(run, last_write, heartbeat_secs):
    """The status a listing shows for a run row: "running" becomes "crashed" or "stalled" when
    its writer is gone or quiet (process.writer_state)."""
    if run.status != "running":
        return run.status
    pid = run.pid if isinstance(run.pid, int) else None
    state = process.writer_state(run.host, pid, last_write, heartbeat_secs)
    return {process.GONE: "crashed", process.STALLED: "stalled"}.get(state, run.status)


def _hparams_of_rows(rows, problems=None):
    """The hparams and metrics of (kind, name, value JSON) rows; one whose value is no JSON is
    left out and named in ``problems``."""
    found = {"hparams": {}, "metrics": {}}
    for kind, name, value in rows:
        kind = "hparam" if kind == "hparam" else "metric"
        try:
            found[kind + "s"][name] = json.loads(value)
        except (TypeError, ValueError):
            if problems is not None:
                problems.append(f"{kind} {name!r} is not valid JSON: {_shown(value)}")
    return found


def _layout_of_rows(rows, problems=None):
    """The custom-scalars layout of (category, title, kind, tags JSON) rows; a chart whose tags
    are no JSON list of str is left out and named in ``problems`` (a damaged chart is that
    chart's problem, not the run's)."""
    layout = {}
    for category, title, kind, tags in rows:
        try:
            tags = json.loads(tags)
        except (TypeError, ValueError):
            tags = None
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            if problems is not None:
                problems.append(f"custom chart {category!r}/{title!r} has no list of tags: "
                                f"{_shown(tags)}")
            continue
        layout.setdefault(str(category), {})[str(title)] = {"kind": kind, "tags": tags}
    return layout


def _run_info_of_rows(name, path, run, tag_rows, hparam_rows, chart_rows):
    """The RunInfo of a run's rows as its events file (or its summary file) holds them: ``run``
    a schema.RunRow, then the rows of _SELECT_TAGS, _SELECT_HPARAMS and _SELECT_CHARTS. A damaged
    field is this run's problem only: it is left out and named, the rest is served."""
    problems = []
    times = {field_name: _number(getattr(run, field_name), field_name, problems)
             for field_name in ("start_time", "end_time", "last_write", "heartbeat_secs")}
    tags = {}
    for row in tag_rows:
        info = _tag_info(row, problems)
        if info is None:
            continue
        if info.kind == "scalar" and info.last is None and info.count:
            info.last = float("nan")  # stored as NULL, as every NaN
        tags[info.tag] = info
    hparams = _hparams_of_rows(hparam_rows, problems)
    charts = _layout_of_rows(chart_rows, problems)
    return RunInfo(name=name, path=str(path), status=_status(run, times["last_write"],
                                                             times["heartbeat_secs"]),
                   start_time=times["start_time"], end_time=times["end_time"],
                   last_write=times["last_write"], host=run.host,
                   pid=run.pid if isinstance(run.pid, int) else None, command=run.command,
                   hparams=hparams["hparams"], metrics=hparams["metrics"], tags=tags,
                   charts=charts, problems=problems)


def _run_info_of_summary(name, path, data):
    """The RunInfo of a current summary (summary_file.load_current), or None if it is not one a
    writer wrote: a field missing or of the wrong type, or anything the events file would
    report as a problem (the file's own reading then names it)."""
    try:
        run = schema.RunRow(**data["run"])
        if (run.status not in ("running", "finished") or not isinstance(run.host, str)
                or not isinstance(run.command, str) or data["tag_columns"] != list(_TAG_COLUMNS)):
            return None
        info = _run_info_of_rows(name, path, run, data["tags"], data["hparams"], data["charts"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return None if info.problems else info


def run_info(path, name, file_state=None):
    """The RunInfo ``Run(name, path).info()`` returns, read from the run's summary file
    (summary_file.py) without opening the events file at ``path`` when the summary is current,
    else from the events file. ``file_state``: the files' tracker.file_state, when the caller
    has just stat'ed them. Raises UnreadableRunError as Run does."""
    data = summary_file.load_current(path, file_state)
    if data is not None and data["file_state"][2] and not os.access(os.path.dirname(path), os.W_OK):
        data = None  # a log SQLite may be unable to read here: the file says whether Run can
    info = None if data is None else _run_info_of_summary(name, path, data)
    if info is not None:
        return info
    with Run(name, path) as run:
        return run.info()


def list_runs(logdir):
    """Every run under ``logdir`` (sorted by name); unreadable ones have status "error"."""
    root = Path(logdir)
    if not root.is_dir():
        return []
    runs = []

    def unreadable(exc):  # a directory we may not list or enter is flagged, never left out
        directory = exc.filename
        runs.append(RunInfo(name=_run_name(root, directory), path=str(Path(directory)), status="error",
                            error=f"the directory cannot be read: {exc.strerror or exc}"))

    for directory, subdirs, files in os.walk(root, onerror=unreadable):
        subdirs.sort()
        if schema.EVENTS_FILE in files:
            name = _run_name(root, directory)
            try:
                runs.append(run_info(os.path.join(directory, schema.EVENTS_FILE), name))
            except UnreadableRunError as exc:
                runs.append(RunInfo(name=name, path=exc.path, status="error", error=exc.reason))
    return sorted(runs, key=lambda info: info.name)


def _run_name(root, directory):
    """The name of the run in ``directory`` (``root`` or a path under it, as os.walk gives them
    from ``root``): its path relative to root, with "/" between parts; "." for root itself.
    Plain string work: a listing computes one per run."""
    root, directory = os.fspath(root), os.fspath(directory)
    if directory == root:
        return "."
    relative = directory[len(root) if root.endswith(os.sep) else len(root) + 1:]
    return relative.replace(os.sep, "/") if os.sep != "/" else relative


def open_run(logdir, name):
    """The run called ``name`` under ``logdir``, open for reading (use it as a context manager)."""
    root = Path(logdir).resolve()
    if not isinstance(name, str) or not name or os.path.isabs(name):
        raise RunNotFoundError(f"run {name!r} does not exist in {logdir}")
    try:
        directory = (root / name).resolve()
        if directory != root and root not in directory.parents:
            raise RunNotFoundError(
                f"run {name!r} does not exist in {logdir} (it is outside the logdir)")
        path = directory / schema.EVENTS_FILE
        found = path.is_file()
    except (OSError, ValueError) as exc:
        # A name the file system rejects (too long, a NUL byte, ...) names no run; the
        # OS's own error would not say which run was asked for.
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise RunNotFoundError(f"run {name!r} does not exist in {logdir} "
                               f"(not a usable path: {reason})") from exc
    if not found:
        raise RunNotFoundError(f"run {name!r} does not exist in {logdir}")
    return Run(_run_name(root, directory), path)


def _frozen(path):
    """True if no writer can be appending to ``path``: its directory is not writable by us and
    it has no write-ahead log with content (a live writer keeps one; close() removes it)."""
    wal = Path(f"{path}-wal")
    try:
        return not os.access(path.parent, os.W_OK) and (not wal.exists() or wal.stat().st_size == 0)
    except OSError:
        return False


class Run:
    """One run's events file, open read-only."""

    def __init__(self, name, path):
        self.name = name
        self.path = Path(path)
        self.conn = self._connect("mode=ro")
        problem = schema.format_problem(self.conn)
        if problem and _frozen(self.path):
            # A WAL-mode file in a directory we cannot write (no -shm can be made there), that
            # no writer is appending to: read it as the unchanging file it is.
            self.conn.close()
            self.conn = self._connect("mode=ro&immutable=1")
            problem = schema.format_problem(self.conn)
        elif problem and Path(f"{self.path}-journal").exists():
            problem = (f"a writer that died mid-commit left its rollback journal ({self.path.name}-journal), "
                       "which only a writer may roll back: open the run with a SummaryWriter (as "
                       "resuming it does) and it reads again")
        elif problem and not os.access(self.path.parent, os.W_OK):
            problem = (f"its directory is not writable and its write-ahead log ({self.path.name}-wal) "
                        "holds rows not yet in the file, which SQLite can only read by writing an index "
                        "beside it: open it as a user who may write there")
        if problem:
            self.conn.close()
            raise UnreadableRunError(self.path, problem)

    def _connect(self, query):
        uri = Path(os.path.abspath(self.path)).as_uri()
        try:
            # isolation_level=None: no implicit transactions; _read begins and ends its own.
            return sqlite3.connect(f"{uri}?{query}", uri=True, timeout=5.0,
                                   check_same_thread=False, isolation_level=None)
        except sqlite3.Error as exc:
            raise UnreadableRunError(self.path, f"cannot open: {exc}") from exc

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self.conn.close()

    def _read(self, read):
        """Run ``read(conn)`` in one read transaction: one consistent snapshot of the file."""
        conn = self.conn
        try:
            conn.execute("BEGIN")
            try:
                return read(conn)
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise UnreadableRunError(self.path, f"cannot read: {exc}") from exc
        except (ValueError, TypeError) as exc:  # a stored value of the wrong type, JSON that is none
            raise UnreadableRunError(self.path, f"cannot read: a stored value is malformed ({exc})") from exc

    # -- metadata --------------------------------------------------------------------

    def info(self):
        """The run's metadata, status and tag summaries."""
        return self._read(self._info)

    def _info(self, conn):
        row = conn.execute(f"SELECT {', '.join(schema.RUN.columns)} FROM run").fetchone()
        if row is None:
            raise UnreadableRunError(self.path, "the run table is empty")
        has_charts = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'charts'").fetchone()
        return _run_info_of_rows(
            self.name, self.path, schema.RunRow(*row), conn.execute(_SELECT_TAGS),
            conn.execute(_SELECT_HPARAMS), conn.execute(_SELECT_CHARTS) if has_charts else ())

    def hparams(self):
        """``{"hparams": {name: value}, "metrics": {name: value}}``."""
        return self._read(lambda conn: _hparams_of_rows(conn.execute(_SELECT_HPARAMS)))

    # -- scalars ---------------------------------------------------------------------

    def scalars(self, tag, start=None, end=None, max_points=None):
        """The tag's points with start <= step <= end, at most ``max_points`` of them.

        Downsampling keeps the first and last points of the range and, in each of at
        most (max_points - 2) / 2 groups of consecutive points, its minimum and its
        maximum, so spikes survive (see downsample.downsample).
        """
        if max_points is not None and (isinstance(max_points, bool)
                                       or not isinstance(max_points, int) or max_points < 2):
            raise ValueError(f"max_points must be an int of at least 2, got {max_points!r}")
        return self._read(lambda conn: self._scalars(conn, tag, start, end, max_points))

    def _scalar_tag(self, conn, tag):
        row = conn.execute("SELECT id, kind, first_step, last_step FROM tags WHERE tag = ?",
                           (tag,)).fetchone()
        if row is None or row[1] != "scalar":
            what = "no tag" if row is None else f"no scalar tag (it is {row[1]})"
            raise TagNotFoundError(f"run '{self.name}' has {what} {tag!r}")
        return row[0], row[2], row[3]

    def _scalars(self, conn, tag, start, end, max_points):
        tag_id, first, last = self._scalar_tag(conn, tag)
        start = first if start is None else max(int(start), first)
        end = last if end is None else min(int(end), last)
        if start > end:
            return _empty_series()
        if max_points is None:
            return _series(downsample.read_points(conn, tag_id, start, end))
        points, total = downsample.downsample(conn, tag_id, start, end, max_points)
        return _series(points, total, downsampled=len(points) < total)

    def scalars_frame(self, tags=None):
        """Every point of the run's scalar tags (or of ``tags``) as a pandas DataFrame of long
        rows: run, tag, step, wall_time, value (as tbparse reads TensorBoard logs)."""
        from .interop.frames import frame  # pandas, an optional extra, only when asked for

        if tags is None:
            tags = [tag for tag, info in self.info().tags.items() if info.kind == "scalar"]
        return frame((self.name, tag, self.scalars(tag)) for tag in tags)

    def scalars_since(self, tag, after_step, limit=None):
        """Only the points with step > after_step, the oldest ``limit`` of them (for a live chart's
        refresh: the next one goes on from the last step it got)."""
        after = int(after_step)

        def read(conn):
            tag_id, _, last = self._scalar_tag(conn, tag)
            if last is None or after >= last:
                return _empty_series()
            rows = conn.execute(f"{schema.SELECT_POINTS} WHERE tag_id = ? AND step > ? ORDER BY step LIMIT ?",
                                (tag_id, after, -1 if limit is None else int(limit))).fetchall()
            return _series(np.array(rows, dtype=schema.POINT))
        return self._read(read)

    # -- graphs, texts, figures --------------------------------------------------------

    def graphs(self):
        """Every graph definition logged, oldest first."""
        return self._read(lambda conn: [
            {"id": gid, "wall_time": wall, "graph": json.loads(graph)}
            for gid, wall, graph in conn.execute("SELECT id, wall_time, graph FROM graphs ORDER BY id")])

    def graph(self, graph_id=None):
        """The latest graph definition (or the one with ``graph_id``), None if there is none."""
        def read(conn):
            if graph_id is None:
                row = conn.execute("SELECT graph FROM graphs ORDER BY id DESC LIMIT 1").fetchone()
            else:
                row = conn.execute("SELECT graph FROM graphs WHERE id = ?", (graph_id,)).fetchone()
            return None if row is None else json.loads(row[0])
        return self._read(read)

    def texts(self, tag=None):
        """Texts of one tag (or all), by tag then step."""
        return self._read(lambda conn: [
            {"tag": t, "step": s, "wall_time": w, "text": x}
            for t, s, w, x in self._items(conn, "text", tag)])

    def figures(self, tag=None):
        """Plotly figure JSON of one tag (or all), by tag then step."""
        return self._read(lambda conn: [  # decoded within the read: bad JSON is the file's problem
            {"tag": t, "step": s, "wall_time": w, "figure": json.loads(x)}
            for t, s, w, x in self._items(conn, "figure", tag)])

    # -- histograms and images ---------------------------------------------------------

    def histograms(self, tag, max_steps=None):
        """The tag's histograms by step: at most ``max_steps`` of them, spread evenly over the
        step range, each a real logged step, the first and the latest always among them."""
        _check_max_steps(max_steps)

        def read(conn):
            tag_id = self._tag_id(conn, tag, "histogram")
            rows = self._rows_at_steps(conn, schema.HISTOGRAMS, tag_id, max_steps)
            return [Histogram.of_row(row) for row in rows]
        return self._read(read)

    def histogram_columns(self, tag, max_steps=None):
        """The histograms histograms() gives, as one HistogramColumns: the steps, bounds and
        buckets only, read in one pass (the Distributions chart of many runs reads these)."""
        _check_max_steps(max_steps)

        def read(conn):
            tag_id = self._tag_id(conn, tag, "histogram")
            return HistogramColumns.of_rows(self._rows_at_steps(
                conn, schema.HISTOGRAMS, tag_id, max_steps, ("tag_id", *HistogramColumns.COLUMNS)))
        return self._read(read)

    def images(self, tag, max_steps=None):
        """The tag's images by step, without their PNG (width, height, channels, samples,
        columns): at most ``max_steps`` of them, as histograms() chooses steps."""
        columns = [c for c in schema.IMAGES.columns if c != "png"]

        def read(conn):
            tag_id = self._tag_id(conn, tag, "image")
            rows = self._rows_at_steps(conn, schema.IMAGES, tag_id, max_steps, columns)
            return [dict(zip(columns[1:], row)) for row in rows]
        return self._read(read)

    def image(self, tag, step):
        """The tag's image at ``step``: its fields as images() gives them, and ``png`` (bytes)."""
        def read(conn):
            tag_id = self._tag_id(conn, tag, "image")
            columns = schema.IMAGES.columns[1:]
            row = conn.execute(f"SELECT {', '.join(columns)} FROM images WHERE tag_id = ? "
                               "AND step = ?", (tag_id, int(step))).fetchone()
            if row is None:
                raise TagNotFoundError(f"run '{self.name}' has no image of tag {tag!r} at step {step}")
            return dict(zip(columns, row))
        return self._read(read)

    # -- PR curves, tensors and the custom-scalars layout ------------------------------

    def pr_curves(self, tag, max_steps=None):
        """The tag's precision-recall curves by step (at most ``max_steps``, chosen as
        histograms() chooses them): step, wall_time, thresholds and the lists of
        schema.PR_CURVE_ROWS."""
        def read(conn):
            tag_id = self._tag_id(conn, tag, "pr_curve")
            rows = self._rows_at_steps(conn, schema.PR_CURVES, tag_id, max_steps)
            return [{"step": step, "wall_time": wall_time, **pr_curve.curve_of_row(n, data)}
                    for step, wall_time, n, data in rows]
        return self._read(read)

    def tensors(self, tag):
        """The tag's tensors by step: step, wall_time and the tensor as a numpy array."""
        return self._read(lambda conn: [  # decoded within the read: a bad row is the file's problem
            {"step": step, "wall_time": wall_time, "tensor": arrays.tensor_of_row(*columns)}
            for _, step, wall_time, *columns in self._items(conn, "tensor", tag)])

    def custom_charts(self):
        """The run's custom-scalars layout: {category: {title: {"kind", "tags"}}} (none in a
        file older than format 4)."""
        def read(conn):
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'charts'").fetchone():
                return {}
            return _layout_of_rows(conn.execute(_SELECT_CHARTS))
        return self._read(read)

    def _tag_id(self, conn, tag, kind):
        row = conn.execute("SELECT id, kind FROM tags WHERE tag = ?", (tag,)).fetchone()
        if row is None or row[1] != kind:
            what = "no tag" if row is None else f"no {kind} tag (it is {row[1]})"
            raise TagNotFoundError(f"run '{self.name}' has {what} {tag!r}")
        return row[0]

    @staticmethod
    def _rows_at_steps(conn, table, tag_id, max_steps, columns=None):
        """Rows (without tag_id) of ``table`` at most ``max_steps`` steps of the tag, in step
        order: for evenly spaced steps from the first to the last, the latest logged step at or
        before each (so the first and last are kept), each found by one index seek."""
        columns = ", ".join((columns or table.columns)[1:])
        sql = f"SELECT {columns} FROM {table.name} WHERE tag_id = ?"
        count, first, last = conn.execute("SELECT count, first_step, last_step FROM tags "
                                          "WHERE id = ?", (tag_id,)).fetchone()
        if max_steps is None or count <= max_steps:
            return conn.execute(sql + " ORDER BY step", (tag_id,)).fetchall()
        span = last - first  # Python ints: exact for any int64 steps
        targets = [first + span * i // (max_steps - 1) for i in range(max_steps)] if max_steps > 1 else [last]
        return conn.execute(
            f"{sql} AND step IN (SELECT (SELECT step FROM {table.name} WHERE tag_id = ?1 AND "
            "step <= target.value ORDER BY step DESC LIMIT 1) FROM json_each(?2) AS target) "
            "ORDER BY step", (tag_id, json.dumps(targets))).fetchall()

    def _items(self, conn, kind, tag):
        """(tag, step, wall_time, value columns...) rows of the values of ``kind``."""
        table = schema.VALUE_TABLES[kind].name
        columns = ", ".join(f"{table}.{name}" for name in schema.VALUE_TABLES[kind].columns[1:])
        sql = f"SELECT tags.tag, {columns} FROM {table} JOIN tags ON tags.id = tag_id"
        if tag is None:
            return conn.execute(sql + " ORDER BY tags.tag, step").fetchall()
        found = conn.execute("SELECT kind FROM tags WHERE tag = ?", (tag,)).fetchone()
        if found is None or found[0] != kind:
            raise TagNotFoundError(f"run '{self.name}' has no {kind} tag {tag!r}")
        return conn.execute(sql + " WHERE tags.tag = ? ORDER BY step", (tag,)).fetchall()
