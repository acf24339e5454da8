"""A tiny DCGAN in the way TensorFlow-Examples' dcgan.py builds one: a generator of
`tf.layers.dense` then two `tf.layers.conv2d_transpose` upsamplings of a batch whose size is
unknown until it runs, a convolutional discriminator applied to real and fake images under one
`variable_scope` with `reuse`, int32 labels fed as float whole numbers (`np.ones` / `np.zeros`),
sparse softmax cross entropies, and two Adam optimizers on the scopes' variables. Around it,
habits of other public programs: a `tf.assert_equal` guard under `control_dependencies`, a
`ConfigProto` for the Session, and a Saver writing into a directory that does not exist yet."""

import os
import tempfile

import engine as tf
import numpy as np

NOISE, BATCH, STEPS, LEARNING_RATE = 5, 4, 6, 0.002


def kernel(rng, shape, fan_in):
    return tf.constant_initializer((rng.randn(*shape) / np.sqrt(fan_in)).astype(np.float32))


def main():
    rng = np.random.RandomState(23)
    gen_kernels = [kernel(rng, [NOISE, 3 * 3 * 8], NOISE), kernel(rng, [4, 4, 4, 8], 8 * 4),
                   kernel(rng, [2, 2, 1, 4], 4 * 2)]
    disc_kernels = [kernel(rng, [3, 3, 1, 4], 9), kernel(rng, [7 * 7 * 4, 8], 7 * 7 * 4), kernel(rng, [8, 2], 8)]

    def generator(x, reuse=False):
        with tf.variable_scope("Generator", reuse=reuse):
            x = tf.layers.dense(x, units=3 * 3 * 8, kernel_initializer=gen_kernels[0])
            x = tf.nn.tanh(x)
            x = tf.reshape(x, shape=[-1, 3, 3, 8])
            x = tf.layers.conv2d_transpose(x, 4, 4, strides=2, kernel_initializer=gen_kernels[1])
            x = tf.layers.conv2d_transpose(x, 1, 2, strides=2, kernel_initializer=gen_kernels[2])
            return tf.nn.sigmoid(x)

    def discriminator(x, reuse=False):
        with tf.variable_scope("Discriminator", reuse=reuse):
            x = tf.layers.conv2d(x, 4, 3, kernel_initializer=disc_kernels[0])
            x = tf.nn.tanh(x)
            x = tf.layers.average_pooling2d(x, 2, 2)
            x = tf.layers.flatten(x)
            x = tf.nn.tanh(tf.layers.dense(x, 8, kernel_initializer=disc_kernels[1]))
            return tf.layers.dense(x, 2, kernel_initializer=disc_kernels[2])

    noise_input = tf.placeholder(tf.float32, shape=[None, NOISE])
    real_image_input = tf.placeholder(tf.float32, shape=[None, 16, 16, 1])
    gen_sample = generator(noise_input)
    disc_real = discriminator(real_image_input)
    disc_fake = discriminator(gen_sample, reuse=True)
    disc_concat = tf.concat([disc_real, disc_fake], axis=0)
    stacked_gan = discriminator(gen_sample, reuse=True)

    disc_target = tf.placeholder(tf.int32, shape=[None])
    gen_target = tf.placeholder(tf.int32, shape=[None])
    same_batch = tf.assert_equal(tf.shape(gen_sample)[0], tf.shape(noise_input)[0], message="one image per noise")
    with tf.control_dependencies([same_batch]):
        disc_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            logits=disc_concat, labels=disc_target))
    gen_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        logits=stacked_gan, labels=gen_target))

    gen_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="Generator")
    disc_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="Discriminator")
    train_gen = tf.train.AdamOptimizer(learning_rate=LEARNING_RATE).minimize(gen_loss, var_list=gen_vars)
    train_disc = tf.train.AdamOptimizer(learning_rate=LEARNING_RATE).minimize(disc_loss, var_list=disc_vars)
    saver = tf.train.Saver(gen_vars)

    images = (rng.rand(BATCH, 16, 16, 1) * 0.8 + 0.1).astype(np.float32)
    noise = rng.uniform(-1., 1., size=[BATCH, NOISE]).astype(np.float32)
    out = {"gen_shapes": [gen_sample.shape.as_list(), disc_real.shape.as_list()],
           "gen_variables": [v.name for v in gen_vars], "disc_variables": [v.name for v in disc_vars],
           "disc_loss": [], "gen_loss": []}
    config = tf.ConfigProto(allow_soft_placement=True)
    config.gpu_options.allow_growth = True
    with tempfile.TemporaryDirectory() as tmp, tf.Session(config=config) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            batch_disc_y = np.concatenate([np.ones([BATCH]), np.zeros([BATCH])], axis=0)
            batch_gen_y = np.ones([BATCH])
            feed_dict = {real_image_input: images, noise_input: noise,
                         disc_target: batch_disc_y, gen_target: batch_gen_y}
            _, _, gl, dl = sess.run([train_gen, train_disc, gen_loss, disc_loss], feed_dict=feed_dict)
            out["gen_loss"].append(gl)
            out["disc_loss"].append(dl)
        sample = sess.run(gen_sample, feed_dict={noise_input: noise[:3]})
        out["sample_shape"] = list(sample.shape)
        out["sample_sums"] = [float(s) for s in sample.sum(axis=(1, 2, 3))]
        path = saver.save(sess, os.path.join(tmp, "model", "dcgan.ckpt"))
        out["saved_to"] = os.path.relpath(path, tmp)
        before = sess.run(gen_vars[0])
        sess.run(gen_vars[0].assign(tf.zeros_like(gen_vars[0])))
        saver.restore(sess, path)
        out["restored"] = bool(np.array_equal(sess.run(gen_vars[0]), before))
        try:
            sess.run(same_batch, {noise_input: noise, gen_sample: sample})
            out["guard"] = "passed"
        except tf.errors.InvalidArgumentError as error:
            (line,) = [line for line in error.message.split("\n") if "assertion failed: " in line]
            out["guard"] = line.split("assertion failed: ")[1]
    return out
