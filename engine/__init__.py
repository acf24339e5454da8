"""liteboard's graph engine: the TF1 API (`tf.compat.v1`) on numpy. Use it as `import engine as tf`.

    import engine as tf
    a = tf.constant(5, name="input_a")
    b = tf.constant(3, name="input_b")
    e = tf.add(a * b, a + b)
    with tf.Session() as sess:
        print(sess.run(e))   # 23

Build a graph of ops (inside name scopes), then run the parts you fetch in a Session. Defining
new op types is `engine.extend`'s business.
"""

from types import ModuleType as _ModuleType

from . import keras, layers, losses, nn, random_ops, summary, train
from . import errors
from . import random_ops as random
from .clip_ops import clip_by_average_norm, clip_by_global_norm, clip_by_norm, global_norm
from .array_ops import (cast, constant, convert_to_tensor, expand_dims, fill, identity, linspace, ones,
                        ones_like, placeholder, placeholder_with_default, rank, reshape, shape, size,
                        squeeze, stack, stop_gradient, strided_slice, transpose, zeros, zeros_like)
from .array_ops import range_ as range, slice_ as slice  # noqa: A004 - TF1's names
from .control_flow import case, cond, while_loop
from .control_flow_ops import group, no_op
from .check_ops import (Assert, Print, assert_equal, assert_greater, assert_greater_equal, assert_integer,
                        assert_less, assert_less_equal, assert_negative, assert_non_negative,
                        assert_non_positive, assert_none_equal, assert_positive, assert_rank,
                        assert_rank_at_least, assert_scalar, assert_type, check_numerics,
                        is_numeric_tensor, verify_tensor_all_finite)
from . import debugging
from .control_flow_ops import tuple_ as tuple  # noqa: A004 - TF1's name
from .script_ops import numpy_function, py_func
from .dtypes import (DType, as_dtype, bool, double, float16, float32, float64, half, int8, int16,
                     int32, int64, string, uint8)
from .gradients import gradients, hessians
from . import second_order  # noqa: F401 - registers the gradients that second order differentiates
from .init_ops import (constant_initializer, glorot_normal_initializer, glorot_uniform_initializer,
                       ones_initializer, orthogonal_initializer, random_normal_initializer,
                       random_uniform_initializer, truncated_normal_initializer,
                       variance_scaling_initializer, zeros_initializer)
from . import initializers
from .graph import (Graph, GraphKeys, Operation, Tensor, TensorShape, add_to_collection,
                    control_dependencies, device, get_collection, get_collection_ref, get_default_graph,
                    get_default_session, name_scope, reset_default_graph)
from .linalg_ops import (diag, einsum, eye, matrix_determinant, matrix_diag, matrix_inverse,
                         matrix_transpose, tensordot)
from .manip_ops import (boolean_mask, broadcast_to, concat, gather, gather_nd, meshgrid, one_hot, pad,
                        reverse, sequence_mask, split, tile, unstack, where)
from .math_ops import (abs, add, add_n, arg_max, arg_min, argmax, argmin, ceil, clip_by_value, cos,
                       count_nonzero, cumprod, cumsum, div, divide, equal, erf, exp, floor,
                       floor_div, floordiv, floormod, greater, greater_equal, is_finite, is_inf, is_nan, less,
                       less_equal, log, log1p, logical_and, logical_not, logical_or, logical_xor,
                       matmul, maximum, minimum, mod, multiply, negative, norm, not_equal, pow,
                       realdiv, reciprocal, reduce_all, reduce_any, reduce_logsumexp, reduce_max,
                       reduce_mean, reduce_min, reduce_prod, reduce_sum, rint, round, rsqrt,
                       sigmoid, sign, sin, sqrt, square, squared_difference, subtract, tanh,
                       to_double, to_float, to_int32, to_int64, truncatediv, truncatemod, truediv)
from . import math  # noqa: E402 - tf.math, after the ops it names
from .random_ops import random_normal, random_uniform, set_random_seed, truncated_normal
from .session import InteractiveSession, Session
from .session_config import ConfigProto, GPUOptions, GraphOptions, RunMetadata, RunOptions
from .summary import HistogramProto, SessionLog, Summary
from .state_ops import (Variable, assign, assign_add, assign_sub, global_variables,
                        global_variables_initializer, is_variable_initialized,
                        local_variables, local_variables_initializer, model_variables,
                        report_uninitialized_variables, trainable_variables, variables_initializer)
from .variable_scope import (AUTO_REUSE, VariableScope, get_variable, get_variable_scope,
                             variable_scope)

from . import compat  # noqa: E402 - tf.compat.v1 is this module, so last

# The namespaces a TF1 user reaches for (tf.nn, tf.train, ...), not the modules that implement ops.
newaxis = None
_NAMESPACES = {"compat", "debugging", "errors", "initializers", "keras", "layers", "losses", "math",
               "nn", "random", "summary", "train"}
__all__ = [name for name, value in globals().items()
           if not name.startswith("_") and (not isinstance(value, _ModuleType) or name in _NAMESPACES)]
