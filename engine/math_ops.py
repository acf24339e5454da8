"""Arithmetic: elementwise ops with numpy broadcasting, reductions, matmul, and Tensor operators.

Each family is a table: one row per op gives its user function, its op type, its forward
computation, a line of documentation and its gradient (one vjp per input), and the row both
registers the op and makes the function. `unary`, `binary` and `reduction` build the rows; a
new family of such ops is a new table (other op modules use them too).

Binary ops take both operands in one dtype, as TF1 does: a Python number takes the dtype of the
tensor it meets (so `x * 2` keeps float32), two tensors of different dtypes are a TypeError.
"""

import numpy as np

from . import dtypes
from .array_ops import cast, convert_to_tensor, is_tensor_like, slice_tensor
from .extend import (NOT_DIFFERENTIABLE, READS_ALL, broadcast_shape, defop, elementwise, make_op,
                     normalize_axis, unbroadcast)
from .graph import Tensor, graph_of


def _named(fn, name, doc):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


def _grads(*vjps):
    return NOT_DIFFERENTIABLE if vjps[0] is NOT_DIFFERENTIABLE else list(vjps)


def unary(name, op_type, forward, doc, grad, reads=READS_ALL):
    """Register the one-input op `op_type`; return its user function `name(x, name=None)`."""
    defop(op_type, forward=forward, grads=_grads(grad), grad_reads=reads)

    def fn(x, name=None):
        return make_op(op_type, [convert_to_tensor(x)], name=name or op_type)
    return _named(fn, name, doc)


def binary(name, op_type, forward, doc, grad_x, grad_y=None, reads=READS_ALL, default_name=None,
           dtype=None):
    """Register the broadcasting two-input op `op_type`; return its user function
    `name(x, y, name=None)`, whose ops are named `default_name` (default: the op type)."""
    fields = {} if dtype is None else {"dtype": dtype}
    defop(op_type, forward=forward, grads=_grads(grad_x, grad_y), shape=broadcast_shape,
          grad_reads=reads, **fields)
    default_name = default_name or op_type

    def fn(x, y, name=None):
        return make_binary(op_type, x, y, name or default_name)
    return _named(fn, name, doc)


def make_binary(op_type, x, y, name):
    """Make op_type(x, y) after converting both operands to tensors of one dtype, in the graph
    of the tensor operand (which need not be the default graph)."""
    with graph_of((x, y)).as_default():
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


def reduction(name, op_type, forward, doc, grad, reads=READS_ALL):
    """Register the reduction `op_type` (attrs `axis`, `keepdims`); return its user function
    `name(input_tensor, axis=None, keepdims=None, name=None)`, which also takes TF1's older
    spellings `reduction_indices` and `keep_dims`."""
    defop(op_type, forward=forward, grads=[grad], shape=_reduced_dims, grad_reads=reads)

    def fn(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
        axis = reduction_indices if axis is None else axis
        keepdims = bool(keep_dims if keepdims is None else keepdims)
        if axis is not None and not isinstance(axis, int):
            axis = tuple(int(a) for a in axis)
        x = convert_to_tensor(input_tensor)
        return make_op(op_type, [x], {"axis": axis, "keepdims": keepdims}, name=name or op_type)
    return _named(fn, name, doc)


# -- elementwise, two inputs: gradients for x and for y ----------------------------------

def _product_grad(g, other, shape):
    """unbroadcast(g * other, shape); one dot product, with no temporary, when that sums it all
    (the gradient of a scalar weight w in w * X)."""
    if shape == () and type(g) is np.ndarray and type(other) is np.ndarray and g.shape == other.shape \
            and g.dtype == other.dtype and g.flags.c_contiguous and other.flags.c_contiguous:
        return np.vdot(g, other)
    return unbroadcast(g * other, shape)


def _pow_grad_y(g, ans, x, y):
    log_x = np.log(np.where(x > 0, x, 1))  # d/dy x**y = x**y log x, taken as 0 where x <= 0
    return unbroadcast(g * ans * log_x, y.shape)


add = binary("add", "AddV2", np.add, "x + y, broadcasting as numpy does.",
             lambda g, ans, x, y: unbroadcast(g, x.shape),
             lambda g, ans, x, y: unbroadcast(g, y.shape), reads=(), default_name="add")
subtract = binary("subtract", "Sub", np.subtract, "x - y.",
                  lambda g, ans, x, y: unbroadcast(g, x.shape),
                  lambda g, ans, x, y: unbroadcast(-g, y.shape), reads=(), default_name="sub")
multiply = binary("multiply", "Mul", np.multiply, "x * y, elementwise.",
                  lambda g, ans, x, y: _product_grad(g, y, x.shape),
                  lambda g, ans, x, y: _product_grad(g, x, y.shape), reads=("inputs",), default_name="mul")
_real_div = binary("realdiv", "RealDiv", np.true_divide, "x / y, for tensors of one dtype.",
                   lambda g, ans, x, y: unbroadcast(g / y, x.shape),
                   lambda g, ans, x, y: unbroadcast(-g * ans / y, y.shape))
pow = binary("pow", "Pow", np.power, "x ** y, elementwise.",  # noqa: A001 - TF1's name
             lambda g, ans, x, y: unbroadcast(g * y * np.power(x, y - 1), x.shape),
             _pow_grad_y, default_name="pow")
maximum = binary("maximum", "Maximum", np.maximum, "The larger of x and y, elementwise.",
                 lambda g, ans, x, y: unbroadcast(g * (x >= y), x.shape),
                 lambda g, ans, x, y: unbroadcast(g * (x < y), y.shape), reads=("inputs",))
minimum = binary("minimum", "Minimum", np.minimum, "The smaller of x and y, elementwise.",
                 lambda g, ans, x, y: unbroadcast(g * (x <= y), x.shape),
                 lambda g, ans, x, y: unbroadcast(g * (x > y), y.shape), reads=("inputs",))
squared_difference = binary("squared_difference", "SquaredDifference", lambda x, y: np.square(x - y),
                            "(x - y) ** 2.",
                            lambda g, ans, x, y: unbroadcast(g * (2 * (x - y)), x.shape),
                            lambda g, ans, x, y: unbroadcast(g * (2 * (y - x)), y.shape), reads=("inputs",))

# -- comparisons: bool results, through which no gradient flows ----------------------------

_BOOL = {"grad_x": NOT_DIFFERENTIABLE, "dtype": lambda x, y: dtypes.bool}
equal = binary("equal", "Equal", np.equal, "x == y, elementwise (bool).", **_BOOL)
not_equal = binary("not_equal", "NotEqual", np.not_equal, "x != y, elementwise (bool).", **_BOOL)
greater = binary("greater", "Greater", np.greater, "x > y, elementwise (bool).", **_BOOL)
greater_equal = binary("greater_equal", "GreaterEqual", np.greater_equal, "x >= y, elementwise (bool).",
                       **_BOOL)
less = binary("less", "Less", np.less, "x < y, elementwise (bool).", **_BOOL)
less_equal = binary("less_equal", "LessEqual", np.less_equal, "x <= y, elementwise (bool).", **_BOOL)


def divide(x, y, name=None):
    """x / y; integers are divided as float64, as TF1's truediv does."""
    x, y = (convert_to_tensor(v) if is_tensor_like(v) else v for v in (x, y))
    if isinstance(x, Tensor) and x.dtype.is_integer:
        x = cast(x, dtypes.float64)
    if isinstance(y, Tensor) and y.dtype.is_integer:
        y = cast(y, dtypes.float64)
    return _real_div(x, y, name or "truediv")


div = truediv = divide


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    return minimum(maximum(t, clip_value_min), clip_value_max, name=name or "clip_by_value")


def add_n(inputs, name=None):
    """The sum of a list of tensors, as a chain of adds."""
    if not inputs:
        raise ValueError("add_n needs at least one input")
    total = convert_to_tensor(inputs[0])
    for i, t in enumerate(inputs[1:], start=2):
        total = add(total, t, name=name if i == len(inputs) else None)
    return total


# -- elementwise, one input ---------------------------------------------------------------

def sigmoid_of(x):
    """1 / (1 + exp(-x)) without overflow for large |x|."""
    return 0.5 * (np.tanh(0.5 * x) + 1)


negative = unary("negative", "Neg", np.negative, "-x.", lambda g, ans, x: -g, reads=())
square = unary("square", "Square", np.square, "x * x.",
               lambda g, ans, x: (2 * elementwise(g)) * x, reads=("inputs",))
sqrt = unary("sqrt", "Sqrt", np.sqrt, "The square root of x.",
             lambda g, ans, x: (0.5 * elementwise(g)) / ans, reads=("output",))
exp = unary("exp", "Exp", np.exp, "e ** x.",
            lambda g, ans, x: elementwise(g) * ans, reads=("output",))
log = unary("log", "Log", np.log, "The natural logarithm of x.",
            lambda g, ans, x: elementwise(g) / x, reads=("inputs",))
log1p = unary("log1p", "Log1p", np.log1p, "log(1 + x), accurate for small x.",
              lambda g, ans, x: elementwise(g) / (1 + x), reads=("inputs",))
abs = unary("abs", "Abs", np.abs, "|x|.",  # noqa: A001 - TF1's name
            lambda g, ans, x: elementwise(g) * np.sign(x), reads=("inputs",))
sigmoid = unary("sigmoid", "Sigmoid", sigmoid_of, "1 / (1 + exp(-x)).",
                lambda g, ans, x: elementwise(g) * (ans * (1 - ans)), reads=("output",))
tanh = unary("tanh", "Tanh", np.tanh, "The hyperbolic tangent of x.",
             lambda g, ans, x: elementwise(g) * (1 - ans * ans), reads=("output",))
sign = unary("sign", "Sign", np.sign, "-1, 0 or 1 by the sign of x.", NOT_DIFFERENTIABLE)
round = unary("round", "Round", np.round,  # noqa: A001 - TF1's name
              "x rounded to the nearest integer (halves to even).", NOT_DIFFERENTIABLE)


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


def _prod(x, *, axis, keepdims):
    return np.multiply.reduce(x, axis=axis, dtype=x.dtype, keepdims=keepdims)


def _max(x, *, axis, keepdims):
    return np.max(x, axis=axis, keepdims=keepdims)


def _min(x, *, axis, keepdims):
    return np.min(x, axis=axis, keepdims=keepdims)


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


reduce_sum = reduction("reduce_sum", "Sum", _sum, "The sum over `axis` (default: all axes).",
                       lambda g, ans, x, *, axis, keepdims: _spread(g, x, axis, keepdims), reads=())
reduce_mean = reduction("reduce_mean", "Mean", _mean, "The mean over `axis` (default: all axes).",
                        _mean_grad, reads=())
reduce_prod = reduction("reduce_prod", "Prod", _prod, "The product over `axis` (default: all axes).",
                        _prod_grad)
reduce_max = reduction("reduce_max", "Max", _max, "The maximum over `axis` (default: all axes).",
                       _extreme_grad)
reduce_min = reduction("reduce_min", "Min", _min, "The minimum over `axis` (default: all axes).",
                       _extreme_grad)
defop("ArgMax", forward=lambda x, *, axis: np.argmax(x, axis=axis).astype(np.int64),
      grads=NOT_DIFFERENTIABLE, dtype=lambda x, *, axis: dtypes.int64,
      shape=lambda dims, *, axis: _reduced_dims(dims, axis=axis, keepdims=False))


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
