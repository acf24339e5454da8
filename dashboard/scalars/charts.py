"""Which charts the Scalars page shows, grouped by tag prefix: a plain function of RunInfos (no Flask here)."""

import re2


def group_name(tag):
    """Tags are grouped by the prefix before their first "/" (TensorBoard's rule)."""
    return tag.split("/", 1)[0] if "/" in tag else tag


def chart_groups(infos, tag_regex=None):
    """Scalar charts of `infos`, grouped by prefix, for the Scalars page.

    Tags that share a TagInfo.chart (one add_scalars call) become one chart;
    every other tag is a chart of its own. Returns
    [{"name": group, "charts": [{"chart", "tags", "runs"}]}], sorted by name. `tag_regex`, a
    compiled pattern (dashboard.web.params.regex), keeps the tags it finds.
    """
    charts = {}
    for info in infos:
        for tag, tag_info in info.tags.items():
            if tag_info.kind != "scalar":
                continue
            if tag_regex and not tag_regex.search(tag):
                continue
            key = tag_info.chart or tag
            # runs as an ordered set: a list's `in` made this quadratic (1 s at 10,000 runs)
            chart = charts.setdefault(key, {"chart": key, "tags": [], "runs": {}})
            if tag not in chart["tags"]:
                chart["tags"].append(tag)
            chart["runs"][info.name] = None
    groups = {}
    for key in sorted(charts):
        chart = charts[key]
        chart["tags"].sort()
        chart["runs"] = list(chart["runs"])
        groups.setdefault(group_name(key), []).append(chart)
    return [{"name": name, "charts": groups[name]} for name in sorted(groups)]


#: Custom-scalars charts are keyed apart from tag charts (pinning and the page's maps use the key).
CUSTOM_KEY = "custom:"


def custom_groups(infos):
    """The custom-scalars layouts of `infos` (add_custom_scalars), merged across runs as
    TensorBoard merges them: a group per category, before the tag groups, each chart
    {"chart": key, "title", "kind": "multiline" | "margin", "tags", "runs"}. A multiline chart's
    tags are those of any run that fully match one of its regular expressions; a margin
    chart's are its three tags (value, lower, upper) as given."""
    layout = {}
    for info in infos:
        for category, charts in info.charts.items():
            for title, chart in charts.items():
                layout.setdefault(category, {}).setdefault(title, chart)
    scalar_tags = {info.name: {t for t, i in info.tags.items() if i.kind == "scalar"} for info in infos}
    groups = []
    for category in sorted(layout):
        charts = []
        for title in sorted(layout[category]):
            chart = layout[category][title]
            if chart["kind"] == "margin":
                if len(chart["tags"]) != 3:  # a file written by hand: no band to draw
                    continue
                tags = list(chart["tags"])
                runs = [name for name, have in scalar_tags.items() if tags[0] in have]
            else:
                patterns = [_compiled(pattern) for pattern in chart["tags"]]
                found = {name: sorted(t for t in have if any(p and p.fullmatch(t) for p in patterns))
                         for name, have in scalar_tags.items()}
                tags = sorted({t for matched in found.values() for t in matched})
                runs = [name for name, matched in found.items() if matched]
            charts.append({"chart": f"{CUSTOM_KEY}{category}/{title}", "title": title,
                           "kind": chart["kind"], "tags": tags, "runs": runs})
        groups.append({"name": category, "custom": True, "charts": charts})
    return groups


def _compiled(pattern):
    """A layout's tag regex compiled by RE2 (linear time: a run file is untrusted), or None for
    one it cannot compile."""
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except (re2.error, TypeError):
        return None
