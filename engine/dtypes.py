"""Element types, named as TensorFlow 1 names them, each backed by a numpy dtype.

TF1's conversion rules are kept on purpose: a Python float becomes float32 and a Python int
int32, so a program written for TensorFlow gives TensorFlow's numbers (to float32 precision).
"""

import numpy as np


class DType:
    """An element type: `engine.float32` and friends. Compares equal to its numpy dtype too."""

    __slots__ = ("name", "numpy_dtype")

    def __init__(self, name, numpy_dtype):
        self.name = name
        self.numpy_dtype = np.dtype(numpy_dtype)  # what the engine computes with

    @property
    def as_numpy_dtype(self):
        """The numpy scalar type, as TF1 gives it: callable, so `tf.int32.as_numpy_dtype(3)` works."""
        return object if self.numpy_dtype.kind == "O" else self.numpy_dtype.type

    @property
    def is_floating(self):
        return self.numpy_dtype.kind == "f"

    @property
    def is_integer(self):
        return self.numpy_dtype.kind in "iu"

    @property
    def is_bool(self):
        return self.numpy_dtype.kind == "b"

    @property
    def base_dtype(self):
        return self

    def __eq__(self, other):
        if isinstance(other, DType):
            return self is other
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return f"tf.{self.name}"


float16 = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = DType("float64", np.float64)
int8 = DType("int8", np.int8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
bool = DType("bool", np.bool_)  # noqa: A001 - TF1's own name, as `tf.bool`
string = DType("string", np.object_)

double, half = float64, float16

_ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, bool, string)
_BY_NAME = {d.name: d for d in _ALL}
_BY_NAME.update({"float": float32, "double": float64, "half": float16, "str": string})
_BY_NUMPY = {d.numpy_dtype: d for d in _ALL}


def as_dtype(value):
    """An engine dtype from a DType, a numpy dtype or type, or a TF1 name such as "float"."""
    if isinstance(value, DType):
        return value
    if isinstance(value, str) and value in _BY_NAME:
        return _BY_NAME[value]
    try:
        found = _BY_NUMPY.get(np.dtype(value))
    except TypeError:
        found = None
    if found is None or isinstance(value, str) and value not in _BY_NAME:
        raise TypeError(f"cannot convert {value!r} to an engine dtype; "
                        f"use one of {', '.join(sorted(_BY_NAME))}")
    return found


def infer(value):
    """The dtype TF1 gives a Python or numpy value: numpy keeps its own, Python floats are float32."""
    if isinstance(value, (np.ndarray, np.generic)):
        return as_dtype(value.dtype)
    array = np.asarray(value)
    kind = array.dtype.kind
    if kind == "f":
        return float32
    if kind in "iu":
        fits = array.size == 0 or np.iinfo(np.int32).min <= array.min() and array.max() <= np.iinfo(np.int32).max
        return int32 if fits else int64
    if kind == "b":
        return bool
    if kind in "USO":
        return string
    raise TypeError(f"cannot infer an engine dtype for {value!r}")
