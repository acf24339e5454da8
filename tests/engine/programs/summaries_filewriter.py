"""TensorBoard logging as TF1 programs did it: `tf.summary.scalar` and `histogram` inside name
scopes, `merge_all`, a `FileWriter` on a temporary log directory given the session's graph,
`add_summary` each step, a hand-made `tf.Summary` value, `flush` and `close`. What is compared is
what the program sees (names, tags, the values it logs), not the files' bytes."""

import os
import tempfile

import engine as tf
import numpy as np


def main():
    rng = np.random.RandomState(18)
    x_data = rng.randn(30, 2).astype(np.float32)
    y_data = (x_data @ [[1.0], [3.0]]).astype(np.float32)

    with tf.name_scope("input"):
        X = tf.placeholder(tf.float32, [None, 2], name="X")
        Y = tf.placeholder(tf.float32, [None, 1], name="Y")
    with tf.name_scope("model"):
        W = tf.Variable(np.zeros((2, 1), np.float32), name="W")
        prediction = tf.matmul(X, W)
        weights_histogram = tf.summary.histogram("weights", W)
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(prediction - Y))
        loss_summary = tf.summary.scalar("mse", loss)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    merged = tf.summary.merge_all()

    out = {"loss": []}
    with tempfile.TemporaryDirectory() as logdir:
        with tf.Session() as sess:
            writer = tf.summary.FileWriter(os.path.join(logdir, "train"), sess.graph)
            sess.run(tf.global_variables_initializer())
            for step in range(5):
                summary, step_loss, _ = sess.run([merged, loss, train], {X: x_data, Y: y_data})
                writer.add_summary(summary, step)
                out["loss"].append(step_loss)
            manual = tf.Summary(value=[tf.Summary.Value(tag="accuracy", simple_value=0.75)])
            writer.add_summary(manual, 5)
            writer.flush()
            out["logdir_is_run"] = writer.get_logdir() == os.path.join(logdir, "train")
            writer.close()
        out["wrote_files"] = len(os.listdir(os.path.join(logdir, "train"))) > 0
    out["summary_names"] = [loss_summary.name, weights_histogram.name, merged.name]
    out["summary_dtypes"] = [loss_summary.dtype.name, merged.dtype.name]
    out["collection_size"] = len(tf.get_collection(tf.GraphKeys.SUMMARIES))
    out["summary_op_types"] = [loss_summary.op.type, weights_histogram.op.type, merged.op.type]
    return out
