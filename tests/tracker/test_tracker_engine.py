"""A training loop on liteboard's engine: its merged summaries and graph are read back equal.

The loop trains the linear regression example's own graph (`build_graph`), so what is
checked here is what the example logs."""

import engine as tf
import tracker
from examples import linear_regression

TAGS = ["train/loss", "params/w", "params/b"]


def _train(logdir, epochs=60, writer_cls=tracker.FileWriter):
    """Train the example's graph; returns the graph and every (step, summary) logged."""
    x, y = linear_regression.make_data(50, 0.05, seed=0)
    graph, m = linear_regression.build_graph("sgd", 0.3)
    logged = []
    with tf.Session(graph=graph) as sess, writer_cls(str(logdir / "engine_run"), graph=graph) as writer:
        sess.run(m["init"])
        for _ in range(epochs):
            _, summary, step = sess.run([m["train_op"], m["summaries"], tf.train.get_global_step(graph)],
                                        {m["X"]: x, m["Y"]: y})
            writer.add_summary(summary, int(step))
            logged.append((int(step), list(summary)))
    return graph, logged


def test_engine_summaries_and_graph_read_back_equal(tmp_path):
    graph, logged = _train(tmp_path)
    assert [tag for tag, _ in logged[0][1]] == TAGS
    with tracker.open_run(tmp_path, "engine_run") as run:
        assert run.graph() == graph.as_graph_def()
        names = {node["name"] for node in run.graph()["nodes"]}
        info = run.info()
        for i, tag in enumerate(TAGS):
            series = run.scalars(tag)
            assert series.step.tolist() == [step for step, _ in logged]
            assert series.value.tolist() == [pairs[i][1] for _, pairs in logged]
            assert info.tags[tag].last == logged[-1][1][i][1]
    assert {"inputs/X", "inputs/Y", "model/w", "model/b", "train/mse"} <= names
    assert info.status == "finished"
    losses = [pairs[0][1] for _, pairs in logged]
    assert losses[-1] < losses[0] / 10  # it did train


def test_summary_writer_takes_the_engine_graph_and_merged_summaries(tmp_path):
    graph, logged = _train(tmp_path, epochs=5, writer_cls=_PyTorchStyle)
    with tracker.open_run(tmp_path, "engine_run") as run:
        assert run.graph() == graph.as_graph_def()
        assert run.scalars("params/w").value.tolist() == [p[1][1] for _, p in logged]


class _PyTorchStyle(tracker.SummaryWriter):
    """A SummaryWriter given the graph through add_graph, as PyTorch code does."""

    def __init__(self, log_dir, graph):
        super().__init__(log_dir)
        self.add_graph(graph)
