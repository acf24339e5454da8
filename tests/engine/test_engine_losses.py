"""tf.losses: every loss with weights and every reduction against TensorFlow's numbers and a
numpy formula; names, collections and the total loss; errors that name the problem."""

import numpy as np
import pytest

import engine as tf

# the inputs TensorFlow's numbers below were computed from
_rng = np.random.RandomState(1)
LABELS = _rng.rand(4, 3).astype(np.float32)
PRED = _rng.rand(4, 3).astype(np.float32)
FULL = (_rng.rand(4, 3) > 0.4).astype(np.float32) * 1.5
BINARY = (_rng.rand(4, 3) > 0.5).astype(np.float32)
LOGITS = (_rng.randn(4, 3) * 2).astype(np.float32)
CLASSES = np.array([0, 2, 1, 2])
ONEHOT = np.eye(3, dtype=np.float32)[CLASSES]
ROW_WEIGHTS = np.array([1.0, 0.0, 2.0, 1.0], np.float32)
WEIGHTS = {"scalar": 2.0, "zero": 0.0, "column": np.array([[1.0], [0.0], [2.0], [0.5]], np.float32),
           "full": FULL, "row": np.array([[1.0, 0.0, 3.0]], np.float32)}
R = tf.losses.Reduction

# absolute_difference under each weights and reduction, from TensorFlow 2.21's tf.compat.v1
TF_ABSOLUTE = {
    ("scalar", R.SUM): 5.2845974, ("scalar", R.MEAN): 0.22019155,
    ("scalar", R.SUM_OVER_BATCH_SIZE): 0.44038311, ("scalar", R.SUM_BY_NONZERO_WEIGHTS): 0.44038311,
    ("zero", R.SUM): 0.0, ("zero", R.MEAN): 0.0, ("zero", R.SUM_OVER_BATCH_SIZE): 0.0,
    ("zero", R.SUM_BY_NONZERO_WEIGHTS): 0.0,
    ("column", R.SUM): 1.8634144, ("column", R.MEAN): 0.17746803,
    ("column", R.SUM_OVER_BATCH_SIZE): 0.15528454, ("column", R.SUM_BY_NONZERO_WEIGHTS): 0.20704605,
    ("full", R.SUM): 2.8850484, ("full", R.MEAN): 0.2747665, ("full", R.SUM_OVER_BATCH_SIZE): 0.2404207,
    ("full", R.SUM_BY_NONZERO_WEIGHTS): 0.41214976,
    ("row", R.SUM): 3.7701368, ("row", R.MEAN): 0.23563355, ("row", R.SUM_OVER_BATCH_SIZE): 0.31417808,
    ("row", R.SUM_BY_NONZERO_WEIGHTS): 0.4712671,
}


def reduce(losses, weights, reduction):
    """TF1's compute_weighted_loss, in numpy."""
    weighted = losses * weights
    if reduction == R.NONE:
        return weighted
    total = weighted.sum()
    denominator = {R.SUM: 1.0, R.MEAN: np.sum(np.ones_like(losses) * weights),
                   R.SUM_OVER_BATCH_SIZE: losses.size,
                   R.SUM_BY_NONZERO_WEIGHTS: np.sum((np.ones_like(losses) * weights) != 0)}[reduction]
    return total / denominator if denominator else 0.0


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("reduction", [R.NONE, R.SUM, R.MEAN, R.SUM_OVER_BATCH_SIZE, R.SUM_BY_NONZERO_WEIGHTS])
def test_every_reduction_with_every_kind_of_weights(weights, reduction):
    loss = tf.losses.absolute_difference(LABELS, PRED, weights=WEIGHTS[weights], reduction=reduction)
    with tf.Session() as sess:
        value = sess.run(loss)
    expected = reduce(np.abs(PRED - LABELS), WEIGHTS[weights], reduction)
    np.testing.assert_allclose(value, expected, rtol=1e-6, atol=1e-7)
    if reduction != R.NONE:
        assert value == pytest.approx(TF_ABSOLUTE[weights, reduction], rel=1e-6, abs=1e-7)


def softmax_xent(labels, logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return -(labels * (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))).sum(axis=1)


def sigmoid_xent(labels, logits):
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def huber(error, delta):
    quadratic = np.minimum(np.abs(error), delta)
    return 0.5 * quadratic ** 2 + delta * (np.abs(error) - quadratic)


COLUMN = WEIGHTS["column"]
LOSSES = {  # build, TensorFlow's value, numpy's value
    "mse": (lambda: tf.losses.mean_squared_error(LABELS, PRED, weights=COLUMN), 0.060305648,
            reduce((PRED - LABELS) ** 2, COLUMN, R.SUM_BY_NONZERO_WEIGHTS)),
    "huber": (lambda: tf.losses.huber_loss(LABELS, PRED * 3, weights=COLUMN, delta=0.5), 0.40104115,
              reduce(huber(PRED * 3 - LABELS, 0.5), COLUMN, R.SUM_BY_NONZERO_WEIGHTS)),
    "log": (lambda: tf.losses.log_loss(BINARY, PRED, weights=FULL), 2.1733115,
            reduce(-BINARY * np.log(PRED + 1e-7) - (1 - BINARY) * np.log(1 - PRED + 1e-7), FULL,
                   R.SUM_BY_NONZERO_WEIGHTS)),
    "hinge": (lambda: tf.losses.hinge_loss(BINARY, LOGITS), 1.5794662,
              np.maximum(0, 1 - (2 * BINARY - 1) * LOGITS).mean()),
    "sigmoid smoothed": (
        lambda: tf.losses.sigmoid_cross_entropy(BINARY, LOGITS, weights=WEIGHTS["row"], label_smoothing=0.2),
        2.286902, reduce(sigmoid_xent(BINARY * 0.8 + 0.1, LOGITS), WEIGHTS["row"], R.SUM_BY_NONZERO_WEIGHTS)),
    "softmax smoothed": (
        lambda: tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, weights=ROW_WEIGHTS, label_smoothing=0.1),
        3.4701569, reduce(softmax_xent(ONEHOT * 0.9 + 0.1 / 3, LOGITS), ROW_WEIGHTS, R.SUM_BY_NONZERO_WEIGHTS)),
    "sparse": (lambda: tf.losses.sparse_softmax_cross_entropy(CLASSES, LOGITS, weights=ROW_WEIGHTS), 3.5317609,
               reduce(softmax_xent(ONEHOT, LOGITS), ROW_WEIGHTS, R.SUM_BY_NONZERO_WEIGHTS)),
    "cosine": (lambda: tf.losses.cosine_distance(unit(LABELS), unit(PRED), axis=1), 0.069546789,
               np.mean(1 - np.sum(unit(LABELS) * unit(PRED), axis=1))),
}


@pytest.mark.parametrize("build, tf_value, numpy_value", LOSSES.values(), ids=LOSSES.keys())
def test_loss_gives_tensorflows_numbers(build, tf_value, numpy_value):
    loss = build()
    with tf.Session() as sess:
        value = sess.run(loss)
    assert loss.dtype == tf.float32 and loss.shape.as_list() == []
    assert value == pytest.approx(tf_value, rel=1e-5)
    assert value == pytest.approx(numpy_value, rel=1e-5)


@pytest.mark.parametrize("build", [
    lambda y, p: tf.losses.huber_loss(y, p * 3.0, weights=COLUMN, delta=0.5),
    lambda y, p: tf.losses.absolute_difference(y, p, weights=FULL, reduction=R.MEAN),
    lambda y, p: tf.losses.log_loss(BINARY, p),
    lambda y, p: tf.losses.sparse_softmax_cross_entropy(CLASSES, p, weights=ROW_WEIGHTS),
    lambda y, p: tf.losses.softmax_cross_entropy(ONEHOT, p, label_smoothing=0.1),
    lambda y, p: tf.losses.sigmoid_cross_entropy(BINARY, p, reduction=R.SUM),
], ids=["huber", "absolute mean", "log", "sparse", "softmax", "sigmoid"])
def test_loss_gradients_match_finite_differences(build):
    y = tf.placeholder(tf.float64, [4, 3])
    p = tf.placeholder(tf.float64, [4, 3])
    loss = build(y, p)
    (grad,) = tf.gradients(loss, [p])
    labels, predictions = LABELS.astype(np.float64), PRED.astype(np.float64)
    with tf.Session() as sess:
        analytic = sess.run(grad, {y: labels, p: predictions})
        numeric = np.zeros_like(predictions)
        for index in np.ndindex(predictions.shape):
            plus, minus = predictions.copy(), predictions.copy()
            plus[index] += 1e-6
            minus[index] -= 1e-6
            numeric[index] = (sess.run(loss, {y: labels, p: plus}) - sess.run(loss, {y: labels, p: minus})) / 2e-6
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_no_gradient_flows_into_softmax_labels():
    labels = tf.placeholder(tf.float32, [4, 3])
    loss = tf.losses.softmax_cross_entropy(labels, LOGITS)
    assert tf.gradients(loss, [labels]) == [None]


def test_names_as_tf1_gives_them():
    assert tf.losses.mean_squared_error(LABELS, PRED).name == "mean_squared_error/value:0"
    assert tf.losses.mean_squared_error(LABELS, PRED, scope="foo").name == "foo/value:0"
    assert tf.losses.softmax_cross_entropy(ONEHOT, LOGITS).name == "softmax_cross_entropy_loss/value:0"
    assert tf.losses.sparse_softmax_cross_entropy(CLASSES, LOGITS).name == \
        "sparse_softmax_cross_entropy_loss/value:0"
    assert tf.losses.cosine_distance(LABELS, PRED, axis=1).name == "cosine_distance_loss/value:0"


def test_collections_and_the_total_loss():
    first = tf.losses.absolute_difference(LABELS, PRED)
    tf.losses.absolute_difference(LABELS, PRED, reduction=R.NONE, loss_collection=None)
    second = tf.losses.mean_squared_error(LABELS, PRED, loss_collection="mine")
    extra = tf.constant(1.5)
    tf.losses.add_loss(extra)
    assert tf.losses.get_losses() == [first, extra]
    assert tf.losses.get_losses(loss_collection="mine") == [second]
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [first, extra]
    w = tf.Variable(np.array([1.0, -2.0], np.float32), name="w")
    with tf.name_scope("layer"):
        penalty = tf.multiply(0.5, tf.reduce_sum(tf.abs(w)), name="penalty")
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, penalty)
    assert tf.losses.get_regularization_losses() == [penalty]
    assert tf.losses.get_regularization_losses(scope="layer") == [penalty]
    assert tf.losses.get_regularization_losses(scope="other") == []
    total = tf.losses.get_total_loss()
    assert total.name == "total_loss:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        mean_abs = np.abs(PRED - LABELS).mean()
        assert sess.run(total) == pytest.approx(mean_abs + 1.5 + 1.5, rel=1e-6)
        assert sess.run(tf.losses.get_total_loss(add_regularization_losses=False)) == \
            pytest.approx(mean_abs + 1.5, rel=1e-6)
        assert sess.run(tf.losses.get_regularization_loss()) == pytest.approx(1.5)
        assert sess.run(tf.losses.get_regularization_loss(scope="other")) == 0.0


def test_a_weighted_loss_trains():
    w = tf.Variable(np.zeros(3, np.float32), name="w")
    loss = tf.losses.huber_loss(LABELS, w * PRED, weights=COLUMN)
    train = tf.train.AdagradOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(loss)
        for _ in range(20):
            sess.run(train)
        assert sess.run(loss) < before / 2


def test_reduction_keys_are_tf1s():
    assert R.all() == ("none", "weighted_sum", "weighted_mean", "weighted_sum_over_batch_size",
                       "weighted_sum_by_nonzero_weights", "weighted_sum_by_nonzero_weights")
    assert R.SUM_OVER_NONZERO_WEIGHTS == R.SUM_BY_NONZERO_WEIGHTS


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"Invalid Reduction Key bogus. Key should be one of \('none'"):
        tf.losses.absolute_difference(LABELS, PRED, reduction="bogus")
    with pytest.raises(ValueError, match=r"Shapes \(3, 4\) and \(4, 3\) are incompatible"):
        tf.losses.absolute_difference(LABELS, PRED.T)
    with pytest.raises(ValueError, match=r"weights can not be broadcast to values. values.rank=2. weights.rank=1"):
        tf.losses.absolute_difference(LABELS, PRED, weights=np.ones(3, np.float32))
    with pytest.raises(ValueError, match="You must specify argument `axis`."):
        tf.losses.cosine_distance(LABELS, PRED)
    with pytest.raises(ValueError, match="labels must not be None."):
        tf.losses.mean_squared_error(None, PRED)
    with pytest.raises(ValueError, match=r"`labels.shape.rank` must equal `logits.shape.rank - 1`. "
                                         r"Received: labels.shape=\(4, 3\) of rank 2"):
        tf.losses.sparse_softmax_cross_entropy(ONEHOT, LOGITS)
    with pytest.raises(ValueError, match="get_total_loss: no losses"):
        tf.losses.get_total_loss()
