"""Control flow with gradients through it. cs20si's Huber loss written with `tf.cond` and trained
one sample at a time; `tf.case`; `tf.while_loop` for a power (its gradient is n * w**(n-1)), a
Collatz count with `maximum_iterations`, and a growing tensor under `shape_invariants`."""

import engine as tf
import numpy as np

DELTA = 1.0


def huber_loss(labels, predictions, delta=DELTA):
    residual = tf.abs(labels - predictions)

    def f1():
        return 0.5 * tf.square(residual)

    def f2():
        return delta * residual - 0.5 * tf.square(delta)

    return tf.cond(residual < delta, f1, f2)


def main():
    rng = np.random.RandomState(6)
    xs = rng.rand(20).astype(np.float32) * 4
    ys = (1.5 * xs + 0.5 + rng.randn(20).astype(np.float32) * [3.0 if i % 5 == 0 else 0.2 for i in range(20)]).astype(np.float32)

    X = tf.placeholder(tf.float32, name="X")
    Y = tf.placeholder(tf.float32, name="Y")
    w = tf.Variable(0.0, name="weights")
    b = tf.Variable(0.0, name="bias")
    loss = huber_loss(Y, X * w + b)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.05).minimize(loss)

    t = tf.placeholder(tf.float32, shape=[], name="t")
    branchy = tf.case([(t < -1.0, lambda: -t), (t < 1.0, lambda: t * t)], default=lambda: 2.0 * t - 1.0)
    d_branchy = tf.gradients(branchy, t)[0]

    base = tf.Variable(1.5, name="base")
    n = tf.constant(5)
    _, power = tf.while_loop(lambda i, acc: i < n, lambda i, acc: (i + 1, acc * base),
                             [tf.constant(0), tf.constant(1.0)])
    d_power = tf.gradients(power, base)[0]

    def collatz_body(value, steps):
        value = tf.cond(tf.equal(value % 2, 0), lambda: value // 2, lambda: 3 * value + 1)
        return [value, steps + 1]

    _, collatz_steps = tf.while_loop(lambda value, steps: value > 1, collatz_body,
                                     [tf.constant(27), tf.constant(0)])
    _, capped_steps = tf.while_loop(lambda value, steps: value > 1, collatz_body,
                                    [tf.constant(27), tf.constant(0)], maximum_iterations=10)

    i0 = tf.constant(0)
    squares0 = tf.zeros([0])
    _, squares = tf.while_loop(
        lambda i, s: i < 6,
        lambda i, s: (i + 1, tf.concat([s, [tf.cast(i * i, tf.float32)]], axis=0)),
        [i0, squares0], shape_invariants=[i0.get_shape(), tf.TensorShape([None])])

    out = {"huber_epoch_loss": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            total = 0.0
            for x, y in zip(xs, ys):
                _, sample_loss = sess.run([optimizer, loss], feed_dict={X: x, Y: y})
                total += sample_loss
            out["huber_epoch_loss"].append(total / len(xs))
        out["w"], out["b"] = sess.run([w, b])
        points = [-2.0, -0.5, 0.5, 3.0]
        out["case"] = [sess.run(branchy, {t: p}) for p in points]
        out["d_case"] = [sess.run(d_branchy, {t: p}) for p in points]
        out["power"], out["d_power"] = sess.run([power, d_power])
        out["collatz_27"], out["collatz_capped"] = sess.run([collatz_steps, capped_steps])
        out["squares"] = sess.run(squares)
    out["squares_static_shape"] = squares.get_shape().as_list()
    return out
