"""A training loop on liteboard's engine: its merged summaries and graph are read back equal."""

import numpy as np
import pytest

import tracker

tf = pytest.importorskip("engine")


def _train(logdir, epochs=60, writer_cls=tracker.FileWriter):
    """Linear regression in TF1 style; returns the graph and every (step, summary) logged."""
    graph = tf.Graph()
    with graph.as_default():
        rng = np.random.default_rng(0)
        xs = rng.uniform(-1, 1, 50).astype(np.float32)
        ys = (3 * xs - 0.5 + 0.05 * rng.standard_normal(50)).astype(np.float32)
        with tf.name_scope("input"):
            x = tf.placeholder(tf.float32, shape=[None], name="X")
            y = tf.placeholder(tf.float32, shape=[None], name="Y")
        with tf.name_scope("model"):
            w = tf.Variable(0.0, name="w")
            b = tf.Variable(0.0, name="b")
            pred = w * x + b
        with tf.name_scope("loss"):
            loss = tf.reduce_mean(tf.square(pred - y))
        step_var = tf.train.get_or_create_global_step()
        train_op = tf.train.GradientDescentOptimizer(0.3).minimize(loss, global_step=step_var)
        with tf.name_scope("summaries"):
            tf.summary.scalar("loss", loss)
            tf.summary.scalar("w", w)
            tf.summary.scalar("b", b)
        merged = tf.summary.merge_all()
        init = tf.global_variables_initializer()  # before the writer snapshots the graph
        logged = []
        with tf.Session(graph=graph) as sess, writer_cls(str(logdir / "engine_run"), graph=graph) as writer:
            sess.run(init)
            for _ in range(epochs):
                _, summary, step = sess.run([train_op, merged, step_var], {x: xs, y: ys})
                writer.add_summary(summary, int(step))
                logged.append((int(step), list(summary)))
    return graph, logged


def test_engine_summaries_and_graph_read_back_equal(tmp_path):
    graph, logged = _train(tmp_path)
    tags = [tag for tag, _ in logged[0][1]]
    assert tags == ["summaries/loss", "summaries/w", "summaries/b"]
    with tracker.open_run(tmp_path, "engine_run") as run:
        assert run.graph() == graph.as_graph_def()
        info = run.info()
        for i, tag in enumerate(tags):
            series = run.scalars(tag)
            assert series.step.tolist() == [step for step, _ in logged]
            assert series.value.tolist() == [pairs[i][1] for _, pairs in logged]
            assert info.tags[tag].last == logged[-1][1][i][1]
    names = {node["name"] for node in run_graph_nodes(tmp_path)}
    assert {"input/X", "input/Y", "model/w", "model/b"} <= names
    assert info.status == "finished"
    losses = [pairs[0][1] for _, pairs in logged]
    assert losses[-1] < losses[0] / 10  # it did train


def run_graph_nodes(logdir):
    with tracker.open_run(logdir, "engine_run") as run:
        return run.graph()["nodes"]


def test_summary_writer_takes_the_engine_graph_and_merged_summaries(tmp_path):
    graph, logged = _train(tmp_path, epochs=5, writer_cls=_PyTorchStyle)
    with tracker.open_run(tmp_path, "engine_run") as run:
        assert run.graph() == graph.as_graph_def()
        assert run.scalars("summaries/w").value.tolist() == [p[1][1] for _, p in logged]


class _PyTorchStyle(tracker.SummaryWriter):
    """A SummaryWriter given the graph through add_graph, as PyTorch code does."""

    def __init__(self, log_dir, graph):
        super().__init__(log_dir)
        self.add_graph(graph)
