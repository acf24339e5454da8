"""Where the minimum and the maximum of values are, ignoring NaN.

The one rule the stored buckets (pyramid.py), the tags' summaries (storage.py)
and the groups of a downsampled read (downsample.py) share: the first minimum
(or maximum) counts, and NaN takes no part unless all values are NaN.
"""

import numpy as np


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


def extremes(value):
    """(index of the first minimum, index of the first maximum) ignoring NaN; None if all NaN."""
    row = value.reshape(1, -1)
    if np.isnan(value).all():
        return None
    return int(extreme_index(row, True)[0]), int(extreme_index(row, False)[0])
