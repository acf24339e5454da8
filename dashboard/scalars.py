"""Chart data for the Scalars page, as plain functions of tracker objects (no Flask here).

JSON has no NaN or infinities, yet training logs them; they travel as the
strings "NaN", "Infinity" and "-Infinity", which JavaScript's Number() reads back.
"""

import csv
import io
import re

import numpy as np
import orjson

from dashboard.strict_json import NON_FINITE


def number_list(values):
    """A float array as a JSON-able list, non-finite values as strings."""
    out = values.tolist()
    bad = np.flatnonzero(~np.isfinite(values))
    for i in bad.tolist():
        out[i] = NON_FINITE[repr(out[i])]
    return out


def series_json(run, tag, series):
    """One run's series of one tag as JSON text, as the charts and the API consume it.

    orjson writes the numpy arrays whole, about 20 times faster than json's repr of
    each float, which was a third of a chart request's time.
    """
    value = series.value
    payload = {
        "run": run,
        "tag": tag,
        "step": np.ascontiguousarray(series.step),
        # Milliseconds are all a time axis can show; rounding trims the payload.
        "wall_time": np.round(series.wall_time, 3),
        "value": np.ascontiguousarray(value) if np.isfinite(value).all() else number_list(value),
        "total": int(series.total),
        "downsampled": bool(series.downsampled),
    }
    return orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY).decode()


def group_name(tag):
    """Tags are grouped by the prefix before their first "/" (TensorBoard's rule)."""
    return tag.split("/", 1)[0] if "/" in tag else tag


def chart_groups(infos, tag_pattern=None):
    """Scalar charts of `infos`, grouped by prefix, for the Scalars page.

    Tags that share a TagInfo.chart (one add_scalars call) become one chart;
    every other tag is a chart of its own. Returns
    [{"name": group, "charts": [{"chart", "tags", "runs"}]}], sorted by name.
    """
    matcher = re.compile(tag_pattern) if tag_pattern else None
    charts = {}
    for info in infos:
        for tag, tag_info in info.tags.items():
            if tag_info.kind != "scalar":
                continue
            if matcher and not matcher.search(tag):
                continue
            key = tag_info.chart or tag
            chart = charts.setdefault(key, {"chart": key, "tags": [], "runs": []})
            if tag not in chart["tags"]:
                chart["tags"].append(tag)
            if info.name not in chart["runs"]:
                chart["runs"].append(info.name)
    groups = {}
    for key in sorted(charts):
        chart = charts[key]
        chart["tags"].sort()
        groups.setdefault(group_name(key), []).append(chart)
    return [{"name": name, "charts": groups[name]} for name in sorted(groups)]


def download_stem(tags):
    """A file name (no extension) for a download of `tags`: the tag, or for an add_scalars
    chart ("loss/train", "loss/val") the chart's name, their common "/"-prefix ("loss")."""
    parts = [tag.split("/") for tag in tags]
    common = []
    for pieces in zip(*parts):
        if len(set(pieces)) > 1:
            break
        common.append(pieces[0])
    name = "/".join(common) if len(tags) > 1 else tags[0]
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.") or "scalars"


def csv_lines(triples):
    """CSV text, line by line, for (run, tag, series) triples: run,tag,step,wall_time,value."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(["run", "tag", "step", "wall_time", "value"])
    yield flush()
    for run, tag, series in triples:
        for step, wall, value in zip(series.step.tolist(), series.wall_time.tolist(), series.value.tolist()):
            writer.writerow([run, tag, step, wall, value])
        yield flush()


def json_lines(triples):
    """A JSON document {"series": [...]} for (run, tag, series) triples, one series at a time."""
    yield '{"series": ['
    for i, triple in enumerate(triples):
        yield ("," if i else "") + series_json(*triple)
    yield "]}"
