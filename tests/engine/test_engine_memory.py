"""A plan reuses memory (results written into dead temporaries, arrays kept between runs);
these tests check that no value anyone can still see is ever overwritten."""

import threading
from unittest import mock

import numpy as np
import pytest

import engine as tf

SIZES = {"small": 10, "large": 100_000}  # large results keep their arrays between runs


@pytest.fixture(params=SIZES.values(), ids=SIZES.keys())
def n(request):
    return request.param


def test_fetched_intermediates_keep_their_values(n):
    x = tf.placeholder(tf.float32, [None])
    a = x * 2.0
    b = a + 1.0
    c = b * 3.0
    data = np.arange(n, dtype=np.float32)
    with tf.Session() as sess:
        a_value, c_value = sess.run([a, c], {x: data})
    np.testing.assert_array_equal(a_value, data * 2)
    np.testing.assert_array_equal(c_value, (data * 2 + 1) * 3)


def test_results_held_by_the_caller_survive_later_runs(n):
    x = tf.placeholder(tf.float32, [None])
    y = tf.exp(x * 0.5) - 1.0
    with tf.Session() as sess:
        first = sess.run(y, {x: np.zeros(n, np.float32)})
        second = sess.run(y, {x: np.ones(n, np.float32)})
        third = sess.run(y, {x: np.full(n, 2.0, np.float32)})
    np.testing.assert_allclose(first, 0.0)
    np.testing.assert_allclose(second, np.exp(0.5) - 1, rtol=1e-6)
    np.testing.assert_allclose(third, np.exp(1.0) - 1, rtol=1e-6)


def test_views_keep_their_base_alive(n):
    x = tf.placeholder(tf.float32, [None])
    t = x * 2.0
    column = tf.reshape(t, [-1, 1])
    u = t + 1.0  # t must not be overwritten: `column` is read afterwards
    total = tf.reduce_sum(column * 1.0) + tf.reduce_sum(u)
    data = np.arange(n, dtype=np.float32)
    with tf.Session() as sess:
        got, col = sess.run([total, column], {x: data})
    assert got == pytest.approx(float(np.sum(data * 2) + np.sum(data * 2 + 1)), rel=1e-5)
    np.testing.assert_array_equal(col[:, 0], data * 2)


def test_feeds_and_constants_are_never_written(n):
    x = tf.placeholder(tf.float32, [None])
    c = tf.constant(np.ones(n, np.float32))
    y = tf.square(x + c) * x - c
    data = np.arange(n, dtype=np.float32)
    original = data.copy()
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(y, {x: data})
        np.testing.assert_array_equal(sess.run(c), np.ones(n))
    np.testing.assert_array_equal(data, original)


def test_feed_lengths_may_change_between_runs():
    x = tf.placeholder(tf.float32, [None])
    y = (x * 2.0 + 1.0) * x
    with tf.Session() as sess:
        for length in (100_000, 70_000, 100_000, 5):
            data = np.arange(length, dtype=np.float32)
            np.testing.assert_array_equal(sess.run(y, {x: data}), (data * 2 + 1) * data)


def test_same_input_twice_in_place(n):
    x = tf.placeholder(tf.float32, [None])
    t = x + 1.0
    y = t * t
    data = np.arange(n, dtype=np.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: data}), (data + 1) ** 2)


def test_backward_sees_forward_values_before_reuse(n):
    """The gradient op reads sub's output (square's input) after the forward pass."""
    x = tf.placeholder(tf.float32, [None])
    w = tf.Variable(0.5)
    err = w * x + 1.0 - x
    loss = tf.reduce_mean(tf.square(err)) + tf.reduce_mean(tf.exp(err))
    (grad,) = tf.gradients(loss, [w])
    data = np.linspace(-1, 1, n).astype(np.float64)
    with tf.Session() as sess:
        sess.run(w.initializer)
        got = [sess.run(grad, {x: data}) for _ in range(2)]
    e = 0.5 * data + 1 - data
    expected = np.mean(2 * e * data) + np.mean(np.exp(e) * data)
    for value in got:
        assert value == pytest.approx(expected, rel=1e-4)


def test_training_with_large_feeds_matches_numpy():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, 200_000).astype(np.float32)
    y = (3 * x - 1).astype(np.float32)
    X, Y = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None])
    w, b = tf.Variable(0.0), tf.Variable(0.0)
    loss = tf.reduce_mean(tf.square(w * X + b - Y))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    w_ref = b_ref = 0.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            sess.run(train, {X: x, Y: y})
            err = w_ref * x.astype(np.float64) + b_ref - y
            w_ref, b_ref = w_ref - 0.5 * np.mean(2 * err * x), b_ref - 0.5 * np.mean(2 * err)
        assert sess.run(w) == pytest.approx(w_ref, rel=1e-4)
        assert sess.run(b) == pytest.approx(b_ref, rel=1e-4, abs=1e-6)


def test_a_fetched_view_of_a_kept_array_survives_later_runs(n):
    x = tf.placeholder(tf.float32, [None])
    y = tf.exp(x * 0.5) - 1.0
    views = [tf.reshape(y, [-1, 1]), tf.identity(y), y[1:]]
    with tf.Session() as sess:
        first = sess.run(views, {x: np.zeros(n, np.float32)})
        sess.run(views, {x: np.ones(n, np.float32)})
    for view in first:
        np.testing.assert_array_equal(view, 0.0)


def test_results_inside_nested_fetches_survive_later_runs(n):
    x = tf.placeholder(tf.float32, [None])
    y = x * 2.0 + 1.0
    with tf.Session() as sess:
        first = sess.run({"y": [y], "again": (y,)}, {x: np.zeros(n, np.float32)})
        sess.run({"y": [y], "again": (y,)}, {x: np.ones(n, np.float32)})
    np.testing.assert_array_equal(first["y"][0], 1.0)
    np.testing.assert_array_equal(first["again"][0], 1.0)


def test_a_gradient_that_is_a_run_made_array_survives_later_runs(n):
    """The seed grad_ys is returned as the gradient of y with respect to itself."""
    x = tf.placeholder(tf.float32, [None])
    y = x * 3.0
    (grad,) = tf.gradients(y, [y], grad_ys=[x * 2.0])
    with tf.Session() as sess:
        first = sess.run(grad, {x: np.ones(n, np.float32)})
        sess.run(grad, {x: np.full(n, 5.0, np.float32)})
    np.testing.assert_array_equal(first, 2.0)


def test_a_fetched_gradient_never_shares_a_variables_memory():
    """Optimizer updates change a variable's array in place; a gradient fetched earlier that
    was that very array must keep its value."""
    w = tf.Variable(np.ones(3, np.float32))
    (grad,) = tf.gradients(w.value(), [w.value()], grad_ys=[w.value()])
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        fetched = sess.run(grad)
        sess.run(train)
        np.testing.assert_array_equal(sess.run(w), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(fetched, [1.0, 1.0, 1.0])


def test_memory_reuse_does_not_depend_on_reference_counts(n):
    """An interpreter that counts references differently (here: one that always answers 3,
    as if nobody held an array) changes nothing: the planner never asks."""
    x = tf.placeholder(tf.float32, [None])
    y = tf.exp(x * 0.5) - 1.0
    with mock.patch("sys.getrefcount", return_value=3), tf.Session() as sess:
        first = sess.run(y, {x: np.zeros(n, np.float32)})
        second = sess.run(y, {x: np.ones(n, np.float32)})
    np.testing.assert_allclose(first, 0.0)
    np.testing.assert_allclose(second, np.exp(0.5) - 1, rtol=1e-6)


def test_threads_running_one_plan_never_share_a_kept_array():
    x = tf.placeholder(tf.float32, [None])
    y = tf.reduce_sum(tf.exp(x * 0.5) * 2.0)  # kept arrays inside, a scalar out
    n, runs = SIZES["large"], 40
    expected = {value: float(np.sum(np.exp(np.full(n, value, np.float32) * 0.5) * 2.0)) for value in (0.0, 1.0)}
    results = {value: [] for value in expected}
    with tf.Session() as sess:
        def work(value):
            data = np.full(n, value, np.float32)
            results[value].extend(sess.run(y, {x: data}) for _ in range(runs))
        threads = [threading.Thread(target=work, args=(value,)) for value in expected]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for value, got in results.items():
        assert got == pytest.approx([expected[value]] * runs, rel=1e-5)
