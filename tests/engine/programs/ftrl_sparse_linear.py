"""A wide (sparse) logistic model trained with FTRL-Proximal, as TF1's click-through-rate
examples did: l1 drives unhelpful weights to exactly zero, l2 shrinkage pulls the rest in; the
training loss is smoothed by an ExponentialMovingAverage of the loss tensor with zero_debias,
and a sampled softmax (given sampled ids) scores a small embedding against the same labels."""

import engine as tf
import numpy as np

STEPS = 12


def main():
    rng = np.random.RandomState(21)
    features = (rng.rand(64, 12) < 0.3).astype(np.float32)  # sparse binary features
    true_w = np.array([[2.0], [-1.5], [0, ], [0], [1.0], [0], [0], [0], [-2.0], [0], [0], [0.5]], np.float32)
    labels = (features @ true_w + 0.1 * rng.randn(64, 1) > 0.2).astype(np.float32)

    x = tf.placeholder(tf.float32, [None, 12], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    w = tf.Variable((0.1 * rng.randn(12, 1)).astype(np.float32), name="w")
    b = tf.Variable(0.0, name="b")
    logits = tf.matmul(x, w) + b
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits), name="loss")
    optimizer = tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.05, l2_regularization_strength=0.01,
                                       l2_shrinkage_regularization_strength=0.02)
    train_op = optimizer.minimize(loss)

    ema = tf.train.ExponentialMovingAverage(0.8, zero_debias=True)
    smooth_op = ema.apply([loss])
    smoothed = ema.average(loss)

    embeddings = tf.Variable((0.3 * rng.randn(6, 4)).astype(np.float32), name="embeddings")
    class_w = tf.Variable((0.3 * rng.randn(6, 4)).astype(np.float32), name="class_w")
    class_b = tf.Variable(np.zeros(6, np.float32), name="class_b")
    ids = np.array([0, 1, 2, 3, 4, 5, 0, 2], np.int64)
    targets = np.array([[1], [2], [3], [4], [5], [0], [2], [4]], np.int64)
    sampled = (tf.constant(np.array([0, 3, 5], np.int64)), tf.constant(np.full((8, 1), 0.4, np.float32)),
               tf.constant(np.array([0.5, 0.3, 0.2], np.float32)))
    softmax_loss = tf.reduce_mean(tf.nn.sampled_softmax_loss(
        class_w, class_b, targets, tf.nn.embedding_lookup(embeddings, ids), 3, 6, sampled_values=sampled))
    nce = tf.reduce_mean(tf.nn.nce_loss(class_w, class_b, targets, tf.nn.embedding_lookup(embeddings, ids), 3, 6,
                                        sampled_values=sampled))
    embed_op = tf.train.GradientDescentOptimizer(0.5).minimize(softmax_loss + nce)

    out = {"loss": [], "smoothed": [], "softmax_loss": [], "nce": []}
    feed = {x: features, y: labels}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(STEPS):
            out["loss"].append(sess.run([train_op, loss], feed)[1])
            sess.run(smooth_op, feed)
            out["smoothed"].append(sess.run(smoothed))
            out["softmax_loss"].append(sess.run([embed_op, softmax_loss])[1])
            out["nce"].append(sess.run(nce))
        out["w"] = sess.run(w).ravel()
        out["b"] = sess.run(b)
        out["zero_weights"] = int(np.sum(sess.run(w) == 0.0))
        out["accum"] = sess.run(optimizer.get_slot(w, "accum")).ravel()
        out["linear"] = sess.run(optimizer.get_slot(w, "linear")).ravel()
    out["slot_names"] = [v.name for v in optimizer.variables()]
    out["average_names"] = [ema.average_name(loss), smoothed.name]
    return out
