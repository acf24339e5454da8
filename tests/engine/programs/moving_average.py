"""`tf.train.ExponentialMovingAverage` as TF1 training loops kept shadow weights: `apply` behind
the training op's control dependencies, `num_updates` making the decay min(decay,
(1 + n) / (10 + n)), `average` and `average_name`, and `variables_to_restore` for evaluation."""

import engine as tf
import numpy as np


def main():
    rng = np.random.RandomState(15)
    x_data = rng.randn(20, 2).astype(np.float32)
    y_data = (x_data @ [[2.0], [-1.0]] + 0.5).astype(np.float32)

    w = tf.Variable(np.zeros((2, 1), np.float32), name="w")
    b = tf.Variable(0.0, name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(x_data, w) + b - y_data))
    global_step = tf.Variable(0, trainable=False, name="global_step")
    opt_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)

    ema = tf.train.ExponentialMovingAverage(decay=0.9, num_updates=global_step)
    with tf.control_dependencies([opt_op]):
        training_op = ema.apply([w, b])
    plain = tf.train.ExponentialMovingAverage(0.5, name="plain")
    counter = tf.Variable(10.0, name="counter", trainable=False)
    bump = tf.assign_add(counter, 10.0)
    with tf.control_dependencies([bump]):
        plain_update = plain.apply([counter])

    out = {"w_avg": [], "b_avg": [], "counter_avg": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(6):
            sess.run([training_op, plain_update])
            w_avg, b_avg, c_avg = sess.run([ema.average(w), ema.average(b), plain.average(counter)])
            out["w_avg"].append(w_avg.ravel())
            out["b_avg"].append(b_avg)
            out["counter_avg"].append(c_avg)
        out["w"], out["b"] = sess.run([w, b])
    out["average_names"] = [ema.average_name(w), ema.average_name(b), plain.average_name(counter)]
    out["average_var_names"] = [ema.average(w).name, plain.average(counter).name]
    restore = ema.variables_to_restore()
    out["restore_keys"] = sorted(restore)
    out["restore_values"] = [restore[key].name for key in sorted(restore)]
    return out
