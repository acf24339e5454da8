"""Histograms as PyTorch's add_histogram makes them, with non-finite values counted.

The writer turns a user's values into one schema.HistogramRow's value columns here:
buckets over the finite values (``bins`` as PyTorch takes it: "tensorflow" for TF's
exponential buckets, a numpy bin rule's name, a number of buckets, or the edges),
trimmed to the buckets from the first to the last non-empty one, with the count of
each non-finite value beside them.
"""

import functools
import math

import numpy as np

from .arrays import as_array
from .schema import HISTOGRAM_ARRAY

#: numpy's named bin rules (np.histogram_bin_edges), which PyTorch passes through.
NUMPY_BINS = ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")
_HUGE = np.finfo(np.float64).max


@functools.cache
def tensorflow_edges():
    """TF's default buckets: ±1e-12 growing by 1.1 up to 1e20, 0 between, and, so that no
    finite value falls outside, the float64 extremes as the outer edges (as TF's last limit)."""
    positive = []
    edge = 1e-12
    while edge < 1e20:
        positive.append(edge)
        edge *= 1.1
    positive = np.array(positive)
    edges = np.concatenate(([-_HUGE], -positive[::-1], [0.0], positive, [_HUGE]))
    edges.flags.writeable = False
    return edges


def _bins(tag, bins):
    """What np.histogram takes as its ``bins``, from add_histogram's."""
    if isinstance(bins, str):
        if bins == "tensorflow":
            return tensorflow_edges()
        if bins in NUMPY_BINS:
            return bins
        raise ValueError(f"bins for histogram '{tag}' must be 'tensorflow', one of numpy's "
                         f"{', '.join(NUMPY_BINS)}, a number of buckets or the edges; got {bins!r}")
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
        if bins < 1:
            raise ValueError(f"bins for histogram '{tag}' must be at least 1, got {bins}")
        return int(bins)
    edges = as_array(tag, bins, "bins", kind="histogram").astype(np.float64).reshape(-1)
    if edges.size < 2 or not np.all(np.isfinite(edges)) or np.any(edges[1:] <= edges[:-1]):
        raise ValueError(f"bins for histogram '{tag}' as edges must be at least two finite, "
                         f"increasing numbers, got {edges[:8].tolist()}")
    return edges


def _merge_buckets(edges, counts, max_bins):
    """At most ``max_bins`` buckets, each the sum of consecutive ones (PyTorch's max_bins)."""
    size = -(-len(counts) // max_bins)
    padded = np.zeros(-(-len(counts) // size) * size)
    padded[:len(counts)] = counts
    return np.append(edges[:-1:size], edges[-1]), padded.reshape(-1, size).sum(axis=1)


def histogram_columns(tag, values, bins="tensorflow", max_bins=None):
    """The value columns of a schema.HistogramRow (count to counts) of ``values``."""
    values = as_array(tag, values, "values", kind="histogram").reshape(-1)
    if values.size == 0:
        raise ValueError(f"values for histogram '{tag}' are empty")
    if max_bins is not None and (isinstance(max_bins, bool) or not isinstance(max_bins, int)
                                 or max_bins < 1):
        raise ValueError(f"max_bins for histogram '{tag}' must be a positive int, got {max_bins!r}")
    bins = _bins(tag, bins)
    if values.dtype.kind == "b":
        values = values.astype(np.uint8)
    finite, nan, neg_inf, pos_inf = values, 0, 0, 0
    low, high = values.min(), values.max()  # NaN if any value is: one pass finds both cases
    if values.dtype.kind == "f" and not (np.isfinite(low) and np.isfinite(high)):
        ok = np.isfinite(values)
        nan = int(np.count_nonzero(np.isnan(values)))
        pos_inf = int(np.count_nonzero(values == np.inf))
        neg_inf = values.size - nan - pos_inf - int(np.count_nonzero(ok))
        finite = values[ok]
        if not finite.size:
            raise ValueError(f"values for histogram '{tag}' hold no finite value "
                             f"({nan} NaN, {neg_inf} -Inf, {pos_inf} +Inf)")
        low, high = finite.min(), finite.max()
    counts, edges = np.histogram(finite, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        edges, counts = _merge_buckets(edges, counts, max_bins)
    used = np.flatnonzero(counts)
    if used.size:  # from the first to the last non-empty bucket
        counts, edges = counts[used[0]:used[-1] + 1], edges[used[0]:used[-1] + 2]
    edges = np.array(edges, dtype=HISTOGRAM_ARRAY)  # a copy: np.histogram may return ``bins``
    if edges[0] == -_HUGE:
        edges[0] = low
    if edges[-1] == _HUGE:
        edges[-1] = high
    # In float64; einsum, not np.dot: BLAS's threads stall a loaded machine for many
    # times the histogram's own cost.
    wide = finite.astype(np.float64, copy=False)
    total, squares = np.sum(wide), np.einsum("i,i->", wide, wide)
    return (int(values.size), float(low), float(high), float(total),
            float(squares), nan, neg_inf, pos_inf,
            edges.tobytes(), np.asarray(counts, dtype=HISTOGRAM_ARRAY).tobytes())


def raw_columns(tag, min, max, num, sum, sum_squares, bucket_limits, bucket_counts):
    """The value columns of a schema.HistogramRow from add_histogram_raw's arguments.

    ``bucket_limits`` are the buckets' right edges, as TensorBoard stores them; the first
    bucket starts at ``min`` (an empty first bucket that ends at or before ``min``, as
    PyTorch writes one, is left out).
    """
    numbers = {}
    for name, value in (("min", min), ("max", max), ("num", num), ("sum", sum),
                        ("sum_squares", sum_squares)):
        try:
            numbers[name] = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"{name} for histogram '{tag}' must be a number, "
                            f"got {type(value).__name__}") from None
        if not math.isfinite(numbers[name]):
            raise ValueError(f"{name} for histogram '{tag}' must be finite, got {value!r}")
    if numbers["min"] > numbers["max"]:
        raise ValueError(f"min for histogram '{tag}' is above its max: {min!r} > {max!r}")
    if numbers["num"] < 0 or numbers["num"] != int(numbers["num"]):
        raise ValueError(f"num for histogram '{tag}' must be a count, got {num!r}")
    limits = as_array(tag, bucket_limits, "bucket_limits", kind="histogram").astype(np.float64).reshape(-1)
    counts = as_array(tag, bucket_counts, "bucket_counts", kind="histogram").astype(np.float64).reshape(-1)
    if limits.size == 0 or limits.size != counts.size:
        raise ValueError(f"bucket_limits and bucket_counts for histogram '{tag}' must be of one "
                         f"non-zero length, got {limits.size} and {counts.size}")
    if np.any(limits[1:] <= limits[:-1]) or not np.all(np.isfinite(limits)):
        raise ValueError(f"bucket_limits for histogram '{tag}' must be finite and increasing")
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError(f"bucket_counts for histogram '{tag}' must be finite and non-negative")
    if counts[0] == 0 and limits[0] <= numbers["min"] and limits.size > 1:
        edges, counts = limits, counts[1:]
    else:
        edges = np.concatenate(([np.minimum(numbers["min"], limits[0])], limits))
    return (int(numbers["num"]), numbers["min"], numbers["max"], numbers["sum"],
            numbers["sum_squares"], 0, 0, 0, edges.astype(HISTOGRAM_ARRAY).tobytes(),
            counts.astype(HISTOGRAM_ARRAY).tobytes())
