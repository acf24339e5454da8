"""Multi-resolution min/max buckets of a tag's scalars: built as rows are written, read to downsample.

Level k groups a tag's points, in step order, into buckets of
``schema.bucket_size(k)`` consecutive points and keeps each bucket's count,
first and last step, and its minimum and maximum with their step and wall time.
NaN values take no part in a minimum or maximum (an all-NaN bucket has NULL
ones). The writer computes only the buckets that new points touch, from those
points alone, level by level, and merges each level's first bucket with the
one still open from the previous flush. A downsampled read then touches a few
thousand bucket rows, whatever the length of the series.
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
    """Column arrays of consecutive buckets; ``index`` is each bucket's ordinal in its level."""

    index: np.ndarray
    count: np.ndarray
    step_first: np.ndarray
    step_last: np.ndarray
    min: np.ndarray
    min_step: np.ndarray
    min_wall: np.ndarray
    max: np.ndarray
    max_step: np.ndarray
    max_wall: np.ndarray

    @classmethod
    def of_points(cls, index, step, wall, value):
        """One single-point bucket per point (a point is its own min and max)."""
        return cls(index, np.ones(len(step), np.int64), step, step,
                   value, step, wall, value, step, wall)

    @classmethod
    def of_row(cls, index, row):
        """A single bucket from a stored row (the FIELDS columns, in order)."""
        first, last, count, mn, mn_step, mn_wall, mx, mx_step, mx_wall = row
        nan = float("nan")
        return cls(
            np.array([index], np.int64), np.array([count], np.int64),
            np.array([first], np.int64), np.array([last], np.int64),
            np.array([nan if mn is None else mn]), np.array([mn_step], np.int64),
            np.array([mn_wall], np.float64),
            np.array([nan if mx is None else mx]), np.array([mx_step], np.int64),
            np.array([mx_wall], np.float64),
        )

    def __len__(self):
        return len(self.index)

    def take(self, where):
        """The buckets at ``where`` (an index array or a slice)."""
        return Buckets(*(getattr(self, f.name)[where] for f in fields(self)))

    def concat(self, other):
        return Buckets(*(np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                         for f in fields(self)))

    def rows(self):
        """Plain Python rows of the FIELDS columns (NaN extremes become NULL in SQLite)."""
        return list(zip(*(getattr(self, name).tolist() for name in FIELDS)))


def _first_hit(hit, starts):
    """Index of the first True of each group, or -1 where a group has none."""
    n = len(hit)
    pos = np.where(hit, np.arange(n), n)
    first = np.minimum.reduceat(pos, starts)
    return np.where(first == n, -1, first)


def _extreme(values, starts, lens, ufunc, fill):
    """Per group, the index of the first element holding the group's min (or max), ignoring NaN."""
    missing = np.isnan(values)
    key = np.where(missing, fill, values)
    best = ufunc.reduceat(key, starts)
    hit = (key == np.repeat(best, lens)) & ~missing
    first = _first_hit(hit, starts)
    return np.where(first < 0, starts, first)  # all-NaN group: its first element (a NaN)


def combine(b, index):
    """Merge consecutive buckets of ``b`` that share a value of ``index`` (non-decreasing)."""
    n = len(b)
    starts = np.flatnonzero(np.concatenate(([True], index[1:] != index[:-1])))
    ends = np.concatenate((starts[1:], [n]))
    lens = ends - starts
    lo = _extreme(b.min, starts, lens, np.minimum, np.inf)
    hi = _extreme(b.max, starts, lens, np.maximum, -np.inf)
    return Buckets(
        index[starts], np.add.reduceat(b.count, starts),
        b.step_first[starts], b.step_last[ends - 1],
        b.min[lo], b.min_step[lo], b.min_wall[lo],
        b.max[hi], b.max_step[hi], b.max_wall[hi],
    )


def merge_open(open_bucket, new):
    """``new`` with its first bucket merged into ``open_bucket`` when they are the same bucket."""
    if open_bucket is None or open_bucket.index[0] != new.index[0]:
        return new
    first = combine(open_bucket.concat(new.take(slice(0, 1))), np.zeros(2, np.int64))
    return first.concat(new.take(slice(1, None)))


def update_levels(base, step, wall, value, open_buckets):
    """Buckets of every level touched by points appended at ordinals ``base...``.

    ``open_buckets[k]`` is level k's last stored bucket (or None). Returns
    ``(per_level, top)``: the merged buckets to store for each level, and the
    new points reduced to one bucket (for the tag's running summary).
    """
    ordinals = base + np.arange(len(step), dtype=np.int64)
    fresh = combine(Buckets.of_points(ordinals, step, wall, value), ordinals // schema.BUCKET_BASE)
    per_level = []
    for level in range(schema.BUCKET_LEVELS):
        if level:
            fresh = combine(fresh, fresh.index // schema.BUCKET_FANOUT)
        per_level.append(merge_open(open_buckets[level], fresh))
    top = combine(fresh, np.zeros(len(fresh), np.int64))
    return per_level, top


# -- reading -------------------------------------------------------------------------

_COUNT_FULL = """
SELECT count(*) FROM (
    SELECT 1 FROM scalar_buckets
    WHERE tag_id = :tag AND level = :level AND step_first >= :start AND step_first <= :end
      AND step_last <= :end
    LIMIT :cap)"""

_FULL_SPAN = """
SELECT min(step_first), max(step_last) FROM scalar_buckets
WHERE tag_id = :tag AND level = :level AND step_first >= :start AND step_first <= :end
  AND step_last <= :end"""

# Units are raw points at both edges of the range and whole buckets between them;
# each unit joins one of :groups groups of about equal point count, then each group
# yields its minimum and its maximum. SQLite takes a bare column (the step) from the row
# holding the min or max only when that is the query's single aggregate: keep it so.
_DOWNSAMPLE = """
WITH units(step_first, cnt, mn, mn_step, mn_wall, mx, mx_step, mx_wall) AS (
    SELECT step, 1, value, step, wall_time, value, step, wall_time FROM scalars
    WHERE tag_id = :tag AND step >= :start AND step < :lo
    UNION ALL
    SELECT step_first, count, min, min_step, min_wall_time, max, max_step, max_wall_time
    FROM scalar_buckets
    WHERE tag_id = :tag AND level = :level AND step_first >= :lo AND step_last <= :hi
    UNION ALL
    SELECT step, 1, value, step, wall_time, value, step, wall_time FROM scalars
    WHERE tag_id = :tag AND step > :hi AND step <= :end
), grouped AS (
    SELECT *,
        (sum(cnt) OVER (ORDER BY step_first ROWS UNBOUNDED PRECEDING) - cnt) * :groups
            / sum(cnt) OVER () AS g,
        sum(cnt) OVER () AS total
    FROM units
)
SELECT step, wall, v IS NULL, ifnull(v, 0.0), total FROM (
    SELECT mn_step AS step, mn_wall AS wall, min(mn) AS v, total FROM grouped GROUP BY g
    UNION
    SELECT mx_step, mx_wall, max(mx), total FROM grouped GROUP BY g)
"""


def choose_level(conn, tag_id, start, end, groups):
    """The finest level with at most 4*groups whole buckets in [start, end], or None."""
    cap = schema.BUCKET_FANOUT * groups + 1
    chosen = None
    for level in reversed(range(schema.BUCKET_LEVELS)):
        params = {"tag": tag_id, "level": level, "start": start, "end": end, "cap": cap}
        count = conn.execute(_COUNT_FULL, params).fetchone()[0]
        if count >= cap:
            break
        if count:
            chosen = level
    return chosen


def downsample(conn, tag_id, start, end, groups):
    """Rows (step, wall_time, value_is_null, value, total) of each group's min and max point.

    ``start``/``end`` must lie within the tag's steps. Reads O(groups) bucket rows
    plus at most one bucket's worth of raw points at each edge.
    """
    level = choose_level(conn, tag_id, start, end, groups)
    lo, hi = end + 1, end  # no buckets: every point is a raw unit
    if level is not None:
        params = {"tag": tag_id, "level": level, "start": start, "end": end}
        lo, hi = conn.execute(_FULL_SPAN, params).fetchone()
    params = {"tag": tag_id, "level": -1 if level is None else level, "start": start,
              "end": end, "lo": lo, "hi": hi, "groups": groups}
    return conn.execute(_DOWNSAMPLE, params).fetchall()
