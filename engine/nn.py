"""Neural-network ops (`tf.nn`): activations and cross-entropy losses computed stably."""

import numpy as np

from .array_ops import convert_to_tensor, stop_gradient
from .extend import broadcast_shape, defop, elementwise, make_op, normalize_axis
from .graph import graph_of
from .math_ops import make_binary, reduce_sum, square
from .math_ops import sigmoid, sigmoid_of, tanh  # noqa: F401 - tf.nn.sigmoid / tf.nn.tanh

defop("Relu", forward=lambda x: np.maximum(x, 0),
      grads=[lambda g, ans, x: elementwise(g) * (x > 0)], grad_reads=("inputs",))


def relu(features, name=None):
    return make_op("Relu", [convert_to_tensor(features)], name=name or "Relu")


def _softmax(x, *, axis):
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


defop("Softmax", forward=_softmax,
      grads=[lambda g, ans, x, *, axis: ans * (g - np.sum(g * ans, axis=axis, keepdims=True))],
      grad_reads=("output",))


def softmax(logits, axis=-1, name=None):
    return make_op("Softmax", [convert_to_tensor(logits)], {"axis": int(axis)}, name=name or "Softmax")


# -- sigmoid cross entropy: max(x, 0) - x z + log(1 + exp(-|x|)) for logits x, labels z ----------

defop("SigmoidCrossEntropyWithLogits",
      forward=lambda z, x: np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x))),
      grads=[lambda g, ans, z, x: g * -x, lambda g, ans, z, x: g * (sigmoid_of(x) - z)],
      shape=broadcast_shape, grad_reads=("inputs",))


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Elementwise logistic loss of `logits` against `labels` in [0, 1] (keyword arguments, as TF1)."""
    if _sentinel is not None or labels is None or logits is None:
        raise ValueError("sigmoid_cross_entropy_with_logits takes keyword arguments labels=..., logits=...")
    return make_binary("SigmoidCrossEntropyWithLogits", labels, logits, name or "logistic_loss")


# -- softmax cross entropy: -sum(z * log_softmax(x)) over the class axis -----------------------

def _log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _per_class(g, axis):
    return np.expand_dims(g, axis)


def _xent_shape(z, x, *, axis):
    dims = broadcast_shape(z, x)
    if dims is None:
        return None
    drop = normalize_axis(axis, len(dims))
    return tuple(d for i, d in enumerate(dims) if i not in drop)


defop("SoftmaxCrossEntropyWithLogits",
      forward=lambda z, x, *, axis: -np.sum(z * _log_softmax(x, axis), axis=axis),
      grads=[lambda g, ans, z, x, *, axis: _per_class(g, axis) * -_log_softmax(x, axis),
             lambda g, ans, z, x, *, axis: _per_class(g, axis) * (
                 np.exp(_log_softmax(x, axis)) * np.sum(z, axis=axis, keepdims=True) - z)],
      shape=_xent_shape, grad_reads=("inputs",))


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=-1, name=None, dim=None):
    """Cross entropy between `labels` (a distribution per row) and softmax(`logits`), per row.

    Gradients flow into both; `dim` is TF1's older name for `axis`."""
    axis = axis if dim is None else dim
    with graph_of((logits, labels)).as_default():
        logits = convert_to_tensor(logits)
        labels = convert_to_tensor(labels, dtype=logits.dtype)
    return make_op("SoftmaxCrossEntropyWithLogits", [labels, logits], {"axis": int(axis)},
                   name=name or "softmax_cross_entropy_with_logits")


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None,
                                      axis=None):
    """TF1's first version, still in most tutorials: as `_v2`, but no gradient flows into `labels`
    (keyword arguments only, as TF1 insists)."""
    if _sentinel is not None or labels is None or logits is None:
        raise ValueError("softmax_cross_entropy_with_logits takes keyword arguments labels=..., logits=...")
    with graph_of((logits, labels)).as_default():
        labels = stop_gradient(labels)
    return softmax_cross_entropy_with_logits_v2(labels, logits, dim if axis is None else axis, name)


def l2_loss(t, name=None):
    """sum(t ** 2) / 2."""
    return reduce_sum(square(t), name=name or "L2Loss") / 2
