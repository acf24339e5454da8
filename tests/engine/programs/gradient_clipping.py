"""Gradient clipping the three ways TF1 code did it: `compute_gradients` / `apply_gradients` around
`clip_by_global_norm` (the RNN tutorials), `clip_by_value` per gradient (Hands-On ML, ch. 11),
and `clip_by_norm`. A badly scaled regression makes the clipping bite."""

import engine as tf
import numpy as np

STEPS = 12


def regression(rng, name):
    with tf.name_scope(name):
        x = tf.constant((rng.randn(40, 3) * [1.0, 10.0, 0.1]).astype(np.float32))
        y = tf.constant(rng.randn(40, 1).astype(np.float32) * 5)
        w = tf.Variable(rng.randn(3, 1).astype(np.float32), name="w")
        b = tf.Variable(0.0, name="b")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    return loss


def main():
    rng = np.random.RandomState(3)

    loss_a = regression(rng, "global_norm")
    optimizer = tf.train.GradientDescentOptimizer(0.05)
    gradients, variables = zip(*optimizer.compute_gradients(loss_a, var_list=tf.trainable_variables("global_norm")))
    clipped, norm_before = tf.clip_by_global_norm(gradients, 5.0)
    norm_after = tf.global_norm(clipped)
    train_a = optimizer.apply_gradients(zip(clipped, variables))

    loss_b = regression(rng, "by_value")
    optimizer_b = tf.train.GradientDescentOptimizer(0.01)
    grads_and_vars = optimizer_b.compute_gradients(loss_b, var_list=tf.trainable_variables("by_value"))
    capped = [(tf.clip_by_value(grad, -1.0, 1.0), var) for grad, var in grads_and_vars]
    train_b = optimizer_b.apply_gradients(capped)

    loss_c = regression(rng, "by_norm")
    optimizer_c = tf.train.GradientDescentOptimizer(0.05)
    grads_and_vars_c = optimizer_c.compute_gradients(loss_c, var_list=tf.trainable_variables("by_norm"))
    train_c = optimizer_c.apply_gradients([(tf.clip_by_norm(g, 2.0), v) for g, v in grads_and_vars_c])
    norm_c = tf.norm(grads_and_vars_c[0][0])

    out = {name: [] for name in ["loss_global", "norm_before", "norm_after", "loss_value",
                                 "loss_norm", "raw_norm_c"]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            _, _, _, la, nb, na, lb, lc, nc = sess.run(
                [train_a, train_b, train_c, loss_a, norm_before, norm_after, loss_b, loss_c, norm_c])
            for key, value in zip(out, [la, nb, na, lb, lc, nc]):
                out[key].append(value)
        out["final_weights"] = [w.ravel() for w in sess.run(tf.trainable_variables()) if np.ndim(w)]
    out["final_weights"] = np.concatenate(out["final_weights"])
    return out
