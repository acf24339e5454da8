"""Graphs as data: names, scopes, lookups, dtypes, static shapes and the graph definition."""

import json

import numpy as np
import pytest

import engine as tf


def test_names_are_unique_within_scopes():
    with tf.name_scope("transformation"):
        a = tf.placeholder(tf.float32, [None], name="input")
        prod = tf.reduce_prod(a, name="prod")
        total = tf.reduce_sum(a, name="sum")
        again = tf.reduce_sum(a, name="sum")
        with tf.name_scope("inner"):
            deep = a * 2.0
    with tf.name_scope("transformation"):
        other = tf.identity(prod)
    assert [prod.op.name, total.op.name, again.op.name] == ["transformation/prod", "transformation/sum",
                                                           "transformation/sum_1"]
    assert deep.op.name == "transformation/inner/mul"
    assert other.op.name == "transformation_1/Identity"


def test_reentering_a_scope_and_going_to_the_root():
    with tf.name_scope("outer") as outer:
        first = tf.constant(1.0, name="c")
    with tf.name_scope(outer):
        second = tf.constant(1.0, name="c")
        with tf.name_scope(None):
            root = tf.constant(1.0, name="c")
    assert outer == "outer/"
    assert (first.op.name, second.op.name, root.op.name) == ("outer/c", "outer/c_1", "c")


def test_lookups_by_name():
    with tf.name_scope("scope"):
        op = tf.add(tf.constant(1), tf.constant(2), name="op")
    graph = tf.get_default_graph()
    assert graph.get_tensor_by_name("scope/op:0") is op
    assert graph.get_operation_by_name("scope/op") is op.op
    assert op.name == "scope/op:0" and op.graph is graph


def test_default_graph_and_as_default():
    outer = tf.get_default_graph()
    graph = tf.Graph()
    with graph.as_default():
        c = tf.constant(1.0)
        assert tf.get_default_graph() is graph
    assert c.graph is graph and tf.get_default_graph() is outer
    tf.reset_default_graph()
    assert tf.get_default_graph() is not outer


@pytest.mark.parametrize("dtype, expected", [
    (tf.float32, np.float32), ("float", np.float32), ("float32", np.float32), ("double", np.float64),
    (np.float64, np.float64), (np.dtype("int32"), np.int32), ("int64", np.int64), ("bool", np.bool_),
])
def test_placeholder_dtypes(dtype, expected):
    p = tf.placeholder(dtype, shape=[None, 2])
    assert p.dtype.as_numpy_dtype == expected and p.dtype == expected
    assert p.shape.as_list() == [None, 2] and p.get_shape()[1] == 2


@pytest.mark.parametrize("value, dtype", [
    (1.5, tf.float32), (2, tf.int32), (True, tf.bool), ([1.0, 2.0], tf.float32), ([[1, 2]], tf.int32),
    (np.float64(1.0), tf.float64), (np.arange(3), tf.int64), (2 ** 40, tf.int64),
])
def test_constants_take_tf1_dtypes(value, dtype):
    assert tf.constant(value).dtype == dtype


def test_python_numbers_take_the_tensor_dtype_and_float32_stays_float32():
    x = tf.placeholder(tf.float32, [3])
    y = (x * 2 + 1.5) / 3 - x ** 2
    assert y.dtype == tf.float32
    with tf.Session() as sess:
        value = sess.run(y, {x: [1.0, 2.0, 3.0]})
    assert value.dtype == np.float32
    np.testing.assert_allclose(value, (np.array([1, 2, 3]) * 2 + 1.5) / 3 - np.array([1, 2, 3]) ** 2, rtol=1e-6)


def test_int_division_is_true_division():
    with tf.Session() as sess:
        assert sess.run(tf.constant(7) / tf.constant(2)) == 3.5


@pytest.mark.parametrize("build, shape", [
    (lambda x: x + tf.constant(np.zeros(3, np.float32)), [None, 3]),
    (lambda x: tf.reduce_sum(x, axis=1), [None]),
    (lambda x: tf.reduce_mean(x, axis=0, keepdims=True), [1, 3]),
    (lambda x: tf.matmul(x, tf.ones([3, 5])), [None, 5]),
    (lambda x: tf.transpose(x), [3, None]),
    (lambda x: tf.reshape(x, [-1]), [None]),
    (lambda x: tf.reshape(tf.ones([4, 6]), [3, -1]), [3, 8]),
    (lambda x: tf.equal(x, 1.0), [None, 3]),
    (lambda x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=x), [None]),
])
def test_static_shapes(build, shape):
    x = tf.placeholder(tf.float32, [None, 3])
    assert build(x).shape.as_list() == shape


def test_incompatible_static_shapes_are_refused_with_the_op_named():
    with pytest.raises(ValueError, match=r"Mul op 'mul'.*\(2, 3\) and \(4,\)"):
        tf.ones([2, 3]) * tf.ones([4])
    with pytest.raises(ValueError, match="inner dimensions 3 and 4"):
        tf.matmul(tf.ones([2, 3]), tf.ones([4, 2]))


def test_comparisons_and_operators():
    a = tf.constant([1.0, 2.0, 3.0])
    b = tf.constant([3.0, 2.0, 1.0])
    with tf.Session() as sess:
        got = sess.run([a < b, a <= b, a > b, a >= b, tf.equal(a, b), tf.not_equal(a, b), -a, abs(-a),
                        tf.reshape(a, [1, 3]) @ tf.reshape(b, [3, 1])])
    assert got[0].tolist() == [True, False, False] and got[1].tolist() == [True, True, False]
    assert got[2].tolist() == [False, False, True] and got[3].tolist() == [False, True, True]
    assert got[4].tolist() == [False, True, False] and got[5].tolist() == [True, False, True]
    assert got[6].tolist() == [-1, -2, -3] and got[7].tolist() == [1, 2, 3] and got[8].tolist() == [[10.0]]


def test_tensors_are_not_python_bools():
    with pytest.raises(TypeError, match="as a Python bool"):
        bool(tf.constant(1.0) > 0)


def test_graph_def_is_plain_json_in_the_contract_format():
    with tf.name_scope("transformation"):
        a = tf.placeholder(tf.float32, [None, 3], name="input")
        with tf.control_dependencies([tf.no_op(name="first")]):
            prod = tf.reduce_prod(a, axis=1, name="prod")
    w = tf.Variable(np.ones(3, np.float32), name="w")
    tf.summary.scalar("average", tf.reduce_mean(prod * w))
    graph_def = tf.get_default_graph().as_graph_def()
    assert json.loads(json.dumps(graph_def)) == graph_def
    nodes = {n["name"]: n for n in graph_def["nodes"]}
    assert nodes["transformation/input"] == {"name": "transformation/input", "op": "Placeholder", "inputs": [],
                                             "attrs": {"dtype": "float32", "shape": [None, 3]},
                                             "dtype": "float32", "shape": [None, 3]}
    assert nodes["transformation/prod"]["op"] == "Prod"
    assert nodes["transformation/prod"]["inputs"] == ["transformation/input", "^transformation/first"]
    assert nodes["transformation/prod"]["attrs"] == {"T": "float32", "axis": 1, "keepdims": False}
    assert nodes["transformation/prod"]["shape"] == [None]
    assert nodes["transformation/first"]["dtype"] is None and nodes["transformation/first"]["op"] == "NoOp"
    assert nodes["w"]["op"] == "VariableV2" and nodes["w/read"]["inputs"] == ["w"]
    assert nodes["w/Assign"]["inputs"] == ["w", "w/initial_value"]
    assert nodes["average"]["op"] == "ScalarSummary" and nodes["average"]["shape"] == []
    assert all(set(n) == {"name", "op", "inputs", "attrs", "dtype", "shape"} for n in graph_def["nodes"])


def test_graph_def_names_outputs_past_the_first():
    values, indices = tf.nn.top_k(tf.constant([1.0, 3.0, 2.0]), k=2)
    tf.add(values, tf.cast(indices, tf.float32), name="total")
    nodes = {n["name"]: n for n in tf.get_default_graph().as_graph_def()["nodes"]}
    assert nodes["total"]["inputs"] == ["TopKV2", "Cast"]
    assert nodes["Cast"]["inputs"] == ["TopKV2:1"]


def test_collections_and_variable_lists():
    w = tf.Variable(1.0, name="w")
    step = tf.train.get_or_create_global_step()
    frozen = tf.Variable(2.0, trainable=False, name="frozen")
    assert tf.trainable_variables() == [w]
    assert tf.global_variables() == [w, step, frozen]
    assert tf.train.get_or_create_global_step() is step and step.dtype == tf.int64
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [step]


def test_summary_tags_carry_scopes_and_merge_all():
    assert tf.summary.merge_all() is None
    x = tf.constant(2.0)
    with tf.name_scope("summaries"):
        first = tf.summary.scalar("value", x)
        second = tf.summary.scalar("value", x * 2)
    merged = tf.summary.merge([first, second])
    with tf.Session() as sess:
        summary = sess.run(merged)
        assert sess.run(tf.summary.merge_all()) == summary
    assert isinstance(summary, tf.summary.Summary) and isinstance(summary, tuple)
    assert list(summary) == [("summaries/value", 2.0), ("summaries/value_1", 4.0)]
    assert dict(summary) == {"summaries/value": 2.0, "summaries/value_1": 4.0}


def test_merged_summaries_are_named_as_in_tf1():
    """Each merge is its own `Merge` scope, so the graph view draws it as its own box."""
    s = tf.summary.scalar("s", tf.constant(1.0))
    names = [tf.summary.merge([s]).op.name, tf.summary.merge_all().op.name,
             tf.summary.merge([s], name="train_summaries").op.name]
    assert names == ["Merge/MergeSummary", "Merge_1/MergeSummary", "train_summaries/train_summaries"]


def test_name_scope_default_name_and_values():
    other = tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0)
    with tf.name_scope(None, "block") as first:
        pass
    with tf.name_scope(None, "block") as second:
        pass
    with tf.name_scope("inside", values=[foreign]) as scope:
        assert tf.get_default_graph() is not other  # values pick the graph the scope is made in
    assert (first, second, scope) == ("block/", "block_1/", "inside/")
    assert other.unique_name("inside", mark_as_used=False) == "inside_1"


@pytest.mark.parametrize("build", [
    lambda a: a * 2, lambda a: 1.0 - a, lambda a: tf.add(a, [1.0, 2.0]),
    lambda a: tf.matmul(tf.reshape(a, [1, 2]), np.ones((2, 1), np.float32)),
    lambda a: tf.nn.softmax_cross_entropy_with_logits_v2(labels=[0.0, 1.0], logits=a),
], ids=["operator", "reflected", "add", "matmul", "xent"])
def test_python_operands_join_the_graph_of_the_tensor_they_meet(build):
    """As in TF1, a graph built outside its `as_default()` block takes constants into itself."""
    graph = tf.Graph()
    with graph.as_default():
        a = tf.constant([1.0, 2.0], name="a")
    out = build(a)
    assert out.graph is graph and tf.get_default_graph().get_operations() == []
    with tf.Session(graph=graph) as sess:
        assert np.all(np.isfinite(sess.run(out)))


def test_assigning_a_python_value_to_a_variable_of_another_graph():
    graph = tf.Graph()
    with graph.as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        init = tf.global_variables_initializer()
    update = v.assign([3.0, 4.0])
    assert update.graph is graph and tf.get_default_graph().get_operations() == []
    with tf.Session(graph=graph) as sess:
        sess.run(init)
        np.testing.assert_array_equal(sess.run(update), [3.0, 4.0])


def test_a_numpy_array_on_the_left_of_an_operator_makes_a_tensor():
    features = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    w = tf.Variable(np.array([1.0, -1.0], np.float32))
    t = tf.constant([2.0, 0.5])
    products = [features * w, features * t, features + t, features - w, features / t, features @ tf.ones([2, 1])]
    assert all(isinstance(p, tf.Tensor) and p.dtype == tf.float32 for p in products)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(products)
    np.testing.assert_array_equal(got[0], features * [1.0, -1.0])
    np.testing.assert_array_equal(got[1], features * [2.0, 0.5])
    np.testing.assert_array_equal(got[3], features - [1.0, -1.0])
    np.testing.assert_array_equal(got[5], features.sum(axis=1, keepdims=True))


def test_as_numpy_dtype_is_the_callable_scalar_type_as_in_tf1():
    # cs20si's first examples call it: tf.int32.as_numpy_dtype() is numpy's int32 zero.
    assert tf.int32.as_numpy_dtype is np.int32 and tf.int32.as_numpy_dtype() == 0
    assert tf.float32.as_numpy_dtype(2.5) == np.float32(2.5)
    assert tf.bool.as_numpy_dtype is np.bool_ and tf.string.as_numpy_dtype is object
    assert np.zeros(2, dtype=tf.float64.as_numpy_dtype).dtype == np.float64
