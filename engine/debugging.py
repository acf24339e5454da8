"""`tf.debugging`: TF1's second home for the run-time checks (`tf.debugging.assert_equal`...)."""

from .check_ops import (Assert, assert_equal, assert_greater, assert_greater_equal,  # noqa: F401
                        assert_integer, assert_less, assert_less_equal, assert_negative,
                        assert_non_negative, assert_non_positive, assert_none_equal, assert_positive,
                        assert_rank, assert_rank_at_least, assert_scalar, assert_type, check_numerics,
                        is_numeric_tensor)
from .math_ops import is_finite, is_inf, is_nan  # noqa: F401
