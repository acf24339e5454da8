"""tf.nn.nce_loss and tf.nn.sampled_softmax_loss, and the candidate samplers they draw from:
losses against TensorFlow's numbers and a numpy version for given sampled ids, gradients against
central differences, seeded sampling, and training that lowers the loss."""

import numpy as np
import pytest
from test_engine_gradients import check_gradients

import engine as tf

RNG = np.random.RandomState(0)
W = RNG.randn(10, 4).astype(np.float32)
B = RNG.randn(10).astype(np.float32)
X = RNG.randn(3, 4).astype(np.float32)
SAMPLED = np.array([0, 4, 5, 9, 2], np.int64)  # 4 is row 1's label: an accidental hit
LABELS = {1: np.array([[1], [4], [7]], np.int64), 2: np.array([[1, 2], [4, 0], [7, 3]], np.int64)}
TRUE_COUNT = {1: np.array([[0.2589916], [0.3071315], [0.13207375]], np.float32),
              2: np.array([[0.38797325, 0.5646481], [0.25928447, 0.43370518], [0.16589893, 0.45816359]],
                          np.float32)}
SAMPLED_COUNT = {1: np.array([0.44623604, 0.38330072, 0.23269475, 0.36162403, 0.14697026], np.float32),
                 2: np.array([0.24470305, 0.19159567, 0.39325646, 0.11005378, 0.51447004], np.float32)}

# TensorFlow 2.21's tf.compat.v1 for the arguments above: {(num_true, remove_accidental_hits): (nce, sampled softmax)}
TF_LOSSES = {
    (1, False): ([8.519438743591309, 6.44417667388916, 4.244884490966797],
                 [6.478944301605225, 2.2745885848999023, 1.530181884765625]),
    (1, True): ([8.519438743591309, 5.709300994873047, 4.244884490966797],
                [6.478944301605225, 2.188591480255127, 1.530181884765625]),
    (2, False): ([9.53422737121582, 8.147029876708984, 6.143609046936035],
                 [6.462350845336914, 2.542097568511963, 1.57684326171875]),
    (2, True): ([9.461249351501465, 5.51137638092041, 6.143609046936035],
                [6.460496425628662, 2.2545113563537598, 1.57684326171875]),
}


def numpy_sampled_logits(labels, sampled, true_count, sampled_count, remove_accidental_hits):
    true_logits = np.einsum("bd,btd->bt", X, W[labels]) + B[labels] - np.log(true_count)
    sampled_logits = X @ W[sampled].T + B[sampled]
    if remove_accidental_hits:
        hits = (labels[:, :, None] == sampled[None, None, :]).any(axis=1)
        sampled_logits = np.where(hits, -np.finfo(np.float32).max, sampled_logits)
    sampled_logits = sampled_logits - np.log(sampled_count)
    num_true = labels.shape[1]
    targets = np.concatenate([np.full(true_logits.shape, 1.0 / num_true), np.zeros(sampled_logits.shape)], 1)
    return np.concatenate([true_logits, sampled_logits], 1), targets


def numpy_nce(logits, targets):
    return np.sum(np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits))), axis=1)


def numpy_sampled_softmax(logits, targets):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.sum(targets * log_softmax, axis=1)


@pytest.mark.parametrize("num_true, remove_accidental_hits", TF_LOSSES.keys())
def test_losses_for_given_sampled_ids_match_tensorflow_and_numpy(num_true, remove_accidental_hits):
    labels = LABELS[num_true]
    sampled = (tf.constant(SAMPLED), tf.constant(TRUE_COUNT[num_true]), tf.constant(SAMPLED_COUNT[num_true]))
    kwargs = dict(num_true=num_true, sampled_values=sampled, remove_accidental_hits=remove_accidental_hits)
    nce = tf.nn.nce_loss(W, B, labels, X, 5, 10, **kwargs)
    softmax = tf.nn.sampled_softmax_loss(W, B, labels, X, 5, 10, **kwargs)
    assert nce.shape == softmax.shape == [3] and nce.dtype == softmax.dtype == tf.float32
    with tf.Session() as sess:
        got_nce, got_softmax = sess.run([nce, softmax])
    tf_nce, tf_softmax = TF_LOSSES[num_true, remove_accidental_hits]
    np.testing.assert_allclose(got_nce, tf_nce, rtol=1e-5)
    np.testing.assert_allclose(got_softmax, tf_softmax, rtol=1e-5)
    logits, targets = numpy_sampled_logits(labels, SAMPLED, TRUE_COUNT[num_true], SAMPLED_COUNT[num_true],
                                           remove_accidental_hits)
    np.testing.assert_allclose(got_nce, numpy_nce(logits, targets), rtol=1e-5)
    np.testing.assert_allclose(got_softmax, numpy_sampled_softmax(logits, targets), rtol=1e-5)


@pytest.mark.parametrize("loss", [tf.nn.nce_loss, tf.nn.sampled_softmax_loss])
def test_gradients_match_finite_differences(loss):
    sampled = (tf.constant(SAMPLED), tf.constant(TRUE_COUNT[2]), tf.constant(SAMPLED_COUNT[2]))

    def build(weights, biases, inputs):
        return loss(weights, biases, LABELS[2], inputs, 5, 10, num_true=2, sampled_values=sampled,
                    remove_accidental_hits=True)
    check_gradients(build, W.astype(np.float64), B.astype(np.float64), X.astype(np.float64))


@pytest.mark.parametrize("sampler", [tf.nn.log_uniform_candidate_sampler, tf.nn.uniform_candidate_sampler])
def test_seeded_samplers_repeat_per_session_and_unique_ones_do_not_repeat_a_class(sampler):
    true = tf.constant(LABELS[1])
    tf.set_random_seed(7)
    unique = sampler(true, 1, 6, True, 10)
    repeats = sampler(true, 1, 40, False, 10, seed=3)
    assert unique.sampled_candidates.name == unique.sampled_candidates.op.name + ":0"
    assert [t.shape.as_list() for t in unique] == [[6], [3, 1], [6]]
    assert [t.dtype for t in unique] == [tf.int64, tf.float32, tf.float32]
    with tf.Session() as sess:
        first = sess.run([unique, repeats])
        second = sess.run([unique, repeats])
    with tf.Session() as sess:
        assert all(np.array_equal(a, b) for a, b in zip(sess.run(unique.sampled_candidates),
                                                        first[0].sampled_candidates))
    ids = first[0].sampled_candidates
    assert len(set(ids.tolist())) == 6 and ids.min() >= 0 and ids.max() < 10
    assert not np.array_equal(ids, second[0].sampled_candidates) or not np.array_equal(
        first[1].sampled_candidates, second[1].sampled_candidates)  # fresh draws each run
    assert first[1].sampled_candidates.max() < 10


def test_expected_counts_are_tensorflows():
    true = tf.constant(LABELS[1])
    draws = tf.nn.log_uniform_candidate_sampler(true, 1, 5, False, 10, seed=3)
    with tf.Session() as sess:
        _, true_count, _ = sess.run(draws)
    np.testing.assert_allclose(true_count, [[0.8454604], [0.38017], [0.2455967]], rtol=1e-6)  # TF's numbers
    p = np.log((np.arange(10) + 2.0) / (np.arange(10) + 1.0)) / np.log(11.0)
    many = tf.nn.log_uniform_candidate_sampler(true, 1, 20000, False, 10, seed=4)
    with tf.Session() as sess:
        counts = np.bincount(sess.run(many.sampled_candidates), minlength=10) / 20000
    np.testing.assert_allclose(counts, p, atol=0.01)


@pytest.mark.parametrize("loss", [tf.nn.nce_loss, tf.nn.sampled_softmax_loss])
def test_training_with_seeded_sampling_lowers_the_loss(loss):
    rng = np.random.RandomState(1)
    classes, dim = 50, 8
    centers = rng.randn(classes, dim).astype(np.float32)
    labels = rng.randint(0, classes, (64, 1))
    inputs = centers[labels[:, 0]] + 0.1 * rng.randn(64, dim).astype(np.float32)
    tf.set_random_seed(0)
    weights = tf.Variable(tf.truncated_normal([classes, dim], stddev=0.1))
    biases = tf.Variable(tf.zeros([classes]))
    mean_loss = tf.reduce_mean(loss(weights, biases, labels, inputs, num_sampled=10, num_classes=classes))
    step = tf.train.AdamOptimizer(0.05).minimize(mean_loss)
    full_logits = tf.matmul(inputs, weights, transpose_b=True) + biases
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(full_logits, 1), labels[:, 0]), tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = np.mean([sess.run(mean_loss) for _ in range(5)])
        for _ in range(150):
            sess.run(step)
        after = np.mean([sess.run(mean_loss) for _ in range(5)])
        assert after < 0.5 * before
        assert sess.run(accuracy) > 0.25  # the full softmax learned the classes (chance: 0.02)


def test_bad_arguments_are_named():
    true = tf.constant(LABELS[1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Sampler's range is too small"):
        tf.nn.log_uniform_candidate_sampler(true, 1, 12, True, 10)
    with pytest.raises(ValueError, match=r"true_classes must be \[batch_size, num_true=2\], got shape \(3, 1\)"):
        tf.nn.uniform_candidate_sampler(true, 2, 3, True, 10)
    with pytest.raises(TypeError, match="Value passed to parameter 'labels' of 'sampled loss' has DataType float32"):
        tf.nn.nce_loss(W, B, tf.constant([[1.0]]), X[:1], 5, 10)
    with pytest.raises(TypeError, match="Value passed to parameter 'inputs' of 'sampled loss' has DataType int32"):
        tf.nn.sampled_softmax_loss(W, B, LABELS[1], tf.constant([[1, 2, 3, 4]]), 5, 10)
