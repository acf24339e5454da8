"""Arithmetic: elementwise ops with numpy broadcasting, reductions, matmul, and Tensor operators.

Each family is a table: one row per op gives its user function, its op type, its forward
computation, a line of documentation and its gradient (one vjp per input), and the row both
registers the op and makes the function. `unary`, `binary` and `reduction` build the rows; a
new family of such ops is a new table (other op modules use them too).

Binary ops take both operands in one dtype, as TF1 does: a Python number takes the dtype of the
tensor it meets (so `x * 2` keeps float32), two tensors of different dtypes are a TypeError.
"""

import math

import numpy as np

from . import dtypes
from .array_ops import cast, convert_to_tensor, is_tensor_like, same_dtype, slice_tensor, squeeze
from .extend import (NOT_DIFFERENTIABLE, READS_ALL, PerInput, broadcast_shape, defop, elementwise, make_op,
                     normalize_axis, unbroadcast)
from .graph import Tensor, graph_of, name_scope


def _named(fn, name, doc):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


def _grads(*vjps):
    return NOT_DIFFERENTIABLE if vjps[0] is NOT_DIFFERENTIABLE else list(vjps)


FLOATS = "bfloat16, float16, float32, float64"
FLOATS_OR_COMPLEX = FLOATS + ", complex64, complex128"


def check_dtype(tensor, allowed, parameter="x"):
    """TF1's TypeError for a tensor whose dtype the op does not take: `allowed` is TF's list of
    dtype names (the engine has no bfloat16 or complex dtypes, so they never match)."""
    if tensor.dtype.name not in allowed.split(", "):
        raise TypeError(f"Value passed to parameter '{parameter}' has DataType {tensor.dtype.name} "
                        f"not in list of allowed values: {allowed}")
    return tensor


def unary(name, op_type, forward, doc, grad, reads=READS_ALL, allowed=None, parameter="x", dtype=None):
    """Register the one-input op `op_type`; return its user function `name(x, name=None)`.
    `allowed` lists the dtypes it takes, as TF1 writes them (default: any)."""
    fields = {} if dtype is None else {"dtype": dtype}
    defop(op_type, forward=forward, grads=_grads(grad), grad_reads=reads, **fields)

    def fn(x, name=None):
        x = convert_to_tensor(x)
        if allowed is not None:
            check_dtype(x, allowed, parameter)
        return make_op(op_type, [x], name=name or op_type)
    return _named(fn, name, doc)


def binary(name, op_type, forward, doc, grad_x, grad_y=None, reads=READS_ALL, default_name=None,
           dtype=None):
    """Register the broadcasting two-input op `op_type`; return its user function
    `name(x, y, name=None)`, whose ops are named `default_name` (default: the op type; TF1
    names `tf.add`'s op `Add` and `x + y`'s `add`, which `OPERATORS` give)."""
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
             lambda g, ans, x, y: unbroadcast(g, y.shape), reads=(), default_name="Add")
subtract = binary("subtract", "Sub", np.subtract, "x - y.",
                  lambda g, ans, x, y: unbroadcast(g, x.shape),
                  lambda g, ans, x, y: unbroadcast(-g, y.shape), reads=())
multiply = binary("multiply", "Mul", np.multiply, "x * y, elementwise.",
                  lambda g, ans, x, y: _product_grad(g, y, x.shape),
                  lambda g, ans, x, y: _product_grad(g, x, y.shape), reads=("inputs",))
_real_div = binary("realdiv", "RealDiv", np.true_divide, "x / y, for tensors of one dtype.",
                   lambda g, ans, x, y: unbroadcast(g / y, x.shape),
                   lambda g, ans, x, y: unbroadcast(-g * ans / y, y.shape))
pow = binary("pow", "Pow", np.power, "x ** y, elementwise.",  # noqa: A001 - TF1's name
             lambda g, ans, x, y: unbroadcast(g * y * np.power(x, y - 1), x.shape),
             _pow_grad_y)
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


# -- integer division, as Python's (floor) and as C's (truncating) -------------------------

def _truncate_div(x, y):
    if np.result_type(x, y).kind == "f":
        return np.trunc(np.true_divide(x, y))
    return np.sign(x) * np.sign(y) * (np.abs(x) // np.abs(y))


def _floormod_grad_y(g, ans, x, y):
    return unbroadcast(-g * np.floor_divide(x, y), y.shape)


floordiv = binary("floordiv", "FloorDiv", np.floor_divide, "x // y, rounding down (Python's rule).",
                  NOT_DIFFERENTIABLE, default_name="floordiv")


def floor_div(x, y, name=None):
    """x // y as TF1's generated op function writes it: the op is named `FloorDiv`."""
    return make_binary("FloorDiv", x, y, name or "FloorDiv")


floormod = binary("floormod", "FloorMod", np.remainder,
                  "x % y with the sign of y (Python's rule); `mod` is the same.",
                  lambda g, ans, x, y: unbroadcast(g, x.shape), _floormod_grad_y, reads=("inputs",))
mod = floormod
truncatediv = binary("truncatediv", "TruncateDiv", _truncate_div, "x / y rounded toward zero (C's rule).",
                     NOT_DIFFERENTIABLE)
truncatemod = binary("truncatemod", "TruncateMod", np.fmod, "x % y with the sign of x (C's rule).",
                     NOT_DIFFERENTIABLE)

# -- logic: bool in, bool out; & | ^ ~ are these on bools and bitwise on ints -----------------

_LOGICAL = {"grad_x": NOT_DIFFERENTIABLE}
_logical_and = binary("logical_and", "LogicalAnd", np.logical_and, "x and y, elementwise.", **_LOGICAL)
_logical_or = binary("logical_or", "LogicalOr", np.logical_or, "x or y, elementwise.", **_LOGICAL)
_logical_xor = binary("logical_xor", "LogicalXor", np.logical_xor,
                      "x or y but not both, elementwise.", **_LOGICAL)
defop("LogicalNot", forward=np.logical_not, grads=NOT_DIFFERENTIABLE)
_bitwise = {"BitwiseAnd": np.bitwise_and, "BitwiseOr": np.bitwise_or, "BitwiseXor": np.bitwise_xor}
for _type, _ufunc in _bitwise.items():
    defop(_type, forward=_ufunc, grads=NOT_DIFFERENTIABLE, shape=broadcast_shape)
defop("Invert", forward=np.invert, grads=NOT_DIFFERENTIABLE)
_INTS = "int8, int16, int32, int64, uint8, uint16, uint32, uint64"


def _bool_only(op_type, *tensors):
    for argument, t in zip("xy", tensors):
        if t.dtype != dtypes.bool:
            raise TypeError(f"Input '{argument}' of '{op_type}' Op has type {t.dtype.name} that does "
                            f"not match expected type of bool.")


def _logical(fn, op_type):
    def logical(x, y, name=None):
        with graph_of((x, y)).as_default():
            _bool_only(op_type, *(convert_to_tensor(v, dtype=dtypes.bool) if not is_tensor_like(v)
                                  else convert_to_tensor(v) for v in (x, y)))
        return fn(x, y, name=name)
    return _named(logical, fn.__name__, fn.__doc__)


logical_and = _logical(_logical_and, "LogicalAnd")
logical_or = _logical(_logical_or, "LogicalOr")
logical_xor = _logical(_logical_xor, "LogicalXor")


def logical_not(x, name=None):
    """not x, elementwise."""
    x = convert_to_tensor(x)
    _bool_only("LogicalNot", x)
    return make_op("LogicalNot", [x], name=name or "LogicalNot")


def _bit_operator(logical_type, bitwise_type, name):
    def operator(x, y):
        with graph_of((x, y)).as_default():
            tensor = next(convert_to_tensor(v) for v in (x, y) if is_tensor_like(v))
        if tensor.dtype == dtypes.bool:
            return make_binary(logical_type, x, y, name)
        check_dtype(tensor, _INTS)
        return make_binary(bitwise_type, x, y, name)
    return operator


def _invert(x):
    if x.dtype == dtypes.bool:
        return logical_not(x)
    check_dtype(x, _INTS)
    return make_op("Invert", [x], name="Invert")


def divide(x, y, name=None):
    """x / y; integers are divided as floats (float32 for 8 and 16 bits, else float64), as
    TF1's truediv does."""
    x, y = (convert_to_tensor(v) if is_tensor_like(v) else v for v in (x, y))
    integer = [v for v in (x, y) if isinstance(v, Tensor) and v.dtype.is_integer]
    if integer:
        wide = integer[0].dtype.numpy_dtype.itemsize >= 4
        x, y = (cast(v, dtypes.float64 if wide else dtypes.float32) if isinstance(v, Tensor) else v
                for v in (x, y))
    return _real_div(x, y, name or "truediv")


truediv = divide


def realdiv(x, y, name=None):
    return _real_div(x, y, name or "RealDiv")


def div(x, y, name=None):
    """TF1's Python 2 division: integers floor (as `//`), floats divide."""
    with graph_of((x, y)).as_default():
        tensor = next((convert_to_tensor(v) for v in (x, y) if is_tensor_like(v)), None)
        integer = tensor.dtype.is_integer if tensor is not None else \
            np.asarray(x).dtype.kind in "iu" and np.asarray(y).dtype.kind in "iu"
    return make_binary("FloorDiv" if integer else "RealDiv", x, y, name or "div")


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    return minimum(maximum(t, clip_value_min), clip_value_max, name=name or "clip_by_value")


def _add_n(*values):
    total = np.add(values[0], values[1]) if len(values) > 1 else np.array(values[0])
    for value in values[2:]:
        if type(total) is np.ndarray and total.ndim and np.shape(value) == total.shape:
            np.add(total, value, out=total)  # an array this op made: add the rest into it
        else:
            total = total + value
    return total


defop("AddN", forward=_add_n, grads=PerInput(lambda index, g, ans, *values: g), grad_reads=(),
      shape=lambda *dims: next((d for d in dims if d is not None and None not in d), dims[0]))


def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of one shape and dtype, as one op."""
    if not inputs:
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    tensors = same_dtype(inputs, "AddN", "inputs")
    shapes = {t._dims for t in tensors if t._dims is not None and None not in t._dims}
    if len(shapes) > 1:
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    return make_op("AddN", tensors, name=name or "AddN")


# -- elementwise, one input ---------------------------------------------------------------

def sigmoid_of(x):
    """1 / (1 + exp(-x)) without overflow for large |x|."""
    return 0.5 * (np.tanh(0.5 * x) + 1)


negative = unary("negative", "Neg", np.negative, "-x.", lambda g, ans, x: -g, reads=())
square = unary("square", "Square", np.square, "x * x.",
               lambda g, ans, x: (2 * elementwise(g)) * x, reads=("inputs",))
sqrt = unary("sqrt", "Sqrt", np.sqrt, "The square root of x.",
             lambda g, ans, x: (0.5 * elementwise(g)) / ans, reads=("output",), allowed=FLOATS_OR_COMPLEX)
exp = unary("exp", "Exp", np.exp, "e ** x.",
            lambda g, ans, x: elementwise(g) * ans, reads=("output",), allowed=FLOATS_OR_COMPLEX)
log = unary("log", "Log", np.log, "The natural logarithm of x.",
            lambda g, ans, x: elementwise(g) / x, reads=("inputs",), allowed=FLOATS_OR_COMPLEX)
log1p = unary("log1p", "Log1p", np.log1p, "log(1 + x), accurate for small x.",
              lambda g, ans, x: elementwise(g) / (1 + x), reads=("inputs",), allowed=FLOATS_OR_COMPLEX)
abs = unary("abs", "Abs", np.abs, "|x|.",  # noqa: A001 - TF1's name
            lambda g, ans, x: elementwise(g) * np.sign(x), reads=("inputs",))
sigmoid = unary("sigmoid", "Sigmoid", sigmoid_of, "1 / (1 + exp(-x)).",
                lambda g, ans, x: elementwise(g) * (ans * (1 - ans)), reads=("output",),
                allowed=FLOATS_OR_COMPLEX)
tanh = unary("tanh", "Tanh", np.tanh, "The hyperbolic tangent of x.",
             lambda g, ans, x: elementwise(g) * (1 - ans * ans), reads=("output",),
             allowed=FLOATS_OR_COMPLEX)
sign = unary("sign", "Sign", np.sign, "-1, 0 or 1 by the sign of x.", NOT_DIFFERENTIABLE)
round = unary("round", "Round", np.round,  # noqa: A001 - TF1's name
              "x rounded to the nearest integer (halves to even).", NOT_DIFFERENTIABLE)
sin = unary("sin", "Sin", np.sin, "The sine of x.", lambda g, ans, x: elementwise(g) * np.cos(x),
            reads=("inputs",), allowed=FLOATS_OR_COMPLEX)
cos = unary("cos", "Cos", np.cos, "The cosine of x.", lambda g, ans, x: -elementwise(g) * np.sin(x),
            reads=("inputs",), allowed=FLOATS_OR_COMPLEX)
floor = unary("floor", "Floor", np.floor, "x rounded down.", NOT_DIFFERENTIABLE, allowed=FLOATS)
ceil = unary("ceil", "Ceil", np.ceil, "x rounded up.", NOT_DIFFERENTIABLE, allowed=FLOATS)
rint = unary("rint", "Rint", np.rint, "x rounded to the nearest integer (halves to even).",
             NOT_DIFFERENTIABLE, allowed=FLOATS)
reciprocal = unary("reciprocal", "Reciprocal", np.reciprocal, "1 / x.",
                   lambda g, ans, x: -elementwise(g) * (ans * ans), reads=("output",))
rsqrt = unary("rsqrt", "Rsqrt", lambda x: 1 / np.sqrt(x), "1 / sqrt(x).",
              lambda g, ans, x: (-0.5 * elementwise(g)) * ans ** 3, reads=("output",),
              allowed=FLOATS_OR_COMPLEX)
_erf_of = np.frompyfunc(math.erf, 1, 1)
erf = unary("erf", "Erf", lambda x: np.asarray(_erf_of(x), dtype=np.result_type(x)), "The error function of x.",
            lambda g, ans, x: elementwise(g) * (2 / math.sqrt(math.pi)) * np.exp(-x * x),
            reads=("inputs",), allowed=FLOATS)
_TO_BOOL = lambda x: dtypes.bool  # noqa: E731
is_nan = unary("is_nan", "IsNan", np.isnan, "Whether x is NaN (bool).", NOT_DIFFERENTIABLE, allowed=FLOATS, dtype=_TO_BOOL)
is_inf = unary("is_inf", "IsInf", np.isinf, "Whether x is infinite (bool).", NOT_DIFFERENTIABLE,
               allowed=FLOATS, dtype=_TO_BOOL)
is_finite = unary("is_finite", "IsFinite", np.isfinite, "Whether x is neither infinite nor NaN (bool).",
                  NOT_DIFFERENTIABLE, allowed=FLOATS, dtype=_TO_BOOL)


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


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
def _arg_op(op_type, pick):
    defop(op_type, forward=lambda x, *, axis, output_type: pick(x, axis=axis).astype(output_type.numpy_dtype),
          grads=NOT_DIFFERENTIABLE, dtype=lambda x, *, axis, output_type: output_type,
          shape=lambda dims, *, axis, output_type: _reduced_dims(dims, axis=axis, keepdims=False))

    def fn(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
        axis = dimension if axis is None else axis
        input = convert_to_tensor(input)
        attrs = {"axis": 0 if axis is None else int(axis), "output_type": dtypes.as_dtype(output_type)}
        return make_op(op_type, [input], attrs, name=name or op_type)
    return fn


argmax = _named(_arg_op("ArgMax", np.argmax), "argmax", "The index of the largest value along `axis` "
                "(the first among ties).")
argmin = _named(_arg_op("ArgMin", np.argmin), "argmin", "The index of the smallest value along `axis` "
                "(the first among ties).")


def arg_max(input, dimension, name=None, output_type=dtypes.int64):
    return argmax(input, dimension, name=name, output_type=output_type)


def arg_min(input, dimension, name=None, output_type=dtypes.int64):
    return argmin(input, dimension, name=name, output_type=output_type)


# -- reductions over bools, and those built from others -------------------------------------

def _bool_reduction(name, op_type, ufunc, doc):
    defop(op_type, forward=lambda x, *, axis, keepdims: ufunc.reduce(x, axis=axis, keepdims=keepdims),
          grads=NOT_DIFFERENTIABLE, shape=_reduced_dims)

    def fn(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
        x = convert_to_tensor(input_tensor)
        if x.dtype != dtypes.bool:
            raise TypeError(f"Input 'input' of '{op_type}' Op has type {x.dtype.name} that does not "
                            f"match expected type of bool.")
        return make_op(op_type, [x], _reduction_attrs(axis, keepdims, reduction_indices, keep_dims),
                       name=name or op_type)
    return _named(fn, name, doc)


def _reduction_attrs(axis, keepdims, reduction_indices, keep_dims):
    axis = reduction_indices if axis is None else axis
    if axis is not None and not isinstance(axis, int):
        axis = tuple(int(a) for a in (axis if isinstance(axis, (list, tuple)) else np.ravel(axis)))
    return {"axis": axis, "keepdims": bool(keep_dims if keepdims is None else keepdims)}


reduce_any = _bool_reduction("reduce_any", "Any", np.logical_or, "Whether any element along `axis` is true.")
reduce_all = _bool_reduction("reduce_all", "All", np.logical_and, "Whether every element along `axis` is true.")


def _logsumexp(x, *, axis, keepdims):
    top = np.max(x, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0)
    with np.errstate(divide="ignore"):  # all -inf gives -inf, as in TF
        out = np.log(np.sum(np.exp(x - top), axis=axis, keepdims=True)) + top
    return out if keepdims else np.squeeze(out, axis=normalize_axis(axis, np.ndim(x)))


def _logsumexp_grad(g, ans, x, *, axis, keepdims):
    return _spread(g, x, axis, keepdims) * np.exp(x - _spread(ans, x, axis, keepdims))


def _float_reduction(fn):
    def checked(input_tensor, *args, **kwargs):
        check_dtype(convert_to_tensor(input_tensor), FLOATS)
        return fn(input_tensor, *args, **kwargs)
    return _named(checked, fn.__name__, fn.__doc__)


reduce_logsumexp = _float_reduction(reduction(
    "reduce_logsumexp", "ReduceLogSumExp", _logsumexp,
    "log(sum(exp(x))) over `axis`, without overflow.", _logsumexp_grad))


def _real(x):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise TypeError(f"Input must be either real or complex. Received integer type <dtype: '{x.dtype.name}'>.")
    return x


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The variance over `axis`: the mean of squared deviations from the mean."""
    x = _real(input_tensor)
    with name_scope(name or "reduce_variance"):
        mean = reduce_mean(x, axis=axis, keepdims=True)
        return reduce_mean(square(x - mean), axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The standard deviation over `axis`."""
    x = _real(input_tensor)
    with name_scope(name or "reduce_std"):
        return sqrt(reduce_variance(x, axis=axis, keepdims=keepdims))


def count_nonzero(input_tensor=None, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None, input=None):
    """How many elements along `axis` are not zero (as `dtype`, int64 by default)."""
    x = convert_to_tensor(input if input_tensor is None else input_tensor)
    attrs = _reduction_attrs(axis, keepdims, reduction_indices, keep_dims)
    with name_scope(name or "count_nonzero"):
        zero = convert_to_tensor(np.zeros((), x.dtype.numpy_dtype) if x.dtype != dtypes.string else b"",
                                 name="zeros")
        hits = cast(not_equal(x, zero), dtypes.as_dtype(dtype))
        return reduce_sum(hits, **attrs)


# -- cumulative sums and products ---------------------------------------------------------

def _cumulative(ufunc):
    def forward(x, *, axis, exclusive, reverse):
        if reverse:
            x = np.flip(x, axis)
        out = ufunc.accumulate(x, axis=axis, dtype=np.result_type(x))
        if exclusive:
            identity = np.full_like(np.take(out, [0], axis=axis), ufunc.identity)
            out = np.concatenate([identity, np.take(out, range(np.shape(out)[axis] - 1), axis=axis)], axis=axis)
        return np.flip(out, axis) if reverse else out
    return forward


_cumsum = _cumulative(np.add)
_cumprod = _cumulative(np.multiply)


def _cumsum_grad(g, ans, x, *, axis, exclusive, reverse):
    return _cumsum(g, axis=axis, exclusive=exclusive, reverse=not reverse)


def _cumprod_grad(g, ans, x, *, axis, exclusive, reverse):
    """TF1's rule (exact for nonzero x): the reversed cumulative sum of g * ans, over x."""
    return _cumsum(g * ans, axis=axis, exclusive=exclusive, reverse=not reverse) / x


defop("Cumsum", forward=_cumsum, grads=[_cumsum_grad], grad_reads=())
defop("Cumprod", forward=_cumprod, grads=[_cumprod_grad])


def _cumulative_op(op_type, x, axis, exclusive, reverse, name):
    x = convert_to_tensor(x)
    if x.dtype == dtypes.bool or x.dtype == dtypes.string:
        raise TypeError(f"Value passed to parameter 'x' has DataType {x.dtype.name} not in list of "
                        f"allowed values: float32, float64, int32, uint8, int16, int8, int64, float16")
    rank = None if x._dims is None else len(x._dims)
    axis = int(axis)
    if rank is not None and not -rank <= axis < rank:
        raise ValueError(f"{op_type}: axis {axis} is out of range for a tensor of rank {rank}")
    attrs = {"axis": axis if rank is None else axis % rank, "exclusive": bool(exclusive), "reverse": bool(reverse)}
    return make_op(op_type, [x], attrs, name=name or op_type)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along `axis`; `exclusive` leaves out each element itself, `reverse` runs backwards."""
    return _cumulative_op("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along `axis` (`exclusive` and `reverse` as for cumsum)."""
    return _cumulative_op("Cumprod", x, axis, exclusive, reverse, name)


# -- norms --------------------------------------------------------------------------------

def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):  # noqa: A002
    """The vector norm of `tensor` over `axis` (default: all of it): ord "euclidean" (or 2,
    "fro"), 1, or np.inf."""
    x = convert_to_tensor(tensor)
    check_dtype(x, FLOATS_OR_COMPLEX)
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    if ord not in ("euclidean", "fro", 2, 1, np.inf):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord!r}")
    with name_scope(name or "norm"):
        if ord == 1:
            total = reduce_sum(abs(x), axis=axis, keepdims=True)
        elif ord == np.inf:
            total = reduce_max(abs(x), axis=axis, keepdims=True)
        else:
            total = sqrt(reduce_sum(x * x, axis=axis, keepdims=True))
        if keepdims:
            return total
        rank = None if x._dims is None else len(x._dims)
        if rank is None:
            return squeeze(total)
        return squeeze(total, normalize_axis(axis, rank))


# -- matmul# -- matmul -------------------------------------------------------------------------------

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

_and = _bit_operator("LogicalAnd", "BitwiseAnd", "and")
_or = _bit_operator("LogicalOr", "BitwiseOr", "or")
_xor = _bit_operator("LogicalXor", "BitwiseXor", "xor")

# TF1 names an operator's op by the Python name (`x + y` is `add`), a function's by its op type
OPERATORS = {
    "__add__": lambda x, y: make_binary("AddV2", x, y, "add"),
    "__radd__": lambda x, y: make_binary("AddV2", y, x, "add"),
    "__sub__": lambda x, y: make_binary("Sub", x, y, "sub"),
    "__rsub__": lambda x, y: make_binary("Sub", y, x, "sub"),
    "__mul__": lambda x, y: make_binary("Mul", x, y, "mul"),
    "__rmul__": lambda x, y: make_binary("Mul", y, x, "mul"),
    "__truediv__": lambda x, y: divide(x, y), "__rtruediv__": lambda x, y: divide(y, x),
    "__floordiv__": lambda x, y: floordiv(x, y), "__rfloordiv__": lambda x, y: floordiv(y, x),
    "__mod__": lambda x, y: make_binary("FloorMod", x, y, "mod"),
    "__rmod__": lambda x, y: make_binary("FloorMod", y, x, "mod"),
    "__pow__": lambda x, y: make_binary("Pow", x, y, "pow"),
    "__rpow__": lambda x, y: make_binary("Pow", y, x, "pow"),
    "__matmul__": lambda x, y: matmul(x, y, name="matmul"),
    "__rmatmul__": lambda x, y: matmul(y, x, name="matmul"),
    "__and__": lambda x, y: _and(x, y), "__rand__": lambda x, y: _and(y, x),
    "__or__": lambda x, y: _or(x, y), "__ror__": lambda x, y: _or(y, x),
    "__xor__": lambda x, y: _xor(x, y), "__rxor__": lambda x, y: _xor(y, x),
    "__invert__": lambda x: _invert(x),
    "__neg__": lambda x: negative(x), "__abs__": lambda x: abs(x),
    "__getitem__": lambda x, key: slice_tensor(x, key),
    "__lt__": lambda x, y: less(x, y), "__le__": lambda x, y: less_equal(x, y),
    "__gt__": lambda x, y: greater(x, y), "__ge__": lambda x, y: greater_equal(x, y),
}
for _name, _fn in OPERATORS.items():
    setattr(Tensor, _name, _fn)
