"""Arrays from what users log: numpy arrays, Python sequences, and tensors (anything with
``.numpy()`` or ``__array__``, such as a torch tensor, taken without importing torch)."""

import json

import numpy as np


def as_array(tag, value, what, kind):
    """A numeric numpy array of ``value``; errors name the ``kind`` tag and the argument ``what``."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{what} for {kind} '{tag}' must be numbers, got {type(value).__name__}")
    if not isinstance(value, np.ndarray) and callable(getattr(value, "numpy", None)):
        # a torch tensor: off the autograd graph and the GPU first, as PyTorch's make_np does
        for step in ("detach", "cpu"):
            if callable(getattr(value, step, None)):
                value = getattr(value, step)()
        value = value.numpy()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} for {kind} '{tag}' cannot be read as an array: {exc}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{what} for {kind} '{tag}' must be numbers, got an array of "
                        f"{array.dtype} (shape {array.shape})")
    return array


def tensor_columns(tag, tensor):
    """The value columns of a schema.TensorRow (dtype, shape, data) of a tensor or array of
    numbers or bools, kept exactly: its dtype, its shape and its elements in C order."""
    array = as_array(tag, tensor, "tensor", kind="tensor")
    array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")
                                 if array.dtype.byteorder == ">" else array.dtype)
    return array.dtype.str, json.dumps(list(array.shape)), array.tobytes()


def tensor_of_row(dtype, shape, data):
    """A stored tensor as its numpy array."""
    return np.frombuffer(data, np.dtype(dtype)).reshape(json.loads(shape))
