"""Math ops whose exact semantics programs rely on: integer floor division and modulo (as Python,
not C), truncating division, `tf.div` on integers, cumulative sums and products, logsumexp,
argmax / argmin, count_nonzero, reduce_any / reduce_all, norms, einsum, tensordot, matrix
inverse and determinant, the logical ops and the usual elementwise functions."""

import engine as tf
import numpy as np


def main():
    rng = np.random.RandomState(13)
    i = tf.constant([7, -7, 7, -7, 0, 9])
    j = tf.constant([2, 2, -2, -2, 3, -4])
    x = tf.constant(rng.randn(3, 4).astype(np.float32))
    m = tf.constant((rng.randn(3, 3) + 3 * np.eye(3)).astype(np.float32))
    t = tf.constant([True, False, True])
    f = tf.constant([True, True, False])

    ops = {
        "floordiv_op": i // j,
        "mod_op": i % j,
        "floordiv": tf.floordiv(i, j),
        "floormod": tf.floormod(i, j),
        "mod": tf.mod(i, j),
        "truncatediv": tf.truncatediv(i, j),
        "truncatemod": tf.truncatemod(i, j),
        "div_int": tf.div(i, j),
        "truediv_int": tf.truediv(i, j),
        "divide_int": i / j,
        "float_floordiv": tf.constant([7.5, -7.5]) // 2.0,
        "float_mod": tf.constant([7.5, -7.5]) % 2.0,
        "cumsum": tf.cumsum(x, axis=1),
        "cumsum_exclusive_reverse": tf.cumsum(x, axis=0, exclusive=True, reverse=True),
        "cumprod": tf.cumprod(tf.constant([1.0, 2.0, 3.0, 4.0])),
        "logsumexp": tf.reduce_logsumexp(x * 30, axis=1),
        "logsumexp_all": tf.reduce_logsumexp(x),
        "argmax0": tf.argmax(x, axis=0),
        "argmin1": tf.argmin(x, 1),
        "argmax_ties": tf.argmax(tf.constant([1, 3, 3, 0])),
        "argmax_int32": tf.argmax(x, 1, output_type=tf.int32),
        "count_nonzero": tf.count_nonzero(tf.constant([[0, 1, 2], [0, 0, 3]]), axis=1),
        "reduce_any": tf.reduce_any(t),
        "reduce_all": tf.reduce_all(tf.stack([t, f]), axis=0),
        "reduce_std": tf.math.reduce_std(x, axis=1),
        "reduce_variance": tf.math.reduce_variance(x),
        "keep_dims": tf.reduce_sum(x, axis=1, keepdims=True),
        "norm": tf.norm(x),
        "norm_axis1": tf.norm(x, ord=1, axis=1),
        "einsum": tf.einsum("ij,kj->ik", x, x),
        "tensordot": tf.tensordot(x, m, axes=[[0], [1]]),
        "matrix_inverse": tf.matrix_inverse(m),
        "matrix_determinant": tf.matrix_determinant(m),
        "matrix_transpose": tf.matrix_transpose(x),
        "matrix_diag": tf.matrix_diag(tf.constant([1.0, 2.0])),
        "diag": tf.diag(tf.constant([3, 4])),
        "eye": tf.eye(2, 3),
        "logical_and": tf.logical_and(t, f),
        "logical_or": tf.logical_or(t, f),
        "logical_xor": tf.logical_xor(t, f),
        "logical_not": tf.logical_not(t),
        "bool_operators": tf.stack([t & f, t | f, t ^ f, ~t]),
        "sin_cos": tf.sin(x) + tf.cos(x),
        "floor_ceil": tf.stack([tf.floor(x * 2), tf.ceil(x * 2)]),
        "rint": tf.rint(tf.constant([0.5, 1.5, 2.5, -0.5])),
        "reciprocal": tf.reciprocal(tf.constant([2.0, -4.0])),
        "rsqrt": tf.rsqrt(tf.constant([4.0, 0.25])),
        "erf": tf.erf(x),
        "softplus": tf.nn.softplus(x),
        "is_nan": tf.is_nan(tf.constant([0.0, np.nan, np.inf])),
        "is_finite": tf.is_finite(tf.constant([0.0, np.nan, np.inf])),
        "to_float": tf.to_float(i) / 2,
        "to_int32": tf.to_int32(tf.constant([1.7, -1.7])),
        "to_int64": tf.to_int64(tf.constant([2.9])),
        "round_half_even": tf.round(tf.constant([0.5, 1.5, 2.5, -2.5])),
        "squared_difference": tf.squared_difference(x, 1.0),
        "leaky_relu": tf.nn.leaky_relu(x, alpha=0.1),
        "elu": tf.nn.elu(x),
        "selu": tf.nn.selu(x),
        "relu6": tf.nn.relu6(x * 10),
        "l2_normalize": tf.nn.l2_normalize(x, axis=1),
        "top_k_values": tf.nn.top_k(x, k=2).values,
        "top_k_indices": tf.nn.top_k(x, k=2).indices,
    }
    with tf.Session() as sess:
        out = sess.run(ops)
    for name, tensor in ops.items():
        out[f"{name}_dtype"] = tensor.dtype.name
    return out
