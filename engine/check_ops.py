"""Run-time checks as TF1 writes them: `tf.Assert`, the `tf.assert_*` family (also under
`tf.debugging`), `tf.check_numerics` and `tf.Print`.

An assertion is an op with no output: it fails the run that reaches it (fetched, or named in
`control_dependencies`) with TF1's InvalidArgumentError text, `assertion failed: [...] [...]`,
each data value summarized as TF prints it. When both sides of a comparison are known while
the graph is built, a failing check raises at once, as TF1's do.
"""

import sys

import numpy as np

from . import dtypes
from .array_ops import constant_value, convert_to_tensor, identity
from .control_flow_ops import no_op
from .errors import InvalidArgumentError
from .extend import defop, make_op
from .graph import Tensor, name_scope
from .math_ops import (equal, greater, greater_equal, is_finite, is_inf, is_nan, less, less_equal,
                       not_equal, reduce_all)

__all__ = ["Assert", "Print", "assert_equal", "assert_greater", "assert_greater_equal", "assert_integer",
           "assert_less", "assert_less_equal", "assert_negative", "assert_non_negative",
           "assert_non_positive", "assert_none_equal", "assert_positive", "assert_rank",
           "assert_rank_at_least", "assert_scalar", "assert_type", "check_numerics", "is_finite",
           "is_inf", "is_nan", "is_numeric_tensor", "verify_tensor_all_finite"]


def summarize(value, limit=3):
    """One value as TF's Assert and Print show it: text as is, numbers spaced inside brackets
    per axis, at most `limit` of them, then `...`."""
    array = np.asarray(value)
    if array.dtype.kind in "OSU":
        items = [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in array.ravel()]
        return " ".join(items) if array.ndim == 0 else "[" + " ".join(items) + "]"
    if array.dtype.kind == "b":
        array = array.astype(np.int8)
    shown = [_number(v) for v in array.ravel()[:limit]]
    if array.ndim == 0:
        return shown[0]
    if array.size > limit or array.ndim == 1:
        return "[" + " ".join(shown) + ("..." if array.size > limit else "") + "]"
    return _nested(np.array(shown, dtype=object).reshape(array.shape))


def _number(v):
    return f"{v:g}" if isinstance(v, np.floating) else str(v)


def _nested(array):
    if array.ndim == 1:
        return "[" + " ".join(array) + "]"
    return "[" + "".join(_nested(row) for row in array) + "]"


def _compile_assert(op, state):
    limit = op.attrs["summarize"]

    def run(condition, *data):
        if not np.all(condition):
            shown = " ".join(f"[{summarize(v, limit)}]" if np.ndim(v) == 0 else summarize(v, limit)
                             for v in data)
            raise InvalidArgumentError(f"assertion failed: {shown}")
    return run


defop("Assert", compile=_compile_assert, grads=None, shape=lambda *dims, **attrs: None,
      dtype=lambda *types, **attrs: None)


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF1's name
    """An op that fails its run with `data` summarized when `condition` (a bool) is false."""
    with name_scope(name, "Assert", [condition, *data]):
        condition = convert_to_tensor(condition, dtype=dtypes.bool, name="condition")
        if condition.shape.ndims not in (None, 0):
            raise ValueError(f"Assert: condition must be a scalar bool, got shape {condition.shape}")
        data = [convert_to_tensor(d) for d in data]
        return make_op("Assert", [condition, *data], {"summarize": 3 if summarize is None else int(summarize)},
                       name="Assert")


def _static_failure(data):
    """TF1's build-time failure: the data joined by lines, known tensors by their values."""
    lines = []
    for item in data:
        known = constant_value(item) if isinstance(item, Tensor) else item
        lines.append(item.name if known is None else str(known.decode() if isinstance(known, bytes) else known))
    raise InvalidArgumentError("\n".join(lines))


def _binary(test, static, symbol, default_name, x, y, data, summarize, message, name):
    with name_scope(name, default_name, [x, y] + list(data or [])):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y")
        if data is None:
            data = [f"Condition x {symbol} y did not hold element-wise:", f"x ({x.name}) = ", x,
                    f"y ({y.name}) = ", y]
        if message is not None:
            data = [message, *data]
        known_x, known_y = constant_value(x), constant_value(y)
        if known_x is not None and known_y is not None and not np.all(static(known_x, known_y)):
            _static_failure(data)
        return Assert(reduce_all(test(x, y)), data, summarize=summarize)


def _binary_check(test, static, symbol, default_name, doc):
    def check(x, y, data=None, summarize=None, message=None, name=None):
        return _binary(test, static, symbol, default_name, x, y, data, summarize, message, name)
    check.__name__ = check.__qualname__ = default_name
    check.__doc__ = doc
    return check


assert_equal = _binary_check(equal, np.equal, "==", "assert_equal", "Fails the run unless x == y everywhere.")
assert_none_equal = _binary_check(not_equal, np.not_equal, "!=", "assert_none_equal",
                                  "Fails the run unless x != y everywhere.")
assert_less = _binary_check(less, np.less, "<", "assert_less", "Fails the run unless x < y everywhere.")
assert_less_equal = _binary_check(less_equal, np.less_equal, "<=", "assert_less_equal",
                                  "Fails the run unless x <= y everywhere.")
assert_greater = _binary_check(greater, np.greater, ">", "assert_greater", "Fails the run unless x > y everywhere.")
assert_greater_equal = _binary_check(greater_equal, np.greater_equal, ">=", "assert_greater_equal",
                                     "Fails the run unless x >= y everywhere.")


def _prefix(message):
    return "" if message is None else f"{message}.  "


def _sign_check(default_name, condition, binary, zero_first):
    def check(x, data=None, summarize=None, message=None, name=None):
        with name_scope(name, default_name, [x, *(data or [])]):
            x = convert_to_tensor(x, name="x")
            if data is None:
                data = [_prefix(message), *condition(x)]
            zero = convert_to_tensor(np.zeros((), x.dtype.numpy_dtype), name="zero")
            return binary(zero, x, data=data, summarize=summarize) if zero_first else \
                binary(x, zero, data=data, summarize=summarize)
    check.__name__ = check.__qualname__ = default_name
    check.__doc__ = f"Fails the run unless every element of x is {default_name[7:].replace('_', '-')}."
    return check


def _condition(symbol):
    return lambda x: [f"Condition x {symbol} 0 did not hold element-wise:", f"x ({x.name}) = ", x]


assert_positive = _sign_check("assert_positive", _condition(">"), assert_less, zero_first=True)
assert_non_negative = _sign_check("assert_non_negative", _condition(">="), assert_less_equal, zero_first=True)
assert_negative = _sign_check("assert_negative", _condition("<"), assert_less, zero_first=False)
# TF1 writes this one's condition and x into one string (a missing comma in its source)
assert_non_positive = _sign_check(
    "assert_non_positive",
    lambda x: [f"Condition x <= 0 did not hold element-wise:x ({x.name}) = ", x],
    assert_less_equal, zero_first=False)


def _rank_check(default_name, holds, wording):
    def check(x, rank, data=None, summarize=None, message=None, name=None):
        with name_scope(name, default_name, [x, rank]):
            x = convert_to_tensor(x)
            rank = int(rank)
            if x.shape.ndims is None:
                raise ValueError(f"{default_name}: the rank of {x.name} is not known when the graph is "
                                 "built; the engine checks ranks statically")
            if not holds(x.shape.ndims, rank):
                raise ValueError(f"{_prefix(message)}Tensor {x.name} must have rank {wording}{rank}.  "
                                 f"Received rank {x.shape.ndims}, shape {x.shape}")
            return no_op(name="static_checks_determined_all_ok")
    check.__name__ = check.__qualname__ = default_name
    check.__doc__ = f"Raises ValueError unless x has rank {wording}`rank`; else a no-op."
    return check


assert_rank = _rank_check("assert_rank", lambda have, want: have == want, "")
assert_rank_at_least = _rank_check("assert_rank_at_least", lambda have, want: have >= want, "at least ")


def _static_type_check(holds, error, name, default_name, ok_name):
    if not holds:
        raise TypeError(error)
    with name_scope(name, default_name):
        return no_op(name=ok_name)


def assert_type(tensor, tf_type, message=None, name=None):
    """TypeError unless `tensor` has dtype `tf_type`; else a no-op."""
    tensor, tf_type = convert_to_tensor(tensor), dtypes.as_dtype(tf_type)
    return _static_type_check(
        tensor.dtype == tf_type,
        f"{_prefix(message)}{tensor.name} must be of type tf.{tf_type.name}; got tf.{tensor.dtype.name}",
        name, "assert_type", "statically_determined_correct_type")


def assert_integer(x, message=None, name=None):
    """TypeError unless `x` has an integer dtype; else a no-op."""
    x = convert_to_tensor(x)
    return _static_type_check(
        x.dtype.is_integer,
        f'{_prefix(message)}Expected "x" to be integer type.  Found: {x.name} of dtype <dtype: \'{x.dtype.name}\'>',
        name, "assert_integer", "statically_determined_was_integer")


def assert_scalar(tensor, name=None, message=None):
    """ValueError unless `tensor` is a scalar; else the tensor."""
    tensor = convert_to_tensor(tensor)
    if tensor.shape.ndims != 0:
        raise ValueError(f"{_prefix(message)}Expected scalar shape for {tensor.name}, saw shape: {tensor.shape}.")
    return tensor


def is_numeric_tensor(tensor):
    """Whether `tensor` is a Tensor of a number type."""
    return isinstance(tensor, Tensor) and (tensor.dtype.is_floating or tensor.dtype.is_integer)


def _check_numerics(x, *, message):
    if not np.isfinite(x).all():
        kind = "NaN" if np.isnan(x).any() else "Inf"
        raise InvalidArgumentError(f"{message} : Tensor had {kind} values")
    return x


defop("CheckNumerics", forward=_check_numerics, grads=[lambda g, ans, x, **attrs: g], grad_reads=())


def check_numerics(tensor, message, name=None):
    """`tensor` again, failing the run when it holds a NaN or an infinity."""
    x = convert_to_tensor(tensor)
    if not x.dtype.is_floating:
        raise TypeError(f"Value passed to parameter 'tensor' has DataType {x.dtype.name} not in list of "
                        "allowed values: bfloat16, float16, float32, float64")
    return make_op("CheckNumerics", [x], {"message": str(message)}, name=name or "CheckNumerics")


def verify_tensor_all_finite(t, msg, name=None):
    """`check_numerics` under TF1's older name (and its `VerifyFinite` scope)."""
    with name_scope(name, "VerifyFinite", [t]):
        return identity(check_numerics(t, msg))


def _compile_print(op, state):
    message, limit, first_n = op.attrs["message"], op.attrs["summarize"], op.attrs["first_n"]
    printed = [0]

    def run(value, *data):
        if first_n < 0 or printed[0] < first_n:
            printed[0] += 1
            shown = "".join(f"[{summarize(v, limit)}]" if np.ndim(v) == 0 else summarize(v, limit)
                            for v in data)
            print(message + shown, file=sys.stderr)
        return value
    return run


class _ThroughFirstInput:
    """`grads` of Print: its output is its first input; the data it prints get no gradient."""

    def __getitem__(self, index):
        return (lambda g, *args, **attrs: g) if index == 0 else None


defop("Print", compile=_compile_print, grads=_ThroughFirstInput(), grad_reads=(),
      shape=lambda dims, *rest, **attrs: dims, dtype=lambda dtype, *rest, **attrs: dtype)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 - TF1's name
    """`input_` again; each run prints `message` and `data` summarized to stderr (the first
    `first_n` runs only, when given), as TF1's Print does."""
    x = convert_to_tensor(input_)
    attrs = {"message": message or "", "summarize": 3 if summarize is None else int(summarize),
             "first_n": -1 if first_n is None else int(first_n)}
    return make_op("Print", [x, *(convert_to_tensor(d) for d in data)], attrs, name=name or "Print")
