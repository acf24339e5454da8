"""Which charts the Scalars page shows, grouped by tag prefix: a plain function of RunInfos (no Flask here)."""


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
