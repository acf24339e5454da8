"""A tiny convolutional net in the style of the "Deep MNIST for experts" tutorial: weight_variable
/ bias_variable helpers (here from numpy), conv2d SAME then VALID, max_pool, relu, a dense layer on
the flattened maps, softmax cross entropy against `one_hot` labels, Adam. Also the forward values
of a strided SAME convolution over an odd-sized image, `avg_pool`, and the input gradient."""

import engine as tf
import numpy as np

BATCH, SIZE, CLASSES = 4, 8, 3
STEPS = 8

def weight_variable(rng, shape, name):
    return tf.Variable((0.3 * rng.randn(*shape)).astype(np.float32), name=name)


def bias_variable(shape, name):
    return tf.Variable(tf.constant(0.1, shape=shape), name=name)


def conv2d(x, W, padding="SAME"):
    return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding=padding)


def max_pool_2x2(x, padding="SAME"):
    return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding=padding)


def main():
    rng = np.random.RandomState(1)
    images = rng.rand(BATCH, SIZE, SIZE, 1).astype(np.float32)
    labels = np.array([0, 1, 2, 1])

    x = tf.placeholder(tf.float32, [None, SIZE, SIZE, 1], name="x")
    y = tf.placeholder(tf.int32, [None], name="y")
    y_onehot = tf.one_hot(y, CLASSES)

    W_conv1 = weight_variable(rng, [3, 3, 1, 4], "W_conv1")
    b_conv1 = bias_variable([4], "b_conv1")
    h_conv1 = tf.nn.relu(conv2d(x, W_conv1) + b_conv1)          # 8x8x4
    h_pool1 = max_pool_2x2(h_conv1)                             # 4x4x4

    W_conv2 = weight_variable(rng, [3, 3, 4, 6], "W_conv2")
    b_conv2 = bias_variable([6], "b_conv2")
    h_conv2 = tf.nn.relu(tf.nn.bias_add(conv2d(h_pool1, W_conv2, "VALID"), b_conv2))  # 2x2x6
    h_pool2 = max_pool_2x2(h_conv2, "VALID")                    # 1x1x6

    h_flat = tf.reshape(h_pool2, [-1, 6])
    W_fc = weight_variable(rng, [6, CLASSES], "W_fc")
    b_fc = bias_variable([CLASSES], "b_fc")
    logits = tf.matmul(h_flat, W_fc) + b_fc

    cross_entropy = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_onehot, logits=logits))
    train_step = tf.train.AdamOptimizer(1e-2).minimize(cross_entropy)

    odd = tf.constant(rng.rand(1, 7, 7, 2).astype(np.float32))
    strided = tf.nn.conv2d(odd, tf.constant(rng.randn(3, 3, 2, 3).astype(np.float32)),
                           strides=[1, 2, 2, 1], padding="SAME")
    pooled = tf.nn.avg_pool(odd, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")
    input_grad = tf.gradients(cross_entropy, x)[0]

    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first_grad = sess.run(input_grad, {x: images, y: labels})
        for _ in range(STEPS):
            _, loss = sess.run([train_step, cross_entropy], {x: images, y: labels})
            losses.append(loss)
        pool1, conv1_w, fc_w, strided_, pooled_ = sess.run(
            [h_pool1, W_conv1, W_fc, strided, pooled], {x: images})
    return {
        "loss": losses,
        "h_pool1_sum": pool1.sum(),
        "W_conv1_sum": conv1_w.sum(),
        "W_fc_sum": fc_w.sum(),
        "input_grad_sum": first_grad.sum(),
        "input_grad_abs_sum": np.abs(first_grad).sum(),
        "strided_same": strided_.ravel(),
        "avg_pool_same": pooled_.ravel(),
        "shapes": [h_conv1.get_shape().as_list(), h_pool1.get_shape().as_list(),
                   h_conv2.get_shape().as_list(), h_pool2.get_shape().as_list(),
                   strided.get_shape().as_list(), pooled.get_shape().as_list()],
    }
