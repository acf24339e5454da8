"""tf.layers: each layer's output shape, variable and op names (TF1's), values against numpy,
gradients against central differences, and batch norm in training and inference."""

import numpy as np
import pytest
from test_engine_gradients import check_gradients

import engine as tf


def run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def check_variable_gradients(loss, variables, feed, rtol=1e-5, atol=1e-7):
    """tf.gradients of a float64 `loss` against central differences, moving each variable's
    values with Variable.load."""
    grads = tf.gradients(loss, variables)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for variable, grad in zip(variables, sess.run(grads, feed)):
            value = sess.run(variable)
            numeric = np.zeros_like(value)
            for index in np.ndindex(value.shape):
                shifted = []
                for h in (1e-6, -1e-6):
                    moved = value.copy()
                    moved[index] += h
                    variable.load(moved, sess)
                    shifted.append(sess.run(loss, feed))
                numeric[index] = (shifted[0] - shifted[1]) / 2e-6
            variable.load(value, sess)
            np.testing.assert_allclose(grad, numeric, rtol=rtol, atol=atol, err_msg=variable.name)


# -- dense --------------------------------------------------------------------------------

def test_dense_names_shapes_and_values():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    kernel = np.arange(12, dtype=np.float32).reshape(4, 3) / 10
    with tf.name_scope("dnn"):
        hidden = tf.layers.dense(x, 3, activation=tf.nn.relu, name="hidden1",
                                 kernel_initializer=tf.constant_initializer(kernel),
                                 bias_initializer=tf.constant_initializer(-1.0))
        logits = tf.layers.dense(hidden, 2)
        no_bias = tf.layers.dense(hidden, 5, use_bias=False)
    assert (hidden.name, logits.name, no_bias.name) == ("dnn/hidden1/Relu:0", "dnn/dense/BiasAdd:0",
                                                        "dnn/dense_1/MatMul:0")
    assert [v.name for v in tf.trainable_variables()] == [
        "hidden1/kernel:0", "hidden1/bias:0", "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0"]
    assert logits.shape.as_list() == [None, 2] and no_bias.shape.as_list() == [None, 5]
    xs = np.random.standard_normal((6, 4)).astype(np.float32)
    np.testing.assert_allclose(run(hidden, {x: xs}), np.maximum(xs @ kernel - 1.0, 0), rtol=1e-6)


def test_dense_reuse_shares_the_kernel_and_opens_a_new_name_scope():
    x = tf.placeholder(tf.float32, [None, 4])
    first = tf.layers.dense(x, 3, name="shared")
    second = tf.layers.dense(x, 3, name="shared", reuse=True)
    assert second.name == "shared_1/BiasAdd:0"
    assert [v.name for v in tf.global_variables()] == ["shared/kernel:0", "shared/bias:0"]
    xs = np.ones((2, 4), np.float32)
    a, b = run([first, second], {x: xs})
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="Variable shared/kernel already exists"):
        tf.layers.dense(x, 3, name="shared")


def test_dense_on_a_sequence_applies_to_the_last_axis():
    x = tf.placeholder(tf.float32, [None, 5, 4])
    y = tf.layers.dense(x, 3, kernel_initializer=tf.ones_initializer())
    assert y.shape.as_list() == [None, 5, 3]
    np.testing.assert_allclose(run(y, {x: np.ones((2, 5, 4), np.float32)}), np.full((2, 5, 3), 4.0))


def test_dense_regularizers_and_initializers_by_name():
    x = tf.placeholder(tf.float32, [None, 2])
    tf.layers.dense(x, 3, kernel_initializer="ones",
                    kernel_regularizer=lambda w: tf.reduce_sum(tf.abs(w)),
                    activity_regularizer=lambda out: tf.reduce_mean(out))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 2 and losses[0].name.startswith("dense/kernel/Regularizer/")
    assert run(losses[0]) == 6.0


@pytest.mark.parametrize("shape, message", [
    ([None], "Input 0 of layer dense is incompatible with the layer: expected ndim>=2, found ndim=1"),
    ([None, None], "The last dimension of the inputs to `Dense` should be defined. Found `None`"),
])
def test_dense_bad_inputs(shape, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        tf.layers.dense(tf.placeholder(tf.float32, shape), 3)


def test_dense_gradients():
    kernel = np.random.standard_normal((4, 3))
    check_gradients(lambda x: tf.layers.dense(x, 3, activation=tf.tanh,
                                              kernel_initializer=tf.constant_initializer(kernel),
                                              bias_initializer=tf.constant_initializer(0.3)),
                    np.random.standard_normal((5, 4)))
    x = tf.placeholder(tf.float64, [None, 4])
    out = tf.layers.dense(x, 3, activation=tf.sigmoid, name="trained")
    check_variable_gradients(tf.reduce_sum(out * out), tf.trainable_variables("trained"),
                             {x: np.random.standard_normal((5, 4))})


# -- flatten and dropout ------------------------------------------------------------------

def test_flatten_keeps_the_batch_axis():
    x = tf.placeholder(tf.float32, [None, 2, 3, 4])
    flat = tf.layers.flatten(x)
    assert (flat.name, flat.shape.as_list()) == ("flatten/Reshape:0", [None, 24])
    xs = np.arange(48, dtype=np.float32).reshape(2, 2, 3, 4)
    np.testing.assert_array_equal(run(flat, {x: xs}), xs.reshape(2, 24))
    with pytest.raises(ValueError, match=r"flatten needs every dimension but the first known, got \(\?, \?, 3\)"):
        tf.layers.flatten(tf.placeholder(tf.float32, [None, None, 3]))


def test_dropout_only_when_training():
    x = tf.placeholder(tf.float32, [None, 1000])
    training = tf.placeholder(tf.bool, [])
    off = tf.layers.dropout(x, 0.3)
    on = tf.layers.dropout(x, 0.3, training=True, seed=1)
    flagged = tf.layers.dropout(x, 0.3, training=training, seed=2)
    assert (off.name, on.name) == ("dropout/Identity:0", "dropout_1/dropout/mul:0")
    xs = np.ones((10, 1000), np.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(off, {x: xs}), xs)
        dropped = sess.run(on, {x: xs})
        assert set(np.unique(dropped)) == {0.0, np.float32(1 / 0.7)}
        assert abs((dropped == 0).mean() - 0.3) < 0.02  # 10,000 draws: 4 standard deviations
        assert not np.array_equal(dropped, sess.run(on, {x: xs}))  # a new mask each run
        np.testing.assert_array_equal(sess.run(flagged, {x: xs, training: False}), xs)
        assert abs((sess.run(flagged, {x: xs, training: True}) == 0).mean() - 0.3) < 0.02


def test_dropout_gradient_is_the_mask_and_seeds_repeat():
    def masks():
        graph = tf.Graph()
        with graph.as_default():
            x = tf.placeholder(tf.float32, [None, 50])
            y = tf.layers.dropout(x, 0.5, seed=3, training=True)
            grad = tf.gradients(tf.reduce_sum(y), x)[0]
            with tf.Session() as sess:
                return sess.run([y, grad], {x: np.ones((4, 50), np.float32)})
    (y, grad), (again, _) = masks(), masks()
    np.testing.assert_array_equal(y, grad)  # d(sum)/dx is the scaled mask itself
    np.testing.assert_array_equal(y, again)
    with pytest.raises(ValueError, match=r"rate must be a scalar tensor or a float in the range \[0, 1\), got 1.5"):
        tf.layers.dropout(tf.constant([1.0]), 1.5)


# -- batch normalization ------------------------------------------------------------------

def test_batch_norm_variables_and_update_ops_are_named_as_tf1():
    x = tf.placeholder(tf.float32, [None, 3])
    tf.layers.batch_normalization(x, training=True)
    tf.layers.batch_normalization(x)
    assert [v.name for v in tf.global_variables()] == [
        f"batch_normalization{s}/{n}:0" for s in ("", "_1")
        for n in ("gamma", "beta", "moving_mean", "moving_variance")]
    assert [v.name for v in tf.trainable_variables()] == [
        "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "batch_normalization_1/gamma:0", "batch_normalization_1/beta:0"]
    assert [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == [
        "batch_normalization/AssignMovingAvg", "batch_normalization/AssignMovingAvg_1"]


def test_batch_norm_training_normalises_by_the_batch_and_moves_the_averages():
    x = tf.placeholder(tf.float32, [None, 3])
    xs = (np.random.standard_normal((8, 3)) * [1, 2, 3] + [1, -1, 5]).astype(np.float32)
    out = tf.layers.batch_normalization(x, training=True, momentum=0.9, epsilon=1e-3,
                                        gamma_initializer=tf.constant_initializer(2.0),
                                        beta_initializer=tf.constant_initializer(0.5))
    inference = tf.layers.batch_normalization(x, training=False, name="batch_normalization", reuse=True)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    mean, var = xs.mean(0), xs.var(0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out, {x: xs}), 2 * (xs - mean) / np.sqrt(var + 1e-3) + 0.5,
                                   rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(sess.run(inference, {x: xs}), 2 * xs / np.sqrt(1 + 1e-3) + 0.5, rtol=1e-6)
        for _ in range(2):
            sess.run(updates, {x: xs})
        moving_mean, moving_var = sess.run(tf.global_variables()[2:4])
    np.testing.assert_allclose(moving_mean, mean * (1 - 0.9 ** 2), rtol=1e-5)
    np.testing.assert_allclose(moving_var, 0.81 + var * (1 - 0.81), rtol=1e-5)


def test_batch_norm_of_images_moves_towards_the_unbiased_variance():
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    tf.layers.batch_normalization(x, training=True, momentum=0.5)
    xs = np.random.standard_normal((5, 3, 3, 2)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS), {x: xs})
        moving_var = sess.run(tf.global_variables()[3])
    np.testing.assert_allclose(moving_var, 0.5 + 0.5 * xs.reshape(-1, 2).var(0, ddof=1), rtol=1e-5)


def test_batch_norm_with_a_training_tensor_picks_the_statistics_and_the_updates():
    training = tf.placeholder(tf.bool, [], name="training")
    x = tf.placeholder(tf.float32, [None, 2])
    out = tf.layers.batch_normalization(x, training=training, momentum=0.5, center=False, scale=False)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    moving_mean = tf.global_variables()[0]
    xs = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out, {x: xs, training: False}), xs / np.sqrt(1.001), rtol=1e-6)
        sess.run(updates, {x: xs, training: False})
        assert sess.run(moving_mean).tolist() == [0.0, 0.0]  # not training: no move
        np.testing.assert_allclose(sess.run(out, {x: xs, training: True}),
                                   [[-1, -1], [1, 1]] / np.sqrt(1 + 1e-3 / np.array([1.0, 4.0])), rtol=1e-5)
        sess.run(updates, {x: xs, training: True})
        assert sess.run(moving_mean).tolist() == [1.0, 2.0]


def test_batch_norm_gradients_in_training():
    check_gradients(lambda x: tf.layers.batch_normalization(x, training=True), np.random.standard_normal((6, 3)),
                    rtol=1e-4, atol=1e-6)
    x = tf.placeholder(tf.float64, [None, 3])
    out = tf.layers.batch_normalization(x, training=True, name="bn")
    check_variable_gradients(tf.reduce_sum(out * out * out),
                             tf.trainable_variables("bn"), {x: np.random.standard_normal((6, 3))},
                             rtol=1e-4, atol=1e-6)


def test_batch_norm_bad_inputs():
    with pytest.raises(ValueError, match="Input has undefined `axis` dimension"):
        tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, None]))
    with pytest.raises(NotImplementedError, match="renorm"):
        tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, 2]), renorm=True)


# -- convolutions and pooling -------------------------------------------------------------

def test_conv2d_names_shapes_and_values():
    x = tf.placeholder(tf.float32, [None, 5, 5, 2])
    kernel = np.random.standard_normal((3, 3, 2, 4)).astype(np.float32)
    valid = tf.layers.conv2d(x, 4, 3, kernel_initializer=tf.constant_initializer(kernel),
                             bias_initializer=tf.constant_initializer(0.5), activation=tf.nn.relu)
    same = tf.layers.conv2d(x, 6, (3, 3), strides=2, padding="same", use_bias=False)
    assert (valid.name, valid.shape.as_list()) == ("conv2d/Relu:0", [None, 3, 3, 4])
    assert (same.name, same.shape.as_list()) == ("conv2d_1/Conv2D:0", [None, 3, 3, 6])
    assert [v.name for v in tf.global_variables()] == ["conv2d/kernel:0", "conv2d/bias:0", "conv2d_1/kernel:0"]
    xs = np.random.standard_normal((2, 5, 5, 2)).astype(np.float32)
    expected = np.zeros((2, 3, 3, 4), np.float32)
    for i in range(3):
        for j in range(3):
            expected[:, i, j] = np.tensordot(xs[:, i:i + 3, j:j + 3], kernel, axes=3)
    np.testing.assert_allclose(run(valid, {x: xs}), np.maximum(expected + 0.5, 0), rtol=1e-4, atol=1e-5)


def test_pooling_layers():
    x = tf.placeholder(tf.float32, [None, 4, 4, 1])
    biggest = tf.layers.max_pooling2d(x, 2, 2)
    mean = tf.layers.average_pooling2d(x, (2, 2), (2, 2), padding="same")
    assert (biggest.name, mean.name) == ("max_pooling2d/MaxPool:0", "average_pooling2d/AvgPool:0")
    xs = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    top, avg = run([biggest, mean], {x: xs})
    assert top[0, :, :, 0].tolist() == [[5, 7], [13, 15]]
    assert avg[0, :, :, 0].tolist() == [[2.5, 4.5], [10.5, 12.5]]


def test_conv2d_transpose_upsamples():
    x = tf.placeholder(tf.float32, [2, 3, 3, 4])
    same = tf.layers.conv2d_transpose(x, 2, 3, strides=2, padding="same")
    valid = tf.layers.conv2d_transpose(x, 5, (2, 2), strides=(2, 2))
    assert same.shape.as_list() == [2, 6, 6, 2] and valid.shape.as_list() == [2, 6, 6, 5]
    assert tf.global_variables()[0].shape.as_list() == [3, 3, 2, 4]  # [kh, kw, filters, in]
    assert run(same, {x: np.ones((2, 3, 3, 4), np.float32)}).shape == (2, 6, 6, 2)
    with pytest.raises(ValueError, match="conv2d_transpose needs the height and width"):
        tf.layers.conv2d_transpose(tf.placeholder(tf.float32, [2, None, 3, 4]), 2, 3)


def test_conv2d_transpose_of_an_unknown_batch():
    """A DCGAN generator upsamples a [None, 6, 6, c] batch: TF takes the batch from tf.shape at
    run time and keeps the rest of the static shape."""
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    y = tf.layers.conv2d_transpose(x, 4, 4, strides=2, kernel_initializer=tf.constant_initializer(0.1))
    f = tf.constant(np.arange(2 * 2 * 5 * 3, dtype=np.float32).reshape(2, 2, 5, 3) / 10)
    z = tf.nn.conv2d_transpose(x, f, tf.stack([tf.shape(x)[0], 12, 12, 5]), [1, 2, 2, 1], "SAME")
    assert y.shape.as_list() == [None, 14, 14, 4] and z.shape.as_list() == [None, 12, 12, 5]
    g = tf.gradients(tf.reduce_sum(z * z) + tf.reduce_sum(y), x)[0]
    xs = np.linspace(-1, 1, 2 * 6 * 6 * 3).reshape(2, 6, 6, 3).astype(np.float32)
    a, b, c = run([y, z, g], {x: xs})
    assert a.shape == (2, 14, 14, 4) and b.shape == (2, 12, 12, 5)
    # the numbers TensorFlow 2.21's tf.compat.v1 gives
    np.testing.assert_allclose([(b * b).sum(), np.abs(c).sum()], [50983.63671875, 152272.171875], rtol=1e-5)
    np.testing.assert_allclose(np.abs(a).sum(), 694.4149169921875, rtol=1e-5)
    with pytest.raises(ValueError, match="conv2d_transpose: output_shape must be known but for its batch"):
        tf.nn.conv2d_transpose(x, f, tf.stack([2, tf.placeholder(tf.int32, []), 12, 5]), [1, 2, 2, 1], "SAME")


def test_conv_layer_gradients():
    kernel = np.random.standard_normal((2, 2, 2, 3))
    check_gradients(lambda x: tf.layers.conv2d(x, 3, 2, padding="same", activation=tf.tanh,
                                               kernel_initializer=tf.constant_initializer(kernel)),
                    np.random.standard_normal((2, 4, 4, 2)))
    x = tf.placeholder(tf.float64, [None, 4, 4, 2])
    out = tf.layers.max_pooling2d(tf.layers.conv2d(x, 2, 3, name="c"), 2, 1)
    check_variable_gradients(tf.reduce_sum(out * out), tf.trainable_variables("c/"),
                             {x: np.random.standard_normal((2, 4, 4, 2))}, rtol=1e-4, atol=1e-6)


def test_conv_bad_inputs():
    with pytest.raises(ValueError, match="Input 0 of layer conv2d is incompatible with the layer: expected ndim=4"):
        tf.layers.conv2d(tf.placeholder(tf.float32, [None, 5, 5]), 2, 3)
    with pytest.raises(ValueError, match="The `kernel_size` argument must be a tuple of 2 integers"):
        tf.layers.conv2d(tf.placeholder(tf.float32, [None, 5, 5, 1]), 2, (3, 3, 3))
    with pytest.raises(NotImplementedError, match="channels_last"):
        tf.layers.max_pooling2d(tf.placeholder(tf.float32, [None, 5, 5, 1]), 2, 2, data_format="channels_first")
