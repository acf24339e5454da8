"""First-order gradients written as graph ops, for the ops whose gradient reads values.

A Session runs first-order gradients through each op's numpy vjps (`engine.gradients`' VJP
ops). Differentiating such a gradient again (a Hessian, a gradient penalty) needs it as graph
ops; `build(op, g, index)` here writes input `index`'s gradient from the upstream `g`, and
`gradients` differentiates that. Ops whose gradient reads no values (add, sum, reshape,
slicing) are linear and need nothing here.
"""

from .array_ops import cast, expand_dims, shape
from .gradients import register_symbolic, sum_to_shape_of
from .manip_ops import one_hot, where
from .math_ops import cos, exp, greater, log, matmul, multiply, negative, reduce_sum, sigmoid, sin, subtract
from .nn import log_softmax, softmax
from .ops import make_op


def _elementwise(op_type, derivative):
    """Register a one-input op whose gradient is g * derivative(x, ans)."""
    @register_symbolic(op_type)
    def build(op, g, index):
        return multiply(g, derivative(op.inputs[0], op.outputs[0]))
    return build


_elementwise("Square", lambda x, ans: 2.0 * x)
_elementwise("Sqrt", lambda x, ans: 0.5 / ans)
_elementwise("Exp", lambda x, ans: ans)
_elementwise("Log", lambda x, ans: 1.0 / x)
_elementwise("Sin", lambda x, ans: cos(x))
_elementwise("Cos", lambda x, ans: negative(sin(x)))
_elementwise("Tanh", lambda x, ans: 1.0 - ans * ans)
_elementwise("Sigmoid", lambda x, ans: ans * (1.0 - ans))
_elementwise("Reciprocal", lambda x, ans: negative(ans * ans))
_elementwise("Relu", lambda x, ans: cast(greater(x, 0.0), x.dtype))


def _binary(op_type, grad_x, grad_y):
    """Register a broadcasting two-input op's gradients (summed back to each input's shape)."""
    @register_symbolic(op_type)
    def build(op, g, index):
        x, y = op.inputs
        grad = (grad_x if index == 0 else grad_y)(g, x, y, op.outputs[0])
        return sum_to_shape_of(grad, op.inputs[index])
    return build


_binary("Mul", lambda g, x, y, ans: g * y, lambda g, x, y, ans: g * x)
_binary("RealDiv", lambda g, x, y, ans: g / y, lambda g, x, y, ans: negative(g) * x / (y * y))
_binary("Pow", lambda g, x, y, ans: g * y * x ** (y - 1.0),
        lambda g, x, y, ans: g * ans * log(where(greater(x, 0.0), x, x * 0.0 + 1.0)))
_binary("SquaredDifference", lambda g, x, y, ans: 2.0 * g * (x - y), lambda g, x, y, ans: -2.0 * g * (x - y))
_binary("SigmoidCrossEntropyWithLogits", lambda g, z, x, ans: negative(g * x),
        lambda g, z, x, ans: g * subtract(sigmoid(x), z))


@register_symbolic("MatMul")
def _matmul(op, g, index):
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if index == 0:
        grad = matmul(b, g, transpose_a=tb, transpose_b=True) if ta else matmul(g, b, transpose_b=not tb)
    else:
        grad = matmul(g, a, transpose_a=True, transpose_b=ta) if tb else matmul(a, g, transpose_a=not ta)
    return sum_to_shape_of(grad, op.inputs[index])


# -- convolution and pooling: their gradients are ops of the same family ------------------------

def _conv_attrs(op):
    return {k: op.attrs[k] for k in ("strides", "padding", "dilations")}


@register_symbolic("Conv2D")
def _conv2d(op, g, index):
    x, f = op.inputs
    if index == 0:
        return make_op("Conv2DInputGrad", [g, f, x], _conv_attrs(op), name="Conv2DBackpropInput")
    return make_op("Conv2DFilterGrad", [x, g, f], _conv_attrs(op), name="Conv2DBackpropFilter")


@register_symbolic("Conv2DInputGrad")
def _conv2d_input_grad(op, u, index):
    g, f, x = op.inputs
    if index == 0:
        return make_op("Conv2D", [u, f], _conv_attrs(op), name="Conv2D")
    return make_op("Conv2DFilterGrad", [u, g, f], _conv_attrs(op), name="Conv2DBackpropFilter")


@register_symbolic("Conv2DFilterGrad")
def _conv2d_filter_grad(op, u, index):
    x, g, f = op.inputs
    if index == 0:
        return make_op("Conv2DInputGrad", [g, u, x], _conv_attrs(op), name="Conv2DBackpropInput")
    return make_op("Conv2D", [x, u], _conv_attrs(op), name="Conv2D")


@register_symbolic("Conv2DBackpropInput")  # conv2d_transpose(value, f): inputs (f, value)
def _conv2d_transpose(op, g, index):
    f, value = op.inputs
    if index == 0:
        return make_op("Conv2DFilterGrad", [g, value, f], _conv_attrs(op), name="Conv2DBackpropFilter")
    return make_op("Conv2D", [g, f], _conv_attrs(op), name="Conv2D")


def _pool_attrs(op):
    return {k: op.attrs[k] for k in ("ksize", "strides", "padding")}


@register_symbolic("MaxPool")
def _max_pool(op, g, index):
    return make_op("MaxPoolGrad", [op.inputs[0], op.outputs[0], g], _pool_attrs(op), name="MaxPoolGrad")


@register_symbolic("MaxPoolGrad")
def _max_pool_grad(op, u, index):
    x, ans, _ = op.inputs
    return make_op("MaxPoolGradGrad", [x, ans, u], _pool_attrs(op), name="MaxPoolGradGrad")


@register_symbolic("MaxPoolGradGrad")
def _max_pool_grad_grad(op, u, index):
    x, ans, _ = op.inputs
    return make_op("MaxPoolGrad", [x, ans, u], _pool_attrs(op), name="MaxPoolGrad")


# -- softmax and its cross entropies ------------------------------------------------------------

@register_symbolic("Softmax")
def _softmax(op, g, index):
    s, axis = op.outputs[0], op.attrs["axis"]
    return s * (g - reduce_sum(g * s, axis=axis, keepdims=True))


@register_symbolic("LogSoftmax")
def _log_softmax(op, g, index):
    axis = op.attrs["axis"]
    return g - exp(op.outputs[0]) * reduce_sum(g, axis=axis, keepdims=True)


@register_symbolic("SoftmaxCrossEntropyWithLogits")
def _softmax_xent(op, g, index):
    z, x = op.inputs
    axis = op.attrs["axis"]
    g = expand_dims(g, axis)
    if index == 0:
        grad = g * negative(log_softmax(x, axis=axis))
    else:
        grad = g * (softmax(x, axis=axis) * reduce_sum(z, axis=axis, keepdims=True) - z)
    return sum_to_shape_of(grad, op.inputs[index])


@register_symbolic("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_softmax_xent(op, g, index):
    labels, x = op.inputs
    depth = x._dims[-1] if x._dims is not None and x._dims[-1] is not None else shape(x)[-1]
    return expand_dims(g, -1) * (softmax(x) - one_hot(labels, depth, dtype=x.dtype))
