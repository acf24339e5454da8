"""Initializers: each one's statistics (TF1's scaling rules) and seeding (graph- and op-level
seeds give the same values run to run and Session to Session)."""

import numpy as np
import pytest

import engine as tf

SHAPE = (400, 300)  # fan_in 400, fan_out 300: 120,000 values, so moments are tight


def values(initializer, shape=SHAPE, dtype=tf.float32):
    tensor = initializer(shape, dtype=dtype)
    with tf.Session() as sess:
        return sess.run(tensor)


@pytest.mark.parametrize("initializer, mean, std, bound", [
    (tf.random_normal_initializer(1.0, 2.0), 1.0, 2.0, None),
    (tf.truncated_normal_initializer(0.0, 0.5), 0.0, 0.5 * 0.8796, 1.0),
    (tf.random_uniform_initializer(-3.0, 1.0), -1.0, 4 / np.sqrt(12), 2.0),
    (tf.random_uniform_initializer(), 0.5, 1 / np.sqrt(12), 0.5),
    (tf.glorot_uniform_initializer(), 0.0, np.sqrt(2 / 700), np.sqrt(6 / 700)),
    (tf.glorot_normal_initializer(), 0.0, np.sqrt(2 / 700), 2 * np.sqrt(2 / 700) / 0.8796),
    (tf.initializers.he_normal(), 0.0, np.sqrt(2 / 400), 2 * np.sqrt(2 / 400) / 0.8796),
    (tf.initializers.he_uniform(), 0.0, np.sqrt(2 / 400), np.sqrt(6 / 400)),
    (tf.initializers.lecun_normal(), 0.0, np.sqrt(1 / 400), 2 * np.sqrt(1 / 400) / 0.8796),
    (tf.variance_scaling_initializer(3.0, "fan_out", "untruncated_normal"), 0.0, np.sqrt(3 / 300), None),
    (tf.variance_scaling_initializer(), 0.0, np.sqrt(1 / 400), 2 * np.sqrt(1 / 400) / 0.8796),
    (tf.variance_scaling_initializer(2.0, "fan_avg", "uniform"), 0.0, np.sqrt(2 / 350), np.sqrt(6 / 350)),
])
def test_random_initializers_have_tf1s_statistics(initializer, mean, std, bound):
    x = values(initializer)
    assert x.shape == SHAPE and x.dtype == np.float32
    assert abs(x.mean() - mean) < 5 * std / np.sqrt(x.size)
    assert abs(x.std() / std - 1) < 0.02
    if bound is not None:
        assert np.abs(x - mean).max() <= bound * 1.0001  # bound: the largest distance from the mean


def test_conv_kernels_count_the_receptive_field_in_their_fans():
    x = values(tf.initializers.he_normal(), shape=(5, 5, 16, 32))
    assert abs(x.std() / np.sqrt(2 / (5 * 5 * 16)) - 1) < 0.03


@pytest.mark.parametrize("shape", [(30, 30), (50, 20), (20, 50), (4, 5, 6)])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(shape):
    x = values(tf.orthogonal_initializer(gain=2.0), shape=shape).reshape(-1, shape[-1])
    small = x.T @ x if x.shape[0] >= x.shape[1] else x @ x.T
    np.testing.assert_allclose(small, 4.0 * np.eye(len(small)), atol=1e-4)


def test_orthogonal_needs_a_matrix():
    with pytest.raises(ValueError, match=r"at least two-dimensional, got shape \[5\]"):
        tf.orthogonal_initializer()([5])


@pytest.mark.parametrize("initializer, expected", [
    (tf.zeros_initializer(), np.zeros((2, 3))),
    (tf.ones_initializer(), np.ones((2, 3))),
    (tf.constant_initializer(0.5), np.full((2, 3), 0.5)),
    (tf.constant_initializer([1, 2, 3, 4, 5, 6]), [[1, 2, 3], [4, 5, 6]]),
    (tf.constant_initializer([1, 2]), [[1, 2, 2], [2, 2, 2]]),  # TF1 pads with the last value
    (tf.constant_initializer(np.arange(6.0).reshape(2, 3)), [[0, 1, 2], [3, 4, 5]]),
])
def test_constant_initializers(initializer, expected):
    np.testing.assert_array_equal(values(initializer, (2, 3)), expected)


def test_constant_initializer_errors():
    with pytest.raises(ValueError, match="Too many elements provided. Needed at most 2, but received 3"):
        tf.constant_initializer([1, 2, 3])([2])
    with pytest.raises(TypeError, match=r"Expected Tensor's shape: \(2,\), got \(1,\)"):
        tf.constant_initializer([1], verify_shape=True)([2])


def test_initializers_take_the_variables_dtype():
    assert values(tf.zeros_initializer(), (2,), tf.int32).dtype == np.int32
    assert values(tf.glorot_uniform_initializer(), (2, 2), tf.float64).dtype == np.float64
    v = tf.get_variable("v", [2], dtype=tf.float64, initializer=tf.random_normal_initializer())
    assert v.dtype == tf.float64


def test_bad_variance_scaling_arguments():
    with pytest.raises(ValueError, match="`scale` must be a positive float"):
        tf.variance_scaling_initializer(0.0)
    with pytest.raises(ValueError, match="Invalid `mode` argument: 'fan_all'"):
        tf.variance_scaling_initializer(mode="fan_all")
    with pytest.raises(ValueError, match="Invalid `distribution` argument: 'gamma'"):
        tf.variance_scaling_initializer(distribution="gamma")


def build_seeded(graph_seed, op_seed):
    graph = tf.Graph()
    with graph.as_default():
        if graph_seed is not None:
            tf.set_random_seed(graph_seed)
        tf.constant(0.0)  # ops before the variable shift op-level seeds derived from the graph's
        w = tf.get_variable("w", [3, 4], initializer=tf.glorot_uniform_initializer(seed=op_seed))
        u = tf.get_variable("u", [3, 4], initializer=tf.glorot_uniform_initializer(seed=op_seed))
    return graph, w, u


def initial_values(graph, *variables):
    with tf.Session(graph=graph) as sess:
        sess.run([v.initializer for v in variables])
        return sess.run(list(variables))


@pytest.mark.parametrize("graph_seed, op_seed", [(1, None), (None, 7), (3, 7)])
def test_seeds_make_initial_values_the_same_run_to_run(graph_seed, op_seed):
    first = initial_values(*build_seeded(graph_seed, op_seed))
    again = initial_values(*build_seeded(graph_seed, op_seed))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    if op_seed is None:  # two ops of one graph seed draw differently
        assert not np.array_equal(first[0], first[1])
    other = initial_values(*build_seeded((graph_seed or 0) + 1, op_seed))
    assert not np.array_equal(first[0], other[0])


def test_without_seeds_each_session_draws_afresh():
    graph, w, _ = build_seeded(None, None)
    assert not np.array_equal(initial_values(graph, w)[0], initial_values(graph, w)[0])


def test_initializers_by_name():
    assert isinstance(tf.initializers.get("glorot_uniform"), tf.initializers.variance_scaling)
    assert tf.initializers.get(None) is None
    with pytest.raises(ValueError, match="Unknown initializer: 'glorious'"):
        tf.initializers.get("glorious")
