"""Softmax regression with integer labels, as the MNIST-for-beginners tutorial reads once it moved
to `sparse_softmax_cross_entropy_with_logits`: zero-initialised W and b, gradient descent, and
accuracy from `argmax`, plus `in_top_k` and `log_softmax` on the trained logits."""

import engine as tf
import numpy as np

N_SAMPLES, N_FEATURES, N_CLASSES = 64, 8, 4
LEARNING_RATE, STEPS = 0.5, 30


def make_data():
    rng = np.random.RandomState(0)
    features = rng.randn(N_SAMPLES, N_FEATURES).astype(np.float32)
    labels = np.argmax(features @ rng.randn(N_FEATURES, N_CLASSES), axis=1).astype(np.int64)
    return features, labels


def main():
    features, labels = make_data()
    x = tf.placeholder(tf.float32, [None, N_FEATURES], name="x")
    y_ = tf.placeholder(tf.int64, [None], name="y_")
    W = tf.Variable(tf.zeros([N_FEATURES, N_CLASSES]), name="W")
    b = tf.Variable(tf.zeros([N_CLASSES]), name="b")
    logits = tf.matmul(x, W) + b

    cross_entropy = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_, logits=logits))
    train_step = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(cross_entropy)

    correct_prediction = tf.equal(tf.argmax(logits, 1), y_)
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    in_top_2 = tf.reduce_sum(tf.cast(tf.nn.in_top_k(logits, tf.cast(y_, tf.int32), 2), tf.int32))
    log_probs = tf.nn.log_softmax(logits)
    probs = tf.nn.softmax(logits, axis=1)

    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            _, loss = sess.run([train_step, cross_entropy], feed_dict={x: features, y_: labels})
            losses.append(loss)
        acc, top2, W_, b_, lp, p = sess.run([accuracy, in_top_2, W, b, log_probs, probs],
                                            feed_dict={x: features, y_: labels})
    return {
        "loss": losses,
        "accuracy": acc,
        "in_top_2": top2,
        "W_abs_sum": np.abs(W_).sum(),
        "b": b_,
        "log_softmax_row0": lp[0],
        "softmax_row0": p[0],
        "logits_shape": logits.get_shape().as_list(),
        "loss_dtype": cross_entropy.dtype.name,
    }
