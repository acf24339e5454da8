"""Custom-scalars layouts as PyTorch's add_custom_scalars takes them: charts that gather tags
(of every run) on one chart.

A layout is ``{category: {title: [kind, tags]}}``, kind "Multiline" (one line per tag) or
"Margin" (three tags: a value and its lower and upper bound, drawn as a band); a tag may be a
regular expression, as TensorBoard's custom-scalars plugin matches it.
"""

import json
import re
from collections.abc import Mapping

from .validate import check_tag

KINDS = {"multiline": None, "margin": 3}  # kind -> the number of tags it needs (None: any)


def chart_rows(layout):
    """schema.ChartRow tuples (category, title, kind, tags JSON) of a layout."""
    if not isinstance(layout, Mapping):
        raise TypeError("layout must be a dict {category: {title: [kind, tags]}}, got "
                        f"{type(layout).__name__}")
    rows = []
    for category, charts in layout.items():
        check_tag(category, "layout category")
        if not isinstance(charts, Mapping):
            raise TypeError(f"layout category '{category}' must be a dict {{title: [kind, tags]}}, "
                            f"got {type(charts).__name__}")
        for title, chart in charts.items():
            rows.append((category, check_tag(title, f"chart title in '{category}'"),
                         *_chart(category, title, chart)))
    return rows


def _chart(category, title, chart):
    where = f"chart '{category}/{title}'"
    if isinstance(chart, (str, bytes)) or not hasattr(chart, "__len__") or len(chart) != 2:
        raise ValueError(f"{where} must be [kind, tags] with kind 'Multiline' or 'Margin', "
                         f"got {chart!r}")
    kind, tags = chart
    kind = kind.lower() if isinstance(kind, str) else kind
    if kind not in KINDS:
        raise ValueError(f"{where}: the kind must be 'Multiline' or 'Margin', got {chart[0]!r}")
    if isinstance(tags, str) or not all(isinstance(tag, str) for tag in tags):
        raise TypeError(f"{where}: tags must be a list of str, got {tags!r}")
    tags = list(tags)
    if not tags or (KINDS[kind] and len(tags) != KINDS[kind]):
        need = "3 tags (value, lower, upper)" if KINDS[kind] else "at least one tag"
        raise ValueError(f"{where}: a {chart[0]} chart needs {need}, got {len(tags)}")
    for tag in tags:
        try:
            re.compile(tag)
        except re.error as exc:
            raise ValueError(f"{where}: tag {tag!r} is not a valid regular expression ({exc})") from None
    return kind, json.dumps(tags)
