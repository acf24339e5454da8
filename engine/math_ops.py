"""Arithmetic: elementwise ops with numpy broadcasting, reductions, matmul, and Tensor operators.

Binary ops take both operands in one dtype, as TF1 does: a Python number takes the dtype of the
tensor it meets (so `x * 2` keeps float32), two tensors of different dtypes are a TypeError.
"""

import numpy as np

from . import dtypes
from .array_ops import cast, convert_to_tensor, is_tensor_like, slice_tensor
from .extend import (NOT_DIFFERENTIABLE, broadcast_shape, defop, elementwise, make_op,
                     normalize_axis, unbroadcast)
from .graph import Tensor, graph_of


def _binary(op_type, x, y, name):
    """Make op_type(x, y) after converting both operands to tensors of one dtype, in the graph
    of the tensor operand (which need not be the default graph)."""
    with graph_of((x, y)).as_default():
        return _binary_in_graph(op_type, x, y, name)


def _binary_in_graph(op_type, x, y, name):
    if is_tensor_like(x) or not is_tensor_like(y):
        x = convert_to_tensor(x)
        y = convert_to_tensor(y) if is_tensor_like(y) else convert_to_tensor(y, dtype=x.dtype)
    else:
        y = convert_to_tensor(y)
        x = convert_to_tensor(x, dtype=y.dtype)
    if x.dtype != y.dtype:
        raise TypeError(f"Input 'y' of '{op_type}' Op has type {y.dtype.name} that does not match "
                        f"type {x.dtype.name} of argument 'x' ({x.name} and {y.name})")
    return make_op(op_type, [x, y], name=name)


def _defbinary(op_type, forward, grad_x, grad_y, **fields):
    defop(op_type, forward=forward, grads=[grad_x, grad_y], shape=broadcast_shape, **fields)


def _shape_of(x):
    return x.shape  # every value in a run is a numpy array or scalar


# -- elementwise, two inputs --------------------------------------------------------------

_defbinary("AddV2", np.add,
           lambda g, ans, x, y: unbroadcast(g, _shape_of(x)),
           lambda g, ans, x, y: unbroadcast(g, _shape_of(y)), grad_reads=())
_defbinary("Sub", np.subtract,
           lambda g, ans, x, y: unbroadcast(g, _shape_of(x)),
           lambda g, ans, x, y: unbroadcast(-g, _shape_of(y)), grad_reads=())


def _product_grad(g, other, shape):
    """unbroadcast(g * other, shape); one dot product, with no temporary, when that sums it all
    (the gradient of a scalar weight w in w * X)."""
    if shape == () and type(g) is np.ndarray and type(other) is np.ndarray and g.shape == other.shape \
            and g.dtype == other.dtype and g.flags.c_contiguous and other.flags.c_contiguous:
        return np.vdot(g, other)
    return unbroadcast(g * other, shape)


_defbinary("Mul", np.multiply,
           lambda g, ans, x, y: _product_grad(g, y, _shape_of(x)),
           lambda g, ans, x, y: _product_grad(g, x, _shape_of(y)), grad_reads=("inputs",))
_defbinary("RealDiv", np.true_divide,
           lambda g, ans, x, y: unbroadcast(g / y, _shape_of(x)),
           lambda g, ans, x, y: unbroadcast(-g * ans / y, _shape_of(y)))


def _pow_grad_y(g, ans, x, y):
    log_x = np.log(np.where(x > 0, x, 1))  # d/dy x**y = x**y log x, taken as 0 where x <= 0
    return unbroadcast(g * ans * log_x, _shape_of(y))


_defbinary("Pow", np.power,
           lambda g, ans, x, y: unbroadcast(g * y * np.power(x, y - 1), _shape_of(x)),
           _pow_grad_y)
_defbinary("Maximum", np.maximum,
           lambda g, ans, x, y: unbroadcast(g * (x >= y), _shape_of(x)),
           lambda g, ans, x, y: unbroadcast(g * (x < y), _shape_of(y)), grad_reads=("inputs",))
_defbinary("Minimum", np.minimum,
           lambda g, ans, x, y: unbroadcast(g * (x <= y), _shape_of(x)),
           lambda g, ans, x, y: unbroadcast(g * (x > y), _shape_of(y)), grad_reads=("inputs",))
_defbinary("SquaredDifference", lambda x, y: np.square(x - y),
           lambda g, ans, x, y: unbroadcast(g * (2 * (x - y)), _shape_of(x)),
           lambda g, ans, x, y: unbroadcast(g * (2 * (y - x)), _shape_of(y)), grad_reads=("inputs",))

_COMPARISONS = {"Equal": np.equal, "NotEqual": np.not_equal, "Greater": np.greater,
                "GreaterEqual": np.greater_equal, "Less": np.less, "LessEqual": np.less_equal}
for _type, _fn in _COMPARISONS.items():
    defop(_type, forward=_fn, grads=NOT_DIFFERENTIABLE, shape=broadcast_shape,
          dtype=lambda x, y: dtypes.bool)


def _named(fn, name, doc):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


def _binary_api(op_type, python_name, default_name, doc):
    """The user-facing function `f(x, y, name=None)` for a binary op type."""
    def fn(x, y, name=None):
        return _binary(op_type, x, y, name or default_name)
    return _named(fn, python_name, doc)


add = _binary_api("AddV2", "add", "add", "x + y, broadcasting as numpy does.")
subtract = _binary_api("Sub", "subtract", "sub", "x - y.")
multiply = _binary_api("Mul", "multiply", "mul", "x * y, elementwise.")
pow = _binary_api("Pow", "pow", "pow", "x ** y, elementwise.")  # noqa: A001 - TF1's name
maximum = _binary_api("Maximum", "maximum", "Maximum", "The larger of x and y, elementwise.")
minimum = _binary_api("Minimum", "minimum", "Minimum", "The smaller of x and y, elementwise.")
squared_difference = _binary_api("SquaredDifference", "squared_difference", "SquaredDifference", "(x - y) ** 2.")
equal = _binary_api("Equal", "equal", "Equal", "x == y, elementwise (bool).")
not_equal = _binary_api("NotEqual", "not_equal", "NotEqual", "x != y, elementwise (bool).")
greater = _binary_api("Greater", "greater", "Greater", "x > y, elementwise (bool).")
greater_equal = _binary_api("GreaterEqual", "greater_equal", "GreaterEqual", "x >= y, elementwise (bool).")
less = _binary_api("Less", "less", "Less", "x < y, elementwise (bool).")
less_equal = _binary_api("LessEqual", "less_equal", "LessEqual", "x <= y, elementwise (bool).")


def divide(x, y, name=None):
    """x / y; integers are divided as float64, as TF1's truediv does."""
    x, y = (convert_to_tensor(v) if is_tensor_like(v) else v for v in (x, y))
    if isinstance(x, Tensor) and x.dtype.is_integer:
        x = cast(x, dtypes.float64)
    if isinstance(y, Tensor) and y.dtype.is_integer:
        y = cast(y, dtypes.float64)
    return _binary("RealDiv", x, y, name or "truediv")


div = truediv = divide


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    return minimum(maximum(t, clip_value_min), clip_value_max, name=name or "clip_by_value")


# -- elementwise, one input ---------------------------------------------------------------

def sigmoid_of(x):
    """1 / (1 + exp(-x)) without overflow for large |x|."""
    return 0.5 * (np.tanh(0.5 * x) + 1)


defop("Neg", forward=np.negative, grads=[lambda g, ans, x: -g], grad_reads=())
_INPUT, _OUTPUT = ("inputs",), ("output",)
defop("Square", forward=np.square, grads=[lambda g, ans, x: (2 * elementwise(g)) * x], grad_reads=_INPUT)
defop("Sqrt", forward=np.sqrt, grads=[lambda g, ans, x: (0.5 * elementwise(g)) / ans], grad_reads=_OUTPUT)
defop("Exp", forward=np.exp, grads=[lambda g, ans, x: elementwise(g) * ans], grad_reads=_OUTPUT)
defop("Log", forward=np.log, grads=[lambda g, ans, x: elementwise(g) / x], grad_reads=_INPUT)
defop("Log1p", forward=np.log1p, grads=[lambda g, ans, x: elementwise(g) / (1 + x)], grad_reads=_INPUT)
defop("Abs", forward=np.abs, grads=[lambda g, ans, x: elementwise(g) * np.sign(x)], grad_reads=_INPUT)
defop("Sigmoid", forward=sigmoid_of, grads=[lambda g, ans, x: elementwise(g) * (ans * (1 - ans))],
      grad_reads=_OUTPUT)
defop("Tanh", forward=np.tanh, grads=[lambda g, ans, x: elementwise(g) * (1 - ans * ans)], grad_reads=_OUTPUT)
defop("Sign", forward=np.sign, grads=NOT_DIFFERENTIABLE)
defop("Round", forward=np.round, grads=NOT_DIFFERENTIABLE)


def _unary_api(op_type, python_name, doc):
    """The user-facing function `f(x, name=None)` for a one-input op type."""
    def fn(x, name=None):
        return make_op(op_type, [convert_to_tensor(x)], name=name or op_type)
    return _named(fn, python_name, doc)


negative = _unary_api("Neg", "negative", "-x.")
square = _unary_api("Square", "square", "x * x.")
sqrt = _unary_api("Sqrt", "sqrt", "The square root of x.")
exp = _unary_api("Exp", "exp", "e ** x.")
log = _unary_api("Log", "log", "The natural logarithm of x.")
log1p = _unary_api("Log1p", "log1p", "log(1 + x), accurate for small x.")
abs = _unary_api("Abs", "abs", "|x|.")  # noqa: A001 - TF1's name
sigmoid = _unary_api("Sigmoid", "sigmoid", "1 / (1 + exp(-x)).")
tanh = _unary_api("Tanh", "tanh", "The hyperbolic tangent of x.")
sign = _unary_api("Sign", "sign", "-1, 0 or 1 by the sign of x.")
round = _unary_api("Round", "round", "x rounded to the nearest integer (halves to even).")  # noqa: A001


def add_n(inputs, name=None):
    """The sum of a list of tensors, as a chain of adds."""
    if not inputs:
        raise ValueError("add_n needs at least one input")
    total = convert_to_tensor(inputs[0])
    for i, t in enumerate(inputs[1:], start=2):
        total = add(total, t, name=name if i == len(inputs) else None)
    return total


# -- reductions ---------------------------------------------------------------------------

def _reduced_dims(dims, *, axis, keepdims):
    if dims is None:
        return None
    axes = normalize_axis(axis, len(dims))
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(dims))
    return tuple(d for i, d in enumerate(dims) if i not in axes)


def _spread(g, x, axis, keepdims):
    """A reduction's gradient broadcast back over the reduced axes: a view, nothing copied
    (a small one is simply filled in, which is quicker than making the view)."""
    shape = x.shape
    if not keepdims and axis is not None:
        axes = normalize_axis(axis, len(shape))
        g = np.reshape(g, tuple(1 if i in axes else d for i, d in enumerate(shape)))
    if g.size == 1 and x.size <= SMALL:
        return np.full(shape, g.reshape(()))
    return np.broadcast_to(g, shape)


SMALL = 4096


def _sum(x, *, axis, keepdims):
    return np.add.reduce(x, axis=axis, dtype=x.dtype, keepdims=keepdims)


def _mean(x, *, axis, keepdims):
    total = np.add.reduce(x, axis=axis, dtype=x.dtype, keepdims=keepdims)
    mean = total / (x.size // max(total.size, 1))
    return mean if x.dtype.kind == "f" else mean.astype(x.dtype)


def _mean_grad(g, ans, x, *, axis, keepdims):
    return _spread(g / (x.size // max(ans.size, 1)), x, axis, keepdims)


def _prod_grad(g, ans, x, *, axis, keepdims):
    """Each element's gradient is the product of the others, from two exclusive cumulative
    products (no division, so zeros are handled)."""
    x = np.asarray(x)
    axes = normalize_axis(axis, x.ndim)
    kept = [a for a in range(x.ndim) if a not in axes]
    moved = np.transpose(x, kept + list(axes))
    flat = moved.reshape(moved.shape[:len(kept)] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), dtype=x.dtype)
    before = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    others = np.transpose((before * after).reshape(moved.shape), np.argsort(kept + list(axes)))
    return _spread(g, x, axis, keepdims) * others


def _extreme_grad(g, ans, x, *, axis, keepdims):
    """Max/min: the gradient goes to the elements equal to the result, shared among ties."""
    axes = normalize_axis(axis, np.ndim(x))
    hits = x == _spread(ans, x, axis, keepdims)
    ties = np.add.reduce(hits, axis=axes, keepdims=True, dtype=np.asarray(x).dtype)
    return _spread(g, x, axis, keepdims) * hits / ties


def _defreduce(op_type, forward, grad, **fields):
    defop(op_type, forward=forward, grads=[grad], shape=_reduced_dims, **fields)


_defreduce("Sum", _sum, lambda g, ans, x, *, axis, keepdims: _spread(g, x, axis, keepdims),
           grad_reads=())
_defreduce("Mean", _mean, _mean_grad, grad_reads=())
_defreduce("Prod", lambda x, *, axis, keepdims: np.multiply.reduce(x, axis=axis, dtype=x.dtype, keepdims=keepdims),
           _prod_grad)
_defreduce("Max", lambda x, *, axis, keepdims: np.max(x, axis=axis, keepdims=keepdims), _extreme_grad)
_defreduce("Min", lambda x, *, axis, keepdims: np.min(x, axis=axis, keepdims=keepdims), _extreme_grad)
defop("ArgMax", forward=lambda x, *, axis: np.argmax(x, axis=axis).astype(np.int64),
      grads=NOT_DIFFERENTIABLE, dtype=lambda x, *, axis: dtypes.int64,
      shape=lambda dims, *, axis: _reduced_dims(dims, axis=axis, keepdims=False))


def _reduction_api(op_type, python_name, doc):
    """The user-facing `reduce_*(input_tensor, axis=None, keepdims=None, name=None)`, with
    TF1's older spellings `reduction_indices` and `keep_dims`."""
    def fn(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
        axis = reduction_indices if axis is None else axis
        keepdims = bool(keep_dims if keepdims is None else keepdims)
        if axis is not None and not isinstance(axis, int):
            axis = tuple(int(a) for a in axis)
        x = convert_to_tensor(input_tensor)
        return make_op(op_type, [x], {"axis": axis, "keepdims": keepdims}, name=name or op_type)
    return _named(fn, python_name, doc)


reduce_sum = _reduction_api("Sum", "reduce_sum", "The sum over `axis` (default: all axes).")
reduce_mean = _reduction_api("Mean", "reduce_mean", "The mean over `axis` (default: all axes).")
reduce_prod = _reduction_api("Prod", "reduce_prod", "The product over `axis` (default: all axes).")
reduce_max = _reduction_api("Max", "reduce_max", "The maximum over `axis` (default: all axes).")
reduce_min = _reduction_api("Min", "reduce_min", "The minimum over `axis` (default: all axes).")


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
    axis = dimension if axis is None else axis
    return make_op("ArgMax", [convert_to_tensor(input)], {"axis": 0 if axis is None else int(axis)},
                   name=name or "ArgMax")


# -- matmul -------------------------------------------------------------------------------

def _t(x):
    return np.swapaxes(x, -1, -2)


def _matmul(a, b, *, transpose_a, transpose_b):
    return np.matmul(_t(a) if transpose_a else a, _t(b) if transpose_b else b)


def _matmul_grad_a(g, ans, a, b, *, transpose_a, transpose_b):
    grad = np.matmul(g, b if transpose_b else _t(b))
    return unbroadcast(_t(grad) if transpose_a else grad, np.shape(a))


def _matmul_grad_b(g, ans, a, b, *, transpose_a, transpose_b):
    grad = np.matmul(a if transpose_a else _t(a), g)
    return unbroadcast(_t(grad) if transpose_b else grad, np.shape(b))


def _matmul_shape(a, b, *, transpose_a, transpose_b):
    if a is None or b is None:
        return None
    if len(a) < 2 or len(b) < 2:
        raise ValueError(f"matmul needs inputs of rank >= 2, got ranks {len(a)} and {len(b)}")
    rows, inner_a = (a[-1], a[-2]) if transpose_a else (a[-2], a[-1])
    inner_b, cols = (b[-1], b[-2]) if transpose_b else (b[-2], b[-1])
    if inner_a is not None and inner_b is not None and inner_a != inner_b:
        raise ValueError(f"inner dimensions {inner_a} and {inner_b} do not match")
    return broadcast_shape(a[:-2], b[:-2]) + (rows, cols)


defop("MatMul", forward=_matmul, grads=[_matmul_grad_a, _matmul_grad_b], shape=_matmul_shape,
      grad_reads=("inputs",))


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    with graph_of((a, b)).as_default():
        a, b = convert_to_tensor(a), convert_to_tensor(b)
    if a.dtype != b.dtype:
        raise TypeError(f"matmul of {a.dtype.name} '{a.name}' and {b.dtype.name} '{b.name}': dtypes differ")
    return make_op("MatMul", [a, b], {"transpose_a": bool(transpose_a), "transpose_b": bool(transpose_b)},
                   name=name or "MatMul")


# -- operators ----------------------------------------------------------------------------

OPERATORS = {
    "__add__": lambda x, y: add(x, y), "__radd__": lambda x, y: add(y, x),
    "__sub__": lambda x, y: subtract(x, y), "__rsub__": lambda x, y: subtract(y, x),
    "__mul__": lambda x, y: multiply(x, y), "__rmul__": lambda x, y: multiply(y, x),
    "__truediv__": lambda x, y: divide(x, y), "__rtruediv__": lambda x, y: divide(y, x),
    "__pow__": lambda x, y: pow(x, y), "__rpow__": lambda x, y: pow(y, x),
    "__matmul__": lambda x, y: matmul(x, y), "__rmatmul__": lambda x, y: matmul(y, x),
    "__neg__": lambda x: negative(x), "__abs__": lambda x: abs(x),
    "__getitem__": lambda x, key: slice_tensor(x, key),
    "__lt__": lambda x, y: less(x, y), "__le__": lambda x, y: less_equal(x, y),
    "__gt__": lambda x, y: greater(x, y), "__ge__": lambda x, y: greater_equal(x, y),
}
for _name, _fn in OPERATORS.items():
    setattr(Tensor, _name, _fn)
