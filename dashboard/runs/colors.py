"""One colour per run, the same on every page and across reloads.

Runs take the palette's colours in the order they started (ties broken by
name): the first run gets the first colour, and so on, wrapping after the
last. The palette lists its most distinct colours first, so a handful of runs
always look different. A run that appears while the dashboard is open started
last, so it never changes the colours of the runs already on screen; runs
whose start is unknown (unreadable files) come after all others.
"""

import math

PALETTE = (
    # d3's category10, minus its grey: ten colours anyone can tell apart.
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    # Then darker and brighter hues that stay apart from those.
    "#000080", "#00a087", "#b8860b", "#ff1493", "#4b0082",
    "#32cd32", "#800000", "#1e90ff", "#ff4500", "#708090", "#000000",
)


def started(item):
    name, start = item
    unknown = start is None or not math.isfinite(start)
    return (unknown, 0.0 if unknown else start, name)


def assign_colors(runs):
    """Map run name -> colour for `runs`, an iterable of (name, start_time) pairs."""
    ordered = sorted(runs, key=started)
    return {name: PALETTE[i % len(PALETTE)] for i, (name, _) in enumerate(ordered)}


def run_colors(infos):
    """Map run name -> colour for the tracker's RunInfos (every run of the logdir, for stable colours)."""
    return assign_colors((info.name, info.start_time) for info in infos)
