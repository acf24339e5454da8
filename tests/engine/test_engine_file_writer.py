"""TF1's summary writing under `import engine as tf`: `tf.summary.FileWriter` with TF1's
parameters and methods, `FileWriterCache`, hand-made `tf.Summary` values, `tf.compat.v1`, and
`import engine` alone never loading the tracker (the engine's one lazy edge to it)."""

import inspect
import subprocess
import sys

import numpy as np
import pytest

import engine as tf
import tracker

#: TF1's, from tensorflow.compat.v1.summary.FileWriter (TF 2.21), but for liteboard's own
#: max_queue and flush_secs defaults (see tests/pytorch/test_pytorch_signatures.py).
TF1_FILE_WRITER = {
    "__init__": ["logdir", "graph", "max_queue", "flush_secs", "graph_def", "filename_suffix",
                 "session"],
    "add_summary": ["summary", "global_step"],
    "add_graph": ["graph", "global_step", "graph_def"],
    "add_session_log": ["session_log", "global_step"],
    "add_run_metadata": ["run_metadata", "tag", "global_step"],
    "flush": [], "close": [], "reopen": [], "get_logdir": [],
}


def test_file_writer_is_the_trackers_with_tf1s_parameters_in_tf1s_order():
    assert tf.summary.FileWriter is tracker.FileWriter
    assert tf.compat.v1.summary.FileWriter is tracker.FileWriter
    for method, names in TF1_FILE_WRITER.items():
        params = list(inspect.signature(getattr(tf.summary.FileWriter, method)).parameters)
        assert params[1:len(names) + 1] == names, method
    defaults = inspect.signature(tf.summary.FileWriter).parameters
    assert [defaults[n].default for n in ("graph", "graph_def", "filename_suffix", "session")] == [None] * 4


def test_a_tf1_training_loop_writes_its_graph_summaries_and_a_hand_made_value(tmp_path):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None], name="x")
    w = tf.Variable(2.0, name="w")
    loss = tf.reduce_mean(tf.square(x * w - 1.0))
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    merged = tf.summary.merge_all()
    with tf.Session() as sess:
        # positional, in TF1's order: logdir, graph, max_queue, flush_secs
        writer = tf.summary.FileWriter(str(tmp_path / "train"), sess.graph, 100, 1.0)
        sess.run(tf.global_variables_initializer())
        for step in range(3):
            writer.add_summary(sess.run(merged, {x: np.ones(4, np.float32) * step}), step)
        writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="accuracy", simple_value=0.75)]), 3)
        writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START), 0)
        writer.add_run_metadata(object(), "step3", 3)
        writer.flush()
        assert writer.get_logdir() == str(tmp_path / "train")
        writer.close()
        writer.reopen()
        writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="accuracy", simple_value=0.8)]), 4)
        writer.close()
    with tracker.open_run(tmp_path, "train") as run:
        assert run.scalars("loss").value.tolist() == [1.0, 1.0, 9.0]
        assert run.scalars("accuracy").value.tolist() == [0.75, pytest.approx(0.8)]
        assert run.scalars("accuracy").step.tolist() == [3, 4]
        assert [h.step for h in run.histograms("weights")] == [0, 1, 2]
        assert {n["name"] for n in run.graph()["nodes"]} >= {"x", "w"}
        assert run.info().status == "finished"


def test_hand_made_summary_values_read_as_tf1s():
    summary = tf.Summary(value=[tf.Summary.Value(tag="a", simple_value=1), tf.Summary.Value(tag="b", simple_value=0.5)])
    assert list(summary) == [("a", 1.0), ("b", 0.5)]
    assert [(v.tag, v.simple_value) for v in summary.value] == [("a", 1.0), ("b", 0.5)]
    with pytest.raises(TypeError, match=r"tf.Summary.Value\(histo=...\) is not supported"):
        tf.Summary.Value(tag="h", histo=object())
    with pytest.raises(TypeError, match=r"tf.Summary.Value\(tag='a'\) needs a simple_value"):
        tf.Summary.Value(tag="a")


def test_file_writer_cache_gives_one_writer_per_logdir_with_the_default_graph(tmp_path):
    tf.reset_default_graph()
    tf.constant(1.0, name="c")
    first = tf.summary.FileWriterCache.get(str(tmp_path / "run"))
    assert tf.summary.FileWriterCache.get(str(tmp_path / "run")) is first
    first.add_summary([("x", 1.0)], 0)
    tf.summary.FileWriterCache.clear()
    with pytest.raises(tracker.WriterClosedError):
        first.add_summary([("x", 2.0)], 1)
    with tracker.open_run(tmp_path, "run") as run:
        assert [n["name"] for n in run.graph()["nodes"]] == ["c"]
        assert run.scalars("x").value.tolist() == [1.0]


def test_tf2s_session_argument_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match=r"FileWriter\(session=...\) is TF2's and not supported"):
        tf.summary.FileWriter(str(tmp_path / "run"), session=object())


def test_compat_v1_is_the_engine_itself():
    import engine
    assert tf.compat.v1 is engine and tf.compat.v1.compat.v1 is engine
    assert tf.compat.v1.placeholder is engine.placeholder
    assert "compat" in engine.__all__


def test_import_engine_does_not_import_the_tracker():
    code = ("import sys, engine as tf; tf = tf.compat.v1; s = tf.summary.scalar('x', 1.0); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tracker', 'sqlite3', "
            "'sqlite_utils')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    code = "import sys, engine as tf; tf.summary.FileWriter; print('tracker' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"  # reached on first use
