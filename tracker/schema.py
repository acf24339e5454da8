"""The one place the events-file schema lives (documented table by table in docs/FORMAT.md).

A run is ``<run dir>/events.sqlite``, an SQLite database in WAL mode marked with
``PRAGMA application_id`` = APPLICATION_ID and ``PRAGMA user_version`` =
SCHEMA_VERSION. Each row shape is one dataclass, its fields the table's columns
(name, Python type and SQL declaration side by side); a Table builds its CREATE
and INSERT statements from them, and the writer and the reader build theirs from
the same fields. A buffered row is a plain tuple in its record's field order.

A new kind of tag value is a TagStep dataclass (its columns after wall_time) and
its table in VALUE_TABLES, which also makes create_schema create it and the tags
table accept the kind; changing the tables means a new SCHEMA_VERSION.
"""

import sqlite3
from dataclasses import dataclass, field, fields

import numpy as np

EVENTS_FILE = "events.sqlite"
#: Beside EVENTS_FILE: the run's summary, which the writer keeps so listings need not open the
#: events file (summary_file.py).
SUMMARY_FILE = "events.summary.json"
#: "LBRD" in ASCII: tells a liteboard events file from any other SQLite file.
APPLICATION_ID = 0x4C425244
#: The format this liteboard writes. Bump on any change to the tables below; readers
#: refuse files with a higher number.
SCHEMA_VERSION = 4
#: The oldest format read: the first any release wrote. Readers and writers open files of
#: FIRST_VERSION to SCHEMA_VERSION; a writer that appends to an older file first brings it
#: up to date (upgrade_schema).
FIRST_VERSION = 2

#: Scalar bucket sizes, in points, of the multi-resolution levels: level k holds
#: min/max buckets of BUCKET_BASE * BUCKET_FANOUT**k consecutive points of a tag.
BUCKET_BASE = 16
BUCKET_FANOUT = 4
BUCKET_LEVELS = 10


def column(sql, **kwargs):
    """A record field stored as the column ``<field name> <sql>``."""
    return field(metadata={"sql": sql}, **kwargs)


def column_names(*records):
    """The column names of these records' fields, in order."""
    return tuple(f.name for record in records for f in fields(record))


class Table:
    """A table of the events file; its columns are the fields of its records, in order."""

    def __init__(self, name, *records, primary_key=(), without_rowid=False, indexes=()):
        self.name = name
        self.columns = column_names(*records)
        self._sql = {f.name: f.metadata["sql"] for record in records for f in fields(record)}
        lines = [f"    {name} {sql}" for name, sql in self._sql.items()]
        if primary_key:
            lines.append(f"    PRIMARY KEY ({', '.join(primary_key)})")
        self.create_sql = (f"\nCREATE TABLE {name} (\n" + ",\n".join(lines) + "\n)"
                           + (" WITHOUT ROWID" if without_rowid else ""))
        #: CREATE INDEX statements, one per tuple of columns in ``indexes``.
        self.index_sql = tuple(f"CREATE INDEX {name}_{'_'.join(cols)} ON {name} ({', '.join(cols)})"
                               for cols in indexes)
        #: Adds rows (tuples in column order); a row with the key of one already there replaces it.
        self.insert_sql = (f"INSERT OR REPLACE INTO {name} ({', '.join(self.columns)}) "
                           f"VALUES ({', '.join('?' * len(self.columns))})")

    def dtype(self, *names):
        """A numpy record of these columns (all if none given): INTEGER as int64, REAL as float64."""
        return np.dtype([(name, "<i8" if self._sql[name].startswith("INTEGER") else "<f8")
                         for name in names or self.columns])


# -- run ------------------------------------------------------------------------------

@dataclass
class RunRow:
    """The run table's one row: who writes this run, since when, and whether it finished."""

    id: int = column("INTEGER PRIMARY KEY CHECK (id = 1)")
    name: str = column("TEXT NOT NULL")
    status: str = column("TEXT NOT NULL CHECK (status IN ('running', 'finished'))")
    start_time: float = column("REAL NOT NULL")
    end_time: float | None = column("REAL")
    last_write: float = column("REAL NOT NULL")
    heartbeat_secs: float = column("REAL NOT NULL")
    host: str = column("TEXT NOT NULL")
    pid: int = column("INTEGER NOT NULL")
    command: str = column("TEXT NOT NULL")


RUN = Table("run", RunRow)


# -- a tag's values: one table per kind -----------------------------------------------

@dataclass
class TagStep:
    """The columns every row of a tag's values starts with; (tag_id, step) is its key."""

    tag_id: int = column("INTEGER NOT NULL REFERENCES tags(id)")
    step: int = column("INTEGER NOT NULL")
    wall_time: float = column("REAL NOT NULL")


@dataclass
class ScalarRow(TagStep):
    """One number; SQLite has no NaN, so a NaN is stored as NULL."""

    value: float | None = column("REAL")


@dataclass
class TextRow(TagStep):
    """One text (markdown)."""

    text: str = column("TEXT NOT NULL")


@dataclass
class FigureRow(TagStep):
    """One plotly figure as JSON."""

    figure: str = column("TEXT NOT NULL")


@dataclass
class HistogramRow(TagStep):
    """One histogram: buckets over the finite values, their statistics, and the count of
    each non-finite value. ``edges`` (n + 1) and ``counts`` (n) are little-endian float64
    arrays (see HISTOGRAM_ARRAY); bucket i holds edges[i] <= x < edges[i + 1], the last one
    its right edge too."""

    count: int = column("INTEGER NOT NULL")  # every value, finite or not
    min: float | None = column("REAL")  # min, max, sum, sum_squares: of the finite values
    max: float | None = column("REAL")
    sum: float = column("REAL NOT NULL")
    sum_squares: float = column("REAL NOT NULL")
    nan_count: int = column("INTEGER NOT NULL")
    neg_inf_count: int = column("INTEGER NOT NULL")
    pos_inf_count: int = column("INTEGER NOT NULL")
    edges: bytes = column("BLOB NOT NULL")
    counts: bytes = column("BLOB NOT NULL")


@dataclass
class ImageRow(TagStep):
    """One PNG: an image, or the ``samples`` images of a batch tiled ``columns`` to a row."""

    png: bytes = column("BLOB NOT NULL")
    width: int = column("INTEGER NOT NULL")
    height: int = column("INTEGER NOT NULL")
    channels: int = column("INTEGER NOT NULL CHECK (channels IN (1, 3, 4))")
    samples: int = column("INTEGER NOT NULL")
    columns: int = column("INTEGER NOT NULL")


@dataclass
class PrCurveRow(TagStep):
    """One precision-recall curve at ``num_thresholds`` thresholds spread evenly over [0, 1]:
    ``data`` is a (6, num_thresholds) little-endian float64 array (HISTOGRAM_ARRAY), its rows
    TensorBoard's: true positives, false positives, true negatives, false negatives,
    precision, recall."""

    num_thresholds: int = column("INTEGER NOT NULL CHECK (num_thresholds >= 2)")
    data: bytes = column("BLOB NOT NULL")


@dataclass
class TensorRow(TagStep):
    """One tensor as it was logged: its numpy dtype string (``<f4``, ``|b1``...), its shape
    as a JSON list, and its elements in C order."""

    dtype: str = column("TEXT NOT NULL")
    shape: str = column("TEXT NOT NULL")
    data: bytes = column("BLOB NOT NULL")


#: How HistogramRow's edges and counts, and PrCurveRow's data, are stored: little-endian float64.
HISTOGRAM_ARRAY = np.dtype("<f8")
#: PrCurveRow's data rows, in order.
PR_CURVE_ROWS = ("true_positives", "false_positives", "true_negatives", "false_negatives",
                 "precision", "recall")


def _values_table(name, record, indexes=()):
    """A table of a tag's values, clustered by tag and step: a step range is one index range."""
    return Table(name, record, primary_key=("tag_id", "step"), without_rowid=True, indexes=indexes)


SCALARS = _values_table("scalars", ScalarRow)
TEXTS = _values_table("texts", TextRow)
FIGURES = _values_table("figures", FigureRow)
# The steps index: choosing steps to show reads steps alone, not the rows' buckets.
HISTOGRAMS = _values_table("histograms", HistogramRow, indexes=[("tag_id", "step")])
IMAGES = _values_table("images", ImageRow, indexes=[("tag_id", "step")])
PR_CURVES = _values_table("pr_curves", PrCurveRow)
TENSORS = _values_table("tensors", TensorRow)
#: The table holding each tag kind's values; a tag holds values of one kind.
VALUE_TABLES = {"scalar": SCALARS, "text": TEXTS, "figure": FIGURES, "histogram": HISTOGRAMS,
                "image": IMAGES, "pr_curve": PR_CURVES, "tensor": TENSORS}


# -- tags -----------------------------------------------------------------------------

@dataclass
class TagName:
    """A tags row's first columns: which tag it is, its kind and its chart group."""

    id: int = column("INTEGER PRIMARY KEY")
    tag: str = column("TEXT NOT NULL UNIQUE")
    kind: str = column(f"TEXT NOT NULL CHECK (kind IN ({', '.join(map(repr, VALUE_TABLES))}))")
    #: add_scalars' main_tag: tags with the same chart are drawn on one chart.
    chart: str | None = column("TEXT", default=None)


@dataclass
class TagSummary:
    """A tag's summary, the rest of its tags row: kept current by the writer in the same
    transaction as the tag's values, so listing runs never reads a series. The value
    fields (last, min, max and their steps) are for scalars only; min and max ignore NaN
    and their steps are the first holding them."""

    count: int = column("INTEGER NOT NULL DEFAULT 0", default=0)
    first_step: int | None = column("INTEGER", default=None)
    last_step: int | None = column("INTEGER", default=None)
    last: float | None = column("REAL", default=None)
    min: float | None = column("REAL", default=None)
    min_step: int | None = column("INTEGER", default=None)
    max: float | None = column("REAL", default=None)
    max_step: int | None = column("INTEGER", default=None)


TAGS = Table("tags", TagName, TagSummary)


# -- scalar buckets -------------------------------------------------------------------

@dataclass
class BucketKey:
    """Which bucket a scalar_buckets row is: its tag, level and ordinal in the level."""

    tag_id: int = column("INTEGER NOT NULL REFERENCES tags(id)")
    level: int = column("INTEGER NOT NULL")
    bucket: int = column("INTEGER NOT NULL")


@dataclass
class BucketStats:
    """What a bucket of consecutive points of a tag keeps: its first and last step, its
    count, its minimum and maximum point ignoring NaN (NULL values if all are NaN), and
    its first NaN point (both NULL if it holds none)."""

    step_first: int = column("INTEGER NOT NULL")
    step_last: int = column("INTEGER NOT NULL")
    count: int = column("INTEGER NOT NULL")
    min: float | None = column("REAL")
    min_step: int = column("INTEGER NOT NULL")
    min_wall_time: float = column("REAL NOT NULL")
    max: float | None = column("REAL")
    max_step: int = column("INTEGER NOT NULL")
    max_wall_time: float = column("REAL NOT NULL")
    nan_step: int | None = column("INTEGER")
    nan_wall_time: float | None = column("REAL")


SCALAR_BUCKETS = Table("scalar_buckets", BucketKey, BucketStats,
                       primary_key=("tag_id", "level", "step_first"), without_rowid=True)


# -- graphs and hparams ---------------------------------------------------------------

@dataclass
class GraphRow:
    """A graph definition as JSON; ids count up in the order graphs were added."""

    id: int | None = column("INTEGER PRIMARY KEY")  # None when added: the next id
    wall_time: float = column("REAL NOT NULL")
    graph: str = column("TEXT NOT NULL")


@dataclass
class HparamRow:
    """A hyperparameter or metric of the run, its value as JSON."""

    kind: str = column("TEXT NOT NULL CHECK (kind IN ('hparam', 'metric'))")
    name: str = column("TEXT NOT NULL")
    value: str = column("TEXT NOT NULL")


@dataclass
class ChartRow:
    """A chart of the run's custom-scalars layout (PyTorch's add_custom_scalars): in section
    ``category``, titled ``title``, a "multiline" chart of several tags or a "margin" chart
    of three (value, lower, upper) drawn as a band; ``tags`` a JSON list of tags or regexes."""

    category: str = column("TEXT NOT NULL")
    title: str = column("TEXT NOT NULL")
    kind: str = column("TEXT NOT NULL CHECK (kind IN ('multiline', 'margin'))")
    tags: str = column("TEXT NOT NULL")


GRAPHS = Table("graphs", GraphRow)
HPARAMS = Table("hparams", HparamRow, primary_key=("kind", "name"), without_rowid=True)
CHARTS = Table("charts", ChartRow, primary_key=("category", "title"), without_rowid=True)

#: Every table, in the order create_schema creates them.
TABLES = (RUN, TAGS, SCALARS, SCALAR_BUCKETS, GRAPHS, HPARAMS, CHARTS,
          *(table for table in VALUE_TABLES.values() if table is not SCALARS))
#: The tables each older format lacks (by version), which upgrade_schema adds.
_ADDED_IN = {3: (HISTOGRAMS, IMAGES), 4: (PR_CURVES, TENSORS, CHARTS)}


#: A scalar point as a numpy record: how readers take SELECT_POINTS rows in bulk.
POINT = SCALARS.dtype("step", "wall_time", "value")
#: A tag's points as POINT rows. SQLite keeps NaN as NULL, and numpy reads a NULL (None)
#: into a float field as NaN, so rows convert in one call.
SELECT_POINTS = f"SELECT {', '.join(POINT.names)} FROM {SCALARS.name}"


def point_columns(rows):
    """step (int64), wall_time and value (float64, NaN where NULL) arrays of SELECT_POINTS rows."""
    data = np.array(rows, dtype=POINT)
    return data["step"].copy(), data["wall_time"].copy(), data["value"].copy()


def bucket_size(level):
    """Number of consecutive points of a tag in one bucket of ``level``."""
    return BUCKET_BASE * BUCKET_FANOUT**level


def create_schema(db):
    """Create every table and stamp the file; the caller holds the transaction."""
    for table in TABLES:
        _create(db, table)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _create(db, table):
    db.execute(table.create_sql)
    for sql in table.index_sql:
        db.execute(sql)


def upgrade_schema(db):
    """Bring a file of an older version (FIRST_VERSION on) to SCHEMA_VERSION, in one transaction.

    Version 3 adds the histograms and images tables, version 4 the pr_curves, tensors and
    charts tables, and the tags table accepts their kinds: SQLite cannot change a CHECK
    constraint, so the tags table is rebuilt (copied whole, same ids), as SQLite's
    documented way of changing a table.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    with db.atomic():
        fresh = Table("tags_upgrade", TagName, TagSummary)
        columns = ", ".join(TAGS.columns)
        db.execute(fresh.create_sql)
        db.execute(f"INSERT INTO tags_upgrade ({columns}) SELECT {columns} FROM tags")
        db.execute("DROP TABLE tags")
        db.execute("ALTER TABLE tags_upgrade RENAME TO tags")
        for added, tables in _ADDED_IN.items():
            if version < added:
                for table in tables:
                    _create(db, table)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def format_problem(conn):
    """Why this connection's file is not a readable liteboard run, or None if it is."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return f"not an SQLite database ({exc})"
    if app_id != APPLICATION_ID:
        if app_id == 0 and version == 0:
            return "not a liteboard events file (an SQLite file without the liteboard schema)"
        return f"not a liteboard events file (application_id {app_id:#x})"
    if version > SCHEMA_VERSION:
        return (
            f"written by a newer liteboard (format version {version}; "
            f"this version reads up to {SCHEMA_VERSION})"
        )
    if version < FIRST_VERSION:
        return f"unknown format version {version}"
    return None
