"""The write side of the scalar buckets: a tag's multi-resolution min/max buckets, built as points arrive.

Level k groups a tag's points, in step order, into buckets of
``schema.bucket_size(k)`` consecutive points and keeps each bucket's
schema.BucketStats. Only complete buckets are stored: the writer keeps each
level's incomplete tail in memory (a Pyramid) and, at each flush, turns new
points into level-0 buckets, every BUCKET_FANOUT of those into one level-1
bucket, and so on, stopping at the first level with nothing new. The read side,
which answers a downsampled read from these buckets, is downsample.py.
"""

from dataclasses import dataclass, fields

import numpy as np

from . import schema
from .extremes import extreme_index

#: The stored columns of a bucket after its key, in table order.
COLUMNS = schema.column_names(schema.BucketStats)
_ROW = schema.SCALAR_BUCKETS.dtype(*COLUMNS)


@dataclass
class Buckets(schema.BucketStats):
    """Consecutive buckets of one level, column by column: each BucketStats field holds a
    numpy array with an entry per bucket. nan_wall_time is NaN where a bucket holds no
    NaN (a stored wall time never is), and nan_step is then any number."""

    @classmethod
    def of_points(cls, step, wall_time, value):
        """One single-point bucket per point (a point is its own min, max and NaN if it is one)."""
        return cls(step_first=step, step_last=step, count=np.ones(len(step), np.int64),
                   min=value, min_step=step, min_wall_time=wall_time,
                   max=value, max_step=step, max_wall_time=wall_time,
                   nan_step=step, nan_wall_time=np.where(np.isnan(value), wall_time, np.nan))

    @classmethod
    def of_rows(cls, rows):
        """Buckets from stored rows of COLUMNS: a NULL reads as NaN, and as 0 in nan_step
        (NULL exactly where nan_wall_time is)."""
        nan_step = COLUMNS.index("nan_step")
        rows = [row[:nan_step] + (row[nan_step] or 0,) + row[nan_step + 1:] for row in rows]
        data = np.array(rows, dtype=_ROW)
        return cls(**{name: data[name].copy() for name in COLUMNS})

    @classmethod
    def empty(cls):
        return cls(**{name: np.empty(0, _ROW[name]) for name in COLUMNS})

    def __len__(self):
        return len(self.step_first)

    def take(self, where):
        return Buckets(**{name: getattr(self, name)[where] for name in COLUMNS})

    def concat(self, other):
        if not len(self):
            return other
        return Buckets(**{name: np.concatenate([getattr(self, name), getattr(other, name)])
                          for name in COLUMNS})

    def rows(self):
        """Plain Python rows of COLUMNS (NaN extremes and nan_wall_time become NULL in
        SQLite; nan_step is None where the bucket has no NaN)."""
        columns = {name: getattr(self, name).tolist() for name in COLUMNS}
        no_nan = np.isnan(self.nan_wall_time)
        if no_nan.all():  # the usual case: skip building an object array
            columns["nan_step"] = [None] * len(no_nan)
        elif no_nan.any():
            columns["nan_step"] = np.where(no_nan, None, self.nan_step).tolist()
        return list(zip(*columns.values()))


def first_nan(has_nan):
    """Per row of a 2-D boolean array, the column of its first True (0 if none)."""
    return has_nan.argmax(axis=1)


def reduce_groups(b, size):
    """Every ``size`` consecutive buckets of ``b`` (a multiple of size) merged into one."""
    rows = np.arange(len(b) // size) * size
    lo = rows + extreme_index(b.min.reshape(-1, size), lowest=True)
    hi = rows + extreme_index(b.max.reshape(-1, size), lowest=False)
    nan = rows + first_nan(~np.isnan(b.nan_wall_time.reshape(-1, size)))
    return Buckets(
        step_first=b.step_first[::size], step_last=b.step_last[size - 1::size],
        count=b.count.reshape(-1, size).sum(axis=1),
        min=b.min[lo], min_step=b.min_step[lo], min_wall_time=b.min_wall_time[lo],
        max=b.max[hi], max_step=b.max_step[hi], max_wall_time=b.max_wall_time[hi],
        nan_step=b.nan_step[nan], nan_wall_time=b.nan_wall_time[nan],
    )


def group_size(level):
    """How many units of the level below make one bucket of ``level`` (points for level 0)."""
    return schema.BUCKET_BASE if level == 0 else schema.BUCKET_FANOUT


class Pyramid:
    """The writer's incomplete bucket of each level, turned into stored buckets as points arrive."""

    def __init__(self, count=0, tails=None):
        #: Complete buckets so far per level: the ordinal of the next one.
        self.done = [count // schema.bucket_size(level) for level in range(schema.BUCKET_LEVELS)]
        #: Per level, the units (points as single-point buckets for level 0, else buckets
        #: of the level below) that do not make a whole bucket yet.
        self.tails = tails or [Buckets.empty() for _ in range(schema.BUCKET_LEVELS)]

    def add(self, step, wall_time, value):
        """[(level, ordinal of the first, Buckets)] completed by points appended after all others."""
        tail = self.tails[0]
        if len(tail):  # level 0's units are points: join them as three arrays, not eleven
            step, wall_time, value = (np.concatenate(pair) for pair in (
                (tail.step_first, step), (tail.min_wall_time, wall_time), (tail.min, value)))
        completed = []
        units = Buckets.of_points(step, wall_time, value)
        for level in range(schema.BUCKET_LEVELS):
            if level:
                units = self.tails[level].concat(units)
            size = group_size(level)
            whole = len(units) // size * size
            self.tails[level] = units.take(slice(whole, None))
            if not whole:
                break
            units = reduce_groups(units.take(slice(0, whole)), size)
            completed.append((level, self.done[level], units))
            self.done[level] += len(units)
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
