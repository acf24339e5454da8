"""The one place the events-file schema lives (documented table by table in docs/FORMAT.md).

A run is ``<run dir>/events.sqlite``, an SQLite database in WAL mode marked with
``PRAGMA application_id`` = APPLICATION_ID and ``PRAGMA user_version`` =
SCHEMA_VERSION. Each table has its own create function, so FORMAT.md can name it.
"""

import sqlite3

import numpy as np

EVENTS_FILE = "events.sqlite"
#: "LBRD" in ASCII: tells a liteboard events file from any other SQLite file.
APPLICATION_ID = 0x4C425244
#: The format this liteboard writes. Bump on any change to the tables below; readers
#: refuse files with a higher number.
SCHEMA_VERSION = 2
#: The oldest format read: the first any release wrote. Readers and writers open files of
#: FIRST_VERSION to SCHEMA_VERSION (one version today); once SCHEMA_VERSION moves on, a
#: writer that appends to an older file must first bring it up to date.
FIRST_VERSION = 2

#: Scalar bucket sizes, in points, of the multi-resolution levels: level k holds
#: min/max buckets of BUCKET_BASE * BUCKET_FANOUT**k consecutive points of a tag.
BUCKET_BASE = 16
BUCKET_FANOUT = 4
BUCKET_LEVELS = 10

TAG_KINDS = ("scalar", "text", "figure")

RUN_DDL = """
CREATE TABLE run (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
    start_time REAL NOT NULL,
    end_time REAL,
    last_write REAL NOT NULL,
    heartbeat_secs REAL NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    command TEXT NOT NULL
)"""

TAGS_DDL = """
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    tag TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('scalar', 'text', 'figure')),
    chart TEXT,
    count INTEGER NOT NULL DEFAULT 0,
    first_step INTEGER,
    last_step INTEGER,
    last REAL,
    min REAL,
    min_step INTEGER,
    max REAL,
    max_step INTEGER
)"""

SCALARS_DDL = """
CREATE TABLE scalars (
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    step INTEGER NOT NULL,
    wall_time REAL NOT NULL,
    value REAL,
    PRIMARY KEY (tag_id, step)
) WITHOUT ROWID"""

SCALAR_BUCKETS_DDL = """
CREATE TABLE scalar_buckets (
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    level INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    step_first INTEGER NOT NULL,
    step_last INTEGER NOT NULL,
    count INTEGER NOT NULL,
    min REAL,
    min_step INTEGER NOT NULL,
    min_wall_time REAL NOT NULL,
    max REAL,
    max_step INTEGER NOT NULL,
    max_wall_time REAL NOT NULL,
    nan_step INTEGER,
    nan_wall_time REAL,
    PRIMARY KEY (tag_id, level, step_first)
) WITHOUT ROWID"""

GRAPHS_DDL = """
CREATE TABLE graphs (
    id INTEGER PRIMARY KEY,
    wall_time REAL NOT NULL,
    graph TEXT NOT NULL
)"""

HPARAMS_DDL = """
CREATE TABLE hparams (
    kind TEXT NOT NULL CHECK (kind IN ('hparam', 'metric')),
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (kind, name)
) WITHOUT ROWID"""

TEXTS_DDL = """
CREATE TABLE texts (
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    step INTEGER NOT NULL,
    wall_time REAL NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (tag_id, step)
) WITHOUT ROWID"""

FIGURES_DDL = """
CREATE TABLE figures (
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    step INTEGER NOT NULL,
    wall_time REAL NOT NULL,
    figure TEXT NOT NULL,
    PRIMARY KEY (tag_id, step)
) WITHOUT ROWID"""


#: A tag's points as (step, wall_time, value) rows. SQLite keeps NaN as NULL, and numpy
#: reads a NULL (None) into a float field as NaN, so rows convert in one call.
SELECT_POINTS = "SELECT step, wall_time, value FROM scalars"
#: One point as a numpy record: how readers take SELECT_POINTS rows in bulk.
POINT = np.dtype([("step", "<i8"), ("wall_time", "<f8"), ("value", "<f8")])


def point_columns(rows):
    """step (int64), wall_time and value (float64, NaN where NULL) arrays of SELECT_POINTS rows."""
    data = np.array(rows, dtype=POINT)
    return data["step"].copy(), data["wall_time"].copy(), data["value"].copy()


def bucket_size(level):
    """Number of consecutive points of a tag in one bucket of ``level``."""
    return BUCKET_BASE * BUCKET_FANOUT**level


def create_run_table(db):
    """One row: who writes this run, since when, and whether it finished."""
    db.execute(RUN_DDL)


def create_tags_table(db):
    """One row per tag with its kind, chart group and running summary."""
    db.execute(TAGS_DDL)


def create_scalars_table(db):
    """Narrow (tag_id, step, wall_time, value) rows, clustered by tag and step."""
    db.execute(SCALARS_DDL)


def create_scalar_buckets_table(db):
    """Min/max of consecutive points per tag at several resolutions, for downsampled reads."""
    db.execute(SCALAR_BUCKETS_DDL)


def create_graphs_table(db):
    """Graph definitions as JSON, in the order they were added."""
    db.execute(GRAPHS_DDL)


def create_hparams_table(db):
    """Hyperparameters and their metrics, one JSON value per name."""
    db.execute(HPARAMS_DDL)


def create_texts_table(db):
    """Text summaries per tag and step."""
    db.execute(TEXTS_DDL)


def create_figures_table(db):
    """Plotly figures as JSON per tag and step."""
    db.execute(FIGURES_DDL)


def create_schema(db):
    """Create every table and stamp the file; the caller holds the transaction."""
    for create in (
        create_run_table,
        create_tags_table,
        create_scalars_table,
        create_scalar_buckets_table,
        create_graphs_table,
        create_hparams_table,
        create_texts_table,
        create_figures_table,
    ):
        create(db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
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
