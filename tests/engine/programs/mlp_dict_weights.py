"""TensorFlow-Examples' multilayer_perceptron.py, shrunk: `weights` and `biases` dicts of Variables,
two relu hidden layers, `softmax_cross_entropy_with_logits` against one-hot labels (the v1 op),
Adam in mini-batches, and accuracy from argmax."""

import engine as tf
import numpy as np

N_HIDDEN_1, N_HIDDEN_2, NUM_INPUT, NUM_CLASSES = 8, 8, 5, 3
LEARNING_RATE, BATCH_SIZE, EPOCHS = 0.01, 10, 6


def main():
    rng = np.random.RandomState(21)
    x_data = rng.randn(60, NUM_INPUT).astype(np.float32)
    y_data = np.eye(NUM_CLASSES, dtype=np.float32)[(x_data[:, 0] > 0).astype(int) + (x_data[:, 1] > 0.5)]

    X = tf.placeholder("float", [None, NUM_INPUT])
    Y = tf.placeholder("float", [None, NUM_CLASSES])
    weights = {
        "h1": tf.Variable(rng.randn(NUM_INPUT, N_HIDDEN_1).astype(np.float32) * 0.5),
        "h2": tf.Variable(rng.randn(N_HIDDEN_1, N_HIDDEN_2).astype(np.float32) * 0.5),
        "out": tf.Variable(rng.randn(N_HIDDEN_2, NUM_CLASSES).astype(np.float32) * 0.5),
    }
    biases = {
        "b1": tf.Variable(np.zeros(N_HIDDEN_1, np.float32)),
        "b2": tf.Variable(np.zeros(N_HIDDEN_2, np.float32)),
        "out": tf.Variable(np.zeros(NUM_CLASSES, np.float32)),
    }

    def neural_net(x):
        layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights["h1"]), biases["b1"]))
        layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights["h2"]), biases["b2"]))
        return tf.matmul(layer_2, weights["out"]) + biases["out"]

    logits = neural_net(X)
    prediction = tf.nn.softmax(logits)
    loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    train_op = tf.train.AdamOptimizer(learning_rate=LEARNING_RATE).minimize(loss_op)
    correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))

    out = {"batch_loss": [], "epoch_accuracy": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(EPOCHS):
            for start in range(0, len(x_data), BATCH_SIZE):
                batch_x, batch_y = x_data[start:start + BATCH_SIZE], y_data[start:start + BATCH_SIZE]
                _, loss = sess.run([train_op, loss_op], feed_dict={X: batch_x, Y: batch_y})
                out["batch_loss"].append(loss)
            out["epoch_accuracy"].append(sess.run(accuracy, feed_dict={X: x_data, Y: y_data}))
        out["weight_sums"] = [sess.run(weights[k]).sum() for k in sorted(weights)]
        out["prediction_row0"] = sess.run(prediction, {X: x_data[:1]})[0]
    return out
