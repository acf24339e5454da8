"""The planner runs some ops as the cheaper numpy they amount to (Pow(x, 2) as a square, a
matmul with inner dimension 1 as a broadcasting multiply, a squared difference as a
difference kept for its gradient) and fuses a full Sum or Mean of a square nothing else reads
into one dot product. Each test checks what the plan reports doing and that the values (and
gradients) are the ones numpy gives."""

from unittest import mock

import numpy as np
import pytest

import engine as tf
from engine import session as session_module

N = 1000


def run_planned(sess, fetches, feed=None):
    """sess.run(fetches, feed) and the report of the plan it compiled for them."""
    plans, compile_plan = [], session_module.compile_plan

    def capture(*args):
        plans.append(compile_plan(*args))
        return plans[-1]
    with mock.patch.object(session_module, "compile_plan", capture):
        values = sess.run(fetches, feed)
    (plan,) = plans
    return values, plan.report


def data(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@pytest.fixture
def xy():
    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.placeholder(tf.float32, [None], name="y")
    return x, y, {x: data(N), y: data(N, seed=1)}


@pytest.mark.parametrize("reduce", [tf.reduce_mean, tf.reduce_sum])
def test_a_reduction_of_a_square_nothing_else_reads_is_one_dot_product(xy, reduce):
    x, y, feed = xy
    loss = reduce(tf.square(x - y))
    with tf.Session() as sess:
        value, report = run_planned(sess, loss, feed)
    assert report == ["sub: Sub, buffered", f"{loss.op.name}: {loss.op.type} of Square fused (one dot product)"]
    d = feed[x].astype(np.float64) - feed[y]
    expected = np.mean(d * d) if reduce is tf.reduce_mean else np.sum(d * d)
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    assert value.dtype == np.float32


def test_a_square_also_fetched_is_not_fused(xy):
    x, y, feed = xy
    square = tf.square(x - y)
    loss = tf.reduce_mean(square)
    with tf.Session() as sess:
        (sq, value), report = run_planned(sess, [square, loss], feed)
    assert report == ["sub: Sub, buffered", "Square: Square, in place", "Mean: Mean"]
    np.testing.assert_allclose(value, np.mean(sq), rtol=1e-6)


@pytest.mark.parametrize("axis, keepdims", [(None, True), ([0, 1], False), (1, False)])
def test_fusion_needs_a_reduction_over_all_axes(axis, keepdims):
    x = tf.placeholder(tf.float32, [3, 4])
    total = tf.reduce_sum(tf.square(x), axis=axis, keepdims=keepdims)
    value = data(3, 4)
    with tf.Session() as sess:
        result, report = run_planned(sess, total, {x: value})
    fused = axis != 1
    assert (report == ["Sum: Sum of Square fused (one dot product)"]) == fused
    np.testing.assert_allclose(result, np.sum(value * value, axis=None if fused else 1, keepdims=keepdims),
                               rtol=1e-5)
    assert result.shape == np.sum(value, axis=tuple(axis) if isinstance(axis, list) else axis,
                                  keepdims=keepdims).shape


def test_the_gradient_of_a_fused_loss_reads_the_square_s_input_for_its_shape(xy):
    x, y, feed = xy
    loss = tf.reduce_mean(tf.square(x - y))
    (grad,) = tf.gradients(loss, [x])
    with tf.Session() as sess:
        (value, g), report = run_planned(sess, [loss, grad], feed)
    assert "Mean: Mean of Square fused (one dot product)" in report
    np.testing.assert_allclose(g, 2 * (feed[x] - feed[y]) / N, rtol=1e-6)


def test_pow_of_a_constant_two_is_planned_as_a_square(xy):
    x, y, feed = xy
    p = tf.pow(x - y, 2)
    (grad,) = tf.gradients(tf.reduce_sum(p * 3.0), [x])
    with tf.Session() as sess:
        (value, g), report = run_planned(sess, [p, grad], feed)
    assert "Pow: Pow as Square, buffered" in report
    assert "gradients/Pow_grad/Pow: VJP of Pow as of Square" in report
    d = feed[x] - feed[y]
    np.testing.assert_array_equal(value, d * d)
    np.testing.assert_allclose(g, 6 * d, rtol=1e-6)


@pytest.mark.parametrize("exponent", [3.0, [2.0, 2.0]])
def test_pow_of_anything_else_stays_a_pow(exponent):
    x = tf.placeholder(tf.float32, [2])
    p = tf.pow(x, exponent)
    with tf.Session() as sess:
        value, report = run_planned(sess, p, {x: [1.5, -2.0]})
    assert report == ["Pow: Pow"]
    np.testing.assert_allclose(value, np.power([1.5, -2.0], exponent), rtol=1e-6)


def test_a_matmul_with_inner_dimension_one_is_a_broadcasting_multiply():
    X = tf.placeholder(tf.float32, [None, 1], name="X")
    W = tf.Variable(data(1, 1), name="W")
    out = tf.matmul(X, W)
    gX, gW = tf.gradients(tf.reduce_sum(out * out), [X, W])
    feed = {X: data(N, 1)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        (value, gx, gw, w), report = run_planned(sess, [out, gX, gW, W], feed)
    assert "MatMul: MatMul as Mul (inner dimension 1), buffered" in report
    assert "gradients/MatMul_grad/MatMul: VJP of MatMul as Mul (inner dimension 1), buffered" in report
    np.testing.assert_array_equal(value, feed[X] @ w)
    np.testing.assert_allclose(gx, 2 * value @ w.T, rtol=1e-6)
    np.testing.assert_allclose(gw, 2 * feed[X].T @ value, rtol=1e-5)


@pytest.mark.parametrize("a_shape, b_shape, transpose_b", [((5, 1), (1, 3), False), ((2, 4, 1), (2, 1, 3), False),
                                                           ((5, 1), (3, 1), True)])
def test_outer_products_are_multiplies_only_untransposed(a_shape, b_shape, transpose_b):
    a, b = tf.constant(data(*a_shape)), tf.placeholder(tf.float32, b_shape)
    out = tf.matmul(a, b, transpose_b=transpose_b)
    b_value = data(*b_shape, seed=2)
    with tf.Session() as sess:
        value, report = run_planned(sess, out, {b: b_value})
        a_value = sess.run(a)
    assert (report == ["MatMul: MatMul as Mul (inner dimension 1)"]) == (not transpose_b)
    expected = np.matmul(a_value, np.swapaxes(b_value, -1, -2) if transpose_b else b_value)
    np.testing.assert_allclose(value, expected, rtol=1e-6)
    assert out.get_shape().as_list() == list(expected.shape)


@pytest.mark.parametrize("y_shape", [[None], []])
def test_a_squared_difference_keeps_its_difference_for_the_gradients(y_shape):
    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.placeholder(tf.float32, y_shape, name="y")
    loss = tf.reduce_mean(tf.squared_difference(x, y))
    gx, gy = tf.gradients(loss, [x, y])
    feed = {x: data(N), y: data(N, seed=1) if y_shape else np.float32(0.25)}
    with tf.Session() as sess:
        (value, grad_x, grad_y), report = run_planned(sess, [loss, gx, gy], feed)
    assert report[:2] == ["SquaredDifference/difference: SquaredDifference as Sub, buffered",
                          "Mean: Mean of SquaredDifference as Square fused (one dot product)"]
    assert report.count("gradients/SquaredDifference_grad/SquaredDifference: "
                        "VJP of SquaredDifference from its difference") == 1
    d = feed[x].astype(np.float64) - feed[y]
    np.testing.assert_allclose(value, np.mean(d * d), rtol=1e-5)
    np.testing.assert_allclose(grad_x, 2 * d / N, rtol=1e-5)
    np.testing.assert_allclose(grad_y, np.sum(-2 * d / N) if not y_shape else -2 * d / N, rtol=1e-4)


def test_a_regression_step_writes_its_temporaries_in_place():
    """w * X + b - Y: the add and the subtract write into the product's array, and the loss
    is one dot product, so the forward pass makes one large array."""
    X = tf.placeholder(tf.float32, [None])
    Y = tf.placeholder(tf.float32, [None])
    w, b = tf.Variable(2.0), tf.Variable(0.5)
    loss = tf.reduce_mean(tf.square(w * X + b - Y))
    feed = {X: data(100_000), Y: data(100_000, seed=1)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value, report = run_planned(sess, loss, feed)
        assert sess.run(loss, feed) == value  # the kept buffer gives the same again
    assert [line for line in report if "mul" in line or "add" in line or "sub" in line or "Mean" in line] == [
        "mul: Mul, buffered", "add: AddV2, in place", "sub: Sub, in place",
        "Mean: Mean of Square fused (one dot product)"]
    np.testing.assert_allclose(value, np.mean((2 * feed[X].astype(np.float64) + 0.5 - feed[Y]) ** 2), rtol=1e-5)
