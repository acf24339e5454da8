"""Run-time checks (tf.Assert, tf.assert_*, tf.debugging, tf.check_numerics, tf.Print): each
message below is what TensorFlow 2.21's tf.compat.v1 gives for the same graph and feed."""

import numpy as np
import pytest
from test_engine_gradients import check_gradients

import engine as tf


def failure(fetch, feed):
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as caught:
            sess.run(fetch, feed)
    return caught.value.message


def build_check_ops(x):
    """The differentiable ones, for test_engine_gradients' census of op types."""
    return tf.check_numerics(x, "x"), tf.Print(x, [x])


def test_assert_passes_and_fails_with_tf1s_text():
    x = tf.placeholder(tf.float32, [None])
    check = tf.Assert(tf.reduce_all(x > 0), ["x must be positive:", x, tf.reduce_min(x)])
    assert isinstance(check, tf.Operation) and check.type == "Assert" and not check.outputs
    with tf.control_dependencies([check]):
        doubled = tf.identity(x * 2)
    with tf.Session() as sess:
        assert sess.run(doubled, {x: [1, 2]}).tolist() == [2, 4]
        assert sess.run(check, {x: [1, 2]}) is None
    assert failure(doubled, {x: [1, -2, 3]}) == "assertion failed: [x must be positive:] [1 -2 3] [-2]"


def test_assert_summarizes_as_tf_does():
    m = tf.placeholder(tf.int32, [None, None])
    check = tf.Assert(False, [m, 2.5, True, 1e-7, "s"], summarize=10)
    assert failure(check, {m: [[1, 2], [3, 4]]}) == "assertion failed: [[1 2][3 4]] [2.5] [1] [1e-07] [s]"
    x = tf.placeholder(tf.float32, [None])
    assert failure(tf.assert_less(x, 10.0, data=[x], summarize=2), {x: [1, 20, 30, 40]}) == \
        "assertion failed: [1 20...]"
    with pytest.raises(ValueError, match="Assert: condition must be a scalar bool"):
        tf.Assert(x > 0, [x])


@pytest.mark.parametrize("build, feed, good, text", [
    (lambda x: tf.assert_equal(x, 1.0), [1, 2], [1, 1],
     "[Condition x == y did not hold element-wise:] [x (Placeholder:0) = ] [1 2] [y (assert_equal/y:0) = ] [1]"),
    (lambda x: tf.assert_positive(x, message="m"), [1, -1], [1, 2],
     "[m.  ] [Condition x > 0 did not hold element-wise:] [x (Placeholder:0) = ] [1 -1]"),
    (lambda x: tf.assert_non_negative(x), [-1], [0],
     "[] [Condition x >= 0 did not hold element-wise:] [x (Placeholder:0) = ] [-1]"),
    (lambda x: tf.debugging.assert_negative(x), [1], [-1],
     "[] [Condition x < 0 did not hold element-wise:] [x (Placeholder:0) = ] [1]"),
    (lambda x: tf.assert_non_positive(x), [1], [0],
     "[] [Condition x <= 0 did not hold element-wise:x (Placeholder:0) = ] [1]"),
    (lambda x: tf.assert_greater_equal(x, 2.0, message="ge"), [1], [2],
     "[ge] [Condition x >= y did not hold element-wise:] [x (Placeholder:0) = ] [1] [y (assert_greater_equal/y:0) = ] [2]"),
    (lambda x: tf.debugging.assert_greater(x, 2.0), [1], [3],
     "[Condition x > y did not hold element-wise:] [x (Placeholder:0) = ] [1] [y (assert_greater/y:0) = ] [2]"),
    (lambda x: tf.assert_less_equal(x, 0.0), [1], [0],
     "[Condition x <= y did not hold element-wise:] [x (Placeholder:0) = ] [1] [y (assert_less_equal/y:0) = ] [0]"),
    (lambda x: tf.assert_none_equal(x, 1.0), [1], [2],
     "[Condition x != y did not hold element-wise:] [x (Placeholder:0) = ] [1] [y (assert_none_equal/y:0) = ] [1]"),
])
def test_each_comparison_fails_with_tf1s_text(build, feed, good, text):
    x = tf.placeholder(tf.float32, [None])
    check = build(x)
    assert failure(check, {x: feed}) == "assertion failed: " + text
    with tf.Session() as sess:
        assert sess.run(check, {x: good}) is None


def test_a_comparison_known_when_built_fails_at_once():
    with pytest.raises(tf.errors.InvalidArgumentError) as caught:
        tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]), message="static")
    assert caught.value.message == ("static\nCondition x == y did not hold element-wise:\n"
                                    "x (Const:0) = \n[1 2]\ny (Const_1:0) = \n[1 3]")
    assert tf.assert_equal(tf.constant(1), 1).type == "Assert"  # holds: an op like any other


def test_static_checks_of_rank_type_and_kind():
    x = tf.placeholder(tf.float32, [None])
    m = tf.placeholder(tf.int32, [None, None])
    assert tf.assert_rank(m, 2).name == "assert_rank/static_checks_determined_all_ok"
    assert tf.assert_rank_at_least(m, 1).type == "NoOp"
    cases = [
        (lambda: tf.assert_rank(x, 2, message="rk"), ValueError,
         "rk.  Tensor Placeholder:0 must have rank 2.  Received rank 1, shape (?,)"),
        (lambda: tf.assert_rank_at_least(x, 2), ValueError,
         "Tensor Placeholder:0 must have rank at least 2.  Received rank 1, shape (?,)"),
        (lambda: tf.assert_type(x, tf.int32, message="mm"), TypeError,
         "mm.  Placeholder:0 must be of type tf.int32; got tf.float32"),
        (lambda: tf.assert_integer(x), TypeError,
         "Expected \"x\" to be integer type.  Found: Placeholder:0 of dtype <dtype: 'float32'>"),
        (lambda: tf.assert_scalar(x), ValueError, "Expected scalar shape for Placeholder:0, saw shape: (?,)."),
    ]
    for build, error, text in cases:
        with pytest.raises(error) as caught:
            build()
        assert str(caught.value) == text
    assert tf.assert_type(m, tf.int32).type == tf.assert_integer(m).type == "NoOp"
    assert tf.debugging.is_numeric_tensor(x) and not tf.is_numeric_tensor(tf.constant("a"))


def test_check_numerics_names_nan_and_inf():
    x = tf.placeholder(tf.float32, [None])
    checked = tf.check_numerics(x, "bad x")
    assert checked.name == "CheckNumerics:0" and checked.shape.as_list() == [None]
    assert failure(checked, {x: [1, np.nan]}) == "bad x : Tensor had NaN values"
    assert failure(tf.debugging.check_numerics(x, "bad x"), {x: [1, np.inf]}) == "bad x : Tensor had Inf values"
    assert failure(tf.verify_tensor_all_finite(x, "v"), {x: [-np.inf]}) == "v : Tensor had Inf values"
    with tf.Session() as sess:
        assert sess.run(checked, {x: [1, 2]}).tolist() == [1, 2]
    with pytest.raises(TypeError, match="parameter 'tensor' has DataType int32 not in list of allowed values"):
        tf.check_numerics(tf.constant(1), "int")


def test_print_passes_its_input_and_prints_its_data(capsys):
    x = tf.placeholder(tf.float32, [None])
    printed = tf.Print(x, [x, "t"], message="hello: ")
    once = tf.Print(x * 2, [x], first_n=1)
    assert printed.name == "Print:0" and printed.shape.as_list() == [None]
    with tf.Session() as sess:
        assert sess.run(printed, {x: [1, 2]}).tolist() == [1, 2]
        for _ in range(3):
            sess.run(once, {x: [3]})
    assert capsys.readouterr().err == "hello: [1 2][t]\n[3]\n"


def test_gradients_pass_through_check_numerics_and_print():
    check_gradients(lambda x: tf.check_numerics(x * x, "sq"), np.random.standard_normal((3, 2)))
    check_gradients(lambda x: tf.Print(tf.sin(x), [x, tf.reduce_sum(x)]), np.random.standard_normal(4))
    x = tf.placeholder(tf.float64, [2])
    assert tf.gradients(tf.Print(x * 3.0, [x * 5.0]), x)[0] is not None
