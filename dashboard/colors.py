"""One colour per run, the same on every page and across reloads.

A run's home colour is a stable hash (CRC-32) of its name into a qualitative
palette. When two runs share a home colour, the run that started later moves
to the next free colour, so a run that appears while the dashboard is open
never changes the colours of the runs already on screen. With more runs than
colours, the extra runs keep their home colour.
"""

import math
import zlib

PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
    "#393b79", "#e6550d", "#31a354", "#ad494a", "#7b4173",
    "#3182bd", "#d6616b", "#637939", "#8c6d31", "#843c39",
)


def home_index(name, size=len(PALETTE)):
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % size


def assign_colors(runs):
    """Map run name -> colour for `runs`, an iterable of (name, start_time) pairs."""
    def started(item):
        name, start = item
        unknown = start is None or not math.isfinite(start)
        return (unknown, 0.0 if unknown else start, name)

    taken = set()
    colors = {}
    for name, _ in sorted(runs, key=started):
        home = home_index(name)
        index = home
        for probe in range(len(PALETTE)):
            candidate = (home + probe) % len(PALETTE)
            if candidate not in taken:
                index = candidate
                break
        taken.add(index)
        colors[name] = PALETTE[index]
    return colors
