"""Batch normalization as Hands-On ML (1st ed., ch. 11) wires it: a `training` flag from
`placeholder_with_default`, `tf.layers.batch_normalization(training=, momentum=)`, ELU, and the
moving-average updates from `GraphKeys.UPDATE_OPS` run through `control_dependencies` around the
training op. Then the same normalisation by hand with `tf.nn.moments` / `batch_normalization`."""

import engine as tf
import numpy as np

N_INPUTS, N_HIDDEN, N_OUTPUTS = 5, 6, 3
STEPS = 6


def main():
    rng = np.random.RandomState(9)
    X_train = (rng.randn(32, N_INPUTS) * 2 + 1).astype(np.float32)
    y_train = rng.randint(0, N_OUTPUTS, size=32).astype(np.int32)
    w1 = rng.randn(N_INPUTS, N_HIDDEN).astype(np.float32) * 0.5
    w2 = rng.randn(N_HIDDEN, N_OUTPUTS).astype(np.float32) * 0.5

    training = tf.placeholder_with_default(False, shape=(), name="training")
    X = tf.placeholder(tf.float32, shape=(None, N_INPUTS), name="X")
    y = tf.placeholder(tf.int32, shape=(None), name="y")

    hidden1 = tf.layers.dense(X, N_HIDDEN, name="hidden1", kernel_initializer=tf.constant_initializer(w1))
    bn1 = tf.layers.batch_normalization(hidden1, training=training, momentum=0.9)
    bn1_act = tf.nn.elu(bn1)
    logits_before_bn = tf.layers.dense(bn1_act, N_OUTPUTS, name="outputs",
                                       kernel_initializer=tf.constant_initializer(w2))
    logits = tf.layers.batch_normalization(logits_before_bn, training=training, momentum=0.8,
                                           epsilon=1e-2)

    xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
    loss = tf.reduce_mean(xentropy, name="loss")
    extra_update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(extra_update_ops):
        training_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

    mean, variance = tf.nn.moments(hidden1, axes=[0])
    by_hand = tf.nn.batch_normalization(hidden1, mean, variance, offset=0.5, scale=2.0,
                                        variance_epsilon=1e-3)

    out = {"train_loss": [], "moving_mean_sum": []}
    moving_mean = [v for v in tf.global_variables() if v.name == "batch_normalization/moving_mean:0"][0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["inference_loss_before"] = sess.run(loss, {X: X_train, y: y_train})
        for _ in range(STEPS):
            _, step_loss = sess.run([training_op, loss], {training: True, X: X_train, y: y_train})
            out["train_loss"].append(step_loss)
            out["moving_mean_sum"].append(sess.run(moving_mean).sum())
        out["inference_loss_after"] = sess.run(loss, {X: X_train, y: y_train})
        out["moving_values"] = [sess.run(v).sum() for v in tf.global_variables()
                                if "moving" in v.name]
        normalised, out["mean"], out["variance"] = sess.run([by_hand, mean, variance], {X: X_train})
        out["by_hand_sum"], out["by_hand_row0"] = normalised.sum(), normalised[0]
    out["global_names"] = [v.name for v in tf.global_variables()]
    out["trainable_names"] = [v.name for v in tf.trainable_variables()]
    out["update_ops"] = len(extra_update_ops)
    return out
