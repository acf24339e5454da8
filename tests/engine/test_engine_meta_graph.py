"""import_meta_graph: a saved graph rebuilt without its Python code runs as the original did
(a training step with Adam and batch norm included), names and collections kept."""

import numpy as np
import pytest

import engine as tf


def build_and_train(directory, steps=3):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    hidden = tf.layers.dense(x, 4, activation=tf.nn.relu, kernel_initializer=tf.constant_initializer(0.1))
    hidden = tf.layers.batch_normalization(hidden, training=True)
    out = tf.layers.dense(hidden, 2, name="out", kernel_initializer=tf.glorot_uniform_initializer(seed=1))
    loss = tf.reduce_mean(tf.square(out[:, 0] - 1.0), name="loss")
    step = tf.train.get_or_create_global_step()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step, name="train")
    tf.add_to_collection("train_op", train)
    tf.constant(["a", "b"], name="labels")
    saver = tf.train.Saver()
    xs = np.random.standard_normal((5, 3)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train, {x: xs})
        path = saver.save(sess, str(directory / "m"), global_step=step)
        later = [sess.run([train, loss], {x: xs})[1] for _ in range(3)]
    names = [op.name for op in tf.get_default_graph().get_operations()]
    return path, xs, later, names


def test_a_rebuilt_graph_trains_on_from_the_checkpoint(tmp_path):
    path, xs, later, names = build_and_train(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint", "m-3.meta", "m-3.npz"]
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(path + ".meta")
    graph = tf.get_default_graph()
    assert [op.name for op in graph.get_operations()] == names
    assert [v.name for v in tf.trainable_variables()] == [
        "dense/kernel:0", "dense/bias:0", "batch_normalization/gamma:0", "batch_normalization/beta:0",
        "out/kernel:0", "out/bias:0"]
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2
    (train,) = tf.get_collection("train_op")
    loss = graph.get_tensor_by_name("loss:0")
    with tf.Session() as sess:
        saver.restore(sess, path)
        assert sess.run(tf.train.get_global_step()) == 3
        assert [sess.run([train, loss], {"x:0": xs})[1] for _ in range(3)] == later
        assert sess.run("labels:0").tolist() == [b"a", b"b"]  # string tensors run to bytes, as in TF1
    assert (tf.constant(1.0, name="loss") * 2.0).op.name == "mul"  # names stay unique
    assert tf.constant(1.0, name="loss").op.name == "loss_2"


def test_importing_under_a_scope_and_from_the_exported_dict(tmp_path):
    v = tf.Variable([1.0, 2.0], name="v")
    doubled = tf.multiply(v, 2.0, name="doubled")
    meta = tf.train.export_meta_graph()
    tf.reset_default_graph()
    assert tf.train.import_meta_graph(meta, import_scope="copy") is None  # exported without a Saver
    assert [x.name for x in tf.global_variables()] == ["copy/v:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run("copy/doubled:0").tolist() == [2.0, 4.0]
    count = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError, match="cannot import op 'copy/v/initial_value': the graph already has an op"):
        tf.train.import_meta_graph(meta, import_scope="copy")
    assert len(tf.get_default_graph().get_operations()) == count
    assert doubled.name == "doubled:0"


def test_meta_graph_errors(tmp_path):
    with pytest.raises(OSError, match="File .*nothing.meta does not exist."):
        tf.train.import_meta_graph(str(tmp_path / "nothing.meta"))
    (tmp_path / "bad.meta").write_bytes(b"junk")
    with pytest.raises(ValueError, match="bad.meta is not a meta graph file"):
        tf.train.import_meta_graph(str(tmp_path / "bad.meta"))
    op = tf.no_op(name="odd")
    op.attrs["fn"] = print
    with pytest.raises(ValueError, match="cannot export attr 'fn' of op 'odd': a builtin_function_or_method"):
        tf.train.export_meta_graph(str(tmp_path / "odd.meta"))
    assert not (tmp_path / "odd.meta").exists()
