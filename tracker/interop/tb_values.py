"""TensorBoard histograms as the arguments of the tracker writer's add_histogram_raw: a
HistogramProto (TensorBoard's, TF's, or the engine's hand-made one) or a TF2 histogram tensor."""

import numpy as np


def histo_args(histo):
    """add_histogram_raw's arguments from a HistogramProto (TF1, torch, tensorboardX)."""
    return {"min": histo.min, "max": histo.max, "num": histo.num, "sum": histo.sum,
            "sum_squares": histo.sum_squares, "bucket_limits": list(histo.bucket_limit),
            "bucket_counts": list(histo.bucket)}


def tensor_histogram_args(array):
    """add_histogram_raw's arguments from the histograms plugin's ``[k, 3]`` tensor of (left edge,
    right edge, count) rows (TF2). It keeps no sum: sum and sum of squares are the buckets'
    centres times their counts."""
    array = np.asarray(array, dtype=np.float64).reshape(-1, 3)
    if not len(array):
        raise ValueError("a histogram tensor without buckets")
    left, right, counts = array.T
    centres = (left + right) / 2
    return {"min": float(left[0]), "max": float(right[-1]), "num": float(counts.sum()),
            "sum": float((centres * counts).sum()), "sum_squares": float((centres**2 * counts).sum()),
            "bucket_limits": right, "bucket_counts": counts}

