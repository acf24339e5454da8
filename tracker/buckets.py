"""Multi-resolution min/max buckets of a tag's scalars: built as rows are written, read to downsample.

Level k groups a tag's points, in step order, into buckets of
``schema.bucket_size(k)`` consecutive points and keeps each bucket's count,
first and last step, and its minimum and maximum with their step and wall time.
NaN values take no part in a minimum or maximum (an all-NaN bucket has NULL
ones). Only complete buckets are stored: the writer keeps each level's
incomplete tail in memory (a Pyramid) and, at each flush, turns new points into
level-0 buckets, every BUCKET_FANOUT of those into one level-1 bucket, and so
on, stopping at the first level with nothing new. A downsampled read touches a
few thousand bucket rows plus raw points at the edges, whatever the length of
the series.
"""

from dataclasses import dataclass, fields

import numpy as np

from . import schema

#: Stored columns of a bucket, in scalar_buckets' column order (after tag_id, level).
FIELDS = (
    "step_first", "step_last", "count",
    "min", "min_step", "min_wall", "max", "max_step", "max_wall",
)


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

    @classmethod
    def of_points(cls, step, wall, value):
        """One single-point bucket per point (a point is its own min and max)."""
        return cls(step, step, np.ones(len(step), np.int64), value, step, wall, value, step, wall)

    @classmethod
    def of_rows(cls, rows):
        """Buckets from stored rows (the FIELDS columns, in order; NULL extremes are NaN)."""
        dtype = [(name, "<f8" if name in ("min", "max", "min_wall", "max_wall") else "<i8")
                 for name in FIELDS]
        nan = float("nan")
        data = np.array([tuple(nan if v is None else v for v in row) for row in rows], dtype=dtype)
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
        """Plain Python rows of the FIELDS columns (NaN extremes become NULL in SQLite)."""
        return list(zip(*(getattr(self, name).tolist() for name in FIELDS)))


def empty():
    none_i, none_f = np.empty(0, np.int64), np.empty(0, np.float64)
    return Buckets(none_i, none_i, none_i, none_f, none_i, none_f, none_f, none_i, none_f)


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
    return Buckets(
        b.step_first[::size], b.step_last[size - 1::size], b.count.reshape(-1, size).sum(axis=1),
        b.min[lo], b.min_step[lo], b.min_wall[lo], b.max[hi], b.max_step[hi], b.max_wall[hi],
    )


def reduce_points(step, wall, value, size):
    """Every ``size`` consecutive points (a multiple of size) as one level-0 bucket."""
    values = value.reshape(-1, size)
    missing = np.isnan(values)
    rows = np.arange(len(values)) * size
    lo = rows + extreme_index(values, True, missing)
    hi = rows + extreme_index(values, False, missing)
    return Buckets(step[::size], step[size - 1::size], np.full(len(values), size, np.int64),
                   value[lo], step[lo], wall[lo], value[hi], step[hi], wall[hi])


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

# The whole buckets of a level inside [start, end] are consecutive: two index seeks find
# the first and the last (their ordinals give the count), whatever the range's length.
_WHOLE = """
SELECT bucket, step_first, step_last FROM scalar_buckets
WHERE tag_id = :tag AND level = :level AND step_first >= :start AND step_first <= :end
  AND step_last <= :end
ORDER BY step_first {order} LIMIT 1"""
_FIRST_WHOLE = _WHOLE.format(order="ASC")
_LAST_WHOLE = _WHOLE.format(order="DESC")

_EDGE_COUNT = """
SELECT (SELECT count(*) FROM scalars WHERE tag_id = :tag AND step >= :start AND step < :lo),
       (SELECT count(*) FROM scalars WHERE tag_id = :tag AND step > :hi AND step <= :end)"""

# Each group yields its minimum and its maximum point. SQLite takes a bare column (the
# step) from the row holding the min or max only when that is the query's single
# aggregate: keep it so.
_EXTREMES = """
SELECT step, wall, v IS NULL, ifnull(v, 0.0) FROM (
    SELECT mn_step AS step, mn_wall AS wall, min(mn) AS v FROM units GROUP BY g
    UNION
    SELECT mx_step, mx_wall, max(mx) FROM units GROUP BY g)"""

# Whole buckets of one level between the range's edges, in :groups groups of equal
# bucket count (plain arithmetic on the bucket ordinal); the raw points at each edge,
# fewer than one bucket's worth, form one group each.
_FROM_BUCKETS = """
WITH units(g, mn, mn_step, mn_wall, mx, mx_step, mx_wall) AS (
    SELECT -1, value, step, wall_time, value, step, wall_time FROM scalars
    WHERE tag_id = :tag AND step >= :start AND step < :lo
    UNION ALL
    SELECT (bucket - :first) * :groups / :buckets,
           min, min_step, min_wall_time, max, max_step, max_wall_time
    FROM scalar_buckets
    WHERE tag_id = :tag AND level = :level AND step_first >= :lo AND step_first <= :hi
      AND step_last <= :hi
    UNION ALL
    SELECT :groups, value, step, wall_time, value, step, wall_time FROM scalars
    WHERE tag_id = :tag AND step > :hi AND step <= :end
)""" + _EXTREMES

# Raw points in :groups groups of consecutive points (for ranges too short for buckets).
_FROM_POINTS = """
WITH units(g, mn, mn_step, mn_wall, mx, mx_step, mx_wall) AS (
    SELECT (row_number() OVER (ORDER BY step) - 1) * :groups / :total,
           value, step, wall_time, value, step, wall_time FROM scalars
    WHERE tag_id = :tag AND step >= :start AND step <= :end
)""" + _EXTREMES


def choose_level(conn, tag_id, start, end, groups):
    """The finest level with at most 4*groups whole buckets in [start, end], as
    (level, first bucket, last bucket, first step, last step); None if no level has any.
    """
    chosen = None
    for level in reversed(range(schema.BUCKET_LEVELS)):
        params = {"tag": tag_id, "level": level, "start": start, "end": end}
        first = conn.execute(_FIRST_WHOLE, params).fetchone()
        if first is None:
            continue
        last = conn.execute(_LAST_WHOLE, params).fetchone()
        if last[0] - first[0] + 1 > schema.BUCKET_FANOUT * groups:
            break
        chosen = (level, first[0], last[0], first[1], last[2])
    return chosen


def downsample(conn, tag_id, start, end, max_points):
    """(rows, total): about ``max_points - 2`` points of [start, end] as (step, wall_time,
    value_is_null, value) rows, each group's min and max, and the range's point count.

    The caller adds the range's first and last points. Reads at most about 2*max_points
    bucket rows plus fewer than two buckets' worth of raw points at the edges; or, for a
    range too short to fill its groups with level-0 buckets (or a budget under 8), its
    raw points.
    """
    params = {"tag": tag_id, "start": start, "end": end}
    groups = (max_points - 6) // 2  # two edge groups as well, two points per group
    chosen = choose_level(conn, tag_id, start, end, groups) if groups > 0 else None
    if chosen is None or chosen[0] == 0 and chosen[2] - chosen[1] + 1 < groups:
        params["groups"] = (max_points - 2) // 2
        params["total"] = conn.execute(
            "SELECT count(*) FROM scalars WHERE tag_id = :tag AND step >= :start AND step <= :end",
            params).fetchone()[0]
        if not params["groups"]:
            return [], params["total"]
        return conn.execute(_FROM_POINTS, params).fetchall(), params["total"]
    level, params["first"], last, params["lo"], params["hi"] = chosen
    params.update(groups=groups, level=level, buckets=last - params["first"] + 1)
    left, right = conn.execute(_EDGE_COUNT, params).fetchone()
    total = left + params["buckets"] * schema.bucket_size(level) + right
    return conn.execute(_FROM_BUCKETS, params).fetchall(), total
