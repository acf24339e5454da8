"""Losses (`tf.losses`), as TF1 computes and reduces them.

Each loss computes its elementwise losses, then `compute_weighted_loss` multiplies them by
`weights` (broadcast as numpy does) and reduces them as `reduction` says; the default,
SUM_BY_NONZERO_WEIGHTS, is the weighted sum over the number of nonzero weights. The result
joins the `loss_collection` (GraphKeys.LOSSES unless told otherwise), where `get_total_loss`
finds it, with the regularization losses variables filed under REGULARIZATION_LOSSES.
"""

import contextlib

import numpy as np

from . import dtypes
from .array_ops import cast, constant, convert_to_tensor, ones_like, stop_gradient
from .graph import GraphKeys, get_default_graph, graph_of, name_scope
from .math_ops import (abs, add_n, equal, log, minimum, multiply, not_equal, reduce_mean, reduce_sum,
                       squared_difference)
from .nn import relu, sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2

LOSSES = GraphKeys.LOSSES  # the name this module has always exported


class Reduction:
    """How `compute_weighted_loss` reduces the weighted losses (TF1's `tf.losses.Reduction`)."""

    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_OVER_NONZERO_WEIGHTS,
                cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}. Key should be one of {cls.all()}.")


def _check_broadcastable(weights, values):
    """TF1's rule: weights are a scalar, or of values' rank with each dim 1 or values' dim."""
    w, v = weights._dims, values._dims
    if w is None or v is None or w == ():
        return
    if len(w) != len(v) or any(a is not None and b is not None and a not in (1, b) for a, b in zip(w, v)):
        raise ValueError(f"weights can not be broadcast to values. values.rank={len(v)}. "
                         f"weights.rank={len(w)}. values.shape={values.shape}. weights.shape={weights.shape}. "
                         f"Received weights={weights.name}, values={values.name}")


def _safe_divide(numerator, denominator, name):
    """numerator / denominator, 0 where the denominator is 0 (TF1's div_no_nan)."""
    zero = cast(equal(denominator, 0.0), denominator.dtype)
    return multiply(numerator / (denominator + zero), 1.0 - zero, name=name)


def _count(losses):
    """The number of elements of `losses`, as a float32 tensor (from its static shape when known)."""
    if losses.shape.is_fully_defined():
        return constant(float(np.prod(losses.shape.as_list())), dtype=dtypes.float32, name="num_elements")
    return reduce_sum(ones_like(losses), name="num_elements")


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """`losses * weights`, reduced as `reduction` says, added to `loss_collection`."""
    Reduction.validate(reduction)
    with graph_of((losses, weights)).as_default(), name_scope(scope, "weighted_loss"):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = _as_float(losses)
        scalar = isinstance(weights, (int, float, np.number))
        if scalar:
            weighted = losses if weights == 1 else multiply(losses, float(weights))
        else:
            weights = cast(convert_to_tensor(weights), losses.dtype)
            _check_broadcastable(weights, losses)
            weighted = multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted
        elif reduction == Reduction.SUM:
            loss = reduce_sum(weighted)
        elif scalar and weights == 0:
            loss = multiply(reduce_sum(weighted), 0.0, name="value")
        elif scalar and (weights == 1 or reduction != Reduction.MEAN):
            loss = reduce_mean(weighted, name="value")  # sum / size: the same number, one pass
        elif reduction == Reduction.MEAN:
            loss = _safe_divide(reduce_sum(weighted), reduce_sum(multiply(ones_like(losses), weights)), "value")
        elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
            loss = _safe_divide(reduce_sum(weighted), _count(losses), "value")
        else:
            present = cast(not_equal(multiply(ones_like(losses), weights), 0.0), losses.dtype)
            loss = _safe_divide(reduce_sum(weighted), reduce_sum(present), "value")
        loss = cast(loss, input_dtype)
    add_loss(loss, loss_collection)
    return loss


def _as_float(t):
    """TF1 computes losses in float32; here a float tensor keeps its own precision (float64
    gradients check against finite differences), anything else becomes float32."""
    t = convert_to_tensor(t)
    return t if t.dtype.is_floating else cast(t, dtypes.float32)


def _pair(labels, predictions, loss, first="labels", second="predictions"):
    """labels and predictions as float tensors of one dtype and compatible shapes (TF1's checks)."""
    if labels is None:
        raise ValueError(f"{first} must not be None.")
    if predictions is None:
        raise ValueError(f"{second} must not be None.")
    predictions = _as_float(predictions)
    labels = cast(convert_to_tensor(labels), predictions.dtype)
    if not predictions.shape.is_compatible_with(labels.shape):
        raise ValueError(f"Shapes {predictions.shape} and {labels.shape} are incompatible "
                         f"({loss}: {second} and {first})")
    return labels, predictions


@contextlib.contextmanager
def _scope(scope, default_name, *values):
    """Enter the loss's graph and name scope, which compute_weighted_loss re-enters (so TF1's
    names: `mean_squared_error/value`)."""
    graph = graph_of(values)
    with graph.as_default(), graph.name_scope(scope or default_name) as inner:
        yield inner


def absolute_difference(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """|predictions - labels|, weighted and reduced."""
    with _scope(scope, "absolute_difference", labels, predictions, weights) as inner:
        labels, predictions = _pair(labels, predictions, "absolute_difference")
        losses = abs(predictions - labels)
        return compute_weighted_loss(losses, weights, inner, loss_collection, reduction)


def mean_squared_error(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """(predictions - labels) ** 2, weighted and reduced (by default: the mean over nonzero weights)."""
    with _scope(scope, "mean_squared_error", labels, predictions, weights) as inner:
        labels, predictions = _pair(labels, predictions, "mean_squared_error")
        losses = squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, inner, loss_collection, reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """0.5 e^2 where |e| <= delta, else 0.5 delta^2 + delta (|e| - delta), for e = predictions - labels."""
    with _scope(scope, "huber_loss", labels, predictions, weights) as inner:
        labels, predictions = _pair(labels, predictions, "huber_loss")
        error = abs(predictions - labels)
        quadratic = minimum(error, delta)
        losses = 0.5 * (quadratic * quadratic) + delta * (error - quadratic)
        return compute_weighted_loss(losses, weights, inner, loss_collection, reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None, loss_collection=GraphKeys.LOSSES,
             reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """-labels log(predictions + eps) - (1 - labels) log(1 - predictions + eps)."""
    with _scope(scope, "log_loss", labels, predictions, weights) as inner:
        labels, predictions = _pair(labels, predictions, "log_loss")
        losses = -labels * log(predictions + epsilon) - (1 - labels) * log(1 - predictions + epsilon)
        return compute_weighted_loss(losses, weights, inner, loss_collection, reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """max(0, 1 - (2 labels - 1) logits), for labels in {0, 1}."""
    with _scope(scope, "hinge_loss", labels, logits, weights) as inner:
        labels, logits = _pair(labels, logits, "hinge_loss", second="logits")
        all_ones = ones_like(labels)
        losses = relu(all_ones - (2 * labels - all_ones) * logits)
        return compute_weighted_loss(losses, weights, inner, loss_collection, reduction)


def cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None,
                    loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS, dim=None):
    """1 - sum(labels * predictions) over `axis`, for unit-normalised labels and predictions."""
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("You must specify argument `axis`.")
    with _scope(scope, "cosine_distance_loss", labels, predictions, weights) as inner:
        labels, predictions = _pair(labels, predictions, "cosine_distance")
        losses = 1 - reduce_sum(multiply(predictions, labels), axis=(axis,), keepdims=True)
        return compute_weighted_loss(losses, weights, inner, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """The logistic loss of `logits` against labels in [0, 1], which `label_smoothing` pulls
    toward 1/2: labels (1 - s) + s / 2."""
    with _scope(scope, "sigmoid_cross_entropy_loss", multi_class_labels, logits, weights) as inner:
        labels, logits = _pair(multi_class_labels, logits, "sigmoid_cross_entropy", "multi_class_labels",
                               "logits")
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, inner, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Cross entropy of softmax(logits) against one-hot labels (rows), which `label_smoothing`
    spreads: labels (1 - s) + s / num_classes. No gradient flows into the labels."""
    with _scope(scope, "softmax_cross_entropy_loss", onehot_labels, logits, weights) as inner:
        labels, logits = _pair(onehot_labels, logits, "softmax_cross_entropy", "onehot_labels", "logits")
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + label_smoothing / _num_classes(labels)
        labels = stop_gradient(labels, name="labels_stop_gradient")
        losses = softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, inner, loss_collection, reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """Cross entropy of softmax(logits) against integer class labels (one fewer dim than logits)."""
    with _scope(scope, "sparse_softmax_cross_entropy_loss", labels, logits, weights) as inner:
        labels, logits = convert_to_tensor(labels), _as_float(logits)
        if labels.shape.ndims is not None and logits.shape.ndims is not None \
                and labels.shape.ndims != logits.shape.ndims - 1:
            raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                             f"labels.shape={labels.shape} of rank {labels.shape.ndims} and "
                             f"logits.shape={logits.shape} of rank {logits.shape.ndims}")
        classes = constant(np.arange(_num_classes(logits)), dtype=labels.dtype, name="classes")
        onehot = cast(equal(labels[..., None], classes), logits.dtype)
        losses = softmax_cross_entropy_with_logits_v2(labels=onehot, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, inner, loss_collection, reduction)


def _num_classes(t):
    classes = t.shape.as_list()[-1] if t.shape.ndims else None
    if classes is None:
        raise ValueError(f"the number of classes must be known: '{t.name}' has shape {t.shape}")
    return classes


def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """File `loss` under `loss_collection` (nothing when it is None)."""
    if loss_collection:
        graph_of((loss,)).add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    return get_default_graph().get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    return get_default_graph().get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """The sum of the regularization losses (0.0 when there are none)."""
    losses = get_regularization_losses(scope)
    return add_n(losses, name=name) if losses else constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of the losses in GraphKeys.LOSSES and (by default) the regularization losses."""
    losses = get_losses(scope) + (get_regularization_losses(scope) if add_regularization_losses else [])
    if not losses:
        raise ValueError("get_total_loss: no losses in the collections "
                         f"'{GraphKeys.LOSSES}' or '{GraphKeys.REGULARIZATION_LOSSES}'")
    return add_n(losses, name=name)
