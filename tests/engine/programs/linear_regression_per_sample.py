"""cs20si's first model (lecture 3): linear regression fed one (x, y) pair at a time through
scalar placeholders, squared error, gradient descent, the epoch's mean loss printed, and the
fitted weight and bias read back at the end."""

import engine as tf
import numpy as np

EPOCHS = 8


def main():
    rng = np.random.RandomState(20)
    data = [(float(x), float(2.5 * x - 1.0 + 0.3 * rng.randn())) for x in rng.rand(25) * 2]

    X = tf.placeholder(tf.float32, name="X")
    Y = tf.placeholder(tf.float32, name="Y")
    w = tf.Variable(0.0, name="weights")
    b = tf.Variable(0.0, name="bias")
    Y_predicted = X * w + b
    loss = tf.square(Y - Y_predicted, name="loss")
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.05).minimize(loss)

    out = {"epoch_loss": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(EPOCHS):
            total_loss = 0
            for x, y in data:
                _, l = sess.run([optimizer, loss], feed_dict={X: x, Y: y})
                total_loss += l
            out["epoch_loss"].append(total_loss / len(data))
        out["w"], out["b"] = sess.run([w, b])
    out["loss_rank"] = loss.get_shape().ndims
    return out
