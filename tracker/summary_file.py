"""The run summary beside events.sqlite: what a run's listing shows, readable without SQLite.

Opening an SQLite file and running its first query costs far more than reading a small
file, so listing thousands of runs through their events files is slow. The writer therefore
keeps ``events.summary.json`` (schema.SUMMARY_FILE) beside each events file, written after
every commit from what it holds in memory: the run row, the tags rows, the hparams rows and
the custom-charts rows exactly as the events file now holds them, and the ``file_state`` of
events.sqlite and its -wal taken right after that commit. A reader trusts the summary only
while the files still have that state: any later commit, an edit by another tool, a copy
that changes mtimes, or a crash between a commit and its summary makes it fall back to the
events file. Format in docs/FORMAT.md.
"""

import os

import orjson

from . import schema

#: Bump on any change to the summary's layout; a reader ignores a summary of another version.
SUMMARY_VERSION = 1
#: The order of a tag row's values in the summary (the reader's TagInfo fields, in order).
TAG_COLUMNS = ("tag", "kind", *schema.column_names(schema.TagSummary), "chart")
_FLOATS = tuple(TAG_COLUMNS.index(name) for name in ("last", "min", "max"))
#: JSON has no infinities: a summary writes them as these strings (NaN as null, as SQLite does).
_INFINITIES = {"Infinity": float("inf"), "-Infinity": float("-inf")}
#: A summary larger than this is not read (10,000 tags take about 2 MB).
MAX_BYTES = 256 << 20


def file_state(path):
    """What "this run's file changed" means: (size, mtime_ns) of the events file at ``path``,
    then of its write-ahead log (None, None when there is none), from os.stat alone; None if
    the events file cannot be stat'ed (it vanished). The writer records it in the summary, and
    a run index may store it to tell unchanged runs without opening them."""
    try:
        main = os.stat(path)
    except (OSError, ValueError):
        return None
    try:
        wal = os.stat(f"{path}-wal")
    except (OSError, ValueError):
        return (main.st_size, main.st_mtime_ns, None, None)
    return (main.st_size, main.st_mtime_ns, wal.st_size, wal.st_mtime_ns)


def path_of(events_path):
    """The summary file of the events file at ``events_path``."""
    return os.path.join(os.path.dirname(events_path), schema.SUMMARY_FILE)


def _json_float(value):
    if value is None or value - value == 0:  # finite
        return value
    if value != value:
        return None
    return "Infinity" if value > 0 else "-Infinity"


def encode(run, tag_rows, hparam_rows, chart_rows, state):
    """The summary's bytes: ``run`` a schema.RunRow; ``tag_rows`` tuples in TAG_COLUMNS order;
    ``hparam_rows`` (kind, name, value JSON) and ``chart_rows`` (category, title, kind, tags
    JSON) in the order the reader selects them; ``state`` the events file's file_state."""
    tags = []
    for row in tag_rows:
        if any(row[i] is not None and row[i] - row[i] != 0 for i in _FLOATS):
            row = list(row)
            for i in _FLOATS:
                row[i] = _json_float(row[i])
        tags.append(row)
    return orjson.dumps({
        "version": SUMMARY_VERSION, "format": schema.SCHEMA_VERSION, "file_state": state,
        "run": {name: getattr(run, name) for name in schema.RUN.columns},
        "tag_columns": TAG_COLUMNS, "tags": tags, "hparams": hparam_rows, "charts": chart_rows})


def write(run_dir, tmp_path, data):
    """Put ``data`` in place as the run's summary, atomically (written to ``tmp_path`` in the
    run directory, then renamed); False if the disk refused (the stale summary left behind
    no longer matches the events file, so readers fall back to it)."""
    try:
        with open(tmp_path, "wb") as out:
            out.write(data)
        os.replace(tmp_path, os.path.join(run_dir, schema.SUMMARY_FILE))
        return True
    except OSError:
        try:
            os.unlink(tmp_path)
        except OSError:
            pass
        return False


def _read(path):
    """The bytes of the file at ``path`` in three calls (this is most of a listing's time per
    run); ValueError if it is over MAX_BYTES or grows while read (a writer replaces its summary
    whole, so neither is one a writer wrote)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        raw = os.read(fd, size + 1) if size <= MAX_BYTES else b""
        if len(raw) != size:
            raise ValueError(f"{path} is not {size} bytes of at most {MAX_BYTES}")
        return raw
    finally:
        os.close(fd)


def load_current(events_path, state=None):
    """The summary of the events file at ``events_path`` as a dict (its tag rows with their
    infinities restored) if it is of this version and the files are still in the state it
    records (``state``, when the caller has just taken file_state); else None: a summary
    missing, unreadable, not JSON, of another version or stale."""
    try:
        data = orjson.loads(_read(path_of(events_path)))
    except (OSError, ValueError):  # orjson.JSONDecodeError is a ValueError
        return None
    if (not isinstance(data, dict) or data.get("version") != SUMMARY_VERSION
            or data.get("format") != schema.SCHEMA_VERSION):
        return None
    if state is None:
        state = file_state(events_path)
    if state is None or data.get("file_state") != list(state):
        return None
    tags = data.get("tags")
    if not isinstance(tags, list):
        return None
    for row in tags:
        if not isinstance(row, list) or len(row) != len(TAG_COLUMNS):
            return None
        for i in _FLOATS:
            if isinstance(row[i], str) and row[i] in _INFINITIES:
                row[i] = _INFINITIES[row[i]]
    return data
