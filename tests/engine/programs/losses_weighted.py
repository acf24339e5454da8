"""`tf.losses` with weights and reductions, as TF1 code computed its training objectives: each
loss with per-example weights, the Reduction choices, label smoothing, and the losses and
regularization losses collected for `get_total_loss`."""

import engine as tf
import numpy as np


def main():
    rng = np.random.RandomState(11)
    labels = rng.rand(6, 3).astype(np.float32)
    predictions = rng.rand(6, 3).astype(np.float32)
    weights = np.array([[1.0], [0.0], [2.0], [0.5], [1.0], [0.0]], dtype=np.float32)
    binary = (rng.rand(6, 3) > 0.5).astype(np.float32)
    logits = (rng.randn(6, 3) * 2).astype(np.float32)
    classes = rng.randint(0, 3, size=6)
    onehot = np.eye(3, dtype=np.float32)[classes]

    Reduction = tf.losses.Reduction
    losses = {
        "mse": tf.losses.mean_squared_error(labels, predictions),
        "mse_weighted": tf.losses.mean_squared_error(labels, predictions, weights=weights),
        "absolute": tf.losses.absolute_difference(labels, predictions, weights=weights),
        "huber": tf.losses.huber_loss(labels, predictions * 3, weights=weights, delta=0.5),
        "log": tf.losses.log_loss(binary, predictions, weights=weights),
        "hinge": tf.losses.hinge_loss(binary, logits, weights=weights),
        "sigmoid_xent": tf.losses.sigmoid_cross_entropy(binary, logits, weights=weights),
        "sigmoid_smoothed": tf.losses.sigmoid_cross_entropy(binary, logits, label_smoothing=0.1),
        "softmax_xent": tf.losses.softmax_cross_entropy(onehot, logits, weights=weights[:, 0]),
        "softmax_smoothed": tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.2),
        "sparse_xent": tf.losses.sparse_softmax_cross_entropy(classes, logits, weights=weights[:, 0]),
        "sum": tf.losses.absolute_difference(labels, predictions, weights=weights,
                                             reduction=Reduction.SUM),
        "mean": tf.losses.absolute_difference(labels, predictions, weights=weights,
                                              reduction=Reduction.MEAN),
        "sum_over_batch_size": tf.losses.absolute_difference(
            labels, predictions, weights=weights, reduction=Reduction.SUM_OVER_BATCH_SIZE),
        "none": tf.losses.absolute_difference(labels, predictions, weights=weights,
                                              reduction=Reduction.NONE, loss_collection=None),
    }

    with tf.variable_scope("layer", regularizer=lambda t: 0.01 * tf.reduce_sum(tf.abs(t))):
        w = tf.get_variable("w", initializer=rng.randn(3, 2).astype(np.float32))
    tf.get_variable("v", initializer=np.ones(2, np.float32),
                    regularizer=lambda t: tf.nn.l2_loss(t) * 0.1)
    tf.losses.add_loss(tf.reduce_sum(w) * 0.0 + 1.5)
    regularization = tf.losses.get_regularization_loss()
    total = tf.losses.get_total_loss()

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(losses)
        out["regularization"], out["total"] = sess.run([regularization, total])
    out["n_losses"] = len(tf.losses.get_losses())
    out["n_regularization_losses"] = len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
    out["loss_names"] = [losses["mse"].name, losses["softmax_xent"].name]
    return out
