"""The seed article's programs, end to end through the public API."""

import numpy as np
import pytest

import engine as tf


def test_five_times_three_plus_five_plus_three():
    a = tf.constant(5, name="input_a")
    b = tf.constant(3, name="input_b")
    c = a * b
    d = a + b
    e = tf.add(c, d)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert names == ["input_a", "input_b", "mul", "add", "Add_1"]  # tf.add is Add; names ignore case
    assert e.name == "Add_1:0" and e.dtype == tf.int32
    with tf.Session() as sess:
        assert sess.run(e) == 23
        assert sess.run([c, d, e]) == [15, 8, 23]


def running_totals_graph():
    graph = tf.Graph()
    with graph.as_default():
        with tf.name_scope("variables"):
            global_step = tf.Variable(0, dtype=tf.int32, trainable=False, name="global_step")
            total_output = tf.Variable(0.0, dtype=tf.float32, trainable=False, name="total_output")
        with tf.name_scope("transformation"):
            with tf.name_scope("input"):
                a = tf.placeholder(tf.float32, shape=[None], name="input_placeholder_a")
            with tf.name_scope("intermediate_layer"):
                b = tf.reduce_prod(a, name="product_b")
                c = tf.reduce_sum(a, name="sum_c")
            with tf.name_scope("output"):
                output = tf.add(b, c, name="output")
        with tf.name_scope("update"):
            update_total = total_output.assign_add(output)
            increment_step = global_step.assign_add(1)
        with tf.name_scope("summaries"):
            avg = tf.divide(update_total, tf.cast(increment_step, tf.float32), name="average")
            tf.summary.scalar("output_summary", output)
            tf.summary.scalar("total_summary", update_total)
            tf.summary.scalar("average_summary", avg)
        with tf.name_scope("global_ops"):
            init = tf.global_variables_initializer()
            merged = tf.summary.merge_all()
    return graph, dict(a=a, output=output, step=increment_step, total=update_total, avg=avg,
                       init=init, merged=merged)


@pytest.mark.parametrize("inputs", [[[5, 3]], [[2, 8], [3, 1, 3, 3], [8], [1, 2, 3, 4, 5]]])
def test_running_totals(inputs):
    graph, m = running_totals_graph()
    with tf.Session(graph=graph) as sess:
        sess.run(m["init"])
        total = 0.0
        for runs, vector in enumerate(inputs, start=1):
            out, step, tot, avg, summary = sess.run(
                [m["output"], m["step"], m["total"], m["avg"], m["merged"]], {m["a"]: vector})
            expected = np.prod(vector) + np.sum(vector)
            total += expected
            assert out == pytest.approx(expected)
            assert step == runs and tot == pytest.approx(total) and avg == pytest.approx(total / runs)
            assert list(summary) == [("summaries/output_summary", pytest.approx(expected)),
                                     ("summaries/total_summary", pytest.approx(total)),
                                     ("summaries/average_summary", pytest.approx(total / runs))]


def test_running_totals_graph_is_scoped():
    graph, _ = running_totals_graph()
    names = {node["name"] for node in graph.as_graph_def()["nodes"]}
    assert {"transformation/intermediate_layer/product_b", "transformation/intermediate_layer/sum_c",
            "transformation/output/output", "variables/total_output", "summaries/average",
            "global_ops/init"} <= names
    assert {n.split("/")[0] for n in names} == {"variables", "transformation", "update", "summaries", "global_ops"}


def noisy_line(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n).astype(np.float32)
    y = (1.7 * x + 0.9 + rng.normal(0, 0.5, n)).astype(np.float32)
    return x, y


def test_linear_regression_matches_least_squares():
    x_data, y_data = noisy_line(100, seed=1)
    with tf.name_scope("inputs"):
        X = tf.placeholder(tf.float32, shape=[None], name="X")
        Y = tf.placeholder(tf.float32, shape=[None], name="Y")
    with tf.name_scope("model"):
        w = tf.Variable(0.0, name="w")
        b = tf.Variable(0.0, name="b")
        prediction = w * X + b
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(prediction - Y))
    train = tf.train.GradientDescentOptimizer(0.02).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3000):
            sess.run(train, {X: x_data, Y: y_data})
        w_fit, b_fit, final = sess.run([w, b, loss], {X: x_data, Y: y_data})
    slope, intercept = np.polyfit(x_data.astype(np.float64), y_data.astype(np.float64), 1)
    assert w_fit == pytest.approx(slope, abs=1e-3)
    assert b_fit == pytest.approx(intercept, abs=1e-3)
    r2 = 1 - final / np.var(y_data)
    assert 0.9 < r2 <= 1
    assert isinstance(w_fit, np.float32)


def test_softmax_regression_tutorial_in_tf1_style():
    """The old MNIST-softmax tutorial's idioms on a small separable problem: `reduction_indices`,
    a Variable from `random_normal`, dict fetches, feeds by name, Adam over a `var_list`, the
    global step, and `summary.merge` of a list."""
    rng = np.random.default_rng(3)
    features = rng.standard_normal((120, 6)).astype(np.float32)
    labels = np.eye(3, dtype=np.float32)[np.argmax(features @ rng.standard_normal((6, 3)), axis=1)]

    x = tf.placeholder(tf.float32, [None, 6], name="X")
    y_ = tf.placeholder("float", [None, 3], name="Y")
    W = tf.Variable(tf.random_normal([6, 3], stddev=0.1, seed=1), name="W")
    b = tf.Variable(tf.zeros([3]), name="b")
    frozen = tf.Variable(tf.ones([3]), name="frozen")
    logits = tf.matmul(x, W) + b + 0.0 * frozen
    y = tf.nn.softmax(logits)
    by_hand = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
    global_step = tf.Variable(0, name="global_step", trainable=False)
    train = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=global_step, var_list=[W, b])
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1)), tf.float32))
    merged = tf.summary.merge([tf.summary.scalar("loss", loss), tf.summary.scalar("accuracy", accuracy)])

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: features, y_: labels})
        for _ in range(150):
            out = sess.run({"train": train, "loss": loss, "by_hand": by_hand, "summary": merged},
                           feed_dict={"X:0": features, "Y:0": labels})
        assert out["train"] is None
        assert out["by_hand"] == pytest.approx(out["loss"], rel=1e-4)
        assert out["loss"] < first / 5
        assert [tag for tag, _ in out["summary"]] == ["loss", "accuracy"]
        assert sess.run(accuracy, {"X": features, "Y": labels}) >= 0.95
        assert tf.train.global_step(sess, global_step) == 150
        np.testing.assert_array_equal(sess.run(frozen), np.ones(3))  # not in var_list
