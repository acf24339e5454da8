"""Precision-recall curves as PyTorch's add_pr_curve and add_pr_curve_raw take them.

A curve is counted at ``num_thresholds`` thresholds spread evenly over [0, 1]: a prediction p
falls in bucket floor(p * (num_thresholds - 1)), and the counts at threshold i are those of
buckets i and above, as TensorBoard's pr_curve plugin counts them. Stored as one
(6, num_thresholds) float64 array in schema.PR_CURVE_ROWS order.
"""

import numpy as np

from . import schema
from .arrays import as_array

#: PyTorch caps num_thresholds at this (its protobuf summary breaks above it); so does liteboard.
MAX_THRESHOLDS = 127
#: The smallest denominator of precision and recall, as TensorBoard's: 0 / 0 reads 0.
_MIN_COUNT = 1e-7


def _thresholds(tag, num_thresholds):
    if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, (int, np.integer)) \
            or num_thresholds < 2:
        raise ValueError(f"num_thresholds for PR curve '{tag}' must be an int of at least 2, "
                         f"got {num_thresholds!r}")
    return min(int(num_thresholds), MAX_THRESHOLDS)


def curve_columns(tag, labels, predictions, num_thresholds=MAX_THRESHOLDS, weights=None):
    """The value columns of a schema.PrCurveRow (num_thresholds, data) of labels (true where
    positive) and predictions in [0, 1], optionally weighted."""
    n = _thresholds(tag, num_thresholds)
    labels = as_array(tag, labels, "labels", kind="PR curve").astype(np.float64).reshape(-1)
    predictions = as_array(tag, predictions, "predictions", kind="PR curve").astype(np.float64)
    predictions = predictions.reshape(-1)
    if labels.shape != predictions.shape:
        raise ValueError(f"labels and predictions for PR curve '{tag}' must have as many "
                         f"elements, got {labels.size} and {predictions.size}")
    if not np.all((predictions >= 0) & (predictions <= 1)):
        bad = predictions[~((predictions >= 0) & (predictions <= 1))][0]
        raise ValueError(f"predictions for PR curve '{tag}' must lie in [0, 1], got {bad}")
    weights = 1.0 if weights is None else as_array(tag, weights, "weights", kind="PR curve")
    weights = np.asarray(weights, np.float64).reshape(-1)
    if weights.size not in (1, labels.size):
        raise ValueError(f"weights for PR curve '{tag}' must be one number or one per label, "
                         f"got {weights.size} for {labels.size} labels")
    buckets = np.floor(predictions * (n - 1)).astype(np.int64)
    positives = np.bincount(buckets, weights=labels * weights, minlength=n)
    negatives = np.bincount(buckets, weights=(1.0 - labels) * weights, minlength=n)
    tp = np.cumsum(positives[::-1])[::-1]
    fp = np.cumsum(negatives[::-1])[::-1]
    return _stacked(tp, fp, fp[0] - fp, tp[0] - tp)


def _stacked(tp, fp, tn, fn, precision=None, recall=None):
    if precision is None:
        precision = tp / np.maximum(_MIN_COUNT, tp + fp)
        recall = tp / np.maximum(_MIN_COUNT, tp + fn)
    data = np.stack([tp, fp, tn, fn, precision, recall]).astype(schema.HISTOGRAM_ARRAY)
    return data.shape[1], data.tobytes()


def raw_columns(tag, counts, num_thresholds=MAX_THRESHOLDS):
    """The value columns of a schema.PrCurveRow of counts already made: ``counts`` are the six
    1-D arrays of schema.PR_CURVE_ROWS, of one length (which is the number of thresholds;
    ``num_thresholds`` is only checked)."""
    _thresholds(tag, num_thresholds)
    arrays = [as_array(tag, values, name, kind="PR curve").astype(np.float64)
              for name, values in zip(schema.PR_CURVE_ROWS, counts)]
    shapes = {array.shape for array in arrays}
    if len(shapes) != 1 or arrays[0].ndim != 1 or len(arrays[0]) < 2:
        raise ValueError(f"the counts, precision and recall for PR curve '{tag}' must be 1-D "
                         f"arrays of one length (at least 2), got shapes "
                         f"{[array.shape for array in arrays]}")
    return _stacked(*arrays)


def curve_of_row(num_thresholds, data):
    """A stored curve as {name: list} of schema.PR_CURVE_ROWS and its thresholds."""
    array = np.frombuffer(data, schema.HISTOGRAM_ARRAY).reshape(6, num_thresholds)
    curve = {name: array[i].tolist() for i, name in enumerate(schema.PR_CURVE_ROWS)}
    curve["thresholds"] = np.linspace(0.0, 1.0, num_thresholds).tolist()
    return curve
