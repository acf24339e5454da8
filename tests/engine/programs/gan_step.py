"""A tiny GAN as TensorFlow-Examples' gan.py writes one: weight dicts, a generator and a
discriminator MLP, the discriminator applied to real and fake samples with shared Variables,
the log-loss objectives, and two Adam optimizers each restricted to its own `var_list`,
stepped alternately on fixed noise."""

import engine as tf
import numpy as np

NOISE_DIM, IMAGE_DIM, HIDDEN = 3, 4, 6
BATCH, STEPS, LEARNING_RATE = 8, 10, 0.01


def init(rng, shape):
    return (rng.randn(*shape) * np.sqrt(2.0 / shape[0])).astype(np.float32)


def main():
    rng = np.random.RandomState(17)
    weights = {
        "gen_hidden1": tf.Variable(init(rng, [NOISE_DIM, HIDDEN])),
        "gen_out": tf.Variable(init(rng, [HIDDEN, IMAGE_DIM])),
        "disc_hidden1": tf.Variable(init(rng, [IMAGE_DIM, HIDDEN])),
        "disc_out": tf.Variable(init(rng, [HIDDEN, 1])),
    }
    biases = {
        "gen_hidden1": tf.Variable(tf.zeros([HIDDEN])),
        "gen_out": tf.Variable(tf.zeros([IMAGE_DIM])),
        "disc_hidden1": tf.Variable(tf.zeros([HIDDEN])),
        "disc_out": tf.Variable(tf.zeros([1])),
    }

    def generator(x):
        hidden_layer = tf.nn.relu(tf.add(tf.matmul(x, weights["gen_hidden1"]), biases["gen_hidden1"]))
        return tf.nn.sigmoid(tf.add(tf.matmul(hidden_layer, weights["gen_out"]), biases["gen_out"]))

    def discriminator(x):
        hidden_layer = tf.nn.relu(tf.add(tf.matmul(x, weights["disc_hidden1"]), biases["disc_hidden1"]))
        return tf.nn.sigmoid(tf.add(tf.matmul(hidden_layer, weights["disc_out"]), biases["disc_out"]))

    gen_input = tf.placeholder(tf.float32, shape=[None, NOISE_DIM], name="input_noise")
    disc_input = tf.placeholder(tf.float32, shape=[None, IMAGE_DIM], name="disc_input")
    gen_sample = generator(gen_input)
    disc_real = discriminator(disc_input)
    disc_fake = discriminator(gen_sample)

    gen_loss = -tf.reduce_mean(tf.log(disc_fake))
    disc_loss = -tf.reduce_mean(tf.log(disc_real) + tf.log(1. - disc_fake))
    gen_vars = [weights["gen_hidden1"], weights["gen_out"], biases["gen_hidden1"], biases["gen_out"]]
    disc_vars = [weights["disc_hidden1"], weights["disc_out"], biases["disc_hidden1"], biases["disc_out"]]
    train_gen = tf.train.AdamOptimizer(learning_rate=LEARNING_RATE).minimize(gen_loss, var_list=gen_vars)
    train_disc = tf.train.AdamOptimizer(learning_rate=LEARNING_RATE).minimize(disc_loss, var_list=disc_vars)

    real = (rng.rand(BATCH, IMAGE_DIM) * 0.5 + 0.25).astype(np.float32)
    noise = rng.uniform(-1., 1., size=[BATCH, NOISE_DIM]).astype(np.float32)
    out = {"gen_loss": [], "disc_loss": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            feed_dict = {disc_input: real, gen_input: noise}
            _, dl = sess.run([train_disc, disc_loss], feed_dict=feed_dict)
            _, gl = sess.run([train_gen, gen_loss], feed_dict=feed_dict)
            out["disc_loss"].append(dl)
            out["gen_loss"].append(gl)
        out["sample"] = sess.run(gen_sample, feed_dict={gen_input: noise[:2]})
        out["gen_weight_sums"] = [v.sum() for v in sess.run(gen_vars)]
        out["disc_weight_sums"] = [v.sum() for v in sess.run(disc_vars)]
    out["n_global_variables"] = len(tf.global_variables())
    return out
