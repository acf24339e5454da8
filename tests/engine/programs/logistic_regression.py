"""Logistic regression on two Gaussian blobs, as the TF1 courses' first classifier: placeholders,
sigmoid of a matmul, sigmoid cross entropy on the logits, gradient descent in full batches, and
accuracy from rounding the probabilities."""

import engine as tf
import numpy as np

LEARNING_RATE, EPOCHS = 0.5, 40


def main():
    rng = np.random.RandomState(19)
    n = 40
    x_data = np.vstack([rng.randn(n, 2) + [2, 2], rng.randn(n, 2) - [1, 1]]).astype(np.float32)
    y_data = np.vstack([np.ones((n, 1)), np.zeros((n, 1))]).astype(np.float32)

    X = tf.placeholder(tf.float32, [None, 2], name="X")
    Y = tf.placeholder(tf.float32, [None, 1], name="Y")
    with tf.name_scope("model"):
        W = tf.Variable(tf.zeros([2, 1]), name="W")
        b = tf.Variable(tf.zeros([1]), name="b")
        logits = tf.matmul(X, W) + b
        probability = tf.sigmoid(logits)
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=logits))
        by_hand = -tf.reduce_mean(Y * tf.log(probability) + (1 - Y) * tf.log(1 - probability))
    train = tf.train.GradientDescentOptimizer(LEARNING_RATE).minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.round(probability), Y), tf.float32))

    out = {"loss": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(EPOCHS):
            _, epoch_loss = sess.run([train, loss], feed_dict={X: x_data, Y: y_data})
            out["loss"].append(epoch_loss)
        out["W"], out["b"], out["accuracy"], out["by_hand"] = sess.run(
            [W, b, accuracy, by_hand], feed_dict={X: x_data, Y: y_data})
        out["probability"] = sess.run(probability, {X: [[0.0, 0.0], [3.0, 3.0]]})
    return out
