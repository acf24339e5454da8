"""Initializers (`tf.constant_initializer`, `tf.glorot_uniform_initializer`, `tf.initializers.*`):
callables `init(shape, dtype=None, partition_info=None)` that make the ops of a variable's
initial value.

Random ones make the engine's random ops, so graph- and op-level seeds work as for
`tf.random_normal`: the same seeds give the same values in every Session and every run of the
program. The scaling rules (fans, the truncated normal's 0.8796 correction, orthogonal's
sign fix) are TF1's; the random streams are numpy's, not TensorFlow's.
"""

import math

import numpy as np

from . import dtypes
from .array_ops import constant, reshape
from .extend import NOT_DIFFERENTIABLE, defop, make_op
from .random_ops import random_normal, random_uniform, truncated_normal

# stddev of a unit normal truncated to two standard deviations: dividing by it keeps the variance
_TRUNCATED_STDDEV = 0.87962566103423978


class Initializer:
    """Base class: `init(shape, dtype=None, partition_info=None)` gives a tensor of that shape."""

    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def _dtype(self, dtype):
        return self.dtype if dtype is None else dtypes.as_dtype(dtype)

    def get_config(self):
        return {k: (v.name if isinstance(v, dtypes.DType) else v) for k, v in vars(self).items()}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Constant(Initializer):
    """`value` (a scalar is broadcast; a shorter list is padded with its last element, as TF1)."""

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        super().__init__(dtype)
        self.value, self.verify_shape = value, verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        dtype, shape = self._dtype(dtype), tuple(int(d) for d in shape)
        value = np.asarray(self.value, dtype=dtype.numpy_dtype)
        size = math.prod(shape)
        if value.shape != shape:
            if verify_shape or (verify_shape is None and self.verify_shape):
                raise TypeError(f"Expected Tensor's shape: {shape}, got {value.shape}.")
            flat = value.reshape(-1)
            if flat.size > size:
                raise ValueError(f"Too many elements provided. Needed at most {size}, "
                                 f"but received {flat.size}")
            if flat.size == 0:
                raise ValueError(f"constant_initializer needs a value for shape {shape}, got an empty one")
            value = np.concatenate([flat, np.repeat(flat[-1:], size - flat.size)]).reshape(shape)
        return constant(value, dtype=dtype, name="Const")


class Zeros(Initializer):
    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        return constant(np.zeros(tuple(shape), dtype.numpy_dtype), name="zeros")


class Ones(Initializer):
    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        return constant(np.ones(tuple(shape), dtype.numpy_dtype), name="ones")


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        super().__init__(dtype)
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_normal(shape, self.mean, self.stddev, self._dtype(dtype), self.seed)


class TruncatedNormal(RandomNormal):
    def __call__(self, shape, dtype=None, partition_info=None):
        return truncated_normal(shape, self.mean, self.stddev, self._dtype(dtype), self.seed)


class RandomUniform(Initializer):
    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=dtypes.float32):
        super().__init__(dtype)
        self.minval, self.maxval, self.seed = minval, 1.0 if maxval is None else maxval, seed

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_uniform(shape, self.minval, self.maxval, self._dtype(dtype), self.seed)


def fans(shape):
    """(fan_in, fan_out) of a weight shape: a dense kernel [in, out], a conv kernel [..., in, out]."""
    shape = tuple(shape)
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(Initializer):
    """Values with variance scale / fan (fan_in, fan_out or their mean): normal (truncated at
    two standard deviations, or not) or uniform. Glorot and He are special cases."""

    MODES = ("fan_in", "fan_out", "fan_avg")
    DISTRIBUTIONS = ("normal", "truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=dtypes.float32):
        super().__init__(dtype)
        if scale <= 0.0:
            raise ValueError(f"`scale` must be a positive float, got {scale}")
        if mode not in self.MODES:
            raise ValueError(f"Invalid `mode` argument: {mode!r}; expected one of {self.MODES}")
        if distribution not in self.DISTRIBUTIONS:
            raise ValueError(f"Invalid `distribution` argument: {distribution!r}; "
                             f"expected one of {self.DISTRIBUTIONS}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        fan_in, fan_out = fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        scale = self.scale / max(1.0, fan)
        if self.distribution in ("normal", "truncated_normal"):
            return truncated_normal(shape, 0.0, math.sqrt(scale) / _TRUNCATED_STDDEV, dtype, self.seed)
        if self.distribution == "untruncated_normal":
            return random_normal(shape, 0.0, math.sqrt(scale), dtype, self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_uniform(shape, -limit, limit, dtype, self.seed)


def _orthogonalize(a, *, transpose):
    """The Q of a's QR decomposition with R's diagonal made positive (so Q is uniformly drawn)."""
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    return q.T if transpose else q


defop("Orthogonalize", forward=_orthogonalize, grads=NOT_DIFFERENTIABLE,
      shape=lambda dims, *, transpose: None if dims is None else (dims[::-1] if transpose else dims))


class Orthogonal(Initializer):
    """An orthogonal matrix (rows or columns orthonormal) times `gain`, reshaped to `shape`."""

    def __init__(self, gain=1.0, seed=None, dtype=dtypes.float32):
        super().__init__(dtype)
        self.gain, self.seed = gain, seed

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype, shape = self._dtype(dtype), [int(d) for d in shape]
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional, "
                             f"got shape {shape}")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        normal = random_normal((max(rows, cols), min(rows, cols)), dtype=dtype, seed=self.seed)
        q = make_op("Orthogonalize", [normal], {"transpose": rows < cols}, name="Orthogonalize")
        return reshape(q * self.gain if self.gain != 1 else q, shape)


def glorot_uniform_initializer(seed=None, dtype=dtypes.float32):
    return VarianceScaling(1.0, "fan_avg", "uniform", seed, dtype)


def glorot_normal_initializer(seed=None, dtype=dtypes.float32):
    return VarianceScaling(1.0, "fan_avg", "truncated_normal", seed, dtype)


def he_normal(seed=None):
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed=None):
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


def lecun_normal(seed=None):
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed=None):
    return VarianceScaling(1.0, "fan_in", "uniform", seed)


# TF1's top-level names
constant_initializer = Constant
zeros_initializer = Zeros
ones_initializer = Ones
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform
truncated_normal_initializer = TruncatedNormal
variance_scaling_initializer = VarianceScaling
orthogonal_initializer = Orthogonal

# `tf.initializers.<name>` (and `tf.keras.initializers`) spell them without the suffix
INITIALIZERS = {
    "constant": Constant, "zeros": Zeros, "ones": Ones, "random_normal": RandomNormal,
    "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling, "orthogonal": Orthogonal,
    "glorot_uniform": glorot_uniform_initializer, "glorot_normal": glorot_normal_initializer,
    "he_normal": he_normal, "he_uniform": he_uniform, "lecun_normal": lecun_normal,
    "lecun_uniform": lecun_uniform,
}


def get(identifier):
    """An initializer from an initializer, a callable, a name ("glorot_uniform") or None."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in INITIALIZERS:
        return INITIALIZERS[identifier]()
    raise ValueError(f"Unknown initializer: {identifier!r}; expected one of {sorted(INITIALIZERS)}")
