"""The axes of the Compare page's parallel-coordinates chart, and the metric it colours lines by:
plain functions of RunInfos (no Flask here).

A metric is a scalar tag or a metric of `add_hparams` (whose writer also logs it as a one-point
scalar, as TensorBoard's hparams plugin reads them); a run's value of it is the tag's last value,
or for files written before that, the `add_hparams` metric itself.
"""

import json
import math
from numbers import Number

from dashboard.compare.table import differs


def _is_number(value):
    return isinstance(value, Number) and not isinstance(value, bool) and math.isfinite(value)


def _category_order(value):
    """Numbers by value first, then text, then the gap, so "0.02 < 0.05 < 0.1" reads in order."""
    if value is None:
        return (2, 0, "")
    if _is_number(value):
        return (0, float(value), "")
    return (1, 0, value if isinstance(value, str) else json.dumps(value, sort_keys=True))


def _categories(label, values, differ):
    distinct = sorted({_category_order(v): v for v in values}.items())
    order = [key for key, _ in distinct]
    categories = ["(none)" if v is None else v if isinstance(v, str) else json.dumps(v)
                  for _, v in distinct]
    return {"label": label, "kind": "category", "categories": categories, "differs": differ,
            "values": [order.index(_category_order(v)) for v in values]}


def _dimension(label, values):
    """A parcoords axis: all-number hparams get a linear axis, anything else (or a gap) categories;
    a constant one gets its one value as its one tick, not a range made up around it."""
    differ = differs(values)
    if differ and all(_is_number(v) for v in values):
        return {"label": label, "kind": "number", "values": [float(v) for v in values], "differs": True}
    return _categories(label, values, differ)


# -- the metric ------------------------------------------------------------------------------

def metric_choices(infos):
    """Every scalar tag and `add_hparams` metric of `infos`, sorted."""
    return sorted({tag for info in infos for tag, t in info.tags.items() if t.kind == "scalar"}
                  | {name for info in infos for name in (info.metrics or {})})


def _steps(infos, tag):
    return max((t.count or 0 for info in infos if (t := info.tags.get(tag)) and t.kind == "scalar"),
               default=0)


def default_metric(infos):
    """The metric a comparison starts with: a real curve, never a one-point tag. `loss` where a run
    logged it, else the most-logged tag whose last name part is `loss`, else the most-logged tag;
    with no curve at all, the first metric there is (None when there is none)."""
    choices = metric_choices(infos)
    curves = {tag: n for tag in choices if (n := _steps(infos, tag)) > 1}
    if "loss" in curves:
        return "loss"
    losses = {tag: n for tag, n in curves.items() if tag.rsplit("/", 1)[-1] == "loss"}
    ranked = losses or curves
    if ranked:
        return min(ranked, key=lambda tag: (-ranked[tag], tag))
    return choices[0] if choices else None


def metric_value(info, metric):
    """The run's value of `metric`: its scalar tag's last value, else its `add_hparams` metric."""
    tag = info.tags.get(metric)
    if tag is not None and tag.kind == "scalar":
        return tag.last
    return (info.metrics or {}).get(metric)


def parallel_coordinates(infos, metric, colors):
    """Axes for plotly's parcoords: each hparam, then `metric`'s value, one line per run of `infos`.

    Runs without a finite value of `metric` are left out and listed with the reason. `differs`
    marks the axes whose runs do not all agree (the page can hide the others). With no metric
    (runs that logged none), there are no axes.
    """
    if metric is None:
        return {"metric": None, "runs": [], "colors": [], "values": [], "dimensions": [],
                "excluded": [], "choices": []}
    kept, excluded = [], []
    for info in infos:
        value = metric_value(info, metric)
        tag = info.tags.get(metric)
        if not (tag is not None and tag.kind == "scalar") and metric not in (info.metrics or {}):
            excluded.append({"run": info.name, "reason": f"no scalar tag or hparam metric '{metric}'"})
        elif not _is_number(value):
            excluded.append({"run": info.name, "reason": f"last value of '{metric}' is {value}"})
        else:
            kept.append(info)
    names = sorted({name for info in kept for name in (info.hparams or {})})
    dimensions = [_dimension(name, [(info.hparams or {}).get(name) for info in kept]) for name in names]
    values = [float(metric_value(info, metric)) for info in kept]
    dimension = _dimension(metric, values)
    dimension["metric"] = True
    dimensions.append(dimension)
    return {"metric": metric, "runs": [info.name for info in kept],
            "colors": [colors.get(info.name) for info in kept],
            "values": values,           # the metric per run, which colours its line
            "dimensions": dimensions, "excluded": excluded,
            "choices": metric_choices(infos)}
