"""The backward pass as graph ops: TF1's names, stop_gradients, grad_ys, and gradients of
gradients (second and third order, `hessians`) against central finite differences."""

import numpy as np
import pytest
from test_engine_gradients import BROADCASTS, SHAPES, away_from_zero, check_gradients, positive

import engine as tf


def test_backward_pass_ops_have_tf1s_names():
    x = tf.Variable([1.0, 2.0], name="x")
    y = tf.reduce_sum(x * x + tf.sin(x))
    (g,) = tf.gradients(y, x)
    (g2,) = tf.gradients(g, x)
    assert g.name == "gradients/AddN:0" and g2.name == "gradients_1/AddN:0"
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"gradients/grad_ys_0", "gradients/mul_grad/Mul", "gradients/mul_grad/Mul_1",
            "gradients/Sin_grad/Sin", "gradients_1/grad_ys_0"} <= names
    assert any(n.startswith("gradients_1/gradients/mul_grad/Mul_grad/") for n in names)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value, second = sess.run([g, g2])
    np.testing.assert_allclose(value, 2 * np.array([1.0, 2.0]) + np.cos([1.0, 2.0]), rtol=1e-6)
    np.testing.assert_allclose(second, 2 - np.sin([1.0, 2.0]), rtol=1e-6)


def test_gradients_inside_a_name_scope_and_under_a_name():
    x = tf.constant(3.0)
    with tf.name_scope("outer"):
        (g,) = tf.gradients(tf.square(x), x)
    (h,) = tf.gradients(tf.square(x), x, name="mine")
    assert g.name.startswith("outer/gradients/") and h.name.startswith("mine/")


def test_graph_definition_shows_the_backward_pass():
    x = tf.placeholder(tf.float32, [3], name="x")
    (g,) = tf.gradients(tf.reduce_sum(tf.exp(x)), x)
    nodes = {n["name"]: n for n in tf.get_default_graph().as_graph_def()["nodes"]}
    node = nodes[g.op.name]
    assert node["op"] == "VJP" and node["shape"] == [3] and g.op.name.startswith("gradients/Exp_grad/")


def test_stop_gradients_hold_tensors_constant():
    a = tf.constant(2.0)
    b = 3.0 * a
    z = a * b
    with tf.Session() as sess:
        assert sess.run(tf.gradients(z, [a, b], stop_gradients=[b])) == [6.0, 2.0]
        assert sess.run(tf.gradients(z, [a, b], stop_gradients=b)) == [6.0, 2.0]
        assert sess.run(tf.gradients(z, [a, b])) == [12.0, 2.0]
        assert sess.run(tf.gradients(a * tf.stop_gradient(b), a)) == [6.0]


def test_non_scalar_ys_are_summed_or_weighted_by_grad_ys():
    m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    y = tf.square(m)
    weights = np.array([[1.0, 0.0], [2.0, -1.0]], np.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(tf.gradients(y, m)[0]), [[2, 4], [6, 8]])
        np.testing.assert_array_equal(sess.run(tf.gradients(y, m, grad_ys=weights)[0]), [[2, 0], [12, -8]])
        np.testing.assert_array_equal(sess.run(tf.gradients([y, y], m, grad_ys=[None, weights])[0]),
                                      [[4, 4], [18, 0]])


def test_grad_ys_errors_name_what_is_wrong():
    x = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match="Length mismatch. Passed 2 grad_ys for 1 ys"):
        tf.gradients(tf.square(x), x, grad_ys=[[1.0, 2.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match=r"Incompatible shapes .* 'Square_1:0': \(2,\) and \(3,\)"):
        tf.gradients(tf.square(x), x, grad_ys=[[1.0, 2.0, 3.0]])


def test_a_tensor_both_x_and_on_the_path_gets_one_sum():
    x = tf.constant(2.0)
    h = x * x
    y = h * h + h
    grads = tf.gradients(y, [h, x])
    assert sum(op.type == "AddN" for op in tf.get_default_graph().get_operations()) == 2
    with tf.Session() as sess:
        assert sess.run(grads) == [2 * 4.0 + 1, (2 * 4.0 + 1) * 4.0]


def test_unconnected_second_order_is_none():
    x, y = tf.constant(1.0), tf.constant(2.0)
    (g,) = tf.gradients(x * y, x)  # = y: no function of x
    assert tf.gradients(g, x) == [None]


def second_order(op):
    """A function of (x, y) giving d/dx of sum(op(x, y)²): its gradients are second order."""
    return lambda x, y: tf.gradients(tf.square(op(x, y)), [x])[0]


BINARY = {
    "multiply": (tf.multiply, np.random.standard_normal, np.random.standard_normal),
    "divide": (tf.divide, np.random.standard_normal, away_from_zero),
    "pow": (tf.pow, positive, np.random.standard_normal),
    "squared_difference": (tf.squared_difference, np.random.standard_normal, np.random.standard_normal),
    "add": (tf.add, np.random.standard_normal, np.random.standard_normal),
    "subtract": (lambda x, y: (x - y) * x, np.random.standard_normal, np.random.standard_normal),
}


@pytest.mark.parametrize("shapes", BROADCASTS.values(), ids=BROADCASTS.keys())
@pytest.mark.parametrize("op", BINARY.values(), ids=BINARY.keys())
def test_second_order_binary(op, shapes):
    build, make_x, make_y = op
    check_gradients(second_order(build), np.asarray(make_x(shapes[0])), np.asarray(make_y(shapes[1])),
                    rtol=1e-4, atol=1e-6)


UNARY = {
    "square": (tf.square, np.random.standard_normal),
    "sqrt": (tf.sqrt, positive),
    "exp": (tf.exp, np.random.standard_normal),
    "log": (tf.log, positive),
    "sin": (tf.sin, np.random.standard_normal),
    "cos": (tf.cos, np.random.standard_normal),
    "tanh": (tf.tanh, np.random.standard_normal),
    "sigmoid": (tf.sigmoid, np.random.standard_normal),
    "reciprocal": (tf.reciprocal, away_from_zero),
    "relu": (lambda x: tf.nn.relu(x) * x, away_from_zero),
    "linear ops": (lambda x: tf.reduce_mean(tf.reshape(x, [-1])[:2] ** 3) - tf.reduce_sum(-x * x),
                   np.random.standard_normal),
}


@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("op", UNARY.values(), ids=UNARY.keys())
def test_second_order_unary(op, shape):
    build, make = op
    check_gradients(lambda x: tf.gradients(build(x), x)[0], np.asarray(make(shape)), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("transpose_a", [False, True])
@pytest.mark.parametrize("transpose_b", [False, True])
def test_second_order_matmul(transpose_a, transpose_b):
    a = np.random.standard_normal((4, 3) if transpose_a else (3, 4))
    b = np.random.standard_normal((5, 4) if transpose_b else (4, 5))

    def loss(x, y):
        return tf.square(tf.matmul(x, y, transpose_a=transpose_a, transpose_b=transpose_b))
    check_gradients(lambda x, y: tf.gradients(loss(x, y), x)[0], a, b, rtol=1e-4, atol=1e-6)
    check_gradients(lambda x, y: tf.gradients(loss(x, y), y)[0], a, b, rtol=1e-4, atol=1e-6)


def test_second_order_sigmoid_cross_entropy():
    labels, logits = np.random.uniform(0, 1, (3, 4)), np.random.standard_normal((3, 4))

    def grad(z, x):
        return tf.gradients(tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x) * x, x)[0]
    check_gradients(grad, labels, logits, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("shapes", [((3, 4), (4,)), ((3, 1), (1, 4)), ((), (3, 4))])
def test_third_order_through_broadcasting(shapes):
    x, y = np.random.uniform(0.5, 2.0, shapes[0]), np.random.standard_normal(shapes[1])

    def second(x, y):
        (g,) = tf.gradients(x ** 4 * y, x)
        return tf.gradients(g * y, x)[0]
    check_gradients(second, x, y, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("shapes", [((3, 4), (4,)), ((3, 1), (1, 4)), ((3, 4), ())])
def test_second_and_third_order_into_a_broadcast_input(shapes):
    x, y = np.random.uniform(0.5, 2.0, shapes[0]), np.random.standard_normal(shapes[1])

    def mixed(x, y):  # d/dx of d/dy: the gradient of summing back to y's shape
        (gy,) = tf.gradients(x ** 4 * y * y, y)
        return tf.gradients(gy * gy, x)[0]
    check_gradients(mixed, x, y, rtol=1e-4, atol=1e-6)


def test_hessians_against_finite_differences_and_tf1s_shape():
    values = np.random.standard_normal((2, 3))
    x = tf.placeholder(tf.float64, [2, 3])
    f = tf.reduce_sum(x ** 3) + tf.reduce_sum(tf.sin(x) * x[:, :1])
    (h,) = tf.hessians(f, x)
    assert h.get_shape().as_list() == [2, 3, 2, 3]
    (g,) = tf.gradients(f, x)
    with tf.Session() as sess:
        hessian = sess.run(h, {x: values})
        numeric = np.zeros((2, 3, 2, 3))
        step = 1e-6
        for index in np.ndindex(2, 3):
            plus, minus = values.copy(), values.copy()
            plus[index] += step
            minus[index] -= step
            numeric[(Ellipsis, *index)] = (sess.run(g, {x: plus}) - sess.run(g, {x: minus})) / (2 * step)
    np.testing.assert_allclose(hessian, numeric, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(hessian.reshape(6, 6), hessian.reshape(6, 6).T, atol=1e-9)


def test_hessian_of_a_quadratic_form():
    a = np.array([[2.0, 1.0], [0.0, 3.0]])
    x = tf.Variable([1.0, -1.0], dtype=tf.float64)
    (h,) = tf.hessians(tf.reduce_sum(x * tf.reshape(tf.matmul(a, tf.expand_dims(x, 1)), [2])), x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(h), a + a.T)


def test_hessians_need_a_known_shape():
    x = tf.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match="hessians needs a fully defined shape for 'Placeholder:0'"):
        tf.hessians(tf.reduce_sum(x * x), x)


# -- convolution, pooling and softmax -------------------------------------------------------

def build_gradient_ops(x, y):
    """The ops that a convolution's and a max-pool's gradients are, on x and y of shape [3, 4]:
    third order makes each of them (test_engine_ops.py checks their grad_reads)."""
    images, filters = tf.reshape(x, [1, 3, 4, 1]), tf.reshape(y[:2], [2, 2, 1, 2])
    conv = tf.nn.conv2d(images, filters, 1, "SAME")
    pool = tf.nn.max_pool(images, 2, 1, "VALID")
    for inputs, layer in (([images, filters], conv), ([images], pool)):
        grads = tf.gradients(layer ** 3, inputs)
        second = tf.gradients(tf.add_n([tf.reduce_sum(g * g) for g in grads]), inputs)
        tf.gradients(tf.add_n([tf.reduce_sum(g * g) for g in second]), inputs)


CONVS = {"same": ([1, 1, 1, 1], "SAME", [1, 1, 1, 1]), "valid-stride-2": ([1, 2, 2, 1], "VALID", [1, 1, 1, 1]),
         "same-dilated": ([1, 1, 1, 1], "SAME", [1, 2, 2, 1])}


@pytest.mark.parametrize("strides, padding, dilations", CONVS.values(), ids=CONVS.keys())
def test_second_order_conv2d(strides, padding, dilations):
    x, f = np.random.standard_normal((2, 5, 5, 2)), np.random.standard_normal((3, 3, 2, 3))

    def loss(x, f):
        return tf.square(tf.nn.conv2d(x, f, strides=strides, padding=padding, dilations=dilations))
    check_gradients(lambda x, f: tf.gradients(loss(x, f), x)[0], x, f, rtol=1e-4, atol=1e-6)
    check_gradients(lambda x, f: tf.gradients(loss(x, f), f)[0], x, f, rtol=1e-4, atol=1e-6)


def test_third_order_conv2d():
    x, f = np.random.standard_normal((1, 4, 4, 1)), np.random.standard_normal((2, 2, 1, 2))

    def second(x, f):
        (gx,) = tf.gradients(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME") ** 3, x)
        return tf.gradients(gx * gx, f)[0]
    check_gradients(second, x, f, rtol=1e-4, atol=1e-6)


def test_second_order_conv2d_transpose():
    value, f = np.random.standard_normal((1, 3, 3, 2)), np.random.standard_normal((2, 2, 3, 2))

    def loss(v, f):
        return tf.nn.conv2d_transpose(v, f, [1, 6, 6, 3], [1, 2, 2, 1], "SAME") ** 2
    check_gradients(lambda v, f: tf.gradients(loss(v, f), v)[0], value, f, rtol=1e-4, atol=1e-6)
    check_gradients(lambda v, f: tf.gradients(loss(v, f), f)[0], value, f, rtol=1e-4, atol=1e-6)


POOLS = {"2x2": ([1, 2, 2, 1], [1, 2, 2, 1], "VALID"), "3x3-stride-2-same": ([1, 3, 3, 1], [1, 2, 2, 1], "SAME")}


@pytest.mark.parametrize("ksize, strides, padding", POOLS.values(), ids=POOLS.keys())
@pytest.mark.parametrize("pool", [tf.nn.max_pool, tf.nn.avg_pool], ids=["max", "avg"])
def test_second_order_pooling(pool, ksize, strides, padding):
    x = np.random.permutation(np.linspace(-2, 2, 2 * 5 * 5 * 3)).reshape(2, 5, 5, 3)  # no ties
    w = np.random.standard_normal(x.shape)

    def grad(x):
        return tf.gradients(pool(x * w, ksize, strides, padding) ** 3, x)[0]
    check_gradients(grad, x, rtol=1e-4, atol=1e-6)


def test_third_order_max_pool():
    x = np.random.permutation(np.linspace(-2, 2, 16)).reshape(1, 4, 4, 1)

    def third(x):
        (g,) = tf.gradients(tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID") ** 4, x)
        (g2,) = tf.gradients(g * g, x)
        return g2 * x
    check_gradients(third, x, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("axis", [-1, 0])
@pytest.mark.parametrize("op", [tf.nn.softmax, tf.nn.log_softmax], ids=["softmax", "log_softmax"])
def test_second_order_softmax(op, axis):
    logits, w = np.random.standard_normal((3, 4)), np.random.standard_normal((3, 4))
    check_gradients(lambda x: tf.gradients(op(x, axis=axis) * w * x, x)[0], logits, rtol=1e-4, atol=1e-6)


def test_second_order_softmax_cross_entropy():
    labels = np.random.dirichlet(np.ones(4), 3)
    logits = np.random.standard_normal((3, 4))

    def loss(z, x):
        return tf.nn.softmax_cross_entropy_with_logits_v2(labels=z, logits=x) ** 2
    check_gradients(lambda z, x: tf.gradients(loss(z, x), x)[0], labels, logits, rtol=1e-4, atol=1e-6)
    check_gradients(lambda z, x: tf.gradients(loss(z, x), z)[0], labels, logits, rtol=1e-4, atol=1e-6)


def test_hessian_of_sparse_softmax_cross_entropy():
    logits = np.random.standard_normal((2, 3))
    x = tf.placeholder(tf.float64, [2, 3])
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[2, 0], logits=x))
    (h,) = tf.hessians(loss, x)
    with tf.Session() as sess:
        hessian = sess.run(h, {x: logits})
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    expected = np.zeros((2, 3, 2, 3))
    for row in range(2):  # d²/dx² of log-sum-exp: diag(p) - p pᵀ, per row, halved by the mean
        expected[row, :, row, :] = (np.diag(p[row]) - np.outer(p[row], p[row])) / 2
    np.testing.assert_allclose(hessian, expected, rtol=1e-6, atol=1e-9)
