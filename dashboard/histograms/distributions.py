"""A histogram's percentiles, as TensorBoard's Distributions dashboard draws them.

TensorBoard draws nine: the normal distribution's share of values below -inf, -1.5, -1, -0.5,
0, 0.5, 1, 1.5 sigma and +inf (its "basis points", labelled 0, 7, 16, 31, 50, 69, 84, 93, 100
percent). Each is read from the buckets, assuming values spread evenly within a bucket (within
its edges clipped to the histogram's min and max); the 0th and 100th are the min and max.
"""

import numpy as np

BASIS_POINTS = (0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000)
PERCENTS = tuple(bp / 100 for bp in BASIS_POINTS)
_FRACTIONS = np.array(BASIS_POINTS) / 10000


def percentiles(edges, counts, low, high):
    """The nine percentiles (floats) of a histogram's buckets, within [low, high]."""
    cumulative = np.cumsum(counts)
    total = cumulative[-1] if len(cumulative) else 0
    if not total > 0:
        return [float(low)] * 4 + [float((low + high) / 2)] + [float(high)] * 4
    targets = _FRACTIONS * total
    bucket = np.minimum(np.searchsorted(cumulative, targets, side="left"), len(counts) - 1)
    inside = counts[bucket]
    before = cumulative[bucket] - inside
    share = np.divide(targets - before, inside, out=np.zeros_like(targets), where=inside > 0)
    # a bucket's values lie within its edges and within [low, high], as TensorBoard takes them
    left = np.clip(edges[bucket], low, high)
    right = np.clip(edges[bucket + 1], low, high)
    values = left + share * (right - left)
    values[0], values[-1] = low, high
    return values.tolist()


def distribution(histograms):
    """Columns of a run's percentiles over steps: step, wall_time and, per step, the nine values."""
    return {"step": [h.step for h in histograms],
            "wall_time": [h.wall_time for h in histograms],
            "values": [percentiles(h.edges, h.counts, h.min, h.max) for h in histograms]}
