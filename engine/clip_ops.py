"""Gradient clipping as TF1 has it: by norm, by average norm, by the global norm of a list."""

from . import dtypes
from .array_ops import cast, convert_to_tensor, identity, is_tensor_like
from .graph import Tensor, graph_of, name_scope
from .math_ops import add_n, maximum, minimum, multiply, reduce_sum, sqrt, square
from .math_ops import clip_by_value  # noqa: F401 - tf.clip_by_value lives with the other clips in TF1


def _as(value, dtype):
    """A number or tensor as a tensor of `dtype`."""
    return cast(value, dtype) if is_tensor_like(value) else convert_to_tensor(value, dtype=dtype)


def _squared_sum(t, axes=None, keepdims=False):
    return reduce_sum(square(t), axis=axes, keepdims=keepdims)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """t * clip_norm / max(l2norm(t), clip_norm): unchanged when its L2 norm (over `axes`,
    default all) is at most clip_norm."""
    with graph_of((t, clip_norm)).as_default(), name_scope(name, "clip_by_norm") as scope:
        t = convert_to_tensor(t)
        clip_norm = _as(clip_norm, t.dtype)
        # max(sqrt(s), c) == sqrt(max(s, c * c)) for c > 0; this form has a gradient where t is 0
        norm = sqrt(maximum(_squared_sum(t, axes, keepdims=True), clip_norm * clip_norm))
        return identity(t * clip_norm / norm, name=scope)


def clip_by_average_norm(t, clip_norm, name=None):
    """t * clip_norm / max(l2norm(t) / size(t), clip_norm) (TF1's tf.clip_by_average_norm)."""
    with graph_of((t, clip_norm)).as_default(), name_scope(name, "clip_by_average_norm") as scope:
        t = convert_to_tensor(t)
        if not t.shape.is_fully_defined():
            raise ValueError(f"clip_by_average_norm needs a fully defined shape; '{t.name}' has {t.shape}")
        size = 1
        for d in t.shape.as_list():
            size *= d
        clip_norm = _as(clip_norm, t.dtype)
        inverse_norm = 1.0 / sqrt(_squared_sum(t))
        return identity(t * clip_norm * minimum(inverse_norm * float(size), 1.0 / clip_norm), name=scope)


def _tensor_list(t_list, who):
    if isinstance(t_list, (Tensor, str, bytes)) or not hasattr(t_list, "__iter__"):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list).__name__} "
                        f"in {who}.")
    return list(t_list)


def global_norm(t_list, name=None):
    """sqrt(sum of squares of every element of every tensor in `t_list`); None entries are skipped."""
    t_list = _tensor_list(t_list, "global_norm")
    present = [convert_to_tensor(t) for t in t_list if t is not None]
    if not present:
        raise ValueError("global_norm needs at least one tensor that is not None")
    with present[0].graph.as_default(), name_scope(name, "global_norm") as scope:
        sums = [cast(_squared_sum(t), dtypes.float32) if t.dtype != dtypes.float32 else _squared_sum(t)
                for t in present]
        return sqrt(add_n(sums), name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(clipped list, global norm): each t scaled by clip_norm / max(global_norm, clip_norm),
    so the list's global norm is at most clip_norm; None entries stay None."""
    t_list = _tensor_list(t_list, "clip_by_global_norm")
    if not is_tensor_like(clip_norm) and clip_norm < 0:
        raise ValueError(f"clip_by_global_norm: clip_norm must be >= 0, got {clip_norm}")
    present = [convert_to_tensor(t) for t in t_list if t is not None]
    use_norm = global_norm(present) if use_norm is None else convert_to_tensor(use_norm)
    with use_norm.graph.as_default(), name_scope(name, "clip_by_global_norm"):
        clip = _as(clip_norm, dtypes.float32)
        scale = clip * minimum(1.0 / use_norm, 1.0 / clip)
        clipped = []
        for i, t in enumerate(t_list):
            if t is None:
                clipped.append(None)
                continue
            t = convert_to_tensor(t)
            clipped.append(identity(multiply(t, cast(scale, t.dtype)), name=f"_{i}"))
    return clipped, use_norm
