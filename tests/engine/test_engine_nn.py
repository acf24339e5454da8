"""tf.nn beyond convolution: activations, cross entropies, normalization, lookups, top-k, dropout.
Values against numpy, gradients against central differences, TF1's names, shapes, dtypes and
errors (texts observed under TensorFlow's tf.compat.v1)."""

import numpy as np
import pytest
from test_engine_gradients import SHAPES, away_from_zero, check_gradients

import engine as tf


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def np_log_softmax(x, axis=-1):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


ACTIVATIONS = {  # function, numpy reference, TF1's default op name
    "leaky_relu": (tf.nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x), "LeakyRelu"),
    "elu": (tf.nn.elu, lambda x: np.where(x > 0, x, np.exp(x) - 1), "Elu"),
    "selu": (tf.nn.selu, lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1)),
             "Selu"),
    "relu6": (tf.nn.relu6, lambda x: np.clip(x, 0, 6), "Relu6"),
    "softplus": (tf.nn.softplus, lambda x: np.log(1 + np.exp(x)), "Softplus"),
    "log_softmax": (tf.nn.log_softmax, np_log_softmax, "LogSoftmax"),
}


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("fn, reference, op_name", ACTIVATIONS.values(), ids=ACTIVATIONS.keys())
def test_activation_values_names_and_gradients(fn, reference, op_name, shape):
    if fn is tf.nn.log_softmax and shape == ():
        pytest.skip("log_softmax needs a class axis")
    x = np.asarray(away_from_zero(shape) * 4)  # reaches past relu6's 6, away from the kinks at 0 and 6
    x[np.abs(np.abs(x) - 6) < 0.1] = 3.0
    out = fn(tf.constant(x))
    assert out.name == f"{op_name}:0" and out.shape.as_list() == list(shape) and out.dtype == tf.float64
    np.testing.assert_allclose(run(out), reference(x), rtol=1e-12)
    check_gradients(fn, x)


def test_activations_keep_float32_and_refuse_integers():
    assert run(tf.nn.elu(tf.constant([-1.0, 1.0]))).dtype == np.float32
    np.testing.assert_allclose(run(tf.nn.leaky_relu(tf.constant([-1.0, 2.0]), alpha=0.1)), [-0.1, 2.0])
    with pytest.raises(TypeError, match="parameter 'features' of 'Relu6' has DataType int32 not in list"):
        tf.nn.relu6(tf.constant([1, 2]))


def test_softmax_and_log_softmax_take_axis_and_dim():
    x = np.random.standard_normal((3, 4))
    np.testing.assert_allclose(run(tf.nn.softmax(x, axis=0)), np.exp(np_log_softmax(x, 0)), rtol=1e-12)
    np.testing.assert_allclose(run(tf.nn.log_softmax(x, dim=0)), np_log_softmax(x, 0), rtol=1e-12)
    check_gradients(lambda t: tf.nn.log_softmax(t, axis=0), x)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"`dim` must be in the range \[-2, 2\)"):
        tf.nn.softmax(tf.zeros([3, 4]), axis=2)
    with pytest.raises(TypeError, match="parameter 'logits' of 'LogSoftmax' has DataType int32"):
        tf.nn.log_softmax(tf.constant([1, 2]))


def test_sparse_softmax_cross_entropy_values_gradient_name_and_dtype():
    logits, labels = np.random.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant(labels), logits=tf.constant(logits))
    assert loss.name == "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0"
    assert loss.shape.as_list() == [5] and loss.dtype == tf.float64
    np.testing.assert_allclose(run(loss), -np_log_softmax(logits)[np.arange(5), labels], rtol=1e-12)
    check_gradients(lambda t: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=t), logits)
    dense = tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.eye(4)[labels], logits=logits)
    np.testing.assert_allclose(run(loss), run(dense), rtol=1e-12)


@pytest.mark.parametrize("labels, logits, error, message", [
    (np.zeros((3, 4), np.int32), np.zeros((3, 4)), ValueError,
     r"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: labels.shape=\(3, 4\) of rank 2"),
    (np.array([1, 2], np.int32), np.zeros((3, 4)), ValueError,
     r"`labels.shape` must equal `logits.shape` except for the last dimension. Received: labels.shape=\(2,\)"),
    (np.array([1.0, 2.0, 0.0]), np.zeros((3, 4)), TypeError,
     "parameter 'labels' of 'SparseSoftmaxCrossEntropyWithLogits' has DataType float64 not in list"),
])
def test_sparse_softmax_cross_entropy_errors(labels, logits, error, message):
    with pytest.raises(error, match=message):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def test_sparse_labels_out_of_range_and_positional_arguments():
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([1, 7, 0]), logits=tf.zeros([3, 4]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Received a label value of 7 which is outside the valid range of \[0, 4\).  Label values: 1 7 0"):
        run(loss)
    with pytest.raises(ValueError, match="takes keyword arguments labels=..., logits=..."):
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([1]), tf.zeros([1, 2]))


def test_weighted_and_sigmoid_cross_entropy():
    x, z = np.random.standard_normal((3, 4)) * 3, np.random.uniform(0, 1, (3, 4))
    sigmoid = 1 / (1 + np.exp(-x))
    weighted = tf.nn.weighted_cross_entropy_with_logits(labels=z, logits=x, pos_weight=2.5)
    assert weighted.name == "logistic_loss:0"
    np.testing.assert_allclose(run(weighted), -2.5 * z * np.log(sigmoid) - (1 - z) * np.log(1 - sigmoid), rtol=1e-10)
    check_gradients(lambda a, b: tf.nn.weighted_cross_entropy_with_logits(labels=a, logits=b, pos_weight=0.5), z, x)
    plain = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    np.testing.assert_allclose(run(plain), -z * np.log(sigmoid) - (1 - z) * np.log(1 - sigmoid), rtol=1e-10)


@pytest.mark.parametrize("axes, keep_dims", [([0], False), ([0, 1, 2], False), ([1], True)])
def test_moments_and_batch_normalization(axes, keep_dims):
    x = np.random.standard_normal((4, 3, 2, 5))
    mean, variance = tf.nn.moments(tf.constant(x), axes, keep_dims=keep_dims)
    expected_shape = x.mean(axis=tuple(axes), keepdims=keep_dims).shape
    assert mean.shape.as_list() == list(expected_shape) == variance.shape.as_list()
    np.testing.assert_allclose(run(mean), x.mean(axis=tuple(axes), keepdims=keep_dims), rtol=1e-12)
    np.testing.assert_allclose(run(variance), x.var(axis=tuple(axes), keepdims=keep_dims), rtol=1e-12)
    check_gradients(lambda t: tf.nn.moments(t, axes, keep_dims=keep_dims)[1], x, rtol=1e-4)


def test_batch_normalization_values_names_and_gradients():
    x = np.random.standard_normal((6, 3))
    mean, var, offset, scale = x.mean(0), x.var(0), np.random.standard_normal(3), np.random.uniform(1, 2, 3)
    out = tf.nn.batch_normalization(tf.constant(x), mean, var, offset, scale, 1e-3)
    assert out.name == "batchnorm/add_1:0"
    np.testing.assert_allclose(run(out), (x - mean) / np.sqrt(var + 1e-3) * scale + offset, rtol=1e-10)
    np.testing.assert_allclose(run(tf.nn.batch_normalization(x, mean, var, None, None, 0.0)),
                               (x - mean) / np.sqrt(var), rtol=1e-10)
    check_gradients(lambda a, m, v, o, s: tf.nn.batch_normalization(a, m, v, o, s, 1e-3),
                    x, mean, var, offset, scale, rtol=1e-4)


def test_l2_normalize():
    x = np.random.standard_normal((3, 4))
    out = tf.nn.l2_normalize(tf.constant(x), 1)
    assert out.name == "l2_normalize:0"
    np.testing.assert_allclose(run(out), x / np.linalg.norm(x, axis=1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(run(tf.nn.l2_normalize(x, dim=0)), x / np.linalg.norm(x, axis=0), rtol=1e-12)
    np.testing.assert_array_equal(run(tf.nn.l2_normalize(np.zeros(3))), np.zeros(3))
    check_gradients(lambda t: tf.nn.l2_normalize(t, axis=0), x)


def test_embedding_lookup_values_shape_gradient_and_errors():
    params = np.random.standard_normal((10, 3))
    ids = np.array([[1, 2], [1, 9]])
    out = tf.nn.embedding_lookup(tf.constant(params), tf.constant(ids))
    assert out.name == "embedding_lookup/Identity:0" and out.shape.as_list() == [2, 2, 3]
    np.testing.assert_array_equal(run(out), params[ids])
    check_gradients(lambda p: tf.nn.embedding_lookup(p, ids) * 1.0, params)  # row 1 gets two
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = 12 is not in \[0, 10\)"):
        run(tf.nn.embedding_lookup(params, tf.constant([1, 12])))
    with pytest.raises(TypeError, match="parameter 'indices' of 'embedding_lookup' has DataType float32"):
        tf.nn.embedding_lookup(params, tf.constant([1.0, 2.0]))


def test_embedding_lookup_trains_only_the_rows_it_reads():
    table = tf.Variable(np.ones((4, 2), np.float32))
    loss = tf.reduce_sum(tf.nn.embedding_lookup([table], tf.constant([0, 2, 2])))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        np.testing.assert_allclose(sess.run(table), [[0.5, 0.5], [1, 1], [0, 0], [1, 1]])


def test_top_k_values_indices_ties_and_gradient():
    x = np.array([[1.0, 3.0, 3.0, 0.0], [5.0, -1.0, 2.0, 4.0]])
    values, indices = tf.nn.top_k(tf.constant(x), 2)
    assert (values.name, indices.name, indices.dtype) == ("TopKV2:0", "TopKV2:1", tf.int32)
    assert values.shape.as_list() == [2, 2]
    got = run(tf.nn.top_k(x, k=2))
    np.testing.assert_array_equal(got.indices, [[1, 2], [0, 3]])
    np.testing.assert_array_equal(got.values, [[3, 3], [5, 4]])
    check_gradients(lambda t: tf.nn.top_k(t, 3).values, np.random.permutation(12).reshape(3, 4) / 3.0)
    with pytest.raises(ValueError, match="input must have last dimension >= k = 5 but is 4"):
        tf.nn.top_k(tf.zeros([3, 4]), 5)


def test_in_top_k_counts_ties_in():
    predictions = np.array([[1.0, 1.0, 1.0, 0.0], [0.1, 0.5, 0.3, 0.2]], np.float32)
    hit = tf.nn.in_top_k(predictions, tf.constant([2, 2]), 1)
    assert hit.name == "in_top_k/InTopKV2:0" and hit.dtype == tf.bool
    np.testing.assert_array_equal(run(hit), [True, False])
    np.testing.assert_array_equal(run(tf.nn.in_top_k(predictions, tf.constant([2, 2], tf.int64), 2)), [True, True])
    with pytest.raises(TypeError, match="parameter 'targets' of 'InTopKV2' has DataType float32"):
        tf.nn.in_top_k(predictions, tf.constant([1.0, 2.0]), 2)
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        tf.nn.in_top_k(predictions, tf.constant([1, 2, 3]), 2)


def test_dropout_scales_what_it_keeps_and_is_seedable():
    x = tf.placeholder(tf.float32, [None, 100])
    keep = tf.placeholder(tf.float32)
    dropped = tf.nn.dropout(x, keep, seed=7)
    by_rate = tf.nn.dropout(x, rate=0.75, seed=7)
    data = np.ones((40, 100), np.float32)
    with tf.Session() as sess:
        first = sess.run(dropped, {x: data, keep: 0.5})
        second = sess.run(dropped, {x: data, keep: 0.5})
        assert set(np.unique(first)) == {0.0, 2.0} and abs(first.mean() - 1) < 0.05
        assert not np.array_equal(first, second)  # a fresh mask every run
        np.testing.assert_array_equal(sess.run(dropped, {x: data, keep: 1.0}), data)
        quarter = sess.run(by_rate, {x: data})
        assert set(np.unique(quarter)) == {0.0, 4.0} and abs((quarter > 0).mean() - 0.25) < 0.03
        (grad,) = sess.run(tf.gradients(tf.reduce_sum(by_rate), x), {x: data})
        assert set(np.unique(grad)) == {0.0, 4.0}
    with tf.Session() as sess:  # a new Session draws the same masks again
        np.testing.assert_array_equal(sess.run(dropped, {x: data, keep: 0.5}), first)


@pytest.mark.parametrize("kwargs, message", [
    ({"keep_prob": 0.5, "rate": 0.5}, "Cannot specify both 'keep_prob' and 'rate'."),
    ({}, "`rate` must be provided. Received: rate=None"),
    ({"rate": 1.0}, r"`rate` must be a scalar tensor or a float in the range \[0, 1\). Received: rate=1.0"),
    ({"keep_prob": 1.5}, r"in the range \[0, 1\). Received: rate=-0.5"),
])
def test_dropout_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.nn.dropout(tf.zeros([3]), **kwargs)


def build_nn_ops(x, y):
    """One op of each differentiable tf.nn type this file and test_engine_conv.py check, on x
    (positive) and y (away from zero), both [3, 4] float64: test_engine_ops.py checks their
    grad_reads claims with it, test_engine_gradients.py that each type has a gradient check."""
    for fn in (tf.nn.leaky_relu, tf.nn.elu, tf.nn.selu, tf.nn.relu6, tf.nn.softplus, tf.nn.log_softmax,
               tf.nn.l2_normalize):
        fn(y)
    tf.nn.top_k(y, 2)
    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 3, 1], logits=y)
    tf.nn.embedding_lookup(x, [2, 0, 2])
    images = tf.reshape(x, [1, 3, 4, 1])
    tf.nn.conv2d(images, tf.reshape(y[:2], [2, 2, 1, 2]), 1, "SAME")
    tf.nn.conv2d_transpose(images, tf.reshape(y[:2], [2, 2, 2, 1]), [1, 6, 8, 2], 2, "SAME")
    tf.nn.max_pool(images, 2, 1, "VALID")
    tf.nn.avg_pool(images, 2, 2, "SAME")
    tf.nn.bias_add(x, y[0])


def test_softmax_cross_entropy_takes_integer_one_hot_labels():
    """cs20si's logistic regression feeds its one-hot labels to an int32 placeholder; TF1
    casts labels to the logits' dtype before the op."""
    logits = tf.constant([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    ints = tf.placeholder(tf.int32, [2, 3])
    one_hot = [[0, 1, 0], [1, 0, 0]]
    first = tf.nn.softmax_cross_entropy_with_logits(labels=ints, logits=logits)
    second = tf.nn.softmax_cross_entropy_with_logits_v2(labels=ints, logits=logits)
    floats = tf.nn.softmax_cross_entropy_with_logits_v2(labels=np.float32(one_hot), logits=logits)
    assert first.dtype == second.dtype == tf.float32
    with tf.Session() as sess:
        a, b, c = sess.run([first, second, floats], {ints: one_hot})
    np.testing.assert_allclose(a, c)
    np.testing.assert_allclose(b, c)
