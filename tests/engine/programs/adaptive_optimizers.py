"""RMSProp (plain, with momentum, centered), Adagrad and Adadelta side by side on one least-squares
problem, as optimizer-comparison notebooks of the TF1 era ran them: each its own weights, each
`minimize` over its own `var_list`; then the slots each keeps."""

import engine as tf
import numpy as np

STEPS = 15

OPTIMIZERS = {
    "rmsprop": lambda: tf.train.RMSPropOptimizer(0.01),
    "rmsprop_momentum": lambda: tf.train.RMSPropOptimizer(0.01, momentum=0.9),
    "rmsprop_centered": lambda: tf.train.RMSPropOptimizer(0.01, centered=True),
    "rmsprop_all": lambda: tf.train.RMSPropOptimizer(0.02, decay=0.8, momentum=0.5, epsilon=1e-6,
                                                      centered=True),
    "adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "adagrad_init": lambda: tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.5),
    "adadelta": lambda: tf.train.AdadeltaOptimizer(1.0),
    "adadelta_rho": lambda: tf.train.AdadeltaOptimizer(0.5, rho=0.9, epsilon=1e-6),
}


def main():
    rng = np.random.RandomState(5)
    x = tf.constant(rng.randn(32, 4).astype(np.float32))
    y = tf.constant(rng.randn(32, 1).astype(np.float32))
    w0 = (0.5 * rng.randn(4, 1)).astype(np.float32)

    losses, train_ops, optimizers, weights = {}, {}, {}, {}
    for name, make in OPTIMIZERS.items():
        with tf.variable_scope(name):
            w = tf.get_variable("w", initializer=w0)
            b = tf.get_variable("b", shape=[1], initializer=tf.zeros_initializer())
            losses[name] = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        optimizers[name] = make()
        train_ops[name] = optimizers[name].minimize(losses[name], var_list=[w, b])
        weights[name] = w

    out = {f"loss_{name}": [] for name in OPTIMIZERS}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            step_losses = sess.run(losses)
            sess.run(list(train_ops.values()))
            for name, value in step_losses.items():
                out[f"loss_{name}"].append(value)
        for name, optimizer in optimizers.items():
            w = weights[name]
            out[f"w_{name}"] = sess.run(w).ravel()
            slot_names = sorted(optimizer.get_slot_names())
            out[f"slots_{name}"] = slot_names
            out[f"slot_sums_{name}"] = [sess.run(optimizer.get_slot(w, s)).sum() for s in slot_names]
    return out
