"""Rearranging arrays: concat, split, unstack, tile, pad, reverse, broadcast_to, meshgrid, and
picking elements out of them: gather, gather_nd, one_hot, where, boolean_mask, sequence_mask."""

import numpy as np

from . import dtypes
from .array_ops import (constant_value, convert_to_tensor, is_tensor_like, reshape, same_dtype,
                        shape_argument, stack, static_ints, zeros_like)
from .errors import InvalidArgumentError
from .extend import NOT_DIFFERENTIABLE, GraphGradient, PerInput, broadcast_shape, defop, make_op, unbroadcast
from .graph import format_shape, name_scope


def _axis(value, rank, what="axis"):
    """A static axis (an int or a constant tensor) as a non-negative int."""
    known = static_ints(value)
    if known is None or len(known) != 1:
        raise TypeError(f"'{what}' must be an int known when the graph is built, got {value!r}")
    axis = known[0]
    if rank is not None and not -rank <= axis < rank:
        raise ValueError(f"{what} {axis} is out of range for a tensor of rank {rank}")
    return axis if rank is None else axis % rank


# -- concat -------------------------------------------------------------------------------

def _concat_shape(*dims, axis):
    if any(d is None for d in dims):
        return None
    first = dims[0]
    out = list(first)
    for other in dims[1:]:
        if len(other) != len(first):
            raise ValueError(f"Shape must be rank {len(first)} but is rank {len(other)}")
        for k, (a, b) in enumerate(zip(first, other)):
            if k != axis and a is not None and b is not None and a != b:
                raise ValueError(f"Dimension {k} in both shapes must be equal, but are {a} and {b}. "
                                 f"Shapes are {list(first)} and {list(other)}.")
            if k != axis and out[k] is None:
                out[k] = b
    total = [d[axis] for d in dims]
    out[axis] = None if None in total else sum(total)
    return tuple(out)


def _concat_grad(index, g, ans, *values, axis):
    start = sum(np.shape(v)[axis] for v in values[:index])
    key = (slice(None),) * axis + (slice(start, start + np.shape(values[index])[axis]),)
    return g[key]


defop("ConcatV2", forward=lambda *values, axis: np.concatenate(values, axis=axis),
      grads=PerInput(_concat_grad), shape=_concat_shape, grad_reads=())


def concat(values, axis, name="concat"):
    """The tensors in `values` joined along the existing axis `axis`."""
    tensors = same_dtype(values, "ConcatV2")
    if not tensors:
        raise ValueError("concat needs at least one value")
    rank = tensors[0]._dims and len(tensors[0]._dims)
    axis = _axis(axis, rank if tensors[0]._dims is not None else None)
    if len(tensors) == 1:
        return tensors[0]
    return make_op("ConcatV2", tensors, {"axis": axis}, name=name)


# -- splitting: one op, one output per piece ---------------------------------------------

def _pieces(arrays):
    """A multi-output forward's result: a Session stores a one-output op's value as it is."""
    return arrays[0] if len(arrays) == 1 else tuple(arrays)


def _run_axis(value, axis, message):
    rank = np.ndim(value)
    if not -rank <= axis < rank:
        raise InvalidArgumentError(message.format(rank=rank, axis=axis))
    return axis % rank


_SPLIT_DIM = "-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {axis}"


def _split(value, *, axis, num_split):
    axis = _run_axis(value, axis, _SPLIT_DIM)
    if value.shape[axis] % num_split:
        raise InvalidArgumentError(f"Number of ways to split should evenly divide the split dimension, but got "
                                   f"split_dim {axis} (size = {value.shape[axis]}) and num_split {num_split}")
    return _pieces(np.split(value, num_split, axis))


def _split_v(value, *dynamic, axis, size_splits, num_split):
    axis = _run_axis(value, axis, _SPLIT_DIM)
    if dynamic:  # sizes known only now
        (sizes,) = dynamic
        if np.ndim(sizes) != 1 or np.size(sizes) != num_split:
            raise InvalidArgumentError(f"size of the split_tensor must be 1-D and have the same elements as "
                                       f"outputs got {np.ndim(sizes)} -D and {np.size(sizes)} elements")
        size_splits = sizes.tolist()
        if size_splits.count(-1) > 1:
            raise InvalidArgumentError("size_splits can only have one -1")
    sizes = list(size_splits)
    length = value.shape[axis]
    known = sum(s for s in sizes if s != -1)
    if -1 in sizes:
        sizes[sizes.index(-1)] = length - known
    if sum(sizes) != length or min(sizes) < 0:
        raise InvalidArgumentError("Determined shape must either match input shape along split_dim exactly if "
                                   "fully specified, or be less than the size of the input along split_dim if "
                                   f"not fully specified.  Got: {known}")
    return _pieces(np.split(value, np.cumsum(sizes[:-1]), axis))


def _unpack(value, *, axis, num):
    axis = _run_axis(value, axis, "axis = {axis} not in [-{rank}, {rank})")
    if value.shape[axis] != num:
        raise InvalidArgumentError(f"Input shape axis {axis} must equal {num}, got shape "
                                   f"[{','.join(str(d) for d in value.shape)}]")
    return _pieces([value[(slice(None),) * axis + (i,)] for i in range(num)])


def _zeros_where_none(op, grads):
    return [zeros_like(t) if g is None else g for t, g in zip(op.outputs, grads)]


def _split_gradient(op, grads, wanted):
    """The pieces' gradients joined back (zeros for a piece that got none): concat is linear,
    so second order needs nothing more."""
    return [concat(_zeros_where_none(op, grads), op.attrs["axis"]) if i == 0 else None for i in wanted]


def _unpack_gradient(op, grads, wanted):
    return [stack(_zeros_where_none(op, grads), op.attrs["axis"]) for _ in wanted]


defop("Split", forward=_split, grads=GraphGradient(_split_gradient))
defop("SplitV", forward=_split_v, grads=GraphGradient(_split_gradient))
defop("Unpack", forward=_unpack, grads=GraphGradient(_unpack_gradient))


def _static_axis(value, dims, message):
    """`axis` as an int, in range for a tensor of `dims` (checked when the rank is known)."""
    axis = _axis(value, None)
    rank = None if dims is None else len(dims)
    if rank is not None and not -rank <= axis < rank:
        raise ValueError(message.format(rank=rank, axis=axis))
    return axis if rank is None else axis % rank


def _multi_output_op(op_type, inputs, attrs, name, dims):
    """One op of `op_type` with an output of its first input's dtype per entry of `dims`, as a list."""
    op = inputs[0].graph.create_op(op_type, inputs, attrs, name, [(inputs[0].dtype, d) for d in dims])
    return list(op.outputs)


def _piece_dims(dims, axis, size):
    return None if dims is None else dims[:axis] + (size,) + dims[axis + 1:]


def unstack(value, num=None, axis=0, name="unstack"):
    """The slices of `value` along `axis`, as a list of tensors of one rank less: the outputs
    of one Unpack op."""
    value = convert_to_tensor(value)
    dims = value._dims
    axis = _static_axis(axis, dims, "Argument `axis` = {axis} not in range [-{rank}, {rank})")
    count = num if num is not None else None if dims is None else dims[axis]
    if count is None:
        raise ValueError(f"Cannot infer argument `num` from shape {format_shape(dims)}")
    if dims is not None and dims[axis] is not None and dims[axis] != count:
        raise ValueError(f"Unpack op '{value.graph._scope}{name}': Dimension must be {count} but is {dims[axis]}")
    piece = None if dims is None else dims[:axis] + dims[axis + 1:]
    return _multi_output_op("Unpack", [value], {"axis": axis, "num": int(count)}, name, [piece] * count)


def _size_splits(value):
    """The sizes of a SplitV: (ints, [], how many) when known at build time, else (None, [the
    int vector that holds them], its static length or None)."""
    if is_tensor_like(value):
        dtype = convert_to_tensor(value).dtype
        if not dtype.is_integer:
            raise TypeError(f"Value passed to parameter 'size_splits' has DataType {dtype.name} not in list "
                            "of allowed values: int8, int32, int64")
    elif any(isinstance(s, (float, np.floating)) for s in value):
        raise TypeError("Value passed to parameter 'size_splits' has DataType float32 not in list of "
                        "allowed values: int8, int32, int64")
    sizes = static_ints(value)
    if sizes is not None:
        return sizes, [], len(sizes)
    tensor = convert_to_tensor(value)
    dims = tensor._dims
    if dims is not None and len(dims) != 1:
        raise ValueError(f"size_splits must be a vector (1-D), got shape {format_shape(dims)}")
    return None, [tensor], None if dims is None else dims[0]


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """`value` cut along `axis` into `num_or_size_splits` equal pieces (one Split op), or
    pieces of the sizes listed, one of which may be -1 for the rest (one SplitV op)."""
    value = convert_to_tensor(value)
    dims = value._dims
    full_name = value.graph._scope + name
    if isinstance(num_or_size_splits, (float, np.floating)):
        raise ValueError(f"Rank-0 tensors are not supported as the num_or_size_splits argument to split. "
                         f"Argument provided: {num_or_size_splits}")
    if isinstance(num_or_size_splits, (int, np.integer)):
        count = int(num_or_size_splits)
        if count < 1:
            raise ValueError(f"Attr 'num_split' of 'Split' Op passed {count} less than minimum 1.")
        axis = _static_axis(axis, dims, f"Split op '{full_name}': Dimension size, given by scalar input "
                                        "{axis} must be in range [-{rank}, {rank})")
        length = None if dims is None else dims[axis]
        if length is not None and length % count:
            raise ValueError(f"Split op '{full_name}': Dimension size must be evenly divisible by {count} "
                             f"but is {length}")
        size = None if length is None else length // count
        return _multi_output_op("Split", [value], {"axis": axis, "num_split": count}, name,
                                [_piece_dims(dims, axis, size)] * count)
    sizes, dynamic, count = _size_splits(num_or_size_splits)
    if num is not None and count not in (None, num):
        raise ValueError(f"SplitV op '{full_name}': Length of size_splits should be equal to num_outputs")
    count = num if count is None else count
    if count is None:
        raise ValueError(f"Cannot infer argument `num` from shape {dynamic[0]!r}")
    axis = _static_axis(axis, dims, f"SplitV op '{full_name}': Dimension size, given by scalar input "
                                    "{axis} must be in range [-{rank}, {rank})")
    length = None if dims is None else dims[axis]
    attrs = {"axis": axis, "size_splits": None if sizes is None else tuple(sizes), "num_split": count}
    if sizes is None:  # known when the graph runs
        return _multi_output_op("SplitV", [value, *dynamic], attrs, name, [_piece_dims(dims, axis, None)] * count)
    if sizes.count(-1) > 1:
        raise ValueError(f"SplitV op '{full_name}': size_splits can only have one -1")
    resolved = list(sizes)
    if -1 in sizes:
        rest = None if length is None else length - sum(s for s in sizes if s != -1)
        resolved[sizes.index(-1)] = rest
    for index, size in enumerate(resolved):
        if size is not None and size < 0:
            raise ValueError(f"SplitV op '{full_name}': Split size at index {index} must be >= 0. Got: {size}")
    if length is not None and -1 not in sizes and sum(sizes) != length:
        raise ValueError(f"SplitV op '{full_name}': can't split axis of size {length} into pieces of size "
                         f"[{','.join(str(s) for s in sizes)}]")
    return _multi_output_op("SplitV", [value], attrs, name, [_piece_dims(dims, axis, size) for size in resolved])


# -- tile, pad, reverse, broadcast_to ---------------------------------------------------

def _tile_shape(dims, *dynamic, multiples):
    if dims is None:
        return None
    if multiples is None:
        return (None,) * len(dims)
    if len(multiples) != len(dims):
        raise ValueError(f"Shape must be rank {len(dims)} but is rank {len(multiples)} (multiples)")
    return tuple(None if d is None or m is None else d * m for d, m in zip(dims, multiples))


def _tile_grad(g, ans, x, *dynamic, multiples):
    shape = np.shape(x)
    repeats = [a // b if b else 0 for a, b in zip(np.shape(g), shape)]
    split = [n for pair in zip(repeats, shape) for n in pair]
    return np.reshape(g, split).sum(axis=tuple(range(0, 2 * len(shape), 2)))


defop("Tile", forward=lambda x, *dynamic, multiples: np.tile(x, dynamic[0] if dynamic else multiples),
      grads=[_tile_grad, None], shape=_tile_shape, grad_reads=())


def tile(input, multiples, name=None):
    """`input` repeated `multiples[i]` times along axis i (ints, or an int tensor)."""
    multiples, dynamic = shape_argument(multiples, "multiples")
    return make_op("Tile", [convert_to_tensor(input), *dynamic], {"multiples": multiples}, name=name or "Tile")


_PAD_MODES = {"CONSTANT": "constant", "REFLECT": "reflect", "SYMMETRIC": "symmetric"}


def _pad_shape(dims, *, paddings, mode, constant_values):
    if dims is None:
        return None
    if len(paddings) != len(dims):
        raise ValueError(f"paddings must have one [before, after] pair per dimension of the input "
                         f"({len(dims)}), got {len(paddings)}")
    return tuple(None if d is None else d + a + b for d, (a, b) in zip(dims, paddings))


def _pad(x, *, paddings, mode, constant_values):
    if mode == "CONSTANT":
        return np.pad(x, paddings, mode="constant", constant_values=constant_values)
    return np.pad(x, paddings, mode=_PAD_MODES[mode])


def _pad_grad(g, ans, x, *, paddings, mode, constant_values):
    """Each output element's gradient goes back to the input element it copies."""
    for axis, (before, after) in enumerate(paddings):
        size = np.shape(x)[axis]
        if mode == "CONSTANT":
            g = np.take(g, range(before, before + size), axis=axis)
            continue
        source = np.pad(np.arange(size), (before, after), mode=_PAD_MODES[mode])
        moved = np.moveaxis(g, axis, 0)
        folded = np.zeros((size,) + moved.shape[1:], dtype=g.dtype)
        np.add.at(folded, source, moved)
        g = np.moveaxis(folded, 0, axis)
    return g


defop("Pad", forward=_pad, grads=[_pad_grad], shape=_pad_shape, grad_reads=())
defop("MirrorPad", forward=_pad, grads=[_pad_grad], shape=_pad_shape, grad_reads=())


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """`tensor` with `paddings[i] = [before, after]` values added on axis i: `constant_values`,
    or a mirror of the edge (REFLECT leaves out the edge, SYMMETRIC repeats it)."""
    mode = str(mode).upper()
    if mode not in _PAD_MODES:
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
                         f'or "SYMMETRIC". Received `mode` = {mode}')
    flat = static_ints(np.ravel(constant_value(paddings)) if is_tensor_like(paddings) else
                       [v for pair in paddings for v in pair])
    if flat is None or len(flat) % 2:
        raise TypeError("pad: 'paddings' must be [before, after] pairs known when the graph is built")
    pairs = tuple(zip(flat[::2], flat[1::2]))
    tensor = convert_to_tensor(tensor)
    fill = constant_value(constant_values) if is_tensor_like(constant_values) else constant_values
    op_type = "Pad" if mode == "CONSTANT" else "MirrorPad"
    return make_op(op_type, [tensor], {"paddings": pairs, "mode": mode, "constant_values": fill},
                   name=name or op_type)


def _reverse_shape(dims, *, axis):
    if dims is not None:
        for a in axis:
            if not -len(dims) <= a < len(dims):
                raise ValueError(f"'axis'[0] = {a} is out of valid range [0, {len(dims) - 1}]")
    return dims


defop("ReverseV2", forward=lambda x, *, axis: np.flip(x, axis), shape=_reverse_shape,
      grads=[lambda g, ans, x, *, axis: np.flip(g, axis)], grad_reads=())


def reverse(tensor, axis, name=None):
    """`tensor` with the order of elements along each axis in `axis` reversed."""
    axis = tuple(static_ints(axis) or ())
    return make_op("ReverseV2", [convert_to_tensor(tensor)], {"axis": axis}, name=name or "ReverseV2")


def _broadcast_to_shape(dims, *dynamic, shape):
    if shape is None:
        return None
    if dims is not None and len(dims) > len(shape):
        raise ValueError(f"cannot broadcast shape {format_shape(dims)} to {list(shape)}")
    if dims is not None:
        for a, b in zip(dims[::-1], shape[::-1]):
            if None not in (a, b) and a != 1 and a != b:
                raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
    return tuple(shape)


def _broadcast_to(x, *dynamic, shape):
    return np.array(np.broadcast_to(x, tuple(dynamic[0]) if dynamic else shape))


defop("BroadcastTo", forward=_broadcast_to, shape=_broadcast_to_shape, grad_reads=(),
      grads=[lambda g, ans, x, *dynamic, shape: unbroadcast(g, np.shape(x)), None])


def broadcast_to(input, shape, name=None):
    """`input` broadcast (as numpy broadcasts) to `shape` (ints, or an int tensor)."""
    shape, dynamic = shape_argument(shape, "shape")
    return make_op("BroadcastTo", [convert_to_tensor(input), *dynamic], {"shape": shape},
                   name=name or "BroadcastTo")


def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D tensors: `indexing="xy"` (default) swaps the first two axes,
    as numpy's meshgrid does."""
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError(f"meshgrid got unexpected keyword arguments {sorted(kwargs)}")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing parameter must be either 'xy' or 'ij', got {indexing!r}")
    tensors = same_dtype(args, "meshgrid", "args")
    sizes = [t._dims[0] if t._dims else None for t in tensors]
    if None in sizes:
        raise ValueError("meshgrid needs 1-D inputs of known length")
    if indexing == "xy" and len(sizes) > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    with name_scope(name):
        grids = []
        for k, t in enumerate(tensors):
            at = (1, 0)[k] if indexing == "xy" and len(tensors) > 1 and k < 2 else k
            shape = [1] * len(tensors)
            shape[at] = -1
            grids.append(broadcast_to(reshape(t, shape), sizes))
    return grids


# -- picking elements ---------------------------------------------------------------------

def _int_indices(indices, allowed="int16, int32, int64"):
    indices = convert_to_tensor(indices)
    if not indices.dtype.is_integer:
        raise TypeError(f"Value passed to parameter 'indices' has DataType {indices.dtype.name} not "
                        f"in list of allowed values: {allowed}")
    return indices


def _check_range(indices, size, what="indices"):
    bad = (indices < 0) | (indices >= size)
    if np.any(bad):
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        position = ",".join(str(i) for i in where)
        raise InvalidArgumentError(f"{what}[{position}] = {indices[where]} is not in [0, {size})")


def _gather(params, indices, *, axis):
    _check_range(indices, np.shape(params)[axis])
    return np.take(params, indices, axis=axis)


def _gather_grad(g, ans, params, indices, *, axis):
    grad = np.zeros(np.shape(params), dtype=g.dtype)
    moved = np.moveaxis(grad, axis, 0)
    g = np.moveaxis(np.reshape(g, np.shape(params)[:axis] + (-1,) + np.shape(params)[axis + 1:]), axis, 0)
    np.add.at(moved, np.ravel(indices), g)
    return grad


def _gather_shape(params, indices, *, axis):
    if params is None or indices is None:
        return None
    return params[:axis] + indices + params[axis + 1:]


defop("GatherV2", forward=_gather, grads=[_gather_grad, None], shape=_gather_shape)


def gather(params, indices, validate_indices=None, name=None, axis=0):
    """`params`' slices along `axis` at `indices` (any shape of ints)."""
    params = convert_to_tensor(params)
    indices = _int_indices(indices)
    axis = _axis(axis, None if params._dims is None else len(params._dims))
    return make_op("GatherV2", [params, indices], {"axis": axis}, name=name or "GatherV2")


def _nd_key(params, indices):
    for k in range(np.shape(indices)[-1]):
        _check_range(indices[..., k], np.shape(params)[k])
    return tuple(np.moveaxis(indices, -1, 0))


def _gather_nd_grad(g, ans, params, indices):
    grad = np.zeros(np.shape(params), dtype=g.dtype)
    np.add.at(grad, _nd_key(params, indices), g)
    return grad


def _gather_nd_shape(params, indices):
    if params is None or indices is None or indices[-1] is None:
        return None
    return indices[:-1] + params[indices[-1]:]


defop("GatherNd", forward=lambda params, indices: params[_nd_key(params, indices)],
      grads=[_gather_nd_grad, None], shape=_gather_nd_shape)


def gather_nd(params, indices, name=None, batch_dims=0):
    """The elements (or slices) of `params` at the index tuples in `indices`' last axis."""
    if batch_dims:
        raise ValueError("gather_nd: batch_dims is not supported")
    return make_op("GatherNd", [convert_to_tensor(params), _int_indices(indices)],
                   name=name or "GatherNd")


def _one_hot(indices, *, depth, on_value, off_value, axis, dtype):
    hot = np.expand_dims(indices, -1) == np.arange(depth)
    out = np.where(hot, on_value, off_value).astype(dtype.numpy_dtype)
    return out if axis == -1 else np.moveaxis(out, -1, axis)


def _one_hot_shape(dims, *, depth, on_value, off_value, axis, dtype):
    if dims is None:
        return None
    at = len(dims) if axis == -1 else axis
    return dims[:at] + (depth,) + dims[at:]


defop("OneHot", forward=_one_hot, grads=NOT_DIFFERENTIABLE, shape=_one_hot_shape,
      dtype=lambda dims, **attrs: attrs["dtype"])


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """A new axis of `depth` holding `on_value` at each index and `off_value` elsewhere (an
    index outside [0, depth) gives all `off_value`)."""
    indices = _int_indices(indices, "uint8, int8, int32, int64")
    given = [v for v in (on_value, off_value) if v is not None]
    if dtype is None:
        dtype = convert_to_tensor(given[0]).dtype if given and is_tensor_like(given[0]) else \
            dtypes.infer(given[0]) if given else dtypes.float32
    dtype = dtypes.as_dtype(dtype)
    on, off = (constant_value(v) if is_tensor_like(v) else v for v in (on_value, off_value))
    (depth,) = static_ints(depth)
    return make_op("OneHot", [indices], {"depth": depth, "on_value": 1 if on is None else on,
                                         "off_value": 0 if off is None else off,
                                         "axis": -1 if axis is None else int(axis), "dtype": dtype},
                   name=name or "one_hot")


def _select(condition, x, y):
    rank = max(np.ndim(x), np.ndim(y))
    if np.ndim(condition) == 1 and rank > 1:  # one condition per row
        condition = np.reshape(condition, (-1,) + (1,) * (rank - 1))
    return np.where(condition, x, y)


def _select_grad(branch):
    def vjp(g, ans, condition, x, y):
        zeros = np.zeros((), dtype=g.dtype)
        return unbroadcast(_select(condition, g, zeros) if branch else _select(condition, zeros, g),
                           np.shape(x if branch else y))
    return vjp


def _select_shape(condition, x, y):
    out = broadcast_shape(x, y)
    if condition is None or out is None:
        return out
    if len(condition) == 1 and len(out) > 1:  # one condition per row, as TF1's Select allows
        if None not in (condition[0], out[0]) and condition[0] != out[0]:
            raise ValueError(f"Dimension 0 in both shapes must be equal, but are {condition[0]} and {out[0]}")
    else:
        broadcast_shape(condition, out)
    return out


defop("Select", forward=_select, grads=[None, _select_grad(True), _select_grad(False)],
      shape=_select_shape, dtype=lambda c, x, y: x, grad_reads=("inputs",))
defop("Where", forward=lambda condition: np.argwhere(condition).astype(np.int64),
      grads=NOT_DIFFERENTIABLE, dtype=lambda c: dtypes.int64,
      shape=lambda dims: None if dims is None else (None, len(dims)))


def where(condition, x=None, y=None, name=None):
    """With x and y: x where `condition` holds, else y (TF1's `Select`). Alone: the indices of
    the true elements, one row each, as int64."""
    condition = convert_to_tensor(condition)
    if condition.dtype != dtypes.bool:
        raise TypeError(f"Input 'condition' of 'Select' Op has type {condition.dtype.name} that does "
                        f"not match expected type of bool.")
    if x is None and y is None:
        return make_op("Where", [condition], name=name or "Where")
    if x is None or y is None:
        raise ValueError("x and y must both be given, or neither")
    x, y = same_dtype([x, y], "Select", "x")
    return make_op("Select", [condition, x, y], name=name or "Select")


def _mask_shape(dims, mask):
    if dims is None or mask is None:
        return None
    for a, b in zip(dims, mask):
        if a is not None and b is not None and a != b:
            raise ValueError(f"Shapes {format_shape(dims[:len(mask)])} and {format_shape(mask)} are incompatible")
    return (None,) + dims[len(mask):]


def _mask_grad(g, ans, tensor, mask):
    grad = np.zeros(np.shape(tensor), dtype=g.dtype)
    grad[mask] = g
    return grad


defop("BooleanMask", forward=lambda tensor, mask: tensor[mask], grads=[_mask_grad, None],
      shape=_mask_shape)


def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The elements (or slices) of `tensor` where the bool `mask` (of its leading shape) holds."""
    if axis:
        raise ValueError("boolean_mask: only axis=0 is supported")
    mask = convert_to_tensor(mask)
    if mask.dtype != dtypes.bool:
        raise TypeError(f"boolean_mask: mask must be bool, got {mask.dtype.name} '{mask.name}'")
    return make_op("BooleanMask", [convert_to_tensor(tensor), mask], name=name)


def _sequence_mask(lengths, *, maxlen, dtype):
    count = int(np.max(lengths, initial=0)) if maxlen is None else maxlen
    return (np.arange(count) < np.expand_dims(lengths, -1)).astype(dtype.numpy_dtype)


defop("SequenceMask", forward=_sequence_mask, grads=NOT_DIFFERENTIABLE,
      shape=lambda dims, *, maxlen, dtype: None if dims is None else dims + (maxlen,),
      dtype=lambda dims, *, maxlen, dtype: dtype)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """`mask[i, j] = j < lengths[i]`, with `maxlen` columns (default: the longest length)."""
    lengths = _int_indices(lengths, "int32, int64")
    if maxlen is not None:
        (maxlen,) = static_ints(maxlen)
    return make_op("SequenceMask", [lengths], {"maxlen": maxlen, "dtype": dtypes.as_dtype(dtype)},
                   name=name or "SequenceMask")
