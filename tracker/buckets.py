"""Multi-resolution min/max buckets of a tag's scalars: built as rows are written, read to downsample.

Level k groups a tag's points, in step order, into buckets of
``schema.bucket_size(k)`` consecutive points and keeps each bucket's count,
first and last step, its minimum and maximum with their step and wall time, and
the step and wall time of its first NaN (NULL if it has none). NaN values take no
part in a minimum or maximum (an all-NaN bucket has NULL ones); the first-NaN
point lets a downsampled read show that a series went NaN. Only complete buckets are stored: the writer keeps each level's
incomplete tail in memory (a Pyramid) and, at each flush, turns new points into
level-0 buckets, every BUCKET_FANOUT of those into one level-1 bucket, and so
on, stopping at the first level with nothing new. A downsampled read takes at
most about max_points rows of one level and a few SQL aggregates over the raw
points at the range's edges, whatever the length of the series, and merges
them in numpy.
"""

from dataclasses import dataclass, fields

import numpy as np

from . import schema

#: Stored columns of a bucket, in scalar_buckets' column order (after tag_id, level).
FIELDS = (
    "step_first", "step_last", "count",
    "min", "min_step", "min_wall", "max", "max_step", "max_wall", "nan_step", "nan_wall",
)
_FLOATS = ("min", "max", "min_wall", "max_wall", "nan_wall")
_ROW = np.dtype([(name, "<f8" if name in _FLOATS else "<i8") for name in FIELDS])


@dataclass
class Buckets:
    """Column arrays of consecutive buckets of one level."""

    step_first: np.ndarray
    step_last: np.ndarray
    count: np.ndarray
    min: np.ndarray
    min_step: np.ndarray
    min_wall: np.ndarray
    max: np.ndarray
    max_step: np.ndarray
    max_wall: np.ndarray
    #: The first NaN's step (any number where there is none) and wall time (NaN where none:
    #: a stored wall time is never NaN, so this marks the buckets that hold a NaN).
    nan_step: np.ndarray
    nan_wall: np.ndarray

    @classmethod
    def of_points(cls, step, wall, value):
        """One single-point bucket per point (a point is its own min, max and NaN if it is one)."""
        return cls(step, step, np.ones(len(step), np.int64), value, step, wall, value, step, wall,
                   step, np.where(np.isnan(value), wall, np.nan))

    @classmethod
    def of_rows(cls, rows):
        """Buckets from stored rows (the FIELDS columns, in order; NULL extremes and nan_wall
        read as NaN; nan_step must not be NULL: select it with coalesce)."""
        data = np.array(rows, dtype=_ROW)
        return cls(*(data[name].copy() for name in FIELDS))

    def __len__(self):
        return len(self.step_first)

    def take(self, where):
        return Buckets(*(getattr(self, f.name)[where] for f in fields(self)))

    def concat(self, other):
        if not len(self):
            return other
        return Buckets(*(np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                         for f in fields(self)))

    def rows(self):
        """Plain Python rows of the FIELDS columns (NaN extremes and nan_wall become NULL in
        SQLite; nan_step is None where the bucket has no NaN)."""
        columns = [getattr(self, name).tolist() for name in FIELDS]
        no_nan = np.isnan(self.nan_wall)
        if no_nan.all():  # the usual case: skip building an object array
            columns[FIELDS.index("nan_step")] = [None] * len(no_nan)
        elif no_nan.any():
            columns[FIELDS.index("nan_step")] = np.where(no_nan, None, self.nan_step).tolist()
        return list(zip(*columns))


def empty():
    none_i, none_f = np.empty(0, np.int64), np.empty(0, np.float64)
    return Buckets(none_i, none_i, none_i, none_f, none_i, none_f, none_f, none_i, none_f,
                   none_i, none_f)


def first_nan(has_nan):
    """Per row of a 2-D boolean array, the column of its first True (0 if none)."""
    return has_nan.argmax(axis=1)


def extreme_index(values, lowest, missing=None):
    """Per row of a 2-D array, the column of its first minimum (or maximum), ignoring NaN.

    An all-NaN row gives column 0 (a NaN: the bucket has no extreme). ``missing`` is
    ``np.isnan(values)``, if the caller has it already.
    """
    missing = np.isnan(values) if missing is None else missing
    key = np.where(missing, np.inf if lowest else -np.inf, values)
    index = key.argmin(axis=1) if lowest else key.argmax(axis=1)
    rows = np.arange(len(values))
    wrong = missing[rows, index] & ~missing.all(axis=1)
    for row in np.flatnonzero(wrong):  # the extreme is an infinity that a NaN came before
        index[row] = np.flatnonzero(~missing[row])[0]
    return index


def reduce_groups(b, size):
    """Every ``size`` consecutive buckets of ``b`` (a multiple of size) merged into one."""
    rows = np.arange(len(b) // size) * size
    lo = rows + extreme_index(b.min.reshape(-1, size), lowest=True)
    hi = rows + extreme_index(b.max.reshape(-1, size), lowest=False)
    nan = rows + first_nan(~np.isnan(b.nan_wall.reshape(-1, size)))
    return Buckets(
        b.step_first[::size], b.step_last[size - 1::size], b.count.reshape(-1, size).sum(axis=1),
        b.min[lo], b.min_step[lo], b.min_wall[lo], b.max[hi], b.max_step[hi], b.max_wall[hi],
        b.nan_step[nan], b.nan_wall[nan],
    )


def reduce_points(step, wall, value, size):
    """Every ``size`` consecutive points (a multiple of size) as one level-0 bucket."""
    values = value.reshape(-1, size)
    missing = np.isnan(values)
    rows = np.arange(len(values)) * size
    lo = rows + extreme_index(values, True, missing)
    hi = rows + extreme_index(values, False, missing)
    nan = rows + first_nan(missing)
    nan_wall = np.where(missing.any(axis=1), wall[nan], np.nan)
    return Buckets(step[::size], step[size - 1::size], np.full(len(values), size, np.int64),
                   value[lo], step[lo], wall[lo], value[hi], step[hi], wall[hi],
                   step[nan], nan_wall)


def group_size(level):
    """How many units of the level below make one bucket of ``level`` (points for level 0)."""
    return schema.BUCKET_BASE if level == 0 else schema.BUCKET_FANOUT


class Pyramid:
    """The writer's incomplete bucket of each level, turned into stored buckets as points arrive."""

    def __init__(self, count=0, tails=None):
        #: Complete buckets so far per level: the ordinal of the next one.
        self.done = [count // schema.bucket_size(level) for level in range(schema.BUCKET_LEVELS)]
        self.tails = tails or [empty() for _ in range(schema.BUCKET_LEVELS)]

    def add(self, step, wall, value):
        """[(level, ordinal of the first, Buckets)] completed by points appended after all others."""
        completed = []
        tail = self.tails[0]
        if len(tail):
            step, wall, value = (np.concatenate(pair) for pair in (
                (tail.step_first, step), (tail.min_wall, wall), (tail.min, value)))
        whole = len(step) // schema.BUCKET_BASE * schema.BUCKET_BASE
        self.tails[0] = Buckets.of_points(step[whole:], wall[whole:], value[whole:])
        if not whole:
            return completed
        units = reduce_points(step[:whole], wall[:whole], value[:whole], schema.BUCKET_BASE)
        for level in range(schema.BUCKET_LEVELS):
            if level:
                size = group_size(level)
                whole = len(units) // size * size
                self.tails[level] = units.take(slice(whole, None))
                if not whole:
                    break
                units = reduce_groups(units.take(slice(0, whole)), size)
            completed.append((level, self.done[level], units))
            self.done[level] += len(units)
            if level + 1 < schema.BUCKET_LEVELS:
                units = self.tails[level + 1].concat(units)
        return completed

    @staticmethod
    def tail_lengths(count):
        """How many units each level's tail holds once ``count`` points were added."""
        lengths, below = [], count
        for level in range(schema.BUCKET_LEVELS):
            size = group_size(level)
            lengths.append(below % size)
            below //= size
        return lengths


def extremes(value):
    """(index of the first minimum, index of the first maximum) ignoring NaN; None if all NaN."""
    row = value.reshape(1, -1)
    if np.isnan(value).all():
        return None
    return int(extreme_index(row, True)[0]), int(extreme_index(row, False)[0])


# -- reading -------------------------------------------------------------------------

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
