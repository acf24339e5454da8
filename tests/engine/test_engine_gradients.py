"""Every differentiable op's gradient against central finite differences (float64).

Each check feeds random inputs through placeholders, weights the op's output by a random
tensor `v` (as grad_ys) and compares `gradients` with (f(x + h) - f(x - h)) / 2h of sum(v * op).
"""

import numpy as np
import pytest

import engine as tf

SHAPES = {"scalar": (), "vector": (5,), "matrix": (3, 4)}
BROADCASTS = {"scalar": ((), ()), "vector": ((5,), (5,)), "matrix": ((3, 4), (3, 4)),
              "matrix-vector": ((3, 4), (4,)), "vector-scalar": ((5,), ()),
              "column-row": ((3, 1), (1, 4)), "scalar-matrix": ((), (3, 4))}


def check_gradients(build, *arrays, rtol=1e-5, atol=1e-7):
    inputs = [tf.placeholder(tf.float64, shape=a.shape) for a in arrays]
    out = build(*inputs)
    feed = dict(zip(inputs, arrays))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())  # for builds that make variables (layers)
        value = np.asarray(sess.run(out, feed))
        weights = np.random.standard_normal(value.shape)
        v = tf.placeholder(tf.float64, shape=value.shape)
        grads = sess.run(tf.gradients(out, inputs, grad_ys=v), {**feed, v: weights})

        def f(*values):
            return float(np.sum(weights * sess.run(out, dict(zip(inputs, values)))))

        for k, (array, grad) in enumerate(zip(arrays, grads)):
            assert grad.shape == array.shape and grad.dtype == np.float64
            numeric = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                h = 1e-6 * max(1.0, abs(array[index]))
                plus, minus = array.copy(), array.copy()
                plus[index] += h
                minus[index] -= h
                args = list(arrays)
                numeric[index] = (f(*args[:k], plus, *args[k + 1:]) - f(*args[:k], minus, *args[k + 1:])) / (2 * h)
            np.testing.assert_allclose(grad, numeric, rtol=rtol, atol=atol, err_msg=f"input {k}")


def positive(shape):
    return np.random.uniform(0.5, 2.0, shape)


def away_from_zero(shape):
    return np.random.choice([-1, 1], shape) * np.random.uniform(0.3, 2.0, shape)


BINARY = {
    "add": (tf.add, np.random.standard_normal, np.random.standard_normal),
    "subtract": (tf.subtract, np.random.standard_normal, np.random.standard_normal),
    "multiply": (tf.multiply, np.random.standard_normal, np.random.standard_normal),
    "divide": (tf.divide, np.random.standard_normal, away_from_zero),
    "pow": (tf.pow, positive, np.random.standard_normal),
    "maximum": (tf.maximum, np.random.standard_normal, np.random.standard_normal),
    "minimum": (tf.minimum, np.random.standard_normal, np.random.standard_normal),
    "squared_difference": (tf.squared_difference, np.random.standard_normal, np.random.standard_normal),
    "operators": (lambda x, y: (x + y) * x - y / 3 + x ** 2 - (-y), np.random.standard_normal, np.random.standard_normal),
}


@pytest.mark.parametrize("shapes", BROADCASTS.values(), ids=BROADCASTS.keys())
@pytest.mark.parametrize("op", BINARY.values(), ids=BINARY.keys())
def test_binary_op_gradients(op, shapes):
    build, make_x, make_y = op
    check_gradients(build, np.asarray(make_x(shapes[0])), np.asarray(make_y(shapes[1])))


UNARY = {
    "negative": (tf.negative, np.random.standard_normal),
    "square": (tf.square, np.random.standard_normal),
    "sqrt": (tf.sqrt, positive),
    "exp": (tf.exp, np.random.standard_normal),
    "log": (tf.log, positive),
    "log1p": (tf.log1p, positive),
    "abs": (tf.abs, away_from_zero),
    "sigmoid": (tf.sigmoid, np.random.standard_normal),
    "tanh": (tf.tanh, np.random.standard_normal),
    "relu": (tf.nn.relu, away_from_zero),
    "identity": (tf.identity, np.random.standard_normal),
    "transpose": (tf.transpose, np.random.standard_normal),
    "reshape": (lambda x: tf.reshape(x, [-1]), np.random.standard_normal),
    "l2_loss": (tf.nn.l2_loss, np.random.standard_normal),
    "clip_by_value": (lambda x: tf.clip_by_value(x, -0.5, 0.5), away_from_zero),
    "reduce_sum": (tf.reduce_sum, np.random.standard_normal),
    "reduce_mean": (tf.reduce_mean, np.random.standard_normal),
    "reduce_prod": (tf.reduce_prod, positive),
    "reduce_max": (tf.reduce_max, np.random.standard_normal),
    "reduce_min": (tf.reduce_min, np.random.standard_normal),
}


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("op", UNARY.values(), ids=UNARY.keys())
def test_unary_op_gradients(op, shape):
    build, make = op
    check_gradients(build, np.asarray(make(shape)))


REDUCTIONS = [tf.reduce_sum, tf.reduce_mean, tf.reduce_prod, tf.reduce_max, tf.reduce_min]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1, [0, 1], None])
@pytest.mark.parametrize("reduce", REDUCTIONS, ids=lambda r: r.__name__)
def test_reduction_gradients_over_axes(reduce, axis, keepdims):
    check_gradients(lambda x: reduce(x, axis=axis, keepdims=keepdims), positive((3, 4)))


def test_reduce_prod_gradient_with_zeros():
    x = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0]])
    check_gradients(lambda t: tf.reduce_prod(t, axis=1), x)


def test_reduce_max_shares_gradient_among_ties():
    x = tf.constant([1.0, 3.0, 3.0])
    (grad,) = tf.gradients(tf.reduce_max(x), [x])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(grad), [0, 0.5, 0.5])


@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
def test_matmul_gradients(transpose_a, transpose_b):
    a = np.random.standard_normal((4, 3) if transpose_a else (3, 4))
    b = np.random.standard_normal((2, 4) if transpose_b else (4, 2))
    check_gradients(lambda x, y: tf.matmul(x, y, transpose_a=transpose_a, transpose_b=transpose_b), a, b)


def test_batched_matmul_gradients():
    check_gradients(lambda x, y: x @ y, np.random.standard_normal((2, 3, 4)), np.random.standard_normal((4, 5)))


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_gradients(axis):
    check_gradients(lambda x: tf.nn.softmax(x, axis=axis), np.random.standard_normal((3, 4)))


@pytest.mark.parametrize("shape", [(5,), (3, 4)], ids=["vector", "matrix"])
def test_sigmoid_cross_entropy_gradients(shape):
    labels = np.random.uniform(0, 1, shape)
    check_gradients(lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
                    labels, 3 * np.random.standard_normal(shape))


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_cross_entropy_gradients(axis):
    labels = np.random.dirichlet(np.ones(4), 3) if axis == -1 else np.random.dirichlet(np.ones(3), 4).T
    check_gradients(lambda z, x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x, axis=axis),
                    labels, np.random.standard_normal((3, 4)))


def test_first_softmax_cross_entropy_is_v2_without_a_gradient_into_labels():
    labels = np.random.dirichlet(np.ones(4), 3)
    logits = np.random.standard_normal((3, 4))
    z, x = tf.placeholder(tf.float64, [3, 4]), tf.placeholder(tf.float64, [3, 4])
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x)
    grad_z, grad_x = tf.gradients(v1, [z, x])
    assert grad_z is None
    with tf.Session() as sess:
        feed = {z: labels, x: logits}
        np.testing.assert_allclose(sess.run(v1, feed), sess.run(v2, feed))
        np.testing.assert_allclose(sess.run(grad_x, feed), sess.run(tf.gradients(v2, x)[0], feed))
    with pytest.raises(ValueError, match=r"takes keyword arguments labels=\.\.\., logits="):
        tf.nn.softmax_cross_entropy_with_logits(z, x)


@pytest.mark.parametrize("weights", [1.0, 0.5, "tensor"])
def test_mean_squared_error_gradients(weights):
    w = np.random.choice([0.0, 1.0, 2.0], (3, 4)) if weights == "tensor" else weights
    check_gradients(lambda y, p: tf.losses.mean_squared_error(y, p, weights=w),
                    np.random.standard_normal((3, 4)), np.random.standard_normal((3, 4)))


def test_add_n_gradients():
    check_gradients(lambda x, y, z: tf.add_n([x, y, z]) * x,
                    *(np.random.standard_normal((2, 3)) for _ in range(3)))


# -- diamonds: a value used more than once gets the sum of its gradients ---------------------

DIAMONDS = {
    "a + sigmoid(a)": lambda a: tf.reduce_sum(a + tf.sigmoid(a)),
    "a * a": lambda a: a * a,
    "shared subexpression": lambda a: (lambda h: h * h + tf.exp(h))(tf.tanh(a) * 2.0),
    "two paths of different length": lambda a: tf.square(a) + tf.reduce_mean(tf.exp(a) * a),
}


@pytest.mark.parametrize("build", DIAMONDS.values(), ids=DIAMONDS.keys())
def test_diamond_graphs_sum_gradients(build):
    check_gradients(build, np.random.standard_normal((3,)))


def test_diamond_value():
    a = tf.constant(2.0)
    (grad,) = tf.gradients(a * a + a, [a])
    with tf.Session() as sess:
        assert sess.run(grad) == pytest.approx(5.0)


# -- what gradients returns --------------------------------------------------------------------

def test_unconnected_gives_none():
    x, y, z = tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)
    assert tf.gradients(x * y, [x, z])[1] is None
    assert tf.gradients(x * y, [z]) == [None]


def test_gradient_stops_at_non_differentiable_ops():
    x = tf.constant([1.0, 2.0])
    y = tf.reduce_sum(tf.stop_gradient(x) * x + tf.cast(tf.greater(x, 1.5), tf.float32))
    (grad,) = tf.gradients(y, [x])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(grad), [1.0, 2.0])


def test_gradients_of_several_ys_are_summed():
    x = tf.constant(3.0)
    (grad,) = tf.gradients([x * x, 2 * x], [x])
    with tf.Session() as sess:
        assert sess.run(grad) == pytest.approx(8.0)


def test_gradient_keeps_float32_and_variable_shape():
    w = tf.Variable(np.zeros((3, 1), np.float32))
    x = tf.placeholder(tf.float32, [None, 3])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
    (grad,) = tf.gradients(loss, [w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(grad, {x: np.ones((4, 3), np.float32)})
    assert value.dtype == np.float32 and value.shape == (3, 1)
    np.testing.assert_allclose(value, -2 * np.ones((3, 1)))


def test_cast_gradient_passes_floats_and_stops_at_ints():
    x = tf.constant([1.5, 2.5], dtype=tf.float64)
    (grad,) = tf.gradients(tf.reduce_sum(tf.cast(x, tf.float32) * 2.0), [x])
    with tf.Session() as sess:
        value = sess.run(grad)
    assert value.dtype == np.float64
    np.testing.assert_allclose(value, [2.0, 2.0])


SLICES = {"int": 1, "range": slice(1, 3), "step": slice(None, None, 2), "row and column": (slice(0, 2), 1),
          "negative": (-1, slice(None, -1)), "new axis and ellipsis": (None, Ellipsis, 0)}


@pytest.mark.parametrize("key", SLICES.values(), ids=SLICES.keys())
def test_slicing_values_shapes_and_gradients(key):
    data = np.random.standard_normal((3, 4))
    x = tf.constant(data)
    sliced = x[key]
    assert sliced.shape.as_list() == list(data[key].shape)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(sliced), data[key])
    check_gradients(lambda t: t[key] * 2.0, data)


def family_gradient_cases():
    """The gradient checks of the op families' own test files (test_engine_<family>_ops.py)."""
    import test_engine_array_ops
    import test_engine_math_ops
    return [*test_engine_array_ops.GRADIENT_CASES.values(), *test_engine_math_ops.GRADIENT_CASES.values()]


def test_every_differentiable_op_type_is_checked_here():
    """Adding an op type with a gradient means adding it to a check above."""
    from engine.extend import NOT_DIFFERENTIABLE, lookup, op_types

    x, y = tf.placeholder(tf.float64, [3, 4]), tf.placeholder(tf.float64, [3, 4])
    for build, *_ in BINARY.values():
        build(x, y)
    for build, _ in UNARY.values():
        build(x)
    tf.matmul(x, y, transpose_b=True)
    tf.nn.softmax(x)
    tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=y)
    tf.nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=y)
    tf.losses.mean_squared_error(x, y)
    x[0]
    from test_engine_nn import build_nn_ops  # checked in test_engine_nn.py and test_engine_conv.py
    build_nn_ops(x, y)
    (gy,) = tf.gradients(x ** 4 * y[0], y)  # second order, checked in test_engine_second_order.py
    tf.gradients(tf.gradients(gy, x)[0], x)
    from test_engine_second_order import build_gradient_ops  # conv and pool gradients' own ops
    build_gradient_ops(x, y)
    tf.cond(x[0, 0] > 0, lambda: x, lambda: y)  # cond and while_loop: test_engine_control_flow.py
    tf.gradients(tf.while_loop(lambda v: tf.reduce_sum(v) < 1, lambda v: v * 2.0, [x]), x)  # WhileGrad too
    from test_engine_check_ops import build_check_ops
    build_check_ops(x)
    for build, makers in family_gradient_cases():
        build(*(tf.placeholder(tf.float64, np.shape(make())) for make in makers))
    checked = {op.type for op in tf.get_default_graph().get_operations()}
    checked.add("Cast")  # test_cast_gradient_passes_floats_and_stops_at_ints: float64 checks can't round-trip
    differentiable = {t for t in op_types() if lookup(t).grads not in (None, NOT_DIFFERENTIABLE)}
    assert differentiable - checked == set()
