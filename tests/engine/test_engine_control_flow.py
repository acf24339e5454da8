"""cond, case, while_loop, tuple, py_func and control_dependencies: values, TF1's names and
errors, that only the taken branch runs, and gradients against central finite differences."""

import numpy as np
import pytest
from test_engine_gradients import check_gradients

import engine as tf


def counter(calls, key):
    """A py_func that counts its runs under `key` and passes its input through."""
    def count(value):
        calls[key] = calls.get(key, 0) + 1
        return value
    return count


# -- cond and case ------------------------------------------------------------------------

def test_cond_runs_only_the_taken_branch():
    calls = {}
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.cond(x < 2.0, lambda: tf.py_func(counter(calls, "true"), [x * 2.0], tf.float32),
                lambda: tf.py_func(counter(calls, "false"), [tf.sqrt(x) * 3.0], tf.float32))
    assert y.name == "cond/Merge:0"
    with tf.Session() as sess:
        assert sess.run(y, {x: 1.0}) == 2.0 and calls == {"true": 1}
        assert sess.run(y, {x: 4.0}) == 6.0 and calls == {"true": 1, "false": 1}


def test_cond_gives_nested_structures_and_merges_static_shapes():
    x = tf.placeholder(tf.float32, [None, 3])
    flag = tf.placeholder(tf.bool, [])
    out = tf.cond(flag, lambda: {"a": x, "b": [x[:, 0], 1.0]}, lambda: {"a": 2.0 * x, "b": [x[:, 1], 2.0]})
    assert out["a"].get_shape().as_list() == [None, 3] and out["b"][1].get_shape().as_list() == []
    values = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session() as sess:
        got = sess.run(out, {x: values, flag: False})
    np.testing.assert_array_equal(got["a"], 2 * values)
    np.testing.assert_array_equal(got["b"][0], values[:, 1])
    assert got["b"][1] == 2.0


@pytest.mark.parametrize("args, error, message", [
    ((1.0, lambda: 1.0), TypeError, "'true_fn' must be callable."),
    ((lambda: 1.0, "no"), TypeError, "'false_fn' must be callable."),
    ((None, lambda: 1.0), TypeError, r"cond\(\): 'true_fn' argument required"),
    ((lambda: 1.0, None), TypeError, r"cond\(\): 'false_fn' argument required"),
    ((lambda: 1.0, lambda: (1.0, 2.0)), ValueError, "The two structures don't have the same nested structure"),
    ((lambda: 1.0, lambda: 1), ValueError, r"Outputs of 'true_fn' and 'false_fn' must have the same type\(s\). "
                                           "Received float32 from 'true_fn' and int32 from 'false_fn'."),
])
def test_cond_errors_are_tf1s(args, error, message):
    with pytest.raises(error, match=message):
        tf.cond(tf.constant(True), *args)


def test_cond_needs_a_scalar_bool_pred():
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        tf.cond(tf.constant([True, False]), lambda: 1.0, lambda: 2.0)
    with pytest.raises(TypeError, match="pred 'Const_1:0' must be a bool tensor, got float32"):
        tf.cond(tf.constant(1.0), lambda: 1.0, lambda: 2.0)


@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
@pytest.mark.parametrize("positive", [True, False])
def test_gradients_through_cond(shape, positive):
    x = np.asarray(np.random.uniform(0.5, 2.0, shape) * (1 if positive else -1))
    y = np.asarray(np.random.standard_normal(shape))

    def build(x, y):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x) * y, lambda: x * x * tf.exp(y))
    check_gradients(build, x, y)


def test_gradient_of_a_cond_inside_a_cond():
    def build(x):
        return tf.cond(x > 0, lambda: tf.cond(x > 1, lambda: x ** 3, lambda: 2.0 * x), lambda: -x * x)
    for value in [2.0, 0.5, -1.5]:
        check_gradients(build, np.asarray(value))


def test_case_picks_the_first_true_pred_and_has_gradients():
    t = tf.placeholder(tf.float32, [])
    branchy = tf.case([(t < -1.0, lambda: -t), (t < 1.0, lambda: t * t)], default=lambda: 2.0 * t - 1.0)
    assert branchy.name == "case/cond/Merge:0"
    (grad,) = tf.gradients(branchy, t)
    with tf.Session() as sess:
        assert [sess.run(branchy, {t: p}) for p in (-2.0, -0.5, 0.5, 3.0)] == [2.0, 0.25, 0.25, 5.0]
        assert [sess.run(grad, {t: p}) for p in (-2.0, -0.5, 3.0)] == [-1.0, -1.0, 2.0]
    with pytest.raises(TypeError, match="default must be callable"):
        tf.case([(t < 0, lambda: t)], default=1.0)
    with pytest.raises(ValueError, match="pred_fn_pairs must be a non-empty list"):
        tf.case([], default=lambda: t)


def test_case_exclusive_refuses_more_than_one_true_pred_with_tf1s_message():
    x = tf.placeholder(tf.int32, [])
    picked = tf.case([(tf.less(x, 5, name="small"), lambda: tf.constant(1)),
                      (tf.less(x, 10, name="medium"), lambda: tf.constant(2)),
                      (tf.less(x, 20, name="large"), lambda: tf.constant(4))],
                     default=lambda: tf.constant(3), exclusive=True)
    with tf.Session() as sess:
        assert [sess.run(picked, {x: v}) for v in (15, 30)] == [4, 3]
        with pytest.raises(tf.errors.InvalidArgumentError) as error:
            sess.run(picked, {x: 7})
        assert str(error.value) == ("assertion failed: [Input error: exclusive=True: more than 1 conditions "
                                    "(small:0, medium:0, large:0) evaluated as True:] [0 1 1]")


def test_case_without_a_default_runs_the_last_fn_only_when_its_pred_holds():
    """TF1 makes the last pair the default, guarded: no true pred at all is an error."""
    x = tf.placeholder(tf.int32, [])
    picked = tf.case([(x < 5, lambda: tf.constant(1)), (x < 10, lambda: tf.constant(2))])
    with tf.Session() as sess:
        assert [sess.run(picked, {x: v}) for v in (3, 7)] == [1, 2]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"^assertion failed: \[Input error: None of conditions evaluated as True:\] \[0 0\]$"):
            sess.run(picked, {x: 12})
        alone = tf.case([(x < 5, lambda: tf.constant(1))])
        assert sess.run(alone, {x: 3}) == 1
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"evaluated as True:\] \[0\]$"):
            sess.run(alone, {x: 7})
    with pytest.raises(TypeError, match="case: pred 'Placeholder_1:0' must be a bool tensor, got int32"):
        tf.case([(tf.placeholder(tf.int32, []), lambda: x)], exclusive=True)


# -- while_loop ---------------------------------------------------------------------------

def test_while_loop_power_and_its_gradient():
    base = tf.Variable(1.5)
    _, power = tf.while_loop(lambda i, acc: i < 5, lambda i, acc: (i + 1, acc * base),
                             [tf.constant(0), tf.constant(1.0)])
    assert power.name == "while/Exit:1"
    (grad,) = tf.gradients(power, base)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run([power, grad]), [1.5 ** 5, 5 * 1.5 ** 4], rtol=1e-6)


def test_while_loop_of_one_var_gives_a_tensor_and_honours_maximum_iterations():
    loop = tf.while_loop(lambda i: i < 100, lambda i: i + 3, [tf.constant(0)])
    capped = tf.while_loop(lambda i: i < 100, lambda i: i + 3, [tf.constant(0)], maximum_iterations=4)
    limit = tf.placeholder(tf.int32, [])
    fed = tf.while_loop(lambda i: i < 100, lambda i: i + 3, [tf.constant(0)], maximum_iterations=limit)
    with tf.Session() as sess:
        assert sess.run([loop, capped]) == [102, 12]
        assert sess.run(fed, {limit: 2}) == 6 and sess.run(fed, {limit: 0}) == 0


def test_while_loop_with_nested_loop_vars():
    state = {"total": tf.constant(0.0), "pair": (tf.constant(1), tf.constant([1.0, 2.0]))}

    def body(step, s):
        n, v = s["pair"]
        return step + 1, {"total": s["total"] + tf.reduce_sum(v), "pair": (n * 2, v * 2.0)}
    step, out = tf.while_loop(lambda step, s: step < 3, body, [tf.constant(0), state])
    with tf.Session() as sess:
        got = sess.run([step, out])
    assert got[0] == 3 and got[1]["total"] == 3.0 + 6.0 + 12.0 and got[1]["pair"][0] == 8
    np.testing.assert_array_equal(got[1]["pair"][1], [8.0, 16.0])


def test_while_loop_shape_invariants():
    i0, squares0 = tf.constant(0), tf.zeros([0])

    def body(i, s):
        return i + 1, tf.concat([s, [tf.cast(i * i, tf.float32)]], axis=0)
    with pytest.raises(ValueError, match=r"Input tensor 'zeros:0' enters the loop with shape \(0,\), but has "
                                         r"shape \(1,\) after one iteration. To allow the shape to vary"):
        tf.while_loop(lambda i, s: i < 4, body, [i0, squares0])
    _, squares = tf.while_loop(lambda i, s: i < 4, body, [i0, squares0],
                               shape_invariants=[i0.get_shape(), tf.TensorShape([None])])
    assert squares.get_shape().as_list() == [None]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(squares), [0, 1, 4, 9])


def test_while_loop_errors():
    with pytest.raises(TypeError, match="'cond' must be callable."):
        tf.while_loop(1, lambda i: i, [tf.constant(0)])
    with pytest.raises(TypeError, match="'body' must be callable."):
        tf.while_loop(lambda i: i < 3, None, [tf.constant(0)])
    with pytest.raises(ValueError, match="The two structures don't have the same nested structure"):
        tf.while_loop(lambda i: i < 3, lambda i: (i + 1, i), [tf.constant(0)])
    with pytest.raises(TypeError, match="loop variable 'Const_3:0' enters the loop as int32"):
        tf.while_loop(lambda i: i < 3, lambda i: tf.cast(i, tf.float32), [tf.constant(0)])


@pytest.mark.parametrize("shape", [(), (3,), (2, 2)])
def test_gradients_through_while_loop(shape):
    x, y = np.asarray(np.random.uniform(0.5, 1.5, shape)), np.asarray(np.random.standard_normal(shape))

    def build(x, y):
        _, out = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, tf.sin(v) * y + x),
                               [tf.constant(0), x])
        return out
    check_gradients(build, x, y)


def test_no_second_order_through_a_while_loop_as_in_tf1():
    x = tf.constant(1.5)
    out = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * x), [tf.constant(0), x])[1]
    (g,) = tf.gradients(out, x)
    with pytest.raises(TypeError, match="Second-order gradient for while loops not supported."):
        tf.gradients(g, x)


def test_gradient_through_a_cond_inside_a_while_loop():
    def build(x):
        def body(i, v):
            return i + 1, tf.cond(tf.reduce_sum(v) > 2.0, lambda: v * 0.5, lambda: v * v + 1.0)
        return tf.while_loop(lambda i, v: i < 4, body, [tf.constant(0), x])[1]
    check_gradients(build, np.array([0.3, 0.7]))


def test_collatz_with_a_cond_in_the_body():
    def body(value, steps):
        value = tf.cond(tf.equal(value % 2, 0), lambda: value // 2, lambda: 3 * value + 1)
        return [value, steps + 1]
    _, steps = tf.while_loop(lambda value, steps: value > 1, body, [tf.constant(27), tf.constant(0)])
    with tf.Session() as sess:
        assert sess.run(steps) == 111


# -- tuple, py_func, control_dependencies -------------------------------------------------

def test_tuple_waits_for_all_and_for_control_inputs():
    v = tf.Variable(0.0)
    bump = tf.assign_add(v, 1.0)
    a, b = tf.tuple([tf.constant(1.0), tf.constant(2.0)], control_inputs=[bump])
    assert a.name == "tuple/control_dependency:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(a) == 1.0 and sess.run(v) == 1.0
        assert sess.run(b) == 2.0 and sess.run(v) == 2.0


def test_py_func_values_dtypes_and_state():
    calls = {}
    x = tf.constant([1.0, 2.0])
    doubled = tf.py_func(lambda a: a * 2, [x], tf.float32)
    total, count = tf.numpy_function(lambda a: (a.sum(), np.int64(a.size)), [x], [tf.float32, tf.int64])
    counted = tf.py_func(counter(calls, "runs"), [x], tf.float32, stateful=True)
    assert doubled.dtype == tf.float32 and doubled.get_shape().ndims is None
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(doubled), [2.0, 4.0])
        assert sess.run([total, count]) == [3.0, 2]
        sess.run(counted)
        sess.run(counted)
    assert calls == {"runs": 2}


def test_py_func_errors_name_the_function():
    x = tf.constant([1.0, 2.0])
    wrong_count = tf.py_func(lambda a: (a, a), [x], [tf.float32, tf.float32, tf.float32])
    wrong_dtype = tf.py_func(lambda a: a.astype(np.float64), [x], tf.float32)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"pyfunc_\d+ returns 2 values, but expects to see 3"):
            sess.run(wrong_count)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"0-th value returned by pyfunc_\d+ is float64, "
                                                                 "but expects float32"):
            sess.run(wrong_dtype)
    with pytest.raises(LookupError, match=r"No gradient defined for operation 'PyFunc_2' \(op type: PyFunc\)"):
        tf.gradients(tf.py_func(lambda a: a, [x], tf.float32), x)
    with pytest.raises(TypeError, match="func must be callable"):
        tf.py_func(1, [x], tf.float32)


@pytest.mark.parametrize("make", [
    lambda: tf.constant(1.0), lambda: tf.zeros([2]), lambda: tf.random_normal([2]),
    lambda: tf.py_func(lambda: np.float32(1.0), [], tf.float32),
    lambda: tf.cond(tf.constant(True), lambda: 1.0, lambda: 2.0),
    lambda: tf.while_loop(lambda i: i < 2, lambda i: i + 1, [tf.constant(0)]),
    lambda: tf.no_op(),
], ids=["constant", "zeros", "random", "py_func", "cond", "while_loop", "no_op"])
def test_control_dependencies_are_honoured_by_every_op(make):
    v = tf.Variable(0.0)
    with tf.control_dependencies([tf.assign_add(v, 1.0)]):
        fetch = make()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(fetch)
        sess.run(fetch)
        assert sess.run(v) == 2.0


def test_control_dependencies_inside_a_branch_run_with_the_branch():
    v = tf.Variable(0.0)
    flag = tf.placeholder(tf.bool, [])

    def taken():
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return tf.identity(v.read_value())
    out = tf.cond(flag, taken, lambda: tf.constant(-1.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(out, {flag: False}) == -1.0 and sess.run(v) == 0.0
        assert sess.run(out, {flag: True}) == 1.0 and sess.run(v) == 1.0


def test_cond_and_while_loop_survive_export_and_import_under_a_scope():
    x = tf.placeholder(tf.float32, [], name="x")
    y = tf.cond(x > 0, lambda: x * 2.0, lambda: -x, name="branch")
    _, z = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x), [tf.constant(0), tf.constant(1.0)])
    (dz,) = tf.gradients(z + y, x)
    names = [y.name, z.name, dz.name]
    meta = tf.train.export_meta_graph()
    tf.reset_default_graph()
    tf.train.import_meta_graph(meta, import_scope="copy")
    with tf.Session() as sess:
        got = sess.run(["copy/" + n for n in names], {"copy/x:0": 2.0})
    assert got == [4.0, 8.0, 3 * 4.0 + 2.0]
