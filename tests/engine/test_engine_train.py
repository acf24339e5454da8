"""Optimizers: each update matches its formula written out in numpy; the global step counts."""

import numpy as np
import pytest

import engine as tf

W0 = np.array([1.0, -2.0, 0.5], np.float32)
TARGET = np.array([0.5, 0.5, 0.5], np.float32)


def quadratic():
    """loss = sum((w - target)^2): gradient 2 (w - target)."""
    w = tf.Variable(W0, name="w")
    loss = tf.reduce_sum(tf.square(w - TARGET))
    return w, loss


def numpy_steps(update, steps):
    w, state = W0.astype(np.float64), {}
    for t in range(1, steps + 1):
        w = update(w, 2 * (w - TARGET), state, t)
    return w


def sgd(w, g, state, t):
    return w - 0.1 * g


def momentum(w, g, state, t, nesterov=False):
    accum = state["accum"] = 0.9 * state.get("accum", 0) + g
    return w - 0.1 * (g + 0.9 * accum) if nesterov else w - 0.1 * accum


def adam(w, g, state, t):
    m = state["m"] = 0.9 * state.get("m", 0) + 0.1 * g
    v = state["v"] = 0.999 * state.get("v", 0) + 0.001 * g * g
    lr = 0.05 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
    return w - lr * m / (np.sqrt(v) + 1e-8)


OPTIMIZERS = {
    "sgd": (lambda: tf.train.GradientDescentOptimizer(0.1), sgd),
    "momentum": (lambda: tf.train.MomentumOptimizer(0.1, 0.9), momentum),
    "nesterov": (lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
                 lambda *a: momentum(*a, nesterov=True)),
    "adam": (lambda: tf.train.AdamOptimizer(0.05), adam),
}


@pytest.mark.parametrize("make, reference", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_update_matches_the_formula(make, reference):
    w, loss = quadratic()
    step = tf.train.get_or_create_global_step()
    train = make().minimize(loss, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(20):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), numpy_steps(reference, 20), rtol=2e-5, atol=1e-6)
        assert sess.run(step) == 20


def test_an_adam_optimizer_serves_a_graph_built_again():
    """A notebook keeps its optimizer and rebuilds the graph: the new graph gets its own
    beta powers (TF1 keeps them per graph), and trains as a fresh optimizer would."""
    optimizer = tf.train.AdamOptimizer(0.05)
    for _ in range(2):
        tf.reset_default_graph()
        w, loss = quadratic()
        train = optimizer.minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(5):
                sess.run(train)
            np.testing.assert_allclose(sess.run(w), numpy_steps(adam, 5), rtol=2e-5, atol=1e-6)


def test_compute_and_apply_gradients():
    w, loss = quadratic()
    frozen = tf.Variable(3.0, name="frozen")
    optimizer = tf.train.GradientDescentOptimizer(0.1)
    grads_and_vars = optimizer.compute_gradients(loss + 0 * frozen, var_list=[w, frozen])
    assert [v for _, v in grads_and_vars] == [w, frozen]
    clipped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in grads_and_vars]
    train = optimizer.apply_gradients(clipped)
    assert train.name == "GradientDescent"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), W0 - 0.1 * np.clip(2 * (W0 - TARGET), -1, 1), rtol=1e-6)


def test_var_list_limits_what_is_trained():
    w, loss = quadratic()
    other = tf.Variable(1.0, name="other")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss + other * other, var_list=[other])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_array_equal(sess.run(w), W0)
        assert sess.run(other) == pytest.approx(0.8)


def test_unconnected_variables_get_no_gradient():
    w, loss = quadratic()
    unused = tf.Variable(1.0, name="unused")
    grads_and_vars = tf.train.GradientDescentOptimizer(0.1).compute_gradients(loss)
    assert [(g is None, v) for g, v in grads_and_vars] == [(False, w), (True, unused)]


def test_slot_and_graph_names():
    with tf.name_scope("model"):
        w, loss = quadratic()
    tf.train.AdamOptimizer().minimize(loss)
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"model/w/Adam", "model/w/Adam_1", "beta1_power", "beta2_power", "Adam",
            "Adam/update_model_w/ApplyAdam", "gradients/grad_ys_0"} <= names


def test_learning_rate_may_be_a_placeholder():
    w, loss = quadratic()
    lr = tf.placeholder(tf.float32, [], name="lr")
    train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {lr: 0.0})
        np.testing.assert_array_equal(sess.run(w), W0)
        sess.run(train, {lr: 0.1})
        np.testing.assert_allclose(sess.run(w), sgd(W0, 2 * (W0 - TARGET), {}, 1), rtol=1e-6)


def test_xor_mlp_learns():
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.placeholder(tf.float32, [None, 1])
    with tf.name_scope("hidden"):
        w1 = tf.Variable(tf.random_normal([2, 8], stddev=1.0), name="w")
        b1 = tf.Variable(tf.zeros([8]), name="b")
        h = tf.tanh(tf.matmul(x, w1) + b1)
    with tf.name_scope("output"):
        w2 = tf.Variable(tf.random_normal([8, 1], stddev=1.0), name="w")
        b2 = tf.Variable(tf.zeros([1]), name="b")
        logits = tf.matmul(h, w2) + b2
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    xs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
    ys = np.array([[0], [1], [1], [0]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(300):
            sess.run(train, {x: xs, y: ys})
        predictions = sess.run(tf.sigmoid(logits), {x: xs})
    np.testing.assert_array_equal(predictions > 0.5, ys > 0.5)
