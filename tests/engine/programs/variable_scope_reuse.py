"""Sharing variables the TF1 way (Hands-On ML, ch. 9; the "Sharing Variables" guide): a relu
whose threshold is one `get_variable` shared through `variable_scope(reuse=True)` by five name
scopes; a two-tower model whose towers share weights through `reuse_variables()` and
`AUTO_REUSE`; scope initializers; and the names all of that gives."""

import engine as tf
import numpy as np


def relu(X):
    with tf.variable_scope("relu", reuse=True):
        threshold = tf.get_variable("threshold")
        w_shape = (int(X.get_shape()[1]), 1)
        w = tf.get_variable("weights", w_shape)
        b = tf.get_variable("bias", ())
        z = tf.add(tf.matmul(X, w), b, name="z")
        return tf.maximum(z, threshold, name="max")


def tower(x, rng_weights):
    with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
        w = tf.get_variable("w", initializer=rng_weights)
        b = tf.get_variable("b", shape=[2], initializer=tf.constant_initializer(0.1))
        return tf.nn.tanh(tf.matmul(x, w) + b)


def main():
    rng = np.random.RandomState(8)
    n_features = 3
    X = tf.placeholder(tf.float32, shape=(None, n_features), name="X")
    with tf.variable_scope("relu"):
        tf.get_variable("threshold", shape=(), initializer=tf.constant_initializer(0.25))
        tf.get_variable("weights", initializer=rng.randn(n_features, 1).astype(np.float32))
        tf.get_variable("bias", shape=(), initializer=tf.constant_initializer(-0.1))
    relus = [relu(X) for _ in range(5)]
    output = tf.add_n(relus, name="output")

    tower_weights = rng.randn(4, 2).astype(np.float32)
    left = tf.placeholder(tf.float32, [None, 4], name="left")
    right = tf.placeholder(tf.float32, [None, 4], name="right")
    left_out = tower(left, tower_weights)
    right_out = tower(right, tower_weights)
    distance = tf.reduce_mean(tf.reduce_sum(tf.square(left_out - right_out), axis=1))

    with tf.variable_scope("head") as head_scope:
        head_w = tf.get_variable("w", [2, 1], initializer=tf.constant_initializer(0.5))
        first_head = tf.matmul(left_out, head_w)
    with tf.variable_scope(head_scope, reuse=True):
        same_head = tf.get_variable("w")
    with tf.variable_scope("head2") as scope:
        h2 = tf.get_variable("w", [2, 1], initializer=tf.ones_initializer())
        scope.reuse_variables()
        h2_again = tf.get_variable("w")
        reuse_flag = tf.get_variable_scope().reuse
    with tf.variable_scope("outer", initializer=tf.constant_initializer(2.0)):
        with tf.variable_scope("inner"):
            inherited = tf.get_variable("v", [2])
        with tf.name_scope("ns"):
            in_name_scope = tf.get_variable("u", [1])
            op_in_name_scope = tf.add(in_name_scope, 1.0)
    with tf.variable_scope("outer", reuse=True):
        outer_again = tf.get_variable("inner/v")
    with tf.variable_scope(None, default_name="block"):
        block0 = tf.get_variable("k", [1], initializer=tf.zeros_initializer())
    with tf.variable_scope(None, default_name="block"):
        block1 = tf.get_variable("k", [1], initializer=tf.zeros_initializer())

    loss = distance + tf.reduce_mean(tf.square(first_head - 1.0))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    left_data = rng.randn(10, 4).astype(np.float32)
    right_data = rng.randn(10, 4).astype(np.float32)

    out = {"loss": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["relu_output"] = sess.run(output, {X: rng.randn(4, n_features).astype(np.float32)})
        for _ in range(10):
            out["loss"].append(sess.run(loss, {left: left_data, right: right_data}))
            sess.run(train, {left: left_data, right: right_data})
        out["tower_w"] = sess.run(tf.trainable_variables("tower")[0])
        out["inherited"] = sess.run(inherited)
    out["global_names"] = [v.name for v in tf.global_variables()]
    out["tower_names"] = [v.name for v in tf.trainable_variables(scope="tower")]
    out["relu_op_names"] = [r.name for r in relus]
    out["same_objects"] = [same_head is head_w, h2_again is h2, outer_again is inherited]
    out["reuse_flag"] = reuse_flag
    out["more_names"] = [head_scope.name, block0.name, block1.name, in_name_scope.name,
                         op_in_name_scope.name, right_out.name]
    return out
