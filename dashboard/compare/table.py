"""The Compare page's side-by-side table and its CSV, as plain functions of RunInfos (no Flask here).

Everything comes from what the reader keeps per run and per tag (hparams,
TagInfo's last / min / max with their steps, times and status), so a
comparison never scans a series however long the runs are.
"""

import csv
import io
import json
import math
from numbers import Number

from dashboard.runs.summary import duration, last_step, steps

# Statistics of a scalar tag shown per run, from TagInfo.
METRIC_FIELDS = ("last", "min", "min_step", "max", "max_step", "count", "first_step", "last_step")


def _key(value):
    """What makes two hparam values the same: numbers by value (NaN equals NaN), the rest as JSON."""
    if isinstance(value, bool) or value is None:
        return ("const", value)
    if isinstance(value, Number):
        number = float(value)
        return ("num", "nan" if math.isnan(number) else number)
    return ("json", json.dumps(value, sort_keys=True, default=str))


def differs(values):
    """True unless every value is the same (a missing value differs from any present one)."""
    return len({_key(v) for v in values}) > 1


def _rows(dicts):
    """One row per name found in any of `dicts`, with each one's value (None where missing)."""
    names = sorted({name for d in dicts for name in d})
    rows = []
    for name in names:
        values = [d.get(name) for d in dicts]
        rows.append({"name": name, "values": values, "differs": differs(values)})
    return rows


def run_facts(info, color=None):
    return {"name": info.name, "color": color, "status": info.status, "error": info.error,
            "problems": info.problems,
            "start_time": info.start_time, "end_time": info.end_time,
            "duration": duration(info), "steps": steps(info), "last_step": last_step(info)}


def metric_rows(infos):
    """Per scalar tag found in any run: each run's TagInfo statistics, or None where it lacks the tag."""
    tags = sorted({tag for info in infos for tag, t in info.tags.items() if t.kind == "scalar"})
    rows = []
    for tag in tags:
        stats = []
        for info in infos:
            t = info.tags.get(tag)
            stats.append({f: getattr(t, f) for f in METRIC_FIELDS} if t and t.kind == "scalar" else None)
        lasts = [s["last"] if s else None for s in stats]
        rows.append({"tag": tag, "values": stats, "differs": differs(lasts)})
    return rows


def comparison(infos, colors):
    """The comparison table of `infos` (in order): facts, hparams, hparam metrics and scalar tags."""
    return {
        "runs": [run_facts(info, colors.get(info.name)) for info in infos],
        "hparams": _rows([info.hparams or {} for info in infos]),
        "hparam_metrics": _rows([info.metrics or {} for info in infos]),
        "metrics": metric_rows(infos),
    }


def _cell(value):
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading '."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True)
    return value


def csv_text(table):
    """The comparison as CSV: a column per run, a row per fact, hparam and tag statistic."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    runs = table["runs"]
    writer.writerow(["section", "name", *[_cell(r["name"]) for r in runs]])
    for field in ("status", "start_time", "end_time", "duration", "steps", "last_step"):
        writer.writerow(["run", field, *[_cell(r[field]) for r in runs]])
    for section in ("hparams", "hparam_metrics"):
        for row in table[section]:
            writer.writerow([section, _cell(row["name"]), *[_cell(v) for v in row["values"]]])
    for row in table["metrics"]:
        for field in ("last", "min", "min_step", "max", "max_step", "last_step"):
            writer.writerow(["metric", _cell(f"{row['tag']}:{field}"),
                             *[_cell(s[field]) if s else "" for s in row["values"]]])
    return out.getvalue()
