"""Where values come from and how they are reshaped: constants, placeholders, reshape, cast..."""

import math

import numpy as np

from . import dtypes
from .errors import InvalidArgumentError
from .extend import NOT_DIFFERENTIABLE, PerInput, defop, make_op
from .graph import Tensor, as_dims, format_shape


# -- converting Python values -------------------------------------------------------------

def _as_array(value, dtype):
    """`value` as a numpy array of `dtype` (TF1's dtype when None); refuses lossy float -> int."""
    dtype = dtypes.infer(value) if dtype is None else dtypes.as_dtype(dtype)
    array = np.asarray(value)
    if dtype is dtypes.string:
        return as_bytes(value), dtype
    converted = array.astype(dtype.numpy_dtype)
    if array.dtype.kind not in "biuf" or array.dtype.kind == "f" and dtype.is_integer and \
            not np.array_equal(converted, array):
        raise TypeError(f"expected {dtype.name}, got {value!r} of type {type(value).__name__} instead")
    return converted, dtype


def as_bytes(value):
    """Strings as an object array of bytes, which is how TF1 gives string tensors back."""
    array = np.array(value, dtype=object)
    for index, item in np.ndenumerate(array):
        if isinstance(item, str):
            array[index] = item.encode()
    return array


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
    if _holds_tensors(value):  # TF1 packs a list of tensors into one: [x, y] -> stack([x, y])
        return convert_to_tensor(stack([convert_to_tensor(v) if _holds_tensors(v) else v for v in value],
                                       name=name or "packed"), dtype=dtype)
    return constant(value, dtype=dtype, name=name or "Const")


def _holds_tensors(value):
    return isinstance(value, (list, tuple)) and any(is_tensor_like(v) or _holds_tensors(v) for v in value)


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


def _reshape(x, *dynamic, shape):
    return np.reshape(x, dynamic[0] if dynamic else shape)


def _reshape_dims(dims, *dynamic, shape):
    if dynamic:  # the shape is known when the graph runs; `shape` is what is known before
        return shape
    return _reshape_shape(dims, shape=shape)


defop("Reshape", forward=_reshape,
      grads=[lambda g, ans, x, *dynamic, shape: np.reshape(g, np.shape(x)), None],
      shape=_reshape_dims, grad_reads=())


def reshape(tensor, shape, name=None):
    """`tensor`'s values in a new shape; one dim may be -1. `shape` may be a tensor
    (`tf.shape(y)`), or a list holding tensors."""
    dims, dynamic = shape_argument(shape, "shape")
    if dynamic and dims is not None:
        dims = tuple(None if d == -1 else d for d in dims)
    return make_op("Reshape", [convert_to_tensor(tensor), *dynamic], {"shape": dims}, name=name or "Reshape")


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


defop("Cast", forward=lambda x, *, DstT: x.astype(DstT.numpy_dtype), grads=[_cast_grad],
      dtype=lambda src, *, DstT: DstT, grad_reads=())


def cast(x, dtype, name=None):
    """`x` converted to `dtype` (float -> int truncates, as in TF)."""
    x = convert_to_tensor(x)
    dtype = dtypes.as_dtype(dtype)
    if x.dtype is dtype:
        return x
    return make_op("Cast", [x], {"DstT": dtype}, name=name or "Cast")


# -- filled tensors -----------------------------------------------------------------------

def _filled(value, shape, dtype, name):
    if is_tensor_like(shape) or isinstance(shape, (list, tuple)) and any(map(is_tensor_like, shape)):
        known = static_ints(shape)
        if known is None:  # known when the graph runs: a Fill, as TF1 builds it
            return fill(shape, constant(value, dtype=dtype), name=name)
        shape = known
    return constant(value, dtype=dtype, shape=shape, name=name)


def zeros(shape, dtype=dtypes.float32, name=None):
    """Zeros of `shape` (ints, or an int tensor such as `tf.shape(x)`)."""
    return _filled(0, shape, dtype, name or "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    """Ones of `shape` (ints, or an int tensor such as `tf.shape(x)`)."""
    return _filled(1, shape, dtype, name or "ones")


def _filled_like(fill):
    return {"forward": lambda x, *, dtype: np.full(np.shape(x), fill, dtype.numpy_dtype),
            "grads": NOT_DIFFERENTIABLE, "dtype": lambda x, *, dtype: dtype,
            "shape_only_inputs": lambda op: frozenset(op.inputs)}


defop("ZerosLike", **_filled_like(0))
defop("OnesLike", **_filled_like(1))


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros of `tensor`'s shape, in its dtype or `dtype`."""
    tensor = convert_to_tensor(tensor)
    dtype = tensor.dtype if dtype is None else dtypes.as_dtype(dtype)
    return make_op("ZerosLike", [tensor], {"dtype": dtype}, name=name or "zeros_like")


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones of `tensor`'s shape, in its dtype or `dtype`."""
    tensor = convert_to_tensor(tensor)
    dtype = tensor.dtype if dtype is None else dtypes.as_dtype(dtype)
    return make_op("OnesLike", [tensor], {"dtype": dtype}, name=name or "ones_like")


# -- slicing: t[1:, 0], t[..., None] ------------------------------------------------------

class _RunTime:
    """An index (or bound) that a tensor gives when the graph runs: entry `k` of the op's
    second input, encoded as "?k"."""

    def __init__(self, k):
        self.k = k


def _encode_item(item):
    if isinstance(item, _RunTime):
        return f"?{item.k}"
    return item


def _encode_index(key):
    """A numpy basic index as JSON-able data (the op's attr): ints, slices, None and `...`."""
    items = key if isinstance(key, tuple) else (key,)
    encoded = []
    for item in items:
        if isinstance(item, slice):
            encoded.append(["slice", *map(_encode_item, (item.start, item.stop, item.step))])
        elif item is None:
            encoded.append("newaxis")
        elif item is Ellipsis:
            encoded.append("...")
        elif isinstance(item, _RunTime) or isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            encoded.append(_encode_item(item) if isinstance(item, _RunTime) else int(item))
        else:
            raise TypeError(f"only ints, slices, None and ... can index a Tensor, got {item!r}")
    return tuple(encoded)


def _decode_index(encoded, values=None):
    """The index back from its encoding; "?k" entries become values[k] (or stay as they are,
    when the values are not known yet)."""
    decoded = {"newaxis": None, "...": Ellipsis}

    def value(item):
        if isinstance(item, str) and item.startswith("?"):
            return item if values is None else int(values[int(item[1:])])
        return item
    return tuple(slice(*map(value, item[1:])) if isinstance(item, list) else
                 decoded.get(item, value(item)) for item in encoded)


def _slice_shape(dims, *dynamic, index):
    """The static shape of `x[index]`, dim by dim, so unknown dims stay unknown (TF1's rule:
    `x[1:3]` of a [None, 6] tensor is [?, 6])."""
    if dims is None:
        return None
    key = _decode_index(index)
    consuming = sum(1 for item in key if item is not None and item is not Ellipsis)
    if consuming > len(dims):
        raise ValueError(f"index {key} does not fit shape {format_shape(dims)}: it has {consuming} "
                         f"indices for a tensor of rank {len(dims)}")
    if Ellipsis not in key:
        key = key + (Ellipsis,)
    out, axis = [], 0
    for item in key:
        if item is None:
            out.append(1)
        elif item is Ellipsis:
            rest = len(dims) - consuming
            out.extend(dims[axis:axis + rest])
            axis += rest
        elif isinstance(item, slice):
            runtime = any(isinstance(v, str) for v in (item.start, item.stop, item.step))
            out.append(None if dims[axis] is None or runtime else len(range(*item.indices(dims[axis]))))
            axis += 1
        else:
            if dims[axis] is not None and not isinstance(item, str) and not -dims[axis] <= item < dims[axis]:
                raise ValueError(f"index {key} does not fit shape {format_shape(dims)}: "
                                 f"slice index {item} of dimension {axis} out of bounds.")
            axis += 1
    return tuple(out)


def _slice_grad(g, ans, x, *dynamic, index):
    grad = np.zeros(x.shape, dtype=np.result_type(g))
    grad[_decode_index(index, *dynamic)] = g
    return grad


def _compile_slice(op, state):
    index = op.attrs["index"]
    if len(op.inputs) > 1:  # some entries come from a tensor when the graph runs
        def dynamic_slice(x, values):
            key = _decode_index(index, values)
            try:
                return x[key]
            except IndexError as error:
                raise InvalidArgumentError(f"{op.type} op '{op.name}': index {key} does not fit "
                                           f"shape {format_shape(np.shape(x))}: {error}") from None
        return dynamic_slice
    key = _decode_index(index)
    return lambda x: x[key]


defop("StridedSlice", compile=_compile_slice, grads=[_slice_grad, None], shape=_slice_shape,
      grad_reads=())
defop("Slice", compile=_compile_slice, grads=[_slice_grad, None], shape=_slice_shape, grad_reads=())


def slice_tensor(tensor, key, name=None, op_type="StridedSlice"):
    """`tensor[key]` for a numpy basic index (ints, slices, None, ...); what `t[key]` does.
    Ints and slice bounds may be scalar int tensors (`x[i]`, `x[:n]`)."""
    tensor = convert_to_tensor(tensor)
    runtime = []
    key = _static_key(key, runtime)
    inputs = [tensor, stack(runtime, name="stack")] if runtime else [tensor]
    return make_op(op_type, inputs, {"index": _encode_index(key)}, name=name or "strided_slice")


def _static_key(key, runtime):
    """The key with the tensors whose value is known now replaced by it; the others become
    _RunTime entries, their tensors appended to `runtime`."""
    items = key if isinstance(key, tuple) else (key,)

    def static(value):
        if not is_tensor_like(value):
            return value
        tensor = convert_to_tensor(value)
        if tensor._dims != () or not tensor.dtype.is_integer:
            raise TypeError(f"a Tensor index must be a scalar int tensor; '{tensor.name}' has dtype "
                            f"{tensor.dtype.name} and shape {format_shape(tensor._dims)}")
        known = constant_value(tensor)
        if known is not None:
            return int(known)
        runtime.append(cast(tensor, dtypes.int64))
        return _RunTime(len(runtime) - 1)
    return tuple(slice(static(i.start), static(i.stop), static(i.step)) if isinstance(i, slice)
                 else static(i) for i in items)


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """TF1's strided slice: per axis `begin:end:stride`, with the masks as bit fields."""
    begin, end = _ints(begin, "begin"), _ints(end, "end")
    strides = [1] * len(begin) if strides is None else _ints(strides, "strides")
    if not len(begin) == len(end) == len(strides):
        raise ValueError(f"strided_slice: begin, end and strides differ in length "
                         f"({len(begin)}, {len(end)}, {len(strides)})")
    key = []
    for k, (b, e, st) in enumerate(zip(begin, end, strides)):
        bit = 1 << k
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            key.append(b)
        else:
            key.append(slice(None if begin_mask & bit else b, None if end_mask & bit else e, st))
    return slice_tensor(input_, tuple(key), name=name or "StridedSlice")


def slice_(input_, begin, size, name=None):
    """`size[i]` values from `begin[i]` on each axis (-1: all the rest)."""
    begin, size = _ints(begin, "begin"), _ints(size, "size")
    if len(begin) != len(size):
        raise ValueError(f"Slice: begin has {len(begin)} values and size {len(size)}")
    key = tuple(slice(b, None if n == -1 else b + n) for b, n in zip(begin, size))
    return slice_tensor(input_, key, name=name or "Slice", op_type="Slice")




# -- values known when the graph is built -------------------------------------------------

def constant_value(tensor):
    """The value of `tensor` if it is known when the graph is built (a constant, the shape of a
    tensor whose shape is known, a stack or cast of such), else None: TF1's constant folding,
    which lets `tf.reshape(x, tf.shape(y))` keep a static shape."""
    if hasattr(tensor, "_as_tensor"):
        tensor = tensor._as_tensor()
    if not isinstance(tensor, Tensor):
        return None
    op = tensor.op
    if op.type == "Const":
        return op.attrs["value"]
    if op.type in ("Identity", "StopGradient"):
        return constant_value(op.inputs[0])
    if op.type == "Cast":
        value = constant_value(op.inputs[0])
        return None if value is None else value.astype(op.attrs["DstT"].numpy_dtype)
    if op.type == "Pack":
        values = [constant_value(t) for t in op.inputs]
        return None if any(v is None for v in values) else np.stack(values, axis=op.attrs["axis"])
    if op.type in ("StridedSlice", "Slice"):
        source = op.inputs[0].op
        if source.type == "Shape" and source.inputs[0]._dims is not None:  # known dims of a shape
            picked = np.array(source.inputs[0]._dims, dtype=object)[_decode_index(op.attrs["index"])]
            known = None not in np.ravel(picked).tolist()
            return np.asarray(picked, source.attrs["out_type"].numpy_dtype) if known else None
        value = constant_value(op.inputs[0])
        return None if value is None else np.asarray(value[_decode_index(op.attrs["index"])])
    return None


def static_ints(value):
    """`value` (a list of ints, a tensor, or a list holding scalar tensors) as a list of ints
    when it is known at build time, else None."""
    if is_tensor_like(value):
        known = constant_value(value)
        return None if known is None else [int(v) for v in np.ravel(known)]
    if isinstance(value, (int, np.integer)):
        return [int(value)]
    items = []
    for item in value:
        if is_tensor_like(item):
            item = constant_value(item)
            if item is None:
                return None
        items.append(int(item))
    return items


def _ints(value, what):
    known = static_ints(value)
    if known is None:
        raise TypeError(f"'{what}' must be known when the graph is built (ints or a constant "
                        f"tensor); got {value!r}")
    return known


def shape_argument(value, what):
    """A shape-like argument as (dims known now, extra inputs): ints known at build time give
    (their tuple, []); anything else gives (what is known of it, [an int vector tensor]), with
    None for the unknown entries (None for all of it when even the length is unknown)."""
    known = static_ints(value)
    if known is not None:
        return tuple(known), []
    vector = as_int_vector(value, what)
    if vector.op.type == "Shape":
        partial = vector.op.inputs[0]._dims
    elif vector.op.type == "Pack":
        partial = tuple(None if v is None else int(v) for v in map(constant_value, vector.op.inputs))
    else:
        partial = None if vector._dims is None or vector._dims[0] is None else (None,) * vector._dims[0]
    return partial, [vector]


def as_int_vector(value, what):
    """A shape-like argument (a tensor, or a list mixing ints and scalar tensors) as one int32
    vector tensor."""
    if is_tensor_like(value):
        value = convert_to_tensor(value)
        if not value.dtype.is_integer:
            raise TypeError(f"'{what}' must be an integer tensor, got {value.dtype.name} '{value.name}'")
        return value
    parts = [convert_to_tensor(v) if is_tensor_like(v) else convert_to_tensor(v, dtype=dtypes.int32)
             for v in value]
    return stack(parts)


# -- stacking -----------------------------------------------------------------------------

def _pack_shape(*dims, axis):
    if any(d is None for d in dims):
        return None
    first = dims[0]
    for other in dims[1:]:
        if len(other) != len(first):
            raise ValueError(f"Shapes must be equal rank, but are {len(first)} and {len(other)}")
        for k, (a, b) in enumerate(zip(first, other)):
            if a is not None and b is not None and a != b:
                raise ValueError(f"Dimension {k} in both shapes must be equal, but are {a} and {b}. "
                                 f"Shapes are {list(first)} and {list(other)}.")
    merged = tuple(next((d for d in column if d is not None), None) for column in zip(*dims))
    if not -len(merged) - 1 <= axis <= len(merged):
        raise ValueError(f"axis = {axis} not in [{-len(merged) - 1}, {len(merged) + 1})")
    at = axis % (len(merged) + 1)
    return merged[:at] + (len(dims),) + merged[at:]


defop("Pack", forward=lambda *values, axis: np.stack(values, axis=axis),
      grads=PerInput(lambda index, g, ans, *values, axis: np.take(g, index, axis=axis)),
      shape=_pack_shape, grad_reads=())


def same_dtype(values, op_type, argument="values"):
    """`values` as tensors of one dtype (Python numbers take the tensors' dtype), else TF1's
    TypeError naming the op and the argument."""
    found = next((convert_to_tensor(v).dtype for v in values if is_tensor_like(v)), None)
    tensors = [convert_to_tensor(v) if is_tensor_like(v) else convert_to_tensor(v, dtype=found)
               for v in values]
    kinds = [t.dtype.name for t in tensors]
    if len(set(kinds)) > 1:
        raise TypeError(f"Tensors in list passed to '{argument}' of '{op_type}' Op have types "
                        f"[{', '.join(kinds)}] that don't all match.")
    return tensors


def stack(values, axis=0, name="stack"):
    """The tensors in `values`, of one shape, stacked along a new axis `axis`."""
    if not values:
        raise ValueError("stack needs at least one value")
    return make_op("Pack", same_dtype(values, "Pack"), {"axis": int(axis)}, name=name)


# -- shapes as tensors --------------------------------------------------------------------

def _shape_value(x, *, out_type):
    return np.array(np.shape(x), out_type.numpy_dtype)


_SHAPE_ONLY = {"shape_only_inputs": lambda op: frozenset(op.inputs), "grads": NOT_DIFFERENTIABLE,
               "dtype": lambda x, *, out_type: out_type}
defop("Shape", forward=_shape_value, **_SHAPE_ONLY,
      shape=lambda dims, *, out_type: None if dims is None else (len(dims),))
defop("Size", forward=lambda x, *, out_type: np.array(np.size(x), out_type.numpy_dtype), **_SHAPE_ONLY,
      shape=lambda dims, *, out_type: ())
defop("Rank", forward=lambda x, *, out_type: np.array(np.ndim(x), out_type.numpy_dtype), **_SHAPE_ONLY,
      shape=lambda dims, *, out_type: ())


def _shape_op(op_type, input, out_type, name, known):
    input = convert_to_tensor(input)
    out_type = dtypes.as_dtype(out_type)
    value = known(input._dims)
    if value is not None:  # known now: a constant, as TF1 folds it
        return constant(np.asarray(value, out_type.numpy_dtype), name=name or op_type)
    return make_op(op_type, [input], {"out_type": out_type}, name=name or op_type)


def shape(input, name=None, out_type=dtypes.int32):
    """The shape of `input` as a 1-D tensor, known when the graph runs."""
    return _shape_op("Shape", input, out_type, name,
                     lambda dims: None if dims is None or None in dims else list(dims))


def size(input, name=None, out_type=dtypes.int32):
    """The number of elements of `input`, as a scalar tensor."""
    return _shape_op("Size", input, out_type, name,
                     lambda dims: None if dims is None or None in dims else math.prod(dims))


def rank(input, name=None):
    """The number of dimensions of `input`, as a scalar int32 tensor."""
    return _shape_op("Rank", input, dtypes.int32, name, lambda dims: None if dims is None else len(dims))


# -- adding and removing axes -------------------------------------------------------------

def _expand_dims_shape(dims, *, axis):
    if dims is None:
        return None
    if not -len(dims) - 1 <= axis <= len(dims):
        raise ValueError(f"dim {axis} not in the interval [{-len(dims) - 1}, {len(dims)}].")
    at = axis % (len(dims) + 1)
    return dims[:at] + (1,) + dims[at:]


_RESHAPE_BACK = [lambda g, ans, x, **attrs: np.reshape(g, np.shape(x))]
defop("ExpandDims", forward=lambda x, *, axis: np.expand_dims(x, axis), grads=_RESHAPE_BACK,
      shape=_expand_dims_shape, grad_reads=())


def expand_dims(input, axis=None, name=None, dim=None):
    """`input` with a new axis of size 1 at `axis`."""
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("expand_dims needs an axis")
    (axis,) = _ints(axis, "axis")
    return make_op("ExpandDims", [convert_to_tensor(input)], {"axis": axis}, name=name or "ExpandDims")


def _squeeze_shape(dims, *, axis):
    if dims is None:
        return None
    if not axis:
        return None if None in dims else tuple(d for d in dims if d != 1)
    axes = set()
    for a in axis:
        if not -len(dims) <= a < len(dims):
            raise ValueError(f"Tried to squeeze dim index {a} for tensor with {len(dims)} dimensions.")
        if dims[a] is not None and dims[a] != 1:
            raise ValueError(f"Can not squeeze dim[{a % len(dims)}], expected a dimension of 1, got {dims[a]}")
        axes.add(a % len(dims))
    return tuple(d for i, d in enumerate(dims) if i not in axes)


def _squeeze(x, *, axis):
    return np.squeeze(x, axis=tuple(axis) if axis else None)


defop("Squeeze", forward=_squeeze, grads=_RESHAPE_BACK, shape=_squeeze_shape, grad_reads=())


def squeeze(input, axis=None, name=None, squeeze_dims=None):
    """`input` without its axes of size 1 (those in `axis`, or all of them)."""
    axis = squeeze_dims if axis is None else axis
    axis = () if axis is None else tuple(_ints(axis, "axis"))
    return make_op("Squeeze", [convert_to_tensor(input)], {"axis": axis}, name=name or "Squeeze")


# -- filled tensors and sequences ---------------------------------------------------------

def _fill_shape(value_dims, *dynamic, dims):
    if value_dims not in (None, ()):
        raise ValueError(f"value must be a scalar, got shape {format_shape(value_dims)}")
    return dims


def _fill(value, *dynamic, dims):
    return np.full(tuple(dynamic[0]) if dynamic else dims, value)


defop("Fill", forward=_fill, shape=_fill_shape, grad_reads=(),
      grads=[lambda g, ans, value, *dynamic, dims: np.sum(g, dtype=np.result_type(g)), None])


def fill(dims, value, name=None):
    """A tensor of shape `dims` (ints, or an int tensor such as `tf.shape(x)`) holding `value`."""
    dims, dynamic = shape_argument(dims, "dims")
    if dims is not None and any(d is not None and d < 0 for d in dims):
        raise ValueError(f"Fill dimensions must be >= 0, got {list(dims)}")
    return make_op("Fill", [convert_to_tensor(value), *dynamic], {"dims": dims}, name=name or "Fill")


def _range_shape(start, limit, delta, *, dtype, known):
    if known is None:
        return (None,)
    return (len(np.arange(*known)),)


defop("Range", forward=lambda start, limit, delta, *, dtype, known: np.arange(start, limit, delta,
                                                                             dtype.numpy_dtype),
      grads=NOT_DIFFERENTIABLE, shape=_range_shape, dtype=lambda *inputs, dtype, known: dtype)


def range_(start, limit=None, delta=1, dtype=None, name="range"):
    """`start, start + delta, ...` up to (not including) `limit`; `range(n)` counts from 0.
    Any argument may be a tensor."""
    if limit is None:
        start, limit = 0, start
    args = [convert_to_tensor(v) if is_tensor_like(v) else v for v in (start, limit, delta)]
    if dtype is None:
        kinds = [v.dtype if isinstance(v, Tensor) else dtypes.infer(v) for v in args]
        dtype = next((k for k in (dtypes.float64, dtypes.float32, dtypes.int64) if k in kinds), dtypes.int32)
    dtype = dtypes.as_dtype(dtype)
    inputs = [v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dtype) for v in args]
    values = [constant_value(t) for t in inputs]
    known = None if any(v is None for v in values) else tuple(v.item() for v in values)
    if known is not None and known[2] == 0:
        raise ValueError("Requires delta != 0")
    return make_op("Range", inputs, {"dtype": dtype, "known": known}, name=name)


def _linspace_shape(start, stop, num, *, known):
    return (known,)


defop("LinSpace", forward=lambda start, stop, num, *, known: np.linspace(start, stop, num).astype(
          np.result_type(start)), grads=NOT_DIFFERENTIABLE, shape=_linspace_shape)


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`, both included."""
    start = convert_to_tensor(start)
    if not start.dtype.is_floating:
        raise TypeError(f"linspace: start must be a float tensor, got {start.dtype.name}")
    stop = convert_to_tensor(stop, dtype=start.dtype) if not is_tensor_like(stop) else convert_to_tensor(stop)
    num = convert_to_tensor(num, dtype=dtypes.int32) if not is_tensor_like(num) else convert_to_tensor(num)
    count = constant_value(num)
    return make_op("LinSpace", [start, stop, num], {"known": None if count is None else int(count)},
                   name=name or "LinSpace")


# -- a placeholder with a default ---------------------------------------------------------

def _default_shape(dims, *, shape):
    if shape is not None and dims is not None and (len(shape) != len(dims) or any(
            a is not None and b is not None and a != b for a, b in zip(shape, dims))):
        raise ValueError(f"the default value's shape {format_shape(dims)} does not fit shape "
                         f"{format_shape(shape)}")
    return shape


defop("PlaceholderWithDefault", forward=lambda input, *, shape: input, grads=NOT_DIFFERENTIABLE,
      shape=_default_shape)


def placeholder_with_default(input, shape, name=None):
    """`input`, unless a value is fed for this tensor (of `shape`, which may have None dims)."""
    return make_op("PlaceholderWithDefault", [convert_to_tensor(input)], {"shape": as_dims(shape)},
                   name=name or "PlaceholderWithDefault")
