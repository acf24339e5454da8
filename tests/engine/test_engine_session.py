"""Session.run: fetch structures, feeds, pruning, plan caching, variables per session."""

import collections
import json
from unittest import mock

import numpy as np
import pytest

import engine as tf
from engine import session as session_module


@pytest.fixture
def graph():
    a = tf.constant(5.0, name="a")
    b = tf.constant(3.0, name="b")
    x = tf.placeholder(tf.float32, shape=[None], name="x")
    with tf.name_scope("calc"):
        s = tf.add(a, b, name="sum")
        p = tf.multiply(a, b, name="prod")
        y = tf.reduce_sum(x * s, name="y")
    return dict(a=a, b=b, x=x, s=s, p=p, y=y)


def test_single_fetch_is_a_numpy_scalar(graph):
    with tf.Session() as sess:
        value = sess.run(graph["s"])
    assert value == 8.0 and isinstance(value, np.float32)


def test_nested_fetch_structures_come_back_in_shape(graph):
    Pair = collections.namedtuple("Pair", "left right")
    with tf.Session() as sess:
        result = sess.run({"sum": graph["s"], "both": [graph["p"], (graph["s"], graph["a"])],
                           "pair": Pair(graph["a"], graph["b"])})
    assert result == {"sum": 8.0, "both": [15.0, (8.0, 5.0)], "pair": Pair(5.0, 3.0)}
    assert isinstance(result["both"][1], tuple) and isinstance(result["pair"], Pair)


def test_fetch_by_name_and_op(graph):
    with tf.Session() as sess:
        assert sess.run("calc/sum:0") == 8.0
        assert sess.run(["calc/prod:0", "calc/sum"]) == [15.0, None]
        assert sess.run(graph["s"].op) is None


@pytest.mark.parametrize("key", ["x", "x:0", "tensor"])
def test_feed_by_tensor_or_name(graph, key):
    feed_key = graph["x"] if key == "tensor" else key
    with tf.Session() as sess:
        assert sess.run(graph["y"], {feed_key: [1.0, 2.0]}) == pytest.approx(24.0)


@pytest.mark.parametrize("length", [0, 1, 7, 1000])
def test_none_dims_take_any_length(graph, length):
    with tf.Session() as sess:
        assert sess.run(graph["y"], {graph["x"]: np.ones(length, np.float32)}) == pytest.approx(8.0 * length)


def test_feeding_an_intermediate_tensor_replaces_it(graph):
    with tf.Session() as sess:
        assert sess.run(graph["y"], {graph["x"]: [1.0], graph["s"]: 100.0}) == pytest.approx(100.0)


def test_pruning_leaves_unneeded_placeholders_unfed(graph):
    with tf.Session() as sess:
        assert sess.run(graph["p"]) == 15.0  # x is not fed, and not needed


def test_fetched_values_do_not_alias_state():
    v = tf.Variable([1.0, 2.0])
    c = tf.constant([3.0, 4.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = sess.run(v)
        first[0] = 100.0
        sess.run(c)[0] = 100.0
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        np.testing.assert_array_equal(sess.run(c), [3.0, 4.0])
        before = sess.run(v)
        sess.run(v.assign_add([1.0, 1.0]))
        np.testing.assert_array_equal(before, [1.0, 2.0])


def test_optimizer_updates_do_not_change_earlier_fetches():
    w = tf.Variable([1.0, 2.0])
    train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        history = [sess.run(w)]
        sess.run(train)
        history.append(sess.run(tf.reshape(w, [2, 1])))
        sess.run(train)
    np.testing.assert_allclose(history[0], [1.0, 2.0])
    np.testing.assert_allclose(history[1], [[0.8], [1.6]])


def test_plan_is_compiled_once_per_fetches_and_feeds(graph):
    with mock.patch.object(session_module, "compile_plan", wraps=session_module.compile_plan) as compiled:
        with tf.Session() as sess:
            for _ in range(3):
                sess.run(graph["y"], {graph["x"]: [1.0]})
                sess.run([graph["p"], graph["s"]])
                sess.run({"p": graph["p"]})
            assert compiled.call_count == 3
            sess.run(graph["y"], {graph["x"]: [1.0], graph["s"]: 1.0})  # other feeds: a new plan
            assert compiled.call_count == 4


def test_variables_live_per_session():
    v = tf.Variable(1.0, name="v")
    inc = v.assign_add(1.0)
    with tf.Session() as one, tf.Session() as two:
        one.run(v.initializer)
        two.run(v.initializer)
        one.run(inc)
        one.run(inc)
        assert one.run(v) == 3.0 and two.run(v) == 1.0


def test_graph_is_not_changed_by_running():
    v = tf.Variable(1.0)
    y = v * 2.0
    init = tf.global_variables_initializer()
    before = json.dumps(tf.get_default_graph().as_graph_def())
    with tf.Session() as sess:
        sess.run(init)
        sess.run(y)
    assert json.dumps(tf.get_default_graph().as_graph_def()) == before


def test_session_context_makes_defaults():
    graph = tf.Graph()
    with graph.as_default():
        c = tf.constant(2.0) * 3.0
    with tf.Session(graph=graph) as sess:
        assert tf.get_default_graph() is graph
        assert tf.get_default_session() is sess
        assert c.eval() == 6.0
    assert tf.get_default_session() is None


def test_closed_session_refuses_to_run(graph):
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(graph["a"])


def test_group_and_no_op_run_their_inputs():
    v = tf.Variable(0)
    both = tf.group(v.assign_add(1), v.assign_add(10))
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(both) is None
        assert sess.run(tf.no_op()) is None
        assert sess.run(v) == 11


def test_control_dependencies_order_ops():
    v = tf.Variable(1.0)
    with tf.control_dependencies([v.assign(5.0)]):
        doubled = v.read_value() * 2.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(doubled) == 10.0


@pytest.mark.parametrize("seeded", ["graph", "op"])
def test_random_ops_repeat_per_session_with_a_seed(seeded):
    if seeded == "graph":
        tf.set_random_seed(42)
        r = tf.random_normal([3])
        u = tf.random_uniform([2, 2], minval=-1.0, maxval=1.0)
    else:
        r = tf.random_normal([3], seed=7)
        u = tf.random_uniform([2, 2], minval=-1.0, maxval=1.0, seed=8)
    with tf.Session() as one:
        first = [one.run(r), one.run(r), one.run(u)]
    with tf.Session() as two:
        second = [two.run(r), two.run(r), two.run(u)]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])
    assert first[0].dtype == np.float32 and first[2].shape == (2, 2)
    assert (np.abs(first[2]) <= 1).all()


def test_random_set_seed_alias_and_truncated_normal():
    tf.random.set_seed(3)
    t = tf.truncated_normal([1000], stddev=2.0)
    with tf.Session() as sess:
        values = sess.run(t)
    assert np.abs(values).max() <= 4.0 and values.std() == pytest.approx(1.76, abs=0.15)


def test_variable_initialized_from_a_random_tensor():
    tf.set_random_seed(1)
    w = tf.Variable(tf.random_normal([2, 3], stddev=0.1), name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(w)
        assert np.array_equal(first, sess.run(w))  # drawn once, at initialization
    assert first.shape == (2, 3) and w.shape == (2, 3)


def test_interactive_session_is_the_default_until_closed():
    c = tf.constant(3.0) * 2.0
    sess = tf.InteractiveSession()
    try:
        assert tf.get_default_session() is sess and c.eval() == 6.0
    finally:
        sess.close()
    assert tf.get_default_session() is None
    with pytest.raises(ValueError, match="No default session"):
        c.eval()


def test_session_takes_tf1s_config_protos():
    """Code written for GPUs configures its Session; the engine keeps the fields and runs on the CPU."""
    config = tf.ConfigProto(log_device_placement=True, allow_soft_placement=True, device_count={"GPU": 0},
                            intra_op_parallelism_threads=2)
    config.gpu_options.allow_growth = True
    assert (config.log_device_placement, config.gpu_options.allow_growth,
            config.gpu_options.per_process_gpu_memory_fraction, config.device_count,
            config.inter_op_parallelism_threads) == (True, True, 0.0, {"GPU": 0}, 0)
    gpu = tf.GPUOptions(per_process_gpu_memory_fraction=0.5)
    assert tf.ConfigProto(gpu_options=gpu).gpu_options.per_process_gpu_memory_fraction == 0.5
    assert tf.ConfigProto().gpu_options is not tf.ConfigProto().gpu_options
    metadata = tf.RunMetadata()
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    assert options.trace_level == tf.RunOptions.FULL_TRACE == 3
    with tf.Session(config=config) as sess:
        assert sess.run(tf.constant(1), options=options, run_metadata=metadata) == 1


@pytest.mark.parametrize("build, error, message", [
    (lambda: tf.ConfigProto(foo=1), ValueError, 'Protocol message ConfigProto has no "foo" field.'),
    (lambda: setattr(tf.ConfigProto(), "foo", 1), AttributeError, 'Protocol message ConfigProto has no "foo" field.'),
    (lambda: tf.GPUOptions(bar=2), ValueError, 'Protocol message GPUOptions has no "bar" field.'),
])
def test_a_field_tf1s_config_lacks_is_tf1s_error(build, error, message):
    with pytest.raises(error) as caught:
        build()
    assert str(caught.value) == message
