"""A scalar series as the charts, the API and the downloads send it: plain functions (no Flask here).

JSON has no NaN or infinities, yet training logs them; they travel as the
strings "NaN", "Infinity" and "-Infinity", which JavaScript's Number() reads back.
"""

import csv
import io
import re

import numpy as np
import orjson

from dashboard.web.strict_json import NON_FINITE


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
