"""The read side of the scalar buckets: a tag's points over a step range, downsampled to a point budget.

A downsampled read takes at most about max_points rows of one bucket level
(stored by the writer, see pyramid.py) and a few SQL aggregates over the raw
points at the range's edges, whatever the length of the series, and merges them
in numpy: the range's first and last points, and per group of consecutive units
its minimum, its maximum and its first NaN point.
"""

import numpy as np

from . import schema
from .extremes import extreme_index

#: A unit of a downsampled read: a bucket (or a few raw points, or one point) as its
#: minimum point, its maximum point and its first NaN point (wall time NaN if it has none).
UNIT = np.dtype([("low", schema.POINT), ("high", schema.POINT), ("nan", schema.POINT)])
#: A unit as SQL returns it: UNIT without the NaN point's value, which is always NaN
#: (a constant column would cost a Python float per row, and rows are a read's bulk).
_UNIT_ROW = np.dtype([(f"{end}_{name}", kind) for end in ("low", "high", "nan")
                      for name, (kind, _) in schema.POINT.fields.items()][:-1])

#: A read takes the finest level with at most this many units per group: more units make
#: the groups' edges finer, fewer make the read faster (a row costs about 1 us in sqlite3).
UNITS_PER_GROUP = 2

# The whole buckets of a level inside [start, end] are consecutive: two index seeks find
# the first and the last (their ordinals give the count), whatever the range's length.
_WHOLE = """
SELECT first.bucket, first.step_first, last.bucket, last.step_last FROM
  (SELECT bucket, step_first FROM scalar_buckets
   WHERE tag_id = :tag AND level = :level AND step_first >= :start AND step_first <= :end
     AND step_last <= :end ORDER BY step_first LIMIT 1) AS first,
  (SELECT bucket, step_last FROM scalar_buckets
   WHERE tag_id = :tag AND level = :level AND step_first >= :start AND step_first <= :end
     AND step_last <= :end ORDER BY step_first DESC LIMIT 1) AS last"""

# A level's whole buckets in [lo, hi] as units (_UNIT_ROW), in step order (an index range read).
_LEVEL_UNITS = """
SELECT min_step, min_wall_time, min, max_step, max_wall_time, max,
       coalesce(nan_step, 0), nan_wall_time FROM scalar_buckets
WHERE tag_id = :tag AND level = :level AND step_first >= :lo AND step_first <= :hi
  AND step_last <= :hi ORDER BY step_first"""

# The raw points of [a, b] as one unit (their count, then the _UNIT_ROW columns); both
# steps NULL when there are none. SQLite takes a bare column (step, wall_time) from the row
# holding the min or max only when that is its query's single aggregate: keep each extreme
# in its own subquery. NaN is stored as NULL: the first NULL value is the unit's first NaN
# (none: NULL columns). (Both edges and the ends in one statement were tried: SQLite then
# materializes every subquery in a temporary table and the read took several times longer.)
_EDGE_UNIT = """
SELECT n, low.step, low.wall_time, low.value, high.step, high.wall_time, high.value,
       coalesce(nan.step, 0), nan.wall_time FROM
  (SELECT count(*) AS n FROM scalars WHERE tag_id = :tag AND step >= :a AND step <= :b),
  (SELECT step, wall_time, min(value) AS value FROM scalars
   WHERE tag_id = :tag AND step >= :a AND step <= :b) AS low,
  (SELECT step, wall_time, max(value) AS value FROM scalars
   WHERE tag_id = :tag AND step >= :a AND step <= :b) AS high
  LEFT JOIN (SELECT step, wall_time FROM scalars WHERE tag_id = :tag AND step >= :a
             AND step <= :b AND value IS NULL ORDER BY step LIMIT 1) AS nan ON 1"""

# The first and the last point of [start, end] (a range known to hold points).
_ENDS = f"""
SELECT * FROM ({schema.SELECT_POINTS} WHERE tag_id = :tag AND step >= :start ORDER BY step LIMIT 1)
UNION ALL
SELECT * FROM ({schema.SELECT_POINTS} WHERE tag_id = :tag AND step <= :end ORDER BY step DESC LIMIT 1)"""

_RANGE = f"{schema.SELECT_POINTS} WHERE tag_id = ? AND step >= ? AND step <= ? ORDER BY step"


def unit_array(rows):
    """A UNIT array of _UNIT_ROW rows (every NaN point's value is NaN)."""
    # fromiter: a known length of flat rows converts faster than through np.array.
    data = np.fromiter(rows, dtype=_UNIT_ROW, count=len(rows))
    units = np.empty(len(data), UNIT)
    for name in _UNIT_ROW.names:
        end, column = name.split("_", 1)
        units[end][column] = data[name]
    units["nan"]["value"] = np.nan
    return units


def read_points(conn, tag_id, start, end):
    """Every point of the tag with start <= step <= end, as a schema.POINT array."""
    return np.array(conn.execute(_RANGE, (tag_id, start, end)).fetchall(), dtype=schema.POINT)


def edge_unit(conn, params, a, b):
    """The raw points of [a, b] as an _EDGE_UNIT row; not queried when the range is empty
    (a read of a whole series starts at its first bucket, so its left edge always is)."""
    if a > b:
        return (0,)
    return conn.execute(_EDGE_UNIT, dict(params, a=a, b=b)).fetchone()


def whole_buckets(conn, tag_id, level, start, end):
    """(first ordinal, its first step, last ordinal, its last step) of the level's whole
    buckets in [start, end]; None if there are none."""
    return conn.execute(_WHOLE, {"tag": tag_id, "level": level, "start": start,
                                 "end": end}).fetchone()


def whole_counts(first, last):
    """Whole buckets per level in a range whose whole level-0 buckets are first..last.

    Bucket b of level k holds level-0 buckets b * 4**k to (b + 1) * 4**k - 1, so the
    counts follow from the ordinals alone.
    """
    counts = []
    for level in range(schema.BUCKET_LEVELS):
        span = schema.BUCKET_FANOUT**level
        counts.append((last + 1) // span - -(-first // span))
    return counts


def choose_level(first, last, most):
    """The finest level with at most ``most`` whole buckets in the range (else the coarsest
    with any), from the range's whole level-0 buckets first..last."""
    counts = whole_counts(first, last)
    having = [level for level, count in enumerate(counts) if count > 0]
    return next((level for level in having if counts[level] <= most), having[-1])


def group_of(units, n, groups):
    """The group of each of the given unit indices when n units form ``groups`` groups
    (the grouping group_extremes uses)."""
    return units if groups >= n else units * groups // n


def group_extremes(values, groups, lowest):
    """Index of the first minimum (or maximum) of each of ``groups`` runs of consecutive
    ``values`` of nearly equal length, ignoring NaN (a run's first value if all are NaN)."""
    n = len(values)
    if groups >= n:  # each value is a group of its own
        return np.arange(n)
    if not groups:
        return np.empty(0, np.intp)
    group = group_of(np.arange(n), n, groups)
    starts = np.searchsorted(group, np.arange(groups))
    grid = np.full((groups, -(-n // groups)), np.nan)
    grid[group, np.arange(n) - starts[group]] = values
    return starts + extreme_index(grid, lowest)


def count_distinct(ordered):
    """How many distinct values a sorted array holds.

    Not len(np.unique(...)): without return_index, np.unique asks numpy.ma whether the
    array is masked, and importing numpy.ma costs about 20 ms of a fresh server's first
    chart request.
    """
    return 1 + int(np.count_nonzero(np.diff(ordered))) if len(ordered) else 0


def fit_groups(n, with_nan, budget):
    """The most groups of ``n`` units whose minimum and maximum points, plus one NaN point
    for each group holding a unit of ``with_nan`` (indices), fit in ``budget`` points."""
    groups = budget // 2
    while groups > 0:
        marked = count_distinct(group_of(with_nan, n, groups))
        if 2 * groups + marked <= budget:
            break
        groups = min(groups - 1, (budget - marked) // 2)  # ends by budget // 3 at the latest
    return max(groups, 0)


def merge(units, budget, ends):
    """The points to draw: ``ends`` and, within ``budget`` more points, the minimum and
    maximum point of each group of consecutive ``units`` and the first NaN point of each
    group that has one, in step order, each point once. Groups are as many as fit."""
    n = len(units)
    with_nan = np.flatnonzero(~np.isnan(units["nan"]["wall_time"]))
    groups = fit_groups(n, with_nan, budget)
    lows = units["low"][group_extremes(units["low"]["value"], groups, lowest=True)]
    highs = units["high"][group_extremes(units["high"]["value"], groups, lowest=False)]
    if groups:  # each group's first NaN: its first unit holding one
        _, first = np.unique(group_of(with_nan, n, groups), return_index=True)
        nans = units["nan"][with_nan[first]]
    else:
        nans = units["nan"][:0]
    points = np.concatenate([ends, lows, highs, nans])
    _, first = np.unique(points["step"], return_index=True)
    return points[first]


def downsample(conn, tag_id, start, end, max_points):
    """(points, total): at most ``max_points`` points of the tag in [start, end] (a
    schema.POINT array in step order) and the number of points the range holds.

    The range's first and last points are kept and, of up to (max_points - 2) / 2 groups
    of consecutive points, each one's minimum and maximum and, if it holds a NaN, its
    first NaN (counted in the budget: groups holding a NaN make fewer groups fit). The
    groups are made of units: the whole buckets of the finest level with at most
    UNITS_PER_GROUP units per group (one index range read), plus one unit for the raw
    points at each edge that those buckets miss (found by SQL aggregates, not read). A
    level holds a quarter of the buckets of the one below, so the chosen level fills at
    least half the groups; where even level 0 would fill fewer (a range of under about
    4 x max_points points), the points are read raw, each point a unit.
    """
    budget = max_points - 2
    groups = budget // 2
    whole0 = whole_buckets(conn, tag_id, 0, start, end)
    if whole0 is None or 2 * (whole0[2] - whole0[0] + 1) < groups:
        points = read_points(conn, tag_id, start, end)
        if len(points) <= max_points:
            return points, len(points)
        units = np.empty(len(points), UNIT)
        units["low"] = units["high"] = units["nan"] = points
        units["nan"]["wall_time"][~np.isnan(points["value"])] = np.nan
        return merge(units, budget, points[[0, -1]]), len(points)

    level = choose_level(whole0[0], whole0[2], UNITS_PER_GROUP * groups)
    first, lo, last, hi = whole0 if level == 0 else whole_buckets(conn, tag_id, level, start, end)
    params = {"tag": tag_id, "level": level, "lo": lo, "hi": hi, "start": start, "end": end}
    left, right = (edge_unit(conn, params, a, b) for a, b in ((start, lo - 1), (hi + 1, end)))
    edge = [[row[1:]] if row[0] else [] for row in (left, right)]
    rows = edge[0] + conn.execute(_LEVEL_UNITS, params).fetchall() + edge[1]
    units = unit_array(rows)
    ends = np.array(conn.execute(_ENDS, params).fetchall(), dtype=schema.POINT)
    total = left[0] + (last - first + 1) * schema.bucket_size(level) + right[0]
    return merge(units, budget, ends), total
