"""Convolution and pooling (tf.nn.conv2d, conv2d_transpose, max_pool, avg_pool, bias_add):
values against naive loops over pixels, gradients against central differences over strides,
paddings, dilations and shapes, TF1's static shapes, and errors naming the op and argument."""

import numpy as np
import pytest
from test_engine_gradients import check_gradients

import engine as tf


def same_pads(size, window, stride, dilation=1):
    reach = (window - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + reach - size, 0)
    return out, total // 2


def naive_conv(x, f, stride, padding, dilation=1):
    n, h, w, c = x.shape
    kh, kw, _, o = f.shape
    if padding == "SAME":
        (oh, top), (ow, left) = same_pads(h, kh, stride, dilation), same_pads(w, kw, stride, dilation)
    else:
        oh, ow, top, left = ((h - (kh - 1) * dilation - 1) // stride + 1,
                             (w - (kw - 1) * dilation - 1) // stride + 1, 0, 0)
    out = np.zeros((n, oh, ow, o))
    for b, i, j, k in np.ndindex(n, oh, ow, o):
        for di, dj in np.ndindex(kh, kw):
            r, s = i * stride + di * dilation - top, j * stride + dj * dilation - left
            if 0 <= r < h and 0 <= s < w:
                out[b, i, j, k] += x[b, r, s, :] @ f[di, dj, :, k]
    return out


def naive_pool(x, k, stride, padding, reduce):
    n, h, w, c = x.shape
    if padding == "SAME":
        (oh, top), (ow, left) = same_pads(h, k, stride), same_pads(w, k, stride)
    else:
        oh, ow, top, left = (h - k) // stride + 1, (w - k) // stride + 1, 0, 0
    out = np.zeros((n, oh, ow, c))
    for b, i, j, ch in np.ndindex(n, oh, ow, c):
        r0, s0 = i * stride - top, j * stride - left
        window = x[b, max(r0, 0):r0 + k, max(s0, 0):s0 + k, ch]
        out[b, i, j, ch] = reduce(window)
    return out


CONVS = {  # input shape, filter shape, stride, padding, dilation
    "same": ((2, 5, 5, 2), (3, 3, 2, 3), 1, "SAME", 1),
    "valid": ((1, 6, 5, 3), (3, 2, 3, 2), 1, "VALID", 1),
    "strided same, odd size": ((1, 7, 7, 2), (3, 3, 2, 2), 2, "SAME", 1),
    "strided valid": ((2, 7, 6, 1), (2, 2, 1, 3), 3, "VALID", 1),
    "even filter same": ((1, 4, 4, 2), (2, 2, 2, 2), 1, "SAME", 1),
    "dilated": ((1, 7, 7, 2), (3, 3, 2, 2), 1, "SAME", 2),
    "dilated valid": ((1, 7, 6, 1), (2, 2, 1, 2), 1, "VALID", 2),
    "1x1": ((2, 3, 3, 4), (1, 1, 4, 2), 1, "VALID", 1),
}


@pytest.mark.parametrize("x_shape, f_shape, stride, padding, dilation", CONVS.values(), ids=CONVS.keys())
def test_conv2d_values_shapes_and_gradients(x_shape, f_shape, stride, padding, dilation):
    x, f = np.random.standard_normal(x_shape), np.random.standard_normal(f_shape)
    out = tf.nn.conv2d(tf.constant(x), tf.constant(f), strides=[1, stride, stride, 1], padding=padding,
                       dilations=[1, dilation, dilation, 1])
    expected = naive_conv(x, f, stride, padding, dilation)
    assert out.shape.as_list() == list(expected.shape) and out.dtype == tf.float64
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out), expected, rtol=1e-10, atol=1e-12)
    check_gradients(lambda a, b: tf.nn.conv2d(a, b, stride, padding, dilations=dilation), x, f)


def test_conv2d_keeps_tf1s_static_shapes():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    conv = tf.nn.conv2d(x, tf.zeros([5, 5, 1, 32]), strides=[1, 1, 1, 1], padding="SAME")
    assert conv.name == "Conv2D:0" and conv.shape.as_list() == [None, 28, 28, 32]
    pool = tf.nn.max_pool(conv, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    assert pool.name == "MaxPool:0" and pool.shape.as_list() == [None, 14, 14, 32]
    conv2 = tf.nn.conv2d(pool, tf.zeros([5, 5, 32, 64]), [1, 1, 1, 1], "VALID")
    assert conv2.shape.as_list() == [None, 10, 10, 64]
    unknown = tf.placeholder(tf.float32, [None, None, None, 3])
    assert tf.nn.conv2d(unknown, tf.zeros([3, 3, 3, 4]), 1, "SAME").shape.as_list() == [None, None, None, 4]
    assert tf.nn.avg_pool(tf.zeros([1, 7, 7, 2]), 3, 2, "VALID").shape.as_list() == [1, 3, 3, 2]


def test_conv2d_runs_on_a_batch_of_any_size_and_float32():
    x = tf.placeholder(tf.float32, [None, 6, 6, 1])
    f = np.random.standard_normal((3, 3, 1, 2)).astype(np.float32)
    out = tf.nn.conv2d(x, f, [1, 2, 2, 1], "SAME")
    with tf.Session() as sess:
        for batch in (1, 3):
            data = np.random.standard_normal((batch, 6, 6, 1)).astype(np.float32)
            value = sess.run(out, {x: data})
            assert value.dtype == np.float32
            np.testing.assert_allclose(value, naive_conv(data, f, 2, "SAME"), rtol=1e-5, atol=1e-5)


POOLS = {  # input shape, window, stride, padding
    "2x2 same": ((2, 4, 4, 2), 2, 2, "SAME"),
    "2x2 same odd": ((1, 5, 5, 1), 2, 2, "SAME"),
    "3x3 stride 2 same": ((1, 7, 7, 2), 3, 2, "SAME"),
    "3x3 stride 1 valid overlapping": ((1, 5, 4, 2), 3, 1, "VALID"),
    "2x2 stride 3 valid": ((2, 7, 7, 1), 2, 3, "VALID"),
}


@pytest.mark.parametrize("x_shape, k, stride, padding", POOLS.values(), ids=POOLS.keys())
@pytest.mark.parametrize("pool, reduce", [(tf.nn.max_pool, np.max), (tf.nn.avg_pool, np.mean)],
                         ids=["max", "avg"])
def test_pool_values_and_gradients(pool, reduce, x_shape, k, stride, padding):
    x = np.random.permutation(np.prod(x_shape)).reshape(x_shape) / 7.0  # distinct: no ties
    out = pool(tf.constant(x), ksize=[1, k, k, 1], strides=[1, stride, stride, 1], padding=padding)
    expected = naive_pool(x, k, stride, padding, reduce)
    assert out.shape.as_list() == list(expected.shape)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out), expected, rtol=1e-12)
    check_gradients(lambda a: pool(a, k, stride, padding), x)


def test_max_pool_gives_a_tied_windows_gradient_to_its_first_maximum():
    x = tf.constant(np.array([[1.0, 3.0], [3.0, 0.0]]).reshape(1, 2, 2, 1))
    (grad,) = tf.gradients(tf.nn.max_pool(x, 2, 2, "VALID"), [x])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(grad).ravel(), [0, 1, 0, 0])


TRANSPOSES = {  # value shape, filter [h, w, out, in], output shape, stride, padding
    "same stride 2": ((2, 3, 3, 2), (3, 3, 2, 2), (2, 6, 6, 2), 2, "SAME"),
    "valid stride 2": ((1, 3, 3, 2), (3, 3, 1, 2), (1, 7, 7, 1), 2, "VALID"),
    "same stride 1": ((1, 4, 4, 1), (2, 2, 3, 1), (1, 4, 4, 3), 1, "SAME"),
}


@pytest.mark.parametrize("v_shape, f_shape, out_shape, stride, padding", TRANSPOSES.values(), ids=TRANSPOSES.keys())
def test_conv2d_transpose_is_the_adjoint_of_conv2d(v_shape, f_shape, out_shape, stride, padding):
    """<conv2d_transpose(v), x> == <v, conv2d(x)> for the same filter and geometry."""
    v, f, x = (np.random.standard_normal(s) for s in (v_shape, f_shape, out_shape))
    up = tf.nn.conv2d_transpose(tf.constant(v), tf.constant(f), out_shape, [1, stride, stride, 1], padding)
    assert up.shape.as_list() == list(out_shape) and up.name == "conv2d_transpose:0"
    with tf.Session() as sess:
        value = sess.run(up)
    np.testing.assert_allclose(np.sum(value * x), np.sum(v * naive_conv(x, f, stride, padding)), rtol=1e-10)
    check_gradients(lambda a, b: tf.nn.conv2d_transpose(a, b, out_shape, stride, padding), v, f)


def test_bias_add_adds_along_the_last_axis_and_sums_its_gradient():
    x, b = np.random.standard_normal((2, 3, 4)), np.random.standard_normal(4)
    out = tf.nn.bias_add(tf.constant(x), tf.constant(b))
    assert out.name == "BiasAdd:0" and out.shape.as_list() == [2, 3, 4]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(out), x + b)
    check_gradients(tf.nn.bias_add, x, b)


@pytest.mark.parametrize("build, error, message", [
    (lambda: tf.nn.conv2d(tf.zeros([1, 7, 7, 2]), tf.zeros([3, 3, 3, 3]), [1, 1, 1, 1], "SAME"), ValueError,
     r"Conv2D op 'Conv2D': Depth of input \(2\) is not a multiple of input depth of filter \(3\)"),
    (lambda: tf.nn.conv2d(tf.zeros([1, 7, 7, 2]), tf.zeros([3, 3, 2, 3]), [1, 1, 1, 1], "FULL"), ValueError,
     "Attr 'padding' of 'Conv2D' Op passed string 'FULL' not in"),
    (lambda: tf.nn.conv2d(tf.zeros([7, 7, 2]), tf.zeros([3, 3, 2, 3]), [1, 1, 1, 1], "SAME"), ValueError,
     "Conv2D op 'Conv2D': Shape must be rank 4 but is rank 3"),
    (lambda: tf.nn.conv2d(tf.zeros([1, 7, 7, 2]), tf.zeros([3, 3, 2, 3]), [1, 1, 1], "SAME"), ValueError,
     r"strides should be of length 1, 2 or 4. Received: strides=\[1, 1, 1\] of length 3"),
    (lambda: tf.nn.conv2d(tf.zeros([1, 7, 7, 2]), tf.zeros([3, 3, 2, 3]), [1, 0, 1, 1], "SAME"), ValueError,
     "strides must be > 0"),
    (lambda: tf.nn.conv2d(tf.zeros([1, 7, 7, 2]), tf.zeros([9, 3, 2, 3]), [1, 1, 1, 1], "VALID"), ValueError,
     "Negative dimension size caused by subtracting 9 from 7"),
    (lambda: tf.nn.conv2d(tf.zeros([1, 2, 7, 7]), tf.zeros([3, 3, 2, 3]), 1, "SAME", data_format="NCHW"),
     ValueError, "Conv2D: data_format 'NCHW' is not supported; the engine computes NHWC"),
    (lambda: tf.nn.conv2d(tf.zeros([1, 7, 7, 2], tf.int32), tf.zeros([3, 3, 2, 3], tf.int32), 1, "SAME"),
     TypeError, "Value passed to parameter 'input' of 'Conv2D' has DataType int32 not in list"),
    (lambda: tf.nn.conv2d(tf.zeros([1, 7, 7, 2]), tf.zeros([3, 3, 2, 3], tf.float64), 1, "SAME"),
     TypeError, "Input 'filter' of 'Conv2D' Op has type float64 that does not match type float32"),
    (lambda: tf.nn.max_pool(tf.zeros([1, 7, 7, 2]), [1, 2, 2], [1, 2, 2, 1], "SAME"), ValueError,
     r"ksize should be of length 1, 2 or 4. Received: ksize=\[1, 2, 2\]"),
    (lambda: tf.nn.max_pool(tf.zeros([1, 7, 7, 2]), [1, 2, 2, 1], [1, 2, 2, 1], "BAD"), ValueError,
     "Attr 'padding' of 'MaxPool' Op passed string 'BAD'"),
    (lambda: tf.nn.avg_pool(tf.zeros([1, 7, 7, 2]), [1, 8, 8, 1], 1, "VALID"), ValueError,
     "AvgPool op 'AvgPool': Negative dimension size caused by subtracting 8 from 7"),
    (lambda: tf.nn.avg_pool(tf.zeros([1, 7, 7, 2]), 2, 2, "SAME", data_format="NCHW"), ValueError,
     "AvgPool: data_format 'NCHW' is not supported"),
    (lambda: tf.nn.bias_add(tf.zeros([3, 4]), tf.zeros([3])), ValueError,
     "BiasAdd op 'BiasAdd': Dimensions must be equal, but are 4 and 3"),
    (lambda: tf.nn.bias_add(tf.zeros([4]), tf.zeros([4])), ValueError, "Shape must be at least rank 2 but is rank 1"),
    (lambda: tf.nn.conv2d_transpose(tf.zeros([2, 4, 4, 3]), tf.zeros([3, 3, 5, 3]), [2, 9, 9, 5], 2),
     ValueError, r"Conv2DBackpropInput op 'conv2d_transpose': output_shape \[2, 9, 9, 5\] would convolve to \[5,5\]"),
    (lambda: tf.nn.conv2d_transpose(tf.zeros([2, 4, 4, 3]), tf.zeros([3, 3, 5, 3]), [2, 8, 8], 2),
     ValueError, "conv2d_transpose: output_shape must have 4 elements"),
])
def test_bad_input_errors_name_the_op_and_the_argument(build, error, message):
    with pytest.raises(error, match=message):
        build()
