"""First-order gradients written as graph ops, for the ops whose gradient reads values.

A Session runs first-order gradients through each op's numpy vjps (`engine.gradients`' VJP
ops). Differentiating such a gradient again (a Hessian, a gradient penalty) needs it as graph
ops; `build(op, g, index)` here writes input `index`'s gradient from the upstream `g`, and
`gradients` differentiates that. Ops whose gradient reads no values (add, sum, reshape,
slicing) are linear and need nothing here.
"""

from .array_ops import cast
from .gradients import register_symbolic, sum_to_shape_of
from .manip_ops import where
from .math_ops import cos, greater, log, matmul, multiply, negative, sigmoid, sin, subtract


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
