"""The axes of the Compare page's parallel-coordinates chart, a plain function of RunInfos (no Flask here)."""

import json
import math
from numbers import Number


def _is_number(value):
    return isinstance(value, Number) and not isinstance(value, bool) and math.isfinite(value)


def _category_order(value):
    """Numbers by value first, then text, then the gap, so "0.02 < 0.05 < 0.1" reads in order."""
    if value is None:
        return (2, 0, "")
    if _is_number(value):
        return (0, float(value), "")
    return (1, 0, value if isinstance(value, str) else json.dumps(value, sort_keys=True))


def _dimension(label, values):
    """A parcoords axis: all-number hparams get a linear axis; anything else (or a gap), categories."""
    if all(_is_number(v) for v in values):
        return {"label": label, "kind": "number", "values": [float(v) for v in values]}
    distinct = sorted({_category_order(v): v for v in values}.items())
    order = [key for key, _ in distinct]
    categories = ["(none)" if v is None else v if isinstance(v, str) else json.dumps(v)
                  for _, v in distinct]
    return {"label": label, "kind": "category", "categories": categories,
            "values": [order.index(_category_order(v)) for v in values]}


def parallel_coordinates(infos, metric, colors):
    """Axes for plotly's parcoords: each hparam, then `metric`'s last value, one line per run.

    Runs without a finite last value of `metric` are left out and listed with the reason.
    """
    kept, excluded = [], []
    for info in infos:
        tag = info.tags.get(metric)
        if tag is None or tag.kind != "scalar":
            excluded.append({"run": info.name, "reason": f"no scalar tag '{metric}'"})
        elif tag.last is None or not math.isfinite(tag.last):
            excluded.append({"run": info.name, "reason": f"last value of '{metric}' is {tag.last}"})
        else:
            kept.append(info)
    names = sorted({name for info in kept for name in (info.hparams or {})})
    dimensions = [_dimension(name, [(info.hparams or {}).get(name) for info in kept]) for name in names]
    dimensions.append({"label": metric, "kind": "number", "metric": True,
                       "values": [float(info.tags[metric].last) for info in kept]})
    return {"metric": metric, "runs": [info.name for info in kept],
            "colors": [colors.get(info.name) for info in kept],
            "dimensions": dimensions, "excluded": excluded}
