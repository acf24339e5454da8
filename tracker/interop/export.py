"""``liteboard export``: every scalar point of a logdir's runs as long-format rows
(run, tag, step, wall_time, value) in CSV, JSON or Parquet.

Runs and tags are chosen by compiled patterns (anything with ``search``: the CLI
compiles them with RE2). NaN and infinities are written as CSV's ``nan``/``inf``,
JSON's "NaN"/"Infinity" strings (as the dashboard's API does) and Parquet's floats.
"""

import csv
import json

from ..reader import list_runs, open_run
from .frames import COLUMNS, frame, long_columns
from .optional import require

FORMATS = ("csv", "json", "parquet")
_NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def scalar_series(logdir, run_pattern=None, tag_pattern=None):
    """``(run, tag, Series)`` of each scalar tag of each readable run whose names match, by name."""
    for info in list_runs(logdir):
        if info.error or (run_pattern is not None and not run_pattern.search(info.name)):
            continue
        tags = [tag for tag, tag_info in info.tags.items() if tag_info.kind == "scalar"
                and (tag_pattern is None or tag_pattern.search(tag))]
        if tags:
            with open_run(logdir, info.name) as run:
                for tag in tags:
                    yield info.name, tag, run.scalars(tag)


def write(series, fmt, out):
    """Write the rows of ``series`` to ``out`` (a text file for csv and json, a binary file or a
    path for parquet); returns the number of rows."""
    if fmt == "parquet":
        data = frame(series, "liteboard export --format parquet")
        require("pyarrow", "pandas", "liteboard export --format parquet")
        data.to_parquet(out, index=False)
        return len(data)
    columns = long_columns(series)
    rows = zip(*(columns[name].tolist() for name in COLUMNS))
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        count = 0
        for count, row in enumerate(rows, 1):
            writer.writerow(row)
        return count
    if fmt == "json":
        records = [dict(zip(COLUMNS, row[:4] + (_json_number(row[4]),))) for row in rows]
        out.write(json.dumps(records, allow_nan=False))
        out.write("\n")
        return len(records)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _json_number(value):
    return value if value == value and abs(value) != float("inf") else _NON_FINITE[repr(value)]
