"""A multilayer perceptron built with `tf.layers.dense`, as Hands-On ML (1st ed., ch. 10) builds
it: a "dnn" name scope, named hidden layers with relu, logits without activation, sparse softmax
cross entropy, momentum. The kernels start from numpy through `constant_initializer`; an
unnamed layer shows TF1's default layer names (`dense/kernel:0`)."""

import engine as tf
import numpy as np

N_INPUTS, N_HIDDEN1, N_HIDDEN2, N_OUTPUTS = 6, 10, 8, 3
LEARNING_RATE, STEPS = 0.05, 25


def main():
    rng = np.random.RandomState(2)
    X_train = rng.randn(50, N_INPUTS).astype(np.float32)
    y_train = (np.abs(X_train[:, 0] + X_train[:, 1]) * 1.5).astype(np.int32) % N_OUTPUTS

    def init(*shape):
        return tf.constant_initializer((rng.randn(*shape) / np.sqrt(shape[0])).astype(np.float32))

    X = tf.placeholder(tf.float32, shape=(None, N_INPUTS), name="X")
    y = tf.placeholder(tf.int32, shape=(None), name="y")

    with tf.name_scope("dnn"):
        hidden1 = tf.layers.dense(X, N_HIDDEN1, name="hidden1", activation=tf.nn.relu,
                                  kernel_initializer=init(N_INPUTS, N_HIDDEN1))
        hidden2 = tf.layers.dense(hidden1, N_HIDDEN2, name="hidden2", activation=tf.nn.relu,
                                  kernel_initializer=init(N_HIDDEN1, N_HIDDEN2),
                                  bias_initializer=tf.constant_initializer(0.01))
        logits = tf.layers.dense(hidden2, N_OUTPUTS, kernel_initializer=init(N_HIDDEN2, N_OUTPUTS))
        unused = tf.layers.dense(hidden2, 2, use_bias=False, kernel_initializer=tf.ones_initializer())

    with tf.name_scope("loss"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(xentropy, name="loss")

    with tf.name_scope("train"):
        optimizer = tf.train.MomentumOptimizer(LEARNING_RATE, momentum=0.9)
        training_op = optimizer.minimize(loss)

    with tf.name_scope("eval"):
        correct = tf.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

    losses = []
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        for _ in range(STEPS):
            sess.run(training_op, feed_dict={X: X_train, y: y_train})
            losses.append(loss.eval(feed_dict={X: X_train, y: y_train}))
        acc = accuracy.eval(feed_dict={X: X_train, y: y_train})
        values = sess.run(tf.trainable_variables())
    return {
        "loss": losses,
        "accuracy": acc,
        "trainable_names": [v.name for v in tf.trainable_variables()],
        "trainable_shapes": [v.get_shape().as_list() for v in tf.trainable_variables()],
        "trainable_abs_sums": [np.abs(value).sum() for value in values],
        "op_names": [hidden1.name, logits.name, unused.name, loss.name],
        "momentum_slots": [optimizer.get_slot(tf.trainable_variables()[0], "momentum").name],
    }
