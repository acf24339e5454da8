"""Neural-network ops (`tf.nn`): activations, cross-entropy losses computed stably, normalization,
lookups, top-k, dropout, and the sampled losses for many classes (`nce_loss`,
`sampled_softmax_loss`). Convolution and pooling live in `conv_ops`, the candidate samplers in
`random_ops`; `tf.nn` has them all."""

import collections

import numpy as np

from . import dtypes
from .array_ops import (cast, convert_to_tensor, expand_dims, ones_like, reshape, stop_gradient,
                        zeros_like)
from .conv_ops import avg_pool, bias_add, conv2d, conv2d_transpose, max_pool  # noqa: F401 - tf.nn.*
from .errors import InvalidArgumentError
from .extend import NOT_DIFFERENTIABLE, broadcast_shape, defop, elementwise, make_op, normalize_axis
from .graph import graph_of, name_scope
from .manip_ops import concat
from .math_ops import (add, divide, equal, log, make_binary, matmul, maximum, multiply, reduce_any,
                       reduce_mean, reduce_sum, sqrt,
                       square, squared_difference, subtract)
from .math_ops import sigmoid, sigmoid_of, tanh  # noqa: F401 - tf.nn.sigmoid / tf.nn.tanh
from .random_ops import (generator, log_uniform_candidate_sampler, op_seeds,  # noqa: F401 - tf.nn.*
                         uniform_candidate_sampler)

FLOATS = "float16, float32, float64"


def float_tensor(value, arg, op_type):
    """`value` as a tensor of a floating dtype, else TF's TypeError naming the op and argument."""
    t = convert_to_tensor(value)
    if not t.dtype.is_floating:
        raise TypeError(f"Value passed to parameter '{arg}' of '{op_type}' has DataType "
                        f"{t.dtype.name} not in list of allowed values: {FLOATS}")
    return t


def int_tensor(value, arg, op_type):
    t = convert_to_tensor(value)
    if t.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter '{arg}' of '{op_type}' has DataType "
                        f"{t.dtype.name} not in list of allowed values: int32, int64")
    return t


def _activation(name, op_type, forward, grad, reads, doc, **defaults):
    """Register the activation `op_type`; return `name(features, <defaults>, name=None)`."""
    defop(op_type, forward=forward, grads=[grad], grad_reads=reads)

    def fn(features, *args, name=None, **kwargs):
        attrs = dict(defaults)
        attrs.update(zip(defaults, args))
        attrs.update(kwargs)
        attrs = {k: float(v) for k, v in attrs.items()}
        return make_op(op_type, [float_tensor(features, "features", op_type)], attrs, name=name or op_type)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


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


def _class_axis(logits, axis, dim, op_type):
    axis = -1 if axis is None and dim is None else int(dim if axis is None else axis)
    logits = float_tensor(logits, "logits", op_type)
    rank = logits.shape.ndims
    if rank is not None and not -rank <= axis < rank:
        raise InvalidArgumentError(f"`dim` must be in the range [-{rank}, {rank}) where {rank} is the "
                                   f"number of dimensions in the input. Received: dim={axis}")
    return logits, axis


def softmax(logits, axis=None, name=None, dim=None):
    """exp(logits) / sum(exp(logits)) along `axis` (default: the last)."""
    logits, axis = _class_axis(logits, axis, dim, "Softmax")
    return make_op("Softmax", [logits], {"axis": axis}, name=name or "Softmax")


defop("LogSoftmax", forward=lambda x, *, axis: _log_softmax(x, axis),
      grads=[lambda g, ans, x, *, axis: g - np.exp(ans) * np.sum(g, axis=axis, keepdims=True)],
      grad_reads=("output",))


def log_softmax(logits, axis=None, name=None, dim=None):
    """logits - log(sum(exp(logits))) along `axis`, computed without overflow."""
    logits, axis = _class_axis(logits, axis, dim, "LogSoftmax")
    return make_op("LogSoftmax", [logits], {"axis": axis}, name=name or "LogSoftmax")


# -- activations ----------------------------------------------------------------------------

SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946

leaky_relu = _activation(
    "leaky_relu", "LeakyRelu", lambda x, *, alpha: np.where(x > 0, x, x * np.asarray(alpha, x.dtype)),
    lambda g, ans, x, *, alpha: g * np.where(x > 0, 1, alpha).astype(x.dtype), ("inputs",),
    "x where x > 0, else alpha * x.", alpha=0.2)
elu = _activation(
    "elu", "Elu", lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
    lambda g, ans, x: g * np.where(ans > 0, 1, ans + 1), ("output",), "x where x > 0, else exp(x) - 1.")
selu = _activation(
    "selu", "Selu",
    lambda x: (SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0)))).astype(x.dtype),
    lambda g, ans, x: g * np.where(ans > 0, SELU_SCALE, ans + SELU_SCALE * SELU_ALPHA).astype(ans.dtype),
    ("output",), "scale * elu(x) with alpha and scale as Klambauer et al. (2017) fix them.")
relu6 = _activation(
    "relu6", "Relu6", lambda x: np.clip(x, 0, 6), lambda g, ans, x: g * ((x > 0) & (x < 6)), ("inputs",),
    "min(max(x, 0), 6).")
softplus = _activation(
    "softplus", "Softplus", lambda x: np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0),
    lambda g, ans, x: g * sigmoid_of(x), ("inputs",), "log(1 + exp(x)), without overflow.")


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


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """Cross entropy between `labels` (a distribution per row) and softmax(`logits`), per row.

    Gradients flow into both; `dim` is TF1's older name for `axis`."""
    axis = -1 if axis is None and dim is None else axis if dim is None else dim
    with graph_of((logits, labels)).as_default():
        logits = convert_to_tensor(logits)
        labels = convert_to_tensor(labels)
        if labels.dtype != logits.dtype:  # int one-hot labels too: TF1 casts them
            labels = cast(labels, logits.dtype)
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


# -- sparse softmax cross entropy: logsumexp(x) - x[label], per row ---------------------------

def _picked(x, labels):
    return np.take_along_axis(x, labels[..., None].astype(np.intp), axis=-1)[..., 0]


def _check_labels(labels, classes):
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels[(labels < 0) | (labels >= classes)].flat[0]
        raise InvalidArgumentError(
            f"Received a label value of {bad} which is outside the valid range of [0, {classes}).  "
            f"Label values: {' '.join(str(v) for v in labels.ravel())}")


def _sparse_xent(labels, x):
    _check_labels(labels, x.shape[-1])
    log_probs = _log_softmax(x, -1)
    return -_picked(log_probs, labels)


def _sparse_xent_grad(g, ans, labels, x):
    grad = np.exp(_log_softmax(x, -1))
    np.put_along_axis(grad, labels[..., None].astype(np.intp), _picked(grad, labels)[..., None] - 1, axis=-1)
    return np.expand_dims(g, -1) * grad


def _sparse_xent_shape(labels, x):
    if labels is not None and x is not None:
        if len(labels) != len(x) - 1:
            raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                             f"labels.shape={format_dims(labels)} of rank {len(labels)} and "
                             f"logits.shape={format_dims(x)} of rank {len(x)}")
        if any(a is not None and b is not None and a != b for a, b in zip(labels, x)):
            raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last dimension. "
                             f"Received: labels.shape={format_dims(labels)} and logits.shape={format_dims(x)}")
    return labels


def format_dims(dims):
    """(3, 4), (None, 4): a shape as TF's ValueErrors print a TensorShape."""
    return "(" + ", ".join(str(d) for d in dims) + ("," if len(dims) == 1 else "") + ")"


defop("SparseSoftmaxCrossEntropyWithLogits", forward=_sparse_xent, grads=[None, _sparse_xent_grad],
      shape=_sparse_xent_shape, dtype=lambda labels, x: x, grad_reads=("inputs",))


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Cross entropy of softmax(`logits`) against integer class `labels`, one per row of logits."""
    if _sentinel is not None or labels is None or logits is None:
        raise ValueError("sparse_softmax_cross_entropy_with_logits takes keyword arguments "
                         "labels=..., logits=...")
    op_type = "SparseSoftmaxCrossEntropyWithLogits"
    with graph_of((logits, labels)).as_default(), name_scope(name, op_type):
        logits = float_tensor(logits, "logits", op_type)
        labels = int_tensor(labels, "labels", op_type)
        return make_op(op_type, [labels, logits], name=op_type)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None, targets=None):
    """Sigmoid cross entropy with the positive term weighted by `pos_weight`:
    (1 - z) x + (1 + (q - 1) z) log(1 + exp(-x)), computed without overflow."""
    labels = targets if labels is None else labels
    if labels is None or logits is None or pos_weight is None:
        raise ValueError("weighted_cross_entropy_with_logits needs labels, logits and pos_weight")
    with graph_of((logits, labels)).as_default(), name_scope(name, "logistic_loss") as scope:
        logits = float_tensor(logits, "logits", "weighted_cross_entropy_with_logits")
        labels = convert_to_tensor(labels, dtype=logits.dtype)
        log_weight = add(1.0, (convert_to_tensor(pos_weight, dtype=logits.dtype) - 1) * labels, name="add")
        return add((1 - labels) * logits, log_weight * softplus(-logits), name=scope)


# -- moments, batch normalization, l2_normalize ---------------------------------------------

def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """(mean, variance) of `x` over `axes`."""
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    axes = [int(a) for a in axes]
    with graph_of((x,)).as_default(), name_scope(name, "moments"):
        x = float_tensor(x, "x", "moments")
        mean = reduce_mean(x, axes, keepdims=True, name="mean")
        variance = reduce_mean(squared_difference(x, stop_gradient(mean)), axes, keepdims=True,
                               name="variance")
        if not keepdims:  # a sum over axes of size 1 is TF's squeeze
            mean = reduce_sum(mean, axes, name="Squeeze")
            variance = reduce_sum(variance, axes, name="Squeeze_1")
        return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + epsilon) * scale + offset, as TF folds it:
    x * inv + (offset - mean * inv) with inv = scale / sqrt(variance + epsilon)."""
    with graph_of((x, mean, variance)).as_default(), name_scope(name, "batchnorm"):
        x = float_tensor(x, "x", "batch_normalization")
        mean, variance = (convert_to_tensor(v, dtype=x.dtype) for v in (mean, variance))
        inv = divide(1.0, sqrt(add(variance, variance_epsilon, name="add")), name="Rsqrt")
        if scale is not None:
            inv = multiply(inv, scale, name="mul")
        shift = -mean * inv if offset is None else subtract(offset, mean * inv, name="sub")
        return add(x * inv, shift, name="add")


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon))."""
    axis = dim if axis is None else axis
    with graph_of((x,)).as_default(), name_scope(name, "l2_normalize") as scope:
        x = float_tensor(x, "x", "l2_normalize")
        square_sum = reduce_sum(square(x), axis, keepdims=True)
        inv_norm = divide(1.0, sqrt(maximum(square_sum, epsilon)), name="Rsqrt")
        return multiply(x, inv_norm, name=scope)


# -- embedding_lookup: rows of params, gathered --------------------------------------------

def _gather(params, ids):
    rows = params.shape[0]
    if ids.size and (ids.min() < 0 or ids.max() >= rows):
        flat = ids.ravel()
        at = int(np.flatnonzero((flat < 0) | (flat >= rows))[0])
        raise InvalidArgumentError(f"indices[{at}] = {flat[at]} is not in [0, {rows})")
    return np.take(params, ids, axis=0)


def _gather_grad(g, ans, params, ids):
    grad = np.zeros(params.shape, dtype=g.dtype)
    np.add.at(grad, ids.ravel(), g.reshape(-1, *params.shape[1:]))
    return grad


def _gather_shape(params, ids):
    if params is None or ids is None:
        return None
    if not params:
        raise ValueError("params must be at least rank 1")
    return ids + params[1:]


defop("Gather", forward=_gather, grads=[_gather_grad, None], shape=_gather_shape,
      dtype=lambda params, ids: params, grad_reads=("inputs",))


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """params[ids]: the rows of `params` (a variable, or a list of one) for each id."""
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise ValueError("embedding_lookup: the engine keeps params in one piece; "
                             f"got a list of {len(params)} shards")
        params = params[0]
    if max_norm is not None:
        raise ValueError("embedding_lookup: max_norm is not supported")
    with graph_of((params, ids)).as_default(), name_scope(name, "embedding_lookup"):
        params = convert_to_tensor(params)
        ids = convert_to_tensor(ids)
        if ids.dtype not in (dtypes.int16, dtypes.int32, dtypes.int64):
            raise TypeError(f"Value passed to parameter 'indices' of 'embedding_lookup' has DataType "
                            f"{ids.dtype.name} not in list of allowed values: int16, int32, int64")
        return make_op("Identity", [make_op("Gather", [params, ids], name="Gather")], name="Identity")


# -- top_k and in_top_k -------------------------------------------------------------------

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def _top_k_indices(x, k):
    return np.argsort(-x, axis=-1, kind="stable")[..., :k]


def _top_k(x, *, k, sorted):
    indices = _top_k_indices(x, k)
    return np.take_along_axis(x, indices, axis=-1), indices.astype(np.int32)


def _top_k_grad(g, ans, x, *, k, sorted):
    grad = np.zeros(x.shape, dtype=g.dtype)
    np.put_along_axis(grad, _top_k_indices(x, k), g, axis=-1)
    return grad


defop("TopKV2", forward=_top_k, grads=[_top_k_grad], grad_reads=("inputs",))


def top_k(input, k=1, sorted=True, name=None):
    """(values, indices) of the k largest entries along the last axis, largest first; ties go
    to the lower index."""
    x = convert_to_tensor(input)
    k = int(k)
    dims = x._dims
    if k < 0:
        raise ValueError(f"Dimension size, given by scalar input 1, must be non-negative but is {k}")
    if dims is not None and (not dims or dims[-1] is not None and dims[-1] < k):
        last = dims[-1] if dims else "a scalar"
        raise ValueError(f"input must have last dimension >= k = {k} but is {last}")
    out = None if dims is None else dims[:-1] + (k,)
    op = x.graph.create_op("TopKV2", [x], {"k": k, "sorted": bool(sorted)}, name or "TopKV2",
                           [(x.dtype, out), (dtypes.int32, out)])
    return TopKV2(*op.outputs)


def _in_top_k(predictions, targets, *, k):
    rows = np.arange(len(targets))
    target = predictions[rows, targets]
    above = np.sum(predictions > target[:, None], axis=1)
    return (above < k) & np.isfinite(target)


def _in_top_k_shape(predictions, targets, *, k):
    if predictions is not None and targets is not None and None not in (predictions[0], targets[0]) \
            and predictions[0] != targets[0]:
        raise ValueError(f"Dimensions must be equal, but are {predictions[0]} and {targets[0]}")
    return targets


defop("InTopKV2", forward=_in_top_k, grads=NOT_DIFFERENTIABLE, shape=_in_top_k_shape,
      dtype=lambda predictions, targets, *, k: dtypes.bool)


def in_top_k(predictions, targets, k, name=None):
    """Whether each row's target class is among its k largest predictions (ties count in)."""
    with graph_of((predictions, targets)).as_default(), name_scope(name, "in_top_k"):
        predictions = float_tensor(predictions, "predictions", "InTopKV2")
        targets = int_tensor(targets, "targets", "InTopKV2")
        return make_op("InTopKV2", [predictions, targets], {"k": int(k)}, name="InTopKV2")


# -- dropout: x * mask / keep_prob, the mask fresh each run --------------------------------

def _compile_dropout_mask(op, state):
    draw = generator(op, state)
    noise_shape = op.attrs["noise_shape"]

    def mask(x, rate):
        shape = x.shape if noise_shape is None else tuple(
            x.shape[i] if d is None else d for i, d in enumerate(noise_shape))
        keep = draw.random(shape) >= rate
        return keep.astype(x.dtype) / x.dtype.type(1 - rate)
    return mask


def _dropout_mask_shape(x, rate, *, seed, seed2, noise_shape):
    return x if noise_shape is None else noise_shape


defop("DropoutMask", compile=_compile_dropout_mask, grads=NOT_DIFFERENTIABLE, shape=_dropout_mask_shape,
      shape_only_inputs=lambda op: {op.inputs[0]})


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """x scaled by 1 / (1 - rate) where kept, 0 where dropped (each with probability `rate`);
    `keep_prob` is TF1's older spelling of 1 - rate. Seeded by the graph and op seeds."""
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'keep_prob' and 'rate'.")
    if keep_prob is None and rate is None:
        raise ValueError("`rate` must be provided. Received: rate=None")
    with graph_of((x, keep_prob, rate)).as_default(), name_scope(name, "dropout"):
        x = float_tensor(x, "x", "dropout")
        if keep_prob is not None:
            rate = 1 - keep_prob if isinstance(keep_prob, (int, float)) else subtract(1.0, keep_prob, name="sub")
        if isinstance(rate, (int, float)) and not 0 <= rate < 1:
            raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
        rate = convert_to_tensor(rate, dtype=x.dtype)
        seed, seed2 = op_seeds(seed)
        noise = None if noise_shape is None else tuple(None if d is None else int(d) for d in noise_shape)
        mask = make_op("DropoutMask", [x, rate], {"seed": seed, "seed2": seed2, "noise_shape": noise},
                       name="mask")
        return multiply(x, mask, name="mul")


# -- sampled losses: a few sampled classes stand in for all of them ---------------------------

def _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
                    subtract_log_q, remove_accidental_hits, seed):
    """[batch, num_true + num_sampled] logits of each row's true classes then the sampled ones
    (corrected by log expected count), and their targets: 1 / num_true for the true, 0 else."""
    if isinstance(weights, (list, tuple)):
        if len(weights) != 1:
            raise ValueError(f"the engine keeps weights in one piece; got a list of {len(weights)} shards")
        weights = weights[0]
    inputs = float_tensor(inputs, "inputs", "sampled loss")
    labels = cast(int_tensor(labels, "labels", "sampled loss"), dtypes.int64)
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(labels, num_true, num_sampled, True, num_classes, seed=seed)
    sampled, true_expected, sampled_expected = (stop_gradient(v) for v in sampled_values)
    sampled = cast(sampled, dtypes.int64)
    flat = reshape(labels, [-1])
    dim = inputs.shape[1] if inputs.shape.ndims == 2 and inputs.shape[1] is not None else -1
    true_w = reshape(embedding_lookup(weights, flat), [-1, num_true, dim])
    true_logits = reduce_sum(multiply(expand_dims(inputs, 1), true_w), axis=-1)
    true_logits = add(true_logits, reshape(embedding_lookup(biases, flat), [-1, num_true]))
    sampled_logits = add(matmul(inputs, embedding_lookup(weights, sampled), transpose_b=True),
                         embedding_lookup(biases, sampled))
    if remove_accidental_hits:  # a sampled class that is a row's true class does not count against it
        hits = reduce_any(equal(expand_dims(labels, 2), reshape(sampled, [1, 1, -1])), axis=1)
        sampled_logits = add(sampled_logits, multiply(cast(hits, inputs.dtype), -np.finfo(np.float32).max))
    if subtract_log_q:
        true_logits = true_logits - log(cast(true_expected, inputs.dtype))
        sampled_logits = sampled_logits - log(cast(sampled_expected, inputs.dtype))
    logits = concat([true_logits, sampled_logits], 1)
    targets = concat([ones_like(true_logits) / float(num_true), zeros_like(sampled_logits)], 1)
    return logits, targets


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1, sampled_values=None,
             remove_accidental_hits=False, partition_strategy="mod", name="nce_loss"):
    """Noise-contrastive estimation: per row, the logistic loss of telling its true classes
    (`labels`, [batch, num_true]) from `num_sampled` noise classes drawn log-uniformly (or given
    as `sampled_values`, a candidate sampler's triple). `weights` [num_classes, dim] and
    `biases` [num_classes] score a class for `inputs` [batch, dim]. A [batch] loss."""
    with graph_of((weights, biases, labels, inputs)).as_default(), name_scope(name, "nce_loss"):
        logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                                          sampled_values, True, remove_accidental_hits, None)
        losses = sigmoid_cross_entropy_with_logits(labels=targets, logits=logits, name="sampled_losses")
        return reduce_sum(losses, axis=1, name="sum_rows")


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True, partition_strategy="mod",
                         name="sampled_softmax_loss", seed=None):
    """Softmax cross entropy over each row's true classes and `num_sampled` sampled ones instead
    of all `num_classes` (arguments as `nce_loss`): a [batch] loss that trains the full softmax."""
    with graph_of((weights, biases, labels, inputs)).as_default(), name_scope(name, "sampled_softmax_loss"):
        logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                                          sampled_values, True, remove_accidental_hits, seed)
        return softmax_cross_entropy_with_logits_v2(stop_gradient(targets), logits, name="sampled_losses")
