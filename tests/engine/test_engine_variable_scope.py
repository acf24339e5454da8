"""Variable scopes and get_variable: TF1's names, reuse rules and errors (texts as TF 2.21's
tf.compat.v1 gives them), and the variable helpers around them."""

import numpy as np
import pytest

import engine as tf


def test_variables_take_the_variable_scope_and_ops_a_unique_name_scope():
    with tf.variable_scope("scope"):
        w = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
        first = w * 2.0
    with tf.variable_scope("scope", reuse=True):
        again = tf.get_variable("w")
        second = w * 2.0
    with tf.name_scope("ns"), tf.variable_scope("inner"):
        u = tf.get_variable("u", [1])
        third = u + 1.0
    assert (w.name, again.name, u.name) == ("scope/w:0", "scope/w:0", "inner/u:0")
    assert again is w
    assert (first.name, second.name, third.name) == ("scope/mul:0", "scope_1/mul:0", "ns/inner/add:0")
    ops = [op.name for op in tf.get_default_graph().get_operations()]
    assert ops[:4] == ["scope/w/Initializer/zeros", "scope/w", "scope/w/Assign", "scope/w/read"]


def test_get_variable_ignores_name_scopes():
    with tf.variable_scope("outer"), tf.name_scope("ns"):
        assert tf.get_variable("v", [1]).name == "outer/v:0"


def test_making_an_existing_variable_is_an_error_that_says_where_it_was_made():
    with tf.variable_scope("scope"):
        tf.get_variable("w", [1])
        with pytest.raises(ValueError) as error:
            tf.get_variable("w", [1])
    message = str(error.value)
    assert message.startswith("Variable scope/w already exists, disallowed. Did you mean to set "
                              "reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:")
    assert __file__ in message  # the frame that made it, not the engine's


def test_reusing_a_variable_that_does_not_exist_is_an_error():
    with tf.variable_scope("scope", reuse=True), pytest.raises(ValueError) as error:
        tf.get_variable("w", [1])
    assert str(error.value) == (
        "Variable scope/w does not exist, or was not created with tf.get_variable(). "
        "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")


def test_a_tf_variable_is_not_shared_by_get_variable():
    tf.Variable(1.0, name="w")
    with tf.variable_scope("", reuse=True), pytest.raises(ValueError, match="Variable w does not exist"):
        tf.get_variable("w", [])


@pytest.mark.parametrize("kwargs, message", [
    ({"shape": [2]}, "Trying to share variable scope/w, but specified shape (2,) and found shape (1,)."),
    ({"shape": [1], "dtype": tf.float64},
     "Trying to share variable scope/w, but specified dtype float64 and found dtype float32_ref."),
])
def test_sharing_with_another_shape_or_dtype_is_an_error(kwargs, message):
    with tf.variable_scope("scope"):
        tf.get_variable("w", [1])
    with tf.variable_scope("scope", reuse=True), pytest.raises(ValueError) as error:
        tf.get_variable("w", **kwargs)
    assert str(error.value) == message


@pytest.mark.parametrize("kwargs, message", [
    ({}, "Variable v did not get an initializer, so its `shape` argument must be specified."),
    ({"shape": [2], "initializer": np.zeros(2, np.float32)}, "If initializer is a constant, do not specify shape."),
    ({"shape": [None, 2]}, "Shape of a new variable (v) must be fully defined, but instead was (?, 2)."),
])
def test_bad_new_variables(kwargs, message):
    with pytest.raises(ValueError) as error:
        tf.get_variable("v", **kwargs)
    assert str(error.value) == message


def test_auto_reuse_makes_then_shares():
    made = []
    for _ in range(3):
        with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
            made.append(tf.get_variable("w", [2, 2]))
            with tf.variable_scope("inner"):
                assert tf.get_variable_scope().reuse is tf.AUTO_REUSE
    assert made[0] is made[1] is made[2]
    assert [v.name for v in tf.global_variables()] == ["tower/w:0"]


def test_reuse_variables_and_reentering_a_scope_object():
    with tf.variable_scope("head") as head:
        w = tf.get_variable("w", [1])
        assert head.reuse is False
        head.reuse_variables()
        assert tf.get_variable("w") is w and tf.get_variable_scope().reuse is True
    with tf.name_scope("elsewhere"):
        with tf.variable_scope(head) as again:
            assert tf.get_variable("w") is w  # the object keeps reuse=True
            op = w + 1.0
            with tf.variable_scope("deeper") as deeper:
                pass
    assert (again.name, again.original_name_scope) == ("head", "head/")
    assert op.name == "elsewhere/head/add:0"
    assert deeper.name == "head/deeper"


def test_reuse_is_inherited_and_cannot_be_turned_off_inside():
    with tf.variable_scope("a", reuse=True):
        with tf.variable_scope("b", reuse=False):
            assert tf.get_variable_scope().reuse is True
    with tf.variable_scope("a"):
        assert tf.get_variable_scope().reuse is False


def test_default_names_are_made_unique_among_variable_scopes():
    names = []
    for _ in range(2):
        with tf.variable_scope(None, default_name="block") as scope:
            names.append(scope.name)
            tf.get_variable("k", [1])
    with tf.variable_scope("block_2"):
        pass
    with tf.variable_scope(None, default_name="block") as scope:
        names.append(scope.name)
    assert names == ["block", "block_1", "block_3"]
    assert [v.name for v in tf.global_variables()] == ["block/k:0", "block_1/k:0"]


def test_default_names_restart_when_the_enclosing_scope_is_left():
    names = []
    for _ in range(2):
        with tf.variable_scope("outer"):
            with tf.variable_scope(None, default_name="block") as scope:
                names.append(scope.name)
    assert names == ["outer/block", "outer/block"]


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((None,), {}, TypeError, "If default_name is None then name_or_scope is required"),
    ((None,), {"default_name": "b", "reuse": True}, ValueError,
     "reuse=True cannot be used without a name_or_scope"),
    (("s",), {"reuse": "yes"}, ValueError, "reuse must be True, False, None or tf.AUTO_REUSE, got 'yes'"),
])
def test_bad_scope_arguments(args, kwargs, error, message):
    with pytest.raises(error) as raised:
        with tf.variable_scope(*args, **kwargs):
            pass
    assert str(raised.value) == message


def test_scope_defaults_flow_down_and_get_variable_overrides_them():
    with tf.variable_scope("outer", initializer=tf.constant_initializer(2.0), dtype=tf.float64):
        with tf.variable_scope("inner"):
            inherited = tf.get_variable("v", [2])
            own = tf.get_variable("u", [1], initializer=tf.ones_initializer(), dtype=tf.float32)
    assert inherited.dtype == tf.float64 and own.dtype == tf.float32
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(inherited), [2.0, 2.0])
        assert sess.run(own).tolist() == [1.0]


def test_initializer_may_be_a_numpy_value_or_tensor_and_ints_start_at_zero():
    a = tf.get_variable("a", initializer=np.arange(3, dtype=np.float32))
    b = tf.get_variable("b", initializer=tf.constant([[1, 2]]))
    c = tf.get_variable("c", [2], dtype=tf.int32)
    assert (a.shape, b.shape, b.dtype) == ((3,), (1, 2), tf.int32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(a).tolist() == [0, 1, 2]
        assert sess.run(c).tolist() == [0, 0]


def test_the_default_initializer_is_glorot_uniform():
    w = tf.get_variable("w", [300, 200])
    with tf.Session() as sess:
        sess.run(w.initializer)
        value = sess.run(w)
    limit = np.sqrt(6 / 500)
    assert np.abs(value).max() <= limit and np.abs(value).max() > 0.95 * limit


def test_regularizers_from_the_scope_or_the_call_go_to_the_collection():
    with tf.variable_scope("reg", regularizer=lambda t: tf.reduce_sum(t)):
        tf.get_variable("r", [2], initializer=tf.ones_initializer())
        tf.get_variable("q", [3], initializer=tf.ones_initializer(), regularizer=lambda t: None)
    tf.get_variable("s", [3], initializer=tf.ones_initializer(),
                    regularizer=lambda t: 0.5 * tf.reduce_sum(tf.square(t)))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 2
    assert losses[0].name.startswith("reg/r/Regularizer/")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(losses) == [2.0, 1.5]


def test_collections_trainable_and_scope_filters():
    local = tf.get_variable("loc", [1], initializer=tf.zeros_initializer(),
                            collections=[tf.GraphKeys.LOCAL_VARIABLES], trainable=False)
    with tf.variable_scope("model"):
        w = tf.get_variable("w", [1], collections=[tf.GraphKeys.GLOBAL_VARIABLES,
                                                   tf.GraphKeys.MODEL_VARIABLES])
        frozen = tf.get_variable("frozen", [1], trainable=False)
    other = tf.get_variable("modelish", [1])
    assert tf.local_variables() == [local]
    assert tf.model_variables() == [w]
    assert tf.trainable_variables() == [w, other]
    assert tf.global_variables(scope="model") == [w, frozen, other]  # scope is a regex prefix match
    assert tf.global_variables(scope="model/") == [w, frozen]
    assert tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="model/") == [w]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(local).tolist() == [0.0]


def test_report_uninitialized_and_is_variable_initialized():
    v = tf.Variable(1.0, name="v")
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [1])
    report = tf.report_uninitialized_variables()
    flag = tf.is_variable_initialized(v)
    assert (report.dtype, report.shape.as_list(), flag.shape.as_list()) == (tf.string, [None], [])
    with tf.Session() as sess:
        assert sess.run(report).tolist() == [b"v", b"s/w"]
        assert sess.run(flag) == False  # noqa: E712 - a numpy bool
        sess.run(v.initializer)
        assert sess.run(report).tolist() == [b"s/w"] and sess.run(flag) == True  # noqa: E712
        sess.run(w.initializer)
        assert sess.run(report).tolist() == []


def test_initialized_value_orders_initializers_that_depend_on_each_other():
    w = tf.Variable(tf.constant([1.0, 2.0]), name="w")
    twice = tf.Variable(w.initialized_value() * 2.0, name="twice")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(twice).tolist() == [2.0, 4.0]
        sess.run(w.assign([5.0, 5.0]))
        assert sess.run(w.initialized_value()).tolist() == [5.0, 5.0]


def test_load_sets_a_value_without_new_ops_and_checks_its_shape():
    v = tf.Variable(1.0, name="vv")
    count = len(tf.get_default_graph().get_operations())
    with tf.Session() as sess:
        v.load(5.0, sess)
        assert sess.run(v) == 5.0
        v.load(6.0)  # the default session
        assert sess.run(v) == 6.0
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2,\) for Tensor 'vv/initial_value:0'"):
            v.load([1.0, 2.0], sess)
    assert len(tf.get_default_graph().get_operations()) == count
    with pytest.raises(ValueError, match="Variable.load of 'vv' needs a session"):
        v.load(1.0)


def test_validate_shape_false_leaves_the_shape_unknown():
    v = tf.Variable(tf.zeros([2]), validate_shape=False, name="free")
    assert v.shape.ndims is None
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value free"):
            sess.run(v)
        sess.run(v.initializer)
        assert sess.run(v).tolist() == [0.0, 0.0]


def test_variable_stores_are_per_graph():
    g = tf.Graph()
    with g.as_default(), tf.variable_scope("s"):
        inside = tf.get_variable("w", [1])
    with tf.variable_scope("s"):
        outside = tf.get_variable("w", [1])  # no clash: another graph
    assert inside.graph is g and outside.graph is tf.get_default_graph()


@pytest.mark.parametrize("regularizer, loss", [
    (tf.keras.regularizers.l2(0.1), 3.0), (tf.keras.regularizers.l1(0.1), 1.0),
    (tf.keras.regularizers.l1_l2(0.1, 0.2), 7.0), (tf.keras.regularizers.l2(), 0.3),
    (tf.keras.regularizers.get("l1"), 0.1), (tf.keras.regularizers.L1L2(), 0.0),
])
def test_keras_regularizers(regularizer, loss):
    tf.get_variable("w", initializer=np.array([[1.0, -2.0], [3.0, 4.0]], np.float32), regularizer=regularizer)
    (value,) = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(value) == pytest.approx(loss, rel=1e-6)


def test_regularizer_configs_and_names():
    assert tf.keras.regularizers.l2().get_config() == {"l2": pytest.approx(0.01)}
    assert tf.keras.regularizers.l1_l2(0.1, 0.2).get_config() == {"l1": pytest.approx(0.1), "l2": pytest.approx(0.2)}
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: 'l3'"):
        tf.keras.regularizers.get("l3")
