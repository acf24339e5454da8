"""Where values come from and how they are reshaped: constants, placeholders, reshape, cast..."""

import math

import numpy as np

from . import dtypes
from .errors import InvalidArgumentError
from .extend import NOT_DIFFERENTIABLE, defop, make_op
from .graph import Tensor, as_dims, format_shape


# -- converting Python values -------------------------------------------------------------

def _as_array(value, dtype):
    """`value` as a numpy array of `dtype` (TF1's dtype when None); refuses lossy float -> int."""
    dtype = dtypes.infer(value) if dtype is None else dtypes.as_dtype(dtype)
    array = np.asarray(value)
    if dtype is dtypes.string:
        return np.asarray(value, dtype=object), dtype
    converted = array.astype(dtype.as_numpy_dtype)
    if array.dtype.kind not in "biuf" or array.dtype.kind == "f" and dtype.is_integer and \
            not np.array_equal(converted, array):
        raise TypeError(f"expected {dtype.name}, got {value!r} of type {type(value).__name__} instead")
    return converted, dtype


def constant(value, dtype=None, shape=None, name="Const"):
    """A tensor holding `value` (Python floats become float32, ints int32; numpy keeps its dtype)."""
    array, dtype = _as_array(value, dtype)
    if shape is not None:
        shape = tuple(as_dims(shape))
        if array.size == 1:
            array = np.full(shape, array.reshape(()), dtype=array.dtype)
        elif array.size == math.prod(shape):
            array = array.reshape(shape)
        else:
            raise ValueError(f"constant '{name}': {array.size} values cannot fill shape {list(shape)}")
    array.flags.writeable = False  # shared by every run; fetches get copies
    return make_op("Const", attrs={"value": array, "dtype": dtype}, name=name)


def _const_shape(*, value, dtype):
    return value.shape


def _const_dtype(*, value, dtype):
    return dtype


defop("Const", forward=lambda *, value, dtype: value, grads=NOT_DIFFERENTIABLE,
      shape=_const_shape, dtype=_const_dtype)


def is_tensor_like(value):
    return isinstance(value, Tensor) or hasattr(value, "_as_tensor")


def convert_to_tensor(value, dtype=None, name=None):
    """A Tensor for `value`: tensors and variables as they are, anything else as a constant."""
    if hasattr(value, "_as_tensor"):
        value = value._as_tensor()
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype != dtypes.as_dtype(dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} "
                             f"for Tensor '{value.name}' with dtype {value.dtype.name}")
        return value
    return constant(value, dtype=dtype, name=name or "Const")


# -- placeholders -------------------------------------------------------------------------

def placeholder(dtype, shape=None, name=None):
    """A value fed at run time: `shape` may have None dims, or be None for any shape."""
    dtype = dtypes.as_dtype(dtype)
    return make_op("Placeholder", attrs={"dtype": dtype, "shape": as_dims(shape)}, name=name or "Placeholder")


def _unfed(op, state):
    out = op.outputs[0]
    raise InvalidArgumentError(
        f"You must feed a value for placeholder tensor '{op.name}' with dtype {out.dtype.name} "
        f"and shape {format_shape(out._dims)}")


defop("Placeholder", compile=_unfed, grads=NOT_DIFFERENTIABLE,
      shape=lambda *, dtype, shape: shape, dtype=lambda *, dtype, shape: dtype)


# -- identity, reshape, transpose, cast ---------------------------------------------------

def _identity(x):
    return x


defop("Identity", forward=_identity, grads=[lambda g, ans, x: g], grad_reads=())
defop("StopGradient", forward=_identity, grads=NOT_DIFFERENTIABLE)


def identity(input, name=None):
    return make_op("Identity", [convert_to_tensor(input)], name=name or "Identity")


def stop_gradient(input, name=None):
    """The same value, through which gradients do not flow."""
    return make_op("StopGradient", [convert_to_tensor(input)], name=name or "StopGradient")


def _reshape_shape(dims, *, shape):
    if shape.count(-1) > 1:
        raise ValueError(f"shape {list(shape)} has more than one -1")
    if -1 not in shape:
        if dims is not None and None not in dims and math.prod(dims) != math.prod(shape):
            raise ValueError(f"cannot reshape a tensor of shape {format_shape(dims)} "
                             f"({math.prod(dims)} values) to {list(shape)}")
        return tuple(shape)
    known = math.prod(d for d in shape if d != -1)
    if dims is None or None in dims or known == 0:
        return tuple(None if d == -1 else d for d in shape)
    total = math.prod(dims)
    if total % known:
        raise ValueError(f"cannot reshape a tensor of shape {format_shape(dims)} to {list(shape)}")
    return tuple(total // known if d == -1 else d for d in shape)


defop("Reshape", forward=lambda x, *, shape: np.reshape(x, shape),
      grads=[lambda g, ans, x, *, shape: np.reshape(g, np.shape(x))],
      shape=_reshape_shape, grad_reads=())


def reshape(tensor, shape, name=None):
    """`tensor`'s values in a new shape; one dim may be -1."""
    shape = tuple(int(d) for d in shape)
    return make_op("Reshape", [convert_to_tensor(tensor)], {"shape": shape}, name=name or "Reshape")


def _transpose_shape(dims, *, perm):
    if dims is None:
        return None
    if perm is None:
        return dims[::-1]
    if sorted(perm) != list(range(len(dims))):
        raise ValueError(f"perm {list(perm)} is not a permutation of the {len(dims)} axes")
    return tuple(dims[p] for p in perm)


def _transpose_grad(g, ans, x, *, perm):
    return np.transpose(g, None if perm is None else np.argsort(perm))


defop("Transpose", forward=lambda x, *, perm: np.transpose(x, perm), grads=[_transpose_grad],
      shape=_transpose_shape, grad_reads=())


def transpose(a, perm=None, name="transpose"):
    """Permute axes (default: reverse them)."""
    perm = None if perm is None else tuple(int(p) for p in perm)
    return make_op("Transpose", [convert_to_tensor(a)], {"perm": perm}, name=name)


def _cast_grad(g, ans, x, *, DstT):
    if DstT.is_floating and np.asarray(x).dtype.kind == "f":
        return g.astype(np.asarray(x).dtype)
    return None


defop("Cast", forward=lambda x, *, DstT: x.astype(DstT.as_numpy_dtype), grads=[_cast_grad],
      dtype=lambda src, *, DstT: DstT, grad_reads=())


def cast(x, dtype, name=None):
    """`x` converted to `dtype` (float -> int truncates, as in TF)."""
    x = convert_to_tensor(x)
    dtype = dtypes.as_dtype(dtype)
    if x.dtype is dtype:
        return x
    return make_op("Cast", [x], {"DstT": dtype}, name=name or "Cast")


# -- filled tensors -----------------------------------------------------------------------

def zeros(shape, dtype=dtypes.float32, name=None):
    return constant(0, dtype=dtype, shape=shape, name=name or "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    return constant(1, dtype=dtype, shape=shape, name=name or "ones")


defop("ZerosLike", forward=np.zeros_like, grads=NOT_DIFFERENTIABLE)
defop("OnesLike", forward=np.ones_like, grads=NOT_DIFFERENTIABLE)


def zeros_like(tensor, name=None):
    return make_op("ZerosLike", [convert_to_tensor(tensor)], name=name or "zeros_like")


def ones_like(tensor, name=None):
    return make_op("OnesLike", [convert_to_tensor(tensor)], name=name or "ones_like")


# -- slicing: t[1:, 0], t[..., None] ------------------------------------------------------

def _encode_index(key):
    """A numpy basic index as JSON-able data (the op's attr): ints, slices, None and `...`."""
    items = key if isinstance(key, tuple) else (key,)
    encoded = []
    for item in items:
        if isinstance(item, slice):
            encoded.append(["slice", item.start, item.stop, item.step])
        elif item is None:
            encoded.append("newaxis")
        elif item is Ellipsis:
            encoded.append("...")
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            encoded.append(int(item))
        else:
            raise TypeError(f"only ints, slices, None and ... can index a Tensor, got {item!r}")
    return tuple(encoded)


def _decode_index(encoded):
    decoded = {"newaxis": None, "...": Ellipsis}
    return tuple(slice(*item[1:]) if isinstance(item, list) else decoded.get(item, item)
                 for item in encoded)


def _slice_shape(dims, *, index):
    if dims is None or None in dims:
        return None
    try:
        return np.broadcast_to(np.empty((), np.int8), dims)[_decode_index(index)].shape
    except IndexError as error:
        raise ValueError(f"index {_decode_index(index)} does not fit shape {format_shape(dims)}: {error}") from None


def _slice_grad(g, ans, x, *, index):
    grad = np.zeros(x.shape, dtype=np.result_type(g))
    grad[_decode_index(index)] = g
    return grad


def _compile_slice(op, state):
    key = _decode_index(op.attrs["index"])
    return lambda x: x[key]


defop("StridedSlice", compile=_compile_slice, grads=[_slice_grad], shape=_slice_shape,
      grad_reads=())


def slice_tensor(tensor, key, name=None):
    """`tensor[key]` for a numpy basic index (ints, slices, None, ...); what `t[key]` does."""
    tensor = convert_to_tensor(tensor)
    return make_op("StridedSlice", [tensor], {"index": _encode_index(key)}, name=name or "strided_slice")

