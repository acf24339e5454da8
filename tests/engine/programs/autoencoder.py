"""The TensorFlow-Examples autoencoder, shrunk: weight and bias dicts of Variables, a two-layer
sigmoid encoder and decoder, mean squared reconstruction error through `tf.pow`, RMSProp, and a
reconstruction of held-out rows at the end."""

import engine as tf
import numpy as np

NUM_INPUT, NUM_HIDDEN_1, NUM_HIDDEN_2 = 16, 8, 4
LEARNING_RATE, BATCH, STEPS = 0.01, 20, 30


def main():
    rng = np.random.RandomState(16)
    data = rng.rand(100, NUM_INPUT).astype(np.float32)

    X = tf.placeholder("float", [None, NUM_INPUT])
    weights = {
        "encoder_h1": tf.Variable(rng.randn(NUM_INPUT, NUM_HIDDEN_1).astype(np.float32) * 0.3),
        "encoder_h2": tf.Variable(rng.randn(NUM_HIDDEN_1, NUM_HIDDEN_2).astype(np.float32) * 0.3),
        "decoder_h1": tf.Variable(rng.randn(NUM_HIDDEN_2, NUM_HIDDEN_1).astype(np.float32) * 0.3),
        "decoder_h2": tf.Variable(rng.randn(NUM_HIDDEN_1, NUM_INPUT).astype(np.float32) * 0.3),
    }
    biases = {
        "encoder_b1": tf.Variable(tf.zeros([NUM_HIDDEN_1])),
        "encoder_b2": tf.Variable(tf.zeros([NUM_HIDDEN_2])),
        "decoder_b1": tf.Variable(tf.zeros([NUM_HIDDEN_1])),
        "decoder_b2": tf.Variable(tf.zeros([NUM_INPUT])),
    }

    def encoder(x):
        layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["encoder_h1"]), biases["encoder_b1"]))
        return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights["encoder_h2"]), biases["encoder_b2"]))

    def decoder(x):
        layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["decoder_h1"]), biases["decoder_b1"]))
        return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights["decoder_h2"]), biases["decoder_b2"]))

    encoder_op = encoder(X)
    y_pred = decoder(encoder_op)
    y_true = X
    loss = tf.reduce_mean(tf.pow(y_true - y_pred, 2))
    optimizer = tf.train.RMSPropOptimizer(LEARNING_RATE).minimize(loss)

    out = {"loss": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(STEPS):
            start = (i * BATCH) % 80
            _, l = sess.run([optimizer, loss], feed_dict={X: data[start:start + BATCH]})
            out["loss"].append(l)
        codes, reconstruction = sess.run([encoder_op, y_pred], feed_dict={X: data[80:84]})
        out["codes"] = codes
        out["reconstruction_sum"] = reconstruction.sum()
        out["weight_sums"] = [sess.run(weights[k]).sum() for k in sorted(weights)]
    return out
