"""Math ops: TF1's integer semantics, values against numpy, gradients against central
differences, dtypes, default names, and errors naming the op and the argument."""

import math

import numpy as np
import pytest

import engine as tf
from test_engine_gradients import BROADCASTS, SHAPES, check_gradients, positive


def normal(*shape):
    return lambda: np.random.standard_normal(shape)


def invertible():
    return np.random.standard_normal((3, 3)) + 3 * np.eye(3)


GRADIENT_CASES = {
    "sin": (tf.sin, [normal(3, 4)]),
    "cos": (tf.cos, [normal(3, 4)]),
    "reciprocal": (tf.reciprocal, [lambda: positive((3, 4))]),
    "rsqrt": (tf.rsqrt, [lambda: positive((3, 4))]),
    "erf": (tf.erf, [normal(3, 4)]),
    "softplus": (tf.math.softplus, [normal(3, 4)]),
    "floormod": (lambda x, y: tf.floormod(x, y), [lambda: positive((3, 4)) * 3, lambda: positive((4,))]),
    "logsumexp": (lambda x: tf.reduce_logsumexp(x, axis=1), [normal(3, 4)]),
    "logsumexp keepdims": (lambda x: tf.reduce_logsumexp(x, axis=0, keepdims=True), [normal(3, 4)]),
    "reduce_std": (lambda x: tf.math.reduce_std(x, axis=1), [normal(3, 4)]),
    "cumsum": (lambda x: tf.cumsum(x, axis=1), [normal(3, 4)]),
    "cumsum exclusive reverse": (lambda x: tf.cumsum(x, axis=0, exclusive=True, reverse=True), [normal(3, 4)]),
    "cumprod": (lambda x: tf.cumprod(x, axis=1), [lambda: positive((3, 4))]),
    "cumprod exclusive": (lambda x: tf.cumprod(x, exclusive=True), [lambda: positive((5,))]),
    "norm": (tf.norm, [normal(3, 4)]),
    "norm ord 1": (lambda x: tf.norm(x, ord=1, axis=1), [lambda: positive((3, 4))]),
    "matrix_inverse": (tf.matrix_inverse, [invertible]),
    "matrix_determinant": (tf.matrix_determinant, [invertible]),
    "matrix_transpose": (tf.matrix_transpose, [normal(2, 3, 4)]),
    "einsum": (lambda x, y: tf.einsum("ij,kj->ik", x, y), [normal(3, 4), normal(2, 4)]),
    "einsum summing an axis away": (lambda x, y: tf.einsum("ij,j->", x, y), [normal(3, 4), normal(4)]),
    "tensordot": (lambda x, y: tf.tensordot(x, y, axes=[[0], [1]]), [normal(3, 4), normal(2, 3)]),
    "diag": (tf.diag, [normal(3)]),
    "add_n": (lambda x, y, z: tf.add_n([x, y, z]) * x, [normal(2, 3), normal(2, 3), normal(2, 3)]),
    "add_n of scalars": (lambda x, y, z: tf.add_n([x, y, z, x]) * y, [normal(), normal(), normal()]),
    "matrix_diag": (tf.matrix_diag, [normal(2, 3)]),
}


@pytest.mark.parametrize("case", GRADIENT_CASES.values(), ids=GRADIENT_CASES.keys())
def test_gradients(case):
    build, makers = case
    check_gradients(build, *(make() for make in makers))


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("op", [tf.sin, tf.cos, tf.erf, tf.math.softplus], ids=lambda f: f.__name__)
def test_elementwise_gradients_over_shapes(op, shape):
    check_gradients(op, np.asarray(np.random.standard_normal(shape)))


@pytest.mark.parametrize("shape", [(5,), (3, 4)], ids=["vector", "matrix"])
@pytest.mark.parametrize("op", [tf.reduce_logsumexp, tf.math.reduce_variance, tf.cumsum, tf.cumprod, tf.norm,
                                lambda x: tf.norm(x, ord=np.inf)], ids=["logsumexp", "variance", "cumsum",
                                                                       "cumprod", "norm", "norm inf"])
def test_reduction_and_cumulative_gradients_over_shapes(op, shape):
    check_gradients(op, np.random.uniform(0.5, 2.0, shape))


@pytest.mark.parametrize("shapes", BROADCASTS.values(), ids=BROADCASTS.keys())
def test_floormod_gradients_broadcast(shapes):
    x = np.asarray(positive(shapes[0]) * 3)
    check_gradients(tf.floormod, x, np.asarray(positive(shapes[1])))


def run(tensor):
    with tf.Session() as sess:
        return sess.run(tensor)


I = np.array([7, -7, 7, -7, 0, 9], np.int32)
J = np.array([2, 2, -2, -2, 3, -4], np.int32)


def test_integer_division_floors_as_python_and_truncates_as_c():
    i, j = tf.constant(I), tf.constant(J)
    floor, mod, div, trunc, tmod = run([i // j, i % j, tf.div(i, j), tf.truncatediv(i, j), tf.truncatemod(i, j)])
    assert floor.tolist() == (I // J).tolist() and mod.tolist() == (I % J).tolist()
    assert div.tolist() == floor.tolist() and floor.dtype == np.int32
    assert trunc.tolist() == [int(a / b) for a, b in zip(I, J)]
    assert tmod.tolist() == [int(math.fmod(a, b)) for a, b in zip(I, J)]
    assert (i / j).dtype == tf.float64 and tf.truediv(i, j).dtype == tf.float64
    assert (tf.constant([1], tf.int8) / tf.constant([2], tf.int8)).dtype == tf.float32
    assert tf.div(tf.constant(7.0), 2.0).dtype == tf.float32
    assert run(tf.constant([7.5, -7.5]) % 2.0).tolist() == [1.5, 0.5]


def test_logical_ops_and_operators():
    t, f = tf.constant([True, False, True]), tf.constant([True, True, False])
    values = run([tf.logical_and(t, f), t | f, t ^ f, ~t, tf.logical_xor(t, f)])
    assert [v.tolist() for v in values] == [[True, False, False], [True, True, True],
                                           [False, True, True], [False, True, False], [False, True, True]]
    assert run(tf.constant([6]) & 3).tolist() == [2] and run(~tf.constant([0])).tolist() == [-1]


VALUES = {
    "cumsum exclusive reverse": (lambda x: tf.cumsum(x, exclusive=True, reverse=True),
                                 lambda x: np.cumsum(x[::-1])[::-1] - x),
    "cumprod": (tf.cumprod, np.cumprod),
    "logsumexp": (lambda x: tf.reduce_logsumexp(x * 100), lambda x: np.log(np.sum(np.exp(x * 100 - 200))) + 200),
    "reduce_variance": (tf.math.reduce_variance, np.var),
    "reduce_std": (tf.math.reduce_std, np.std),
    "norm": (tf.norm, np.linalg.norm),
    "erf": (tf.erf, np.vectorize(math.erf)),
    "softplus": (tf.math.softplus, lambda x: np.log1p(np.exp(x))),
    "rint": (lambda x: tf.rint(x * 4), lambda x: np.rint(x * 4)),
}


@pytest.mark.parametrize("case", VALUES.values(), ids=VALUES.keys())
def test_values_match_numpy(case):
    build, expected = case
    x = np.random.uniform(-2, 2, 6).astype(np.float32)
    got = run(build(tf.constant(x)))
    assert np.asarray(got).dtype == np.float32
    np.testing.assert_allclose(got, expected(x.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_reductions_and_arg_ops():
    x = np.random.standard_normal((3, 4)).astype(np.float32)
    c = tf.constant(x)
    amin, amax32, count, any_, all_ = run([tf.argmin(c, 1), tf.argmax(c, 1, output_type=tf.int32),
                                           tf.count_nonzero(tf.constant([[0, 1, 2], [0, 0, 3]]), axis=1),
                                           tf.reduce_any(tf.constant([False, True])),
                                           tf.reduce_all(tf.constant([[True, False]]), axis=1)])
    assert amin.tolist() == x.argmin(1).tolist() and amin.dtype == np.int64
    assert amax32.dtype == np.int32 and amax32.tolist() == x.argmax(1).tolist()
    assert count.tolist() == [2, 1] and count.dtype == np.int64
    assert any_ is np.True_ or any_ == True  # noqa: E712
    assert all_.tolist() == [False]
    assert tf.arg_min(c, 0).name == "ArgMin_1:0" and tf.arg_max(c, 0).dtype == tf.int64


def test_linear_algebra_values():
    m = invertible().astype(np.float32)
    x = np.random.standard_normal((3, 4)).astype(np.float32)
    inv, det, ein, dot, eye = run([tf.matrix_inverse(m), tf.matrix_determinant(m),
                                   tf.einsum("ij,kj->ik", x, x), tf.tensordot(x, m, axes=[[0], [1]]),
                                   tf.eye(2, 3)])
    np.testing.assert_allclose(inv, np.linalg.inv(m), rtol=1e-4)
    np.testing.assert_allclose(det, np.linalg.det(m), rtol=1e-4)
    np.testing.assert_allclose(ein, x @ x.T, rtol=1e-5)
    np.testing.assert_allclose(dot, np.tensordot(x, m, axes=[[0], [1]]), rtol=1e-5)
    assert eye.tolist() == np.eye(2, 3).tolist() and eye.dtype == np.float32
    assert run(tf.diag(tf.constant([3, 4]))).tolist() == [[3, 0], [0, 4]]


def test_is_nan_is_finite_and_conversions():
    v = tf.constant([0.0, np.nan, np.inf])
    nan, finite = run([tf.is_nan(v), tf.is_finite(v)])
    assert nan.tolist() == [False, True, False] and finite.tolist() == [True, False, False]
    assert tf.is_nan(v).dtype == tf.bool
    assert run(tf.to_int32(tf.constant([1.7, -1.7]))).tolist() == [1, -1]
    assert tf.to_float(tf.constant(1)).dtype == tf.float32 and tf.to_int64(v).dtype == tf.int64


def test_default_names_are_tf1s():
    x, y = tf.constant(1.0), tf.constant(2.0)
    names = [tf.add(x, y), x + y, tf.multiply(x, y), x * y, tf.subtract(x, y), x - y, tf.pow(x, y),
             x ** y, tf.divide(x, y), x // y, x % y, tf.floormod(x, y), tf.sin(x), tf.cumsum(x[None]),
             tf.add_n([x, y]), tf.norm(x), tf.eye(2), tf.to_float(tf.constant(1)), tf.matrix_inverse([[x]])]
    assert [t.op.name for t in names] == ["Add", "add_1", "Mul", "mul_1", "Sub", "sub_1", "Pow",
                                          "pow_1", "truediv", "floordiv", "mod", "FloorMod", "Sin",
                                          "Cumsum", "AddN", "norm/Squeeze", "eye/diag", "ToFloat",
                                          "MatrixInverse"]
    assert tf.add(x, y).op.type == "AddV2"


ERRORS = {
    "sqrt of int": (lambda: tf.sqrt(tf.constant([1])), TypeError,
                    "Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
                    "bfloat16, float16, float32, float64, complex64, complex128"),
    "floor of int": (lambda: tf.floor(tf.constant([1])), TypeError, "DataType int32 not in list of allowed values: bfloat16, float16, float32, float64$"),
    "softplus of int": (lambda: tf.math.softplus(tf.constant([1])), TypeError, "parameter 'features' of 'Softplus' has DataType int32"),
    "logical_and of ints": (lambda: tf.logical_and(tf.constant([1]), tf.constant([1])), TypeError,
                            "Input 'x' of 'LogicalAnd' Op has type int32 that does not match expected type of bool."),
    "logical_not of floats": (lambda: tf.logical_not(tf.constant([1.0])), TypeError, "Input 'x' of 'LogicalNot' Op"),
    "reduce_any of floats": (lambda: tf.reduce_any(tf.constant([1.0])), TypeError,
                             "Input 'input' of 'Any' Op has type float32 that does not match expected type of bool."),
    "& of floats": (lambda: tf.constant([1.0]) & tf.constant([1.0]), TypeError, "parameter 'x' has DataType float32"),
    "reduce_std of ints": (lambda: tf.math.reduce_std(tf.constant([1])), TypeError,
                           "Input must be either real or complex. Received integer type <dtype: 'int32'>."),
    "cumsum of bools": (lambda: tf.cumsum(tf.constant([True])), TypeError, "parameter 'x' has DataType bool"),
    "matrix_inverse of ints": (lambda: tf.matrix_inverse(tf.zeros([2, 2], tf.int32)), TypeError,
                               "parameter 'input' has DataType int32"),
    "matrix_inverse of non-square": (lambda: tf.matrix_inverse(tf.zeros([2, 3])), ValueError,
                                     "MatrixInverse op 'MatrixInverse': Dimensions must be equal, but are 2 and 3"),
    "matrix_determinant of a vector": (lambda: tf.matrix_determinant(tf.zeros([3])), ValueError,
                                       "Shape must be at least rank 2 but is rank 1"),
    "einsum dims": (lambda: tf.einsum("ij,jk->ik", tf.zeros([2, 3]), tf.zeros([2, 3])), ValueError,
                    "Einsum op 'einsum/Einsum': Dimensions must be equal, but are 3 and 2"),
    "floordiv of mixed dtypes": (lambda: tf.constant(1.0) // tf.constant(2), TypeError,
                                 "Input 'y' of 'FloorDiv' Op has type int32 that does not match type float32"),
}


@pytest.mark.parametrize("case", ERRORS.values(), ids=ERRORS.keys())
def test_bad_input_names_the_op_and_argument(case):
    build, error, message = case
    with pytest.raises(error, match=message):
        build()


def test_sessions_and_graphs_as_tf1_has_them():
    graph = tf.Graph()
    with graph.as_default(), tf.device("/gpu:0"), graph.device("/cpu:0"):
        x = tf.constant(2.0)
    sess = tf.Session(graph=graph)
    with sess.as_default():
        assert tf.get_default_session() is sess and x.eval() == 2.0
    assert tf.get_default_session() is None and sess.graph is graph
    graph.finalize()
    assert graph.finalized
    with pytest.raises(RuntimeError, match="Graph is finalized and cannot be modified."):
        with graph.as_default():
            tf.constant(1.0)
    assert sess.run(x) == 2.0


def test_op_arguments_may_be_tensors():
    n = tf.constant(8.0)
    w = tf.random_normal([tf.constant(2), 3], stddev=tf.sqrt(2.0 / n), seed=1)
    assert w.shape.as_list() == [2, 3] and w.op.name == "random_normal"
    assert run(w).shape == (2, 3)


def test_floor_div_is_tf1s_generated_floordiv():
    """cs20si's first examples call `tf.floor_div`: FloorDiv named as its op type, not `floordiv`."""
    a = tf.constant([7, -7])
    operator = tf.floordiv(a, 2)
    ints, floats = tf.floor_div(a, 2), tf.floor_div(tf.constant([7.0, -7.0]), 2.0)
    assert (operator.op.name, ints.op.name, ints.op.type) == ("floordiv", "FloorDiv_1", "FloorDiv")
    assert run(ints).tolist() == [3, -4] and run(floats).tolist() == [3.0, -4.0]
