"""Learning-rate schedules on the global step: `exponential_decay` with staircase driving a
gradient-descent fit (the optimizer takes the schedule tensor as its learning rate and
`minimize(global_step=...)` advances it), and the other TF1 schedules read at each step."""

import engine as tf
import numpy as np

STEPS = 10


def main():
    rng = np.random.RandomState(4)
    x_data = rng.rand(30, 1).astype(np.float32)
    y_data = 3 * x_data + 2 + 0.1 * rng.randn(30, 1).astype(np.float32)

    global_step = tf.Variable(0, trainable=False, name="global_step")
    learning_rate = tf.train.exponential_decay(0.5, global_step, decay_steps=3, decay_rate=0.5,
                                               staircase=True)
    smooth = tf.train.exponential_decay(0.5, global_step, 3, 0.5)
    piecewise = tf.train.piecewise_constant(global_step, boundaries=[3, 6], values=[0.1, 0.05, 0.01])
    polynomial = tf.train.polynomial_decay(0.1, global_step, decay_steps=8, end_learning_rate=0.01,
                                           power=2.0)
    inverse_time = tf.train.inverse_time_decay(0.1, global_step, decay_steps=2, decay_rate=0.5)
    natural_exp = tf.train.natural_exp_decay(0.1, global_step, decay_steps=2, decay_rate=0.5,
                                             staircase=True)
    cosine = tf.train.cosine_decay(0.1, global_step, decay_steps=8, alpha=0.1)

    X = tf.placeholder(tf.float32, [None, 1])
    Y = tf.placeholder(tf.float32, [None, 1])
    w = tf.Variable(tf.zeros([1, 1]), name="w")
    b = tf.Variable(tf.zeros([1]), name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(X, w) + b - Y))
    train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(loss, global_step=global_step)

    schedules = {"lr": learning_rate, "smooth": smooth, "piecewise": piecewise,
                 "polynomial": polynomial, "inverse_time": inverse_time,
                 "natural_exp": natural_exp, "cosine": cosine}
    out = {name: [] for name in schedules}
    out["loss"], out["step"] = [], []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            for name, value in sess.run(schedules).items():
                out[name].append(value)
            _, step_loss = sess.run([train_op, loss], {X: x_data, Y: y_data})
            out["loss"].append(step_loss)
            out["step"].append(sess.run(global_step))
        out["w"], out["b"] = sess.run([w, b])
    out["lr_dtype"] = learning_rate.dtype.name
    return out
