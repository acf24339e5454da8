"""Second-order gradients: the gradient of a gradient, `tf.hessians` of a function of a vector and
of a logistic-regression loss in its weights, and Newton's method stepping with that Hessian.
Also `gradients` of a non-scalar ys with `grad_ys`, and `stop_gradients`."""

import engine as tf
import numpy as np


def main():
    rng = np.random.RandomState(7)
    x = tf.Variable(np.array([0.5, -1.0, 2.0], dtype=np.float32), name="x")
    f = tf.reduce_sum(x ** 3) + x[0] * x[1] + tf.sin(x[2]) * x[0]
    grad = tf.gradients(f, x)[0]
    second = tf.gradients(grad, x)[0]  # the row sums of the Hessian
    hessian = tf.hessians(f, x)[0]

    features = rng.randn(40, 3).astype(np.float32)
    labels = (features @ [1.0, -2.0, 0.5] + 0.3 * rng.randn(40) > 0).astype(np.float32)
    w = tf.Variable(np.zeros(3, np.float32), name="w")
    logits = tf.reduce_sum(features * w, axis=1)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)) \
        + 0.05 * tf.reduce_sum(tf.square(w))
    g_w = tf.gradients(loss, w)[0]
    h_w = tf.hessians(loss, w)[0]
    newton_step = tf.matmul(tf.matrix_inverse(h_w), tf.expand_dims(g_w, 1))[:, 0]
    newton = tf.assign_sub(w, newton_step)

    m = tf.Variable(np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32), name="m")
    y = tf.square(m)
    weighted = tf.gradients(y, m, grad_ys=tf.constant([[1.0, 0.0], [2.0, -1.0]]))[0]
    a = tf.constant(2.0)
    b = 3.0 * a
    z = a * b
    stopped = tf.gradients(z, [a, b], stop_gradients=[b])

    out = {}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out["f"], out["grad"], out["second"], out["hessian"] = sess.run([f, grad, second, hessian])
        out["newton_loss"] = []
        for _ in range(4):
            out["newton_loss"].append(sess.run(loss))
            sess.run(newton)
        out["w"], out["hessian_w"] = sess.run([w, h_w])
        out["weighted"] = sess.run(weighted)
        out["stopped"] = sess.run(stopped)
    out["hessian_shape"] = hessian.get_shape().as_list()
    return out
