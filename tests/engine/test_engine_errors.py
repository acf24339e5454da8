"""Bad input gets an error that names what was wrong."""

import numpy as np
import pytest

import engine as tf
from engine.extend import defop, lookup


def test_unfed_placeholder_is_named():
    x = tf.placeholder(tf.float32, [None, 2], name="features")
    y = tf.reduce_sum(x * 2.0)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"must feed a value for placeholder tensor 'features' with dtype float32 and shape \(\?, 2\)"):
            sess.run(y)


@pytest.mark.parametrize("value, expected", [
    (np.zeros((3, 3), np.float32), r"shape \(3, 3\) for Tensor 'x:0', which has shape \(\?, 2\)"),
    (np.zeros(2, np.float32), r"shape \(2,\) for Tensor 'x:0', which has shape \(\?, 2\)"),
    (np.zeros((1, 2, 1), np.float32), r"shape \(1, 2, 1\) for Tensor 'x:0'"),
])
def test_fed_value_of_wrong_shape(value, expected):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=expected):
            sess.run(x * 1.0, {x: value})


@pytest.mark.parametrize("dtype, value, expected", [
    (tf.int32, [1.5, 2.5], "dtype float64 for Tensor 'x:0', which has dtype int32"),
    (tf.float32, ["a", "b"], "dtype <U1 for Tensor 'x:0', which has dtype float32"),
    (tf.bool, [1.0], "dtype float64 for Tensor 'x:0', which has dtype bool"),
])
def test_fed_value_of_wrong_dtype(dtype, value, expected):
    x = tf.placeholder(dtype, [None], name="x")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=expected):
            sess.run(tf.identity(x), {x: value})


def test_whole_floats_fed_to_an_int_placeholder_are_converted():
    """TensorFlow-Examples' DCGAN feeds np.ones / np.zeros (float64) as int32 labels. TF truncates
    any float there; the engine takes floats that are whole numbers and refuses the rest."""
    x = tf.placeholder(tf.int32, [None], name="x")
    with tf.Session() as sess:
        value = sess.run(tf.identity(x), {x: np.concatenate([np.ones(2), np.zeros(2), [-3.0]])})
        assert value.dtype == np.int32 and value.tolist() == [1, 1, 0, 0, -3]
        for bad in ([np.nan], [2.0 ** 40], [0.5]):
            with pytest.raises(tf.errors.InvalidArgumentError, match="dtype float64 for Tensor 'x:0', which has dtype int32"):
                sess.run(tf.identity(x), {x: bad})


def test_compatible_feeds_are_converted():
    x = tf.placeholder(tf.float32, [None], name="x")
    with tf.Session() as sess:
        value = sess.run(tf.identity(x), {x: [1, 2]})
    assert value.dtype == np.float32 and value.tolist() == [1.0, 2.0]


def test_uninitialized_variable_is_named():
    with tf.name_scope("update"):
        total = tf.Variable(0.0, name="total")
    with tf.Session() as sess:
        for fetch in (total, total * 2.0, total.assign_add(1.0)):
            with pytest.raises(tf.errors.FailedPreconditionError,
                               match="Attempting to use uninitialized value update/total"):
                sess.run(fetch)


def test_tensor_from_another_graph():
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0, name="foreign")
    local = tf.constant(2.0, name="local")
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="Tensor 'foreign:0' is not an element of this graph"):
            sess.run(foreign)
        with pytest.raises(ValueError, match="Tensor 'foreign:0' is not an element of this graph"):
            sess.run(local, {foreign: 1.0})
    with pytest.raises(ValueError, match="Tensor 'local:0' must be from the same graph as "
                                         "Tensor 'foreign:0' \\(inputs of the op 'add' being built\\)"):
        foreign + local


@pytest.mark.parametrize("name, error, expected", [
    ("nothing:0", KeyError, "'nothing:0' refers to a Tensor which does not exist"),
    ("nothing", KeyError, "'nothing' refers to an Operation not in the graph"),
    ("a:3", KeyError, "'a' has 1 output"),
])
def test_unknown_fetch_name(name, error, expected):
    tf.constant(1.0, name="a")
    with tf.Session() as sess:
        with pytest.raises(error, match=expected):
            sess.run(name)


@pytest.mark.parametrize("fetch", [None, 3.0, object()])
def test_fetch_of_the_wrong_type(fetch):
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="cannot be used here"):
            sess.run(fetch)


def test_gradient_through_an_op_without_one():
    v = tf.Variable(1.0, name="v")
    x = tf.constant(2.0, name="x")
    updated = v.assign_add(x, name="bump")
    with pytest.raises(LookupError, match=r"No gradient defined for operation 'bump' \(op type: AssignAdd\)"):
        tf.gradients(updated * 2.0, [x])
    (g,) = tf.gradients(tf.erf(x), [x])
    with pytest.raises(LookupError, match=r"operation 'gradients_1/Erf_grad/Erf' \(op type: VJP\): "
                                          r"second-order gradients through Erf \('Erf'\)"):
        tf.gradients(g, [x])


def test_minimize_without_a_path_to_any_variable():
    tf.Variable(1.0, name="w")
    with pytest.raises(ValueError, match="No gradients provided for any variable.*w"):
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1.0) * 2.0)


def test_mismatched_dtypes():
    with pytest.raises(TypeError, match="has type int32 that does not match type float32"):
        tf.constant(1.0) + tf.constant(1)
    with pytest.raises(TypeError, match="expected int32, got 2.5"):
        tf.constant(1) * 2.5


@pytest.mark.parametrize("dtype", ["floaty", 3, complex])
def test_unknown_dtype(dtype):
    with pytest.raises(TypeError, match="cannot convert .* to an engine dtype"):
        tf.placeholder(dtype)


def test_summary_of_a_non_scalar():
    with pytest.raises(ValueError, match="summary 'loss' needs a scalar tensor, got 'ones:0' of shape \\(3,\\)"):
        tf.summary.scalar("loss", tf.ones([3]))
    x = tf.placeholder(tf.float32, name="x")
    summary = tf.summary.scalar("value", x)
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="summary 'value' needs a scalar, got a value of shape \\(2,\\)"):
            sess.run(summary, {x: [1.0, 2.0]})


def test_registry_is_keyed_by_op_type_name():
    assert lookup("MatMul").type == "MatMul"
    with pytest.raises(TypeError, match="no op type 'NoSuchOp' is registered"):
        lookup("NoSuchOp")
    with pytest.raises(TypeError, match="keyed by name"):
        lookup(len)
    with pytest.raises(KeyError, match="'MatMul' is already registered"):
        defop("MatMul", forward=np.matmul)


def test_bad_reshape_and_axis():
    with pytest.raises(ValueError, match=r"cannot reshape a tensor of shape \(2, 3\)"):
        tf.reshape(tf.ones([2, 3]), [4, 2])
    with pytest.raises(ValueError, match="axis 2 is out of range for a tensor of rank 2"):
        tf.reduce_sum(tf.ones([2, 3]), axis=2)


@pytest.mark.parametrize("key, error, expected", [
    ([0, 1], TypeError, r"only ints, slices, None and \.\.\. can index a Tensor, got \[0, 1\]"),
    ((0, 0, 0), ValueError, r"does not fit shape \(2, 3\)"),
    (5, ValueError, r"does not fit shape \(2, 3\)"),
])
def test_bad_slices(key, error, expected):
    with pytest.raises(error, match=expected):
        tf.ones([2, 3])[key]


def test_an_op_error_has_tf1s_message_attribute():
    """TF1 code reports a failed run with `except tf.errors.OpError as e: print(e.message)`."""
    x = tf.placeholder(tf.float32, [None], name="x")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.OpError) as caught:
            sess.run(x * 1.0)
    assert caught.value.message == str(caught.value) and "placeholder tensor 'x'" in caught.value.message
