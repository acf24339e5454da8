"""`tf.math`: TF1's second home for the math ops (`tf.math.reduce_std`, `tf.math.softplus`...)."""

from .math_ops import (abs, add, argmax, argmin, ceil, cos, count_nonzero, cumprod, cumsum, divide,  # noqa: F401
                       equal, erf, exp, floor, floordiv, floormod, greater, is_finite, is_inf, is_nan,
                       less, log, log1p, logical_and, logical_not, logical_or, logical_xor, maximum,
                       minimum, mod, multiply, negative, not_equal, pow, reciprocal, reduce_all,
                       reduce_any, reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod,
                       reduce_std, reduce_sum, reduce_variance, rint, round, rsqrt, sigmoid, sign, sin,
                       sqrt, square, squared_difference, subtract, tanh, truediv,
                       truncatediv, truncatemod)
from .nn import softplus  # noqa: F401 - one Softplus op type, defined with the activations
