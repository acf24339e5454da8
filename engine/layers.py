"""`tf.layers`: dense, flatten, dropout and batch normalization as TF1's functional layers.

Each call is one variable scope (`dense`, `dense_1`... or the given `name`; `reuse=True`
shares its variables), so variables are named as TF1 names them (`dense/kernel:0`,
`batch_normalization/moving_mean:0`) and the graph view shows each layer as a box of its
ops. `training` is a Python bool or a bool tensor (then both branches are computed and the
flag picks one, where TF1 would use a `cond`).
"""

from . import nn
from .array_ops import cast, convert_to_tensor, identity, ones_like, reshape, stack, transpose
from .array_ops import shape as shape_of
from .graph import GraphKeys, Tensor, get_default_graph
from .init_ops import get as get_initializer
from .init_ops import ones_initializer, zeros_initializer
from .math_ops import matmul, maximum, reduce_sum
from .regularizers import get as get_regularizer
from .state_ops import assign_sub
from .variable_scope import get_variable, variable_scope


def _rank(inputs, layer, at_least):
    rank = inputs.shape.ndims
    if rank is None or rank < at_least:
        raise ValueError(f"Input 0 of layer {layer} is incompatible with the layer: expected "
                         f"ndim>={at_least}, found ndim={rank}. Full shape received: {inputs.shape}")
    return rank


def _choose(training, if_true, if_false):
    """`if_true()` when training, else `if_false()`; for a bool tensor, both, picked by it."""
    if not isinstance(training, Tensor):
        return if_true() if training else if_false()
    yes, no = if_true(), if_false()
    flag = cast(training, yes.dtype)
    return yes * flag + no * (1.0 - flag)


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """activation(inputs @ kernel + bias): kernel [last dim of inputs, units], bias [units]."""
    inputs = convert_to_tensor(inputs)
    _rank(inputs, "dense", 2)
    in_dim = inputs.shape[-1]
    if in_dim is None:
        raise ValueError(f"The last dimension of the inputs to `Dense` should be defined. Found `None` "
                         f"(input '{inputs.name}' of shape {inputs.shape})")
    return _kernel_layer(lambda kernel: matmul(inputs, kernel), inputs, [in_dim, int(units)], units,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, trainable, name, reuse, "dense")


def _activity(outputs, regularizer):
    if regularizer is not None:
        loss = regularizer(outputs)
        if loss is not None:
            get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)


def _pair(value, what):
    pair = (value, value) if isinstance(value, int) else tuple(int(v) for v in value)
    if len(pair) != 2:
        raise ValueError(f"The `{what}` argument must be a tuple of 2 integers. Received: {value}")
    return pair


def _image_inputs(inputs, layer, data_format):
    inputs = convert_to_tensor(inputs)
    if data_format != "channels_last":
        raise NotImplementedError(f"{layer}: only data_format='channels_last' (NHWC) is supported")
    if inputs.shape.ndims != 4:
        raise ValueError(f"Input 0 of layer {layer} is incompatible with the layer: expected ndim=4, "
                         f"found ndim={inputs.shape.ndims}. Full shape received: {inputs.shape}")
    if inputs.shape[-1] is None:
        raise ValueError(f"The channel dimension of the inputs to `{layer}` should be defined. Found `None`.")
    return inputs


def _kernel_layer(op, inputs, kernel_shape, filters, activation, use_bias, kernel_initializer,
                  bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
                  trainable, name, reuse, default_name):
    """A dense or convolution layer: kernel and bias variables in its scope, then
    activation(op(kernel) + bias)."""
    with variable_scope(name, default_name=default_name, values=[inputs], reuse=reuse):
        kernel = get_variable("kernel", kernel_shape, inputs.dtype,
                              get_initializer(kernel_initializer), get_regularizer(kernel_regularizer),
                              trainable)
        outputs = op(kernel)
        if use_bias:
            bias = get_variable("bias", [int(filters)], inputs.dtype, get_initializer(bias_initializer),
                                get_regularizer(bias_regularizer), trainable)
            outputs = nn.bias_add(outputs, bias)
        if activation is not None:
            outputs = activation(outputs)
        _activity(outputs, get_regularizer(activity_regularizer))
        return outputs


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
           dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
           activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
           name=None, reuse=None):
    """activation(conv2d(inputs, kernel) + bias) on NHWC images: kernel [kh, kw, in, filters]."""
    inputs = _image_inputs(inputs, "conv2d", data_format)
    strides, dilations = _pair(strides, "strides"), _pair(dilation_rate, "dilation_rate")
    return _kernel_layer(lambda kernel: nn.conv2d(inputs, kernel, [1, *strides, 1], padding.upper(),
                                          dilations=[1, *dilations, 1]),
                 inputs, [*_pair(kernel_size, "kernel_size"), inputs.shape[-1], int(filters)], filters,
                 activation, use_bias,
                 kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                 activity_regularizer, trainable, name, reuse, "conv2d")


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True, kernel_initializer=None,
                     bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                     activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                     trainable=True, name=None, reuse=None):
    """The transpose of conv2d (upsampling by `strides`): kernel [kh, kw, filters, in]. The
    height and width must be known; an unknown batch is taken from tf.shape, as TF does."""
    inputs = _image_inputs(inputs, "conv2d_transpose", data_format)
    batch, height, width, _ = inputs.shape.as_list()
    if None in (height, width):
        raise ValueError(f"conv2d_transpose needs the height and width of its inputs known, "
                         f"got {inputs.shape} for '{inputs.name}'")
    (kh, kw), (sh, sw) = _pair(kernel_size, "kernel_size"), _pair(strides, "strides")
    if padding.lower() == "same":
        out_h, out_w = height * sh, width * sw
    else:
        out_h, out_w = (height - 1) * sh + kh, (width - 1) * sw + kw
    def upsample(kernel):
        out_batch = shape_of(inputs)[0] if batch is None else batch
        return nn.conv2d_transpose(inputs, kernel, stack([out_batch, out_h, out_w, int(filters)]),
                                   [1, sh, sw, 1], padding.upper())

    return _kernel_layer(upsample,
                 inputs, [kh, kw, int(filters), inputs.shape[-1]], filters, activation, use_bias,
                 kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                 activity_regularizer, trainable, name, reuse, "conv2d_transpose")


def _pooling(pool, layer, inputs, pool_size, strides, padding, data_format, name):
    inputs = _image_inputs(inputs, layer, data_format)
    size, strides = _pair(pool_size, "pool_size"), _pair(strides, "strides")
    with variable_scope(name, default_name=layer, values=[inputs]):
        return pool(inputs, [1, *size, 1], [1, *strides, 1], padding.upper())


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """The maximum of each pool_size window, moved by `strides`."""
    return _pooling(nn.max_pool, "max_pooling2d", inputs, pool_size, strides, padding, data_format, name)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
    """The mean of each pool_size window, moved by `strides`."""
    return _pooling(nn.avg_pool, "average_pooling2d", inputs, pool_size, strides, padding, data_format, name)


def flatten(inputs, name=None, data_format="channels_last"):
    """[batch, ...] to [batch, product of the rest] (the rest must be known)."""
    inputs = convert_to_tensor(inputs)
    _rank(inputs, "flatten", 1)
    rest = inputs.shape.as_list()[1:]
    if None in rest:
        raise ValueError(f"flatten needs every dimension but the first known, got {inputs.shape} "
                         f"for '{inputs.name}'")
    if data_format == "channels_first" and len(rest) > 1:
        inputs = transpose(inputs, [0, *range(2, len(rest) + 1), 1])
    size = 1
    for d in rest:
        size *= d
    with variable_scope(name, default_name="flatten", values=[inputs]):
        return reshape(inputs, [-1, size])


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Zero each value with probability `rate` and scale the rest by 1 / (1 - rate), when
    training; the inputs unchanged otherwise."""
    inputs = convert_to_tensor(inputs)
    if not 0 <= rate < 1:
        raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), got {rate}")
    with variable_scope(name, default_name="dropout", values=[inputs]):
        return _choose(training, lambda: nn.dropout(inputs, rate=rate, noise_shape=noise_shape, seed=seed),
                       lambda: identity(inputs))


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                        moving_mean_initializer=zeros_initializer(),
                        moving_variance_initializer=ones_initializer(), beta_regularizer=None,
                        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                        training=False, trainable=True, name=None, reuse=None, renorm=False,
                        renorm_clipping=None, renorm_momentum=0.99, fused=None,
                        virtual_batch_size=None, adjustment=None):
    """Normalise over every axis but `axis` with the batch's mean and variance when training
    (and move the moving averages towards them: ops in GraphKeys.UPDATE_OPS, which the
    training op must depend on), with the moving averages otherwise; then scale by gamma and
    shift by beta. As TF1's fused kernel does, a 4-D input's moving variance moves towards the
    unbiased batch variance."""
    inputs = convert_to_tensor(inputs)
    rank = _rank(inputs, "batch_normalization", 1)
    if renorm or virtual_batch_size or adjustment:
        raise NotImplementedError("batch_normalization(renorm=, virtual_batch_size=, adjustment=) "
                                  "is not supported")
    axis = axis % rank
    channels = inputs.shape[axis]
    if channels is None:
        raise ValueError(f"Input has undefined `axis` dimension. Received input with shape {inputs.shape} "
                         f"and axis={axis}")
    reduce_axes = [a for a in range(rank) if a != axis]
    keep = [1 if a != axis else channels for a in range(rank)]
    dtype = inputs.dtype

    def param(name, initializer, regularizer=None, trainable=trainable):
        return get_variable(name, [channels], dtype, get_initializer(initializer),
                            get_regularizer(regularizer), trainable)

    with variable_scope(name, default_name="batch_normalization", values=[inputs], reuse=reuse):
        gamma = param("gamma", gamma_initializer, gamma_regularizer) if scale else None
        beta = param("beta", beta_initializer, beta_regularizer) if center else None
        moving_mean = param("moving_mean", moving_mean_initializer, trainable=False)
        moving_variance = param("moving_variance", moving_variance_initializer, trainable=False)
        if training is False:
            mean, variance = moving_mean, moving_variance
        else:
            batch_mean, batch_variance = nn.moments(inputs, reduce_axes)
            update_variance = batch_variance
            if rank == 4:  # TF1's fused kernel: Bessel's correction for the moving variance
                count = reduce_sum(ones_like(inputs), reduce_axes)  # values per channel
                update_variance = batch_variance * count / maximum(count - 1.0, 1.0)
            decay = _choose(training, lambda: convert_to_tensor(1.0 - momentum, dtype),
                            lambda: convert_to_tensor(0.0, dtype))
            graph = get_default_graph()
            for variable, value, op_name in ((moving_mean, batch_mean, "AssignMovingAvg"),
                                             (moving_variance, update_variance, "AssignMovingAvg_1")):
                with graph.name_scope(op_name) as scope:
                    delta = (variable - value) * decay
                update = assign_sub(variable, delta, name=scope)
                graph.add_to_collection(GraphKeys.UPDATE_OPS, update.op)
            mean = _choose(training, lambda: batch_mean, lambda: moving_mean.value())
            variance = _choose(training, lambda: batch_variance, lambda: moving_variance.value())
        if axis != rank - 1:  # per-channel values broadcast along `axis`
            mean, variance, beta, gamma = (None if v is None else reshape(v, keep)
                                           for v in (mean, variance, beta, gamma))
        return nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
