"""Checkpoints as TF1 code makes them: train a little, `Saver.save` with a global step into a
directory (max_to_keep pruning the oldest), then restore into a fresh session from
`latest_checkpoint`, restore a subset under other names (a `var_list` dict), and read a
checkpoint without a graph (`list_variables`, `load_variable`)."""

import os
import tempfile

import engine as tf
import numpy as np


def build(rng_values):
    with tf.variable_scope("model"):
        W = tf.get_variable("W", initializer=rng_values[0])
        b = tf.get_variable("b", initializer=rng_values[1])
    global_step = tf.train.get_or_create_global_step()
    x = tf.constant(rng_values[2])
    loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
    return W, b, loss, train


def main():
    rng = np.random.RandomState(10)
    values = [rng.randn(3, 2).astype(np.float32), rng.randn(2).astype(np.float32),
              rng.randn(8, 3).astype(np.float32)]
    out = {}
    with tempfile.TemporaryDirectory() as ckpt_dir:
        prefix = os.path.join(ckpt_dir, "model.ckpt")
        W, b, loss, train = build(values)
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            paths = []
            for _ in range(3):
                sess.run(train)
                paths.append(saver.save(sess, prefix, global_step=tf.train.get_global_step()))
            out["trained_loss"], trained_W = sess.run([loss, W])
        out["saved_paths"] = [os.path.basename(p) for p in paths]
        out["last_checkpoints"] = [os.path.basename(p) for p in saver.last_checkpoints]
        out["latest"] = os.path.basename(tf.train.latest_checkpoint(ckpt_dir))
        state = tf.train.get_checkpoint_state(ckpt_dir)
        out["state_all"] = [os.path.basename(p) for p in state.all_model_checkpoint_paths]
        out["index_file_exists"] = os.path.exists(os.path.join(ckpt_dir, "checkpoint"))

        tf.reset_default_graph()
        W, b, loss, train = build([np.zeros_like(v) for v in values])
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, tf.train.latest_checkpoint(ckpt_dir))
            out["restored_loss"], restored_W = sess.run([loss, W])
            out["restored_step"] = sess.run(tf.train.get_global_step())
        out["restored_W_equal"] = bool(np.array_equal(restored_W, trained_W))

        tf.reset_default_graph()
        renamed = tf.Variable(np.zeros(2, np.float32), name="other_bias")
        untouched = tf.Variable(np.full(2, 7.0, np.float32), name="untouched")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver({"model/b": renamed}).restore(sess, os.path.join(ckpt_dir, "model.ckpt-2"))
            out["renamed_b"], out["untouched"] = sess.run([renamed, untouched])

        listed = tf.train.list_variables(ckpt_dir)
        out["listed_names"] = [name for name, _ in listed]
        out["listed_shapes"] = [list(shape) for _, shape in listed]
        out["loaded_b"] = tf.train.load_variable(ckpt_dir, "model/b")
    return out
