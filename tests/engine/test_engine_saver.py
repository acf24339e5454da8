"""train.Saver: round trips (all, a subset, under other names), the `checkpoint` index file,
max_to_keep pruning, reading checkpoints without a graph, errors that name the thing, and a
save that dies midway (an injected failure, and a process killed mid-write)."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import engine as tf
from engine import saver as saver_module

ROOT = Path(__file__).resolve().parents[2]


def model():
    with tf.variable_scope("model"):
        w = tf.get_variable("W", initializer=np.arange(6, dtype=np.float32).reshape(3, 2))
        b = tf.get_variable("b", initializer=np.array([1.0, -1.0], np.float32))
    step = tf.train.get_or_create_global_step()
    return w, b, step


def test_save_and_restore_all_variables(tmp_path):
    w, b, step = model()
    saver = tf.train.Saver()
    prefix = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([w.assign(w * 2.0), step.assign(7)])
        assert saver.save(sess, prefix, global_step=step) == prefix + "-7"
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.ckpt-7.meta", "model.ckpt-7.npz"]
    with tf.Session() as sess:
        saver.restore(sess, prefix + "-7")  # no initializer needed
        assert sess.run(step) == 7
        np.testing.assert_array_equal(sess.run(w), np.arange(6).reshape(3, 2) * 2.0)
        assert sess.run(w).dtype == np.float32 and sess.run(step).dtype == np.int64


def test_restore_into_a_rebuilt_graph_from_latest_checkpoint(tmp_path):
    w, _, _ = model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign(tf.ones([3, 2])))
        tf.train.Saver().save(sess, str(tmp_path / "ckpt"), global_step=3)
    tf.reset_default_graph()
    w, _, _ = model()
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        np.testing.assert_array_equal(sess.run(w), np.ones((3, 2)))


def test_a_subset_and_renamed_variables(tmp_path):
    w, b, _ = model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver([b]).save(sess, str(tmp_path / "only_b"), write_meta_graph=False)
        tf.train.Saver({"bias": b, "weights": w}).save(sess, str(tmp_path / "renamed"))
    assert not (tmp_path / "only_b.meta").exists()
    assert tf.train.list_variables(str(tmp_path / "only_b")) == [("model/b", [2])]
    assert tf.train.list_variables(str(tmp_path / "renamed")) == [("bias", [2]), ("weights", [3, 2])]
    tf.reset_default_graph()
    other = tf.Variable(np.zeros(2, np.float32), name="other_bias")
    untouched = tf.Variable(np.full(2, 7.0, np.float32), name="untouched")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver({"bias": other}).restore(sess, str(tmp_path / "renamed"))
        assert sess.run(other).tolist() == [1.0, -1.0]
        assert sess.run(untouched).tolist() == [7.0, 7.0]


def test_max_to_keep_prunes_the_oldest_and_the_index_lists_the_rest(tmp_path):
    (w, _, step), prefix = model(), str(tmp_path / "m")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        paths = [saver.save(sess, prefix, global_step=i) for i in range(4)]
    assert paths == [f"{prefix}-{i}" for i in range(4)]
    assert saver.last_checkpoints == paths[2:]
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m-2.meta", "m-2.npz", "m-3.meta", "m-3.npz"]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == paths[3]
    assert state.all_model_checkpoint_paths == paths[2:]
    text = (tmp_path / "checkpoint").read_text()
    assert text.startswith(f'model_checkpoint_path: "{prefix}-3"\nall_model_checkpoint_paths: "{prefix}-2"\n')
    assert tf.train.latest_checkpoint(str(tmp_path)) == paths[3]


def test_keep_all_relative_paths_and_keeping_one_every_n_hours(tmp_path):
    model()
    (tmp_path / "all").mkdir()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        keep_all = tf.train.Saver(max_to_keep=None, save_relative_paths=True)
        for i in range(6):
            keep_all.save(sess, str(tmp_path / "all" / "m"), global_step=i)
        hourly = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=0.0)
        for i in range(3):
            hourly.save(sess, str(tmp_path / "h"), global_step=i)
    assert len(list((tmp_path / "all").glob("*.npz"))) == 6
    assert '"m-5"' in (tmp_path / "all" / "checkpoint").read_text()
    assert tf.train.latest_checkpoint(str(tmp_path / "all")) == str(tmp_path / "all" / "m-5")
    # every n hours with n = 0: each checkpoint pushed out of max_to_keep is kept on disk
    assert sorted(p.name for p in tmp_path.glob("h-*")) == [f"h-{i}.{s}" for i in range(3) for s in ("meta", "npz")]


def test_reading_a_checkpoint_without_a_graph(tmp_path):
    model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver().save(sess, str(tmp_path / "m"), global_step=1)
    assert tf.train.list_variables(str(tmp_path)) == [("global_step", []), ("model/W", [3, 2]), ("model/b", [2])]
    assert tf.train.load_variable(str(tmp_path), "model/b").tolist() == [1.0, -1.0]
    assert tf.train.load_variable(str(tmp_path / "m-1"), "model/W:0").shape == (3, 2)


def test_restoring_a_variable_the_checkpoint_lacks_names_it(tmp_path):
    w, _, _ = model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver([w]).save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    model()
    with tf.Session() as sess, pytest.raises(tf.errors.NotFoundError) as error:
        tf.train.Saver().restore(sess, str(tmp_path / "m"))
    assert str(error.value).startswith("Restoring from checkpoint failed. This is most likely due to a "
                                       "Variable name or other graph key that is missing from the checkpoint.")
    assert "Key model/b not found in checkpoint" in str(error.value)


def test_restoring_another_shape_names_both_shapes(tmp_path):
    model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver().save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    with tf.variable_scope("model"):
        tf.get_variable("W", [2, 3])
    with tf.Session() as sess, pytest.raises(ValueError) as error:
        tf.train.Saver().restore(sess, str(tmp_path / "m"))
    assert "variable 'model/W' has shape (2, 3) in the graph but 'model/W' has shape (3, 2)" in str(error.value)


def test_save_makes_the_one_missing_directory_of_its_path(tmp_path):
    """TF's checkpoint writer makes the directory the path names, but not its parents: the
    TensorFlow-Examples save_restore_model saves to a model directory nobody made."""
    model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "new-dir" / "model.ckpt"))
    assert path == str(tmp_path / "new-dir" / "model.ckpt")
    assert tf.train.latest_checkpoint(str(tmp_path / "new-dir")) == path


def test_path_errors(tmp_path):
    model()
    saver = tf.train.Saver()
    missing = str(tmp_path / "nothing-here")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match=f"The passed save_path is not a valid checkpoint: {missing}"):
            saver.restore(sess, missing)
        with pytest.raises(ValueError, match="Can't load save_path when it is None."):
            saver.restore(sess, None)
        with pytest.raises(ValueError, match="Parent directory of .*no-dir/deeper/m doesn't exist, can't save."):
            saver.save(sess, str(tmp_path / "no-dir" / "deeper" / "m"))
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert not (tmp_path / "no-dir").exists()
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints in given directory"):
        tf.train.list_variables(str(tmp_path))
    with pytest.raises(ValueError, match=f"not a valid checkpoint: {missing}"):
        tf.train.load_variable(missing, "x")


def test_a_corrupt_or_truncated_checkpoint_file_is_named(tmp_path):
    w, _, _ = model()
    saver = tf.train.Saver([w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"))
        whole = (tmp_path / "m.npz").read_bytes()
        (tmp_path / "m.npz").write_bytes(b"not a zip at all")
        with pytest.raises(ValueError, match=r"m.npz is not a readable checkpoint: File is not a zip file"):
            saver.restore(sess, str(tmp_path / "m"))
        (tmp_path / "m.npz").write_bytes(whole[:200] + whole[-120:])  # values cut out
        with pytest.raises(ValueError, match="m.npz"):
            saver.restore(sess, str(tmp_path / "m"))


def test_saving_an_uninitialized_variable_names_it(tmp_path):
    model()
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError, match="model/W"):
        tf.train.Saver().save(sess, str(tmp_path / "m"))
    assert os.listdir(tmp_path) == []


def test_bad_var_lists():
    w, b, _ = model()
    with pytest.raises(ValueError, match="At least two variables have the same name: model/W"):
        tf.train.Saver([w, w])
    with pytest.raises(TypeError, match="Saver var_list items must be Variables, got 3 for 'x'"):
        tf.train.Saver({"x": 3})
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()


def test_a_failure_mid_save_leaves_the_last_checkpoint_whole(tmp_path, monkeypatch):
    w, _, _ = model()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = saver.save(sess, str(tmp_path / "m"), global_step=1)
        sess.run(w.assign(tf.zeros([3, 2])))

        def dies_midway(file, arrays):
            file.write(b"PK\x03\x04 half a zip")
            raise OSError("disk full")
        monkeypatch.setattr(saver_module, "_savez", dies_midway)  # the writer of the .npz
        with pytest.raises(OSError, match="disk full"):
            saver.save(sess, str(tmp_path / "m"), global_step=2)
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m-1.meta", "m-1.npz"]  # no temporary file left
    assert tf.train.latest_checkpoint(str(tmp_path)) == first
    with tf.Session() as sess:
        saver.restore(sess, first)
        np.testing.assert_array_equal(sess.run(w), np.arange(6).reshape(3, 2))


CHILD = """
import sys, time
import numpy as np
import engine as tf
from engine import saver as saver_module

w = tf.Variable(np.zeros((1000, 1000), np.float32), name="w")
saver = tf.train.Saver()
real_savez = saver_module._savez

def slow_savez(file, arrays):
    file.write(b"PK")
    file.flush()
    print("writing", flush=True)
    time.sleep(60)   # killed here, mid-write
    real_savez(file, arrays)

with tf.Session() as sess:
    sess.run(w.initializer)
    saver.save(sess, sys.argv[1], global_step=1)
    sess.run(w.assign(tf.ones([1000, 1000])))
    saver_module._savez = slow_savez
    saver.save(sess, sys.argv[1], global_step=2)
"""


def test_a_process_killed_mid_save_leaves_a_checkpoint_that_restores(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(CHILD))
    ckpt_dir = tmp_path / "ckpt"
    ckpt_dir.mkdir()
    child = subprocess.Popen([sys.executable, str(script), str(ckpt_dir / "m")], cwd=ROOT,
                             stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout.readline() == b"writing\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    leftovers = sorted(p.name for p in ckpt_dir.iterdir())
    assert leftovers[:3] == ["checkpoint", "m-1.meta", "m-1.npz"] and len(leftovers) == 4  # and a temp file
    latest = tf.train.latest_checkpoint(str(ckpt_dir))
    assert latest == str(ckpt_dir / "m-1")
    w = tf.Variable(np.ones((1000, 1000), np.float32), name="w")
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, latest)
        assert not sess.run(w).any()


def test_each_save_writes_the_graph_as_it_is_then(tmp_path):
    """The .meta file is encoded once per state of the graph: a graph that grew, or whose
    collections changed, since the last save is written anew."""
    w = tf.Variable(np.ones(3, np.float32), name="w")
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    first = saver.save(sess, str(tmp_path / "model"), global_step=1)
    again = saver.save(sess, str(tmp_path / "model"), global_step=2)
    assert Path(first + ".meta").read_bytes() == Path(again + ".meta").read_bytes()
    saver.export_meta_graph(str(tmp_path / "exported.meta"))
    assert (tmp_path / "exported.meta").read_bytes() == Path(again + ".meta").read_bytes()
    tf.multiply(w, 2.0, name="doubled")
    grown = saver.save(sess, str(tmp_path / "model"), global_step=3)
    tf.add_to_collection("outputs", tf.get_default_graph().get_tensor_by_name("doubled:0"))
    filed = saver.save(sess, str(tmp_path / "model"), global_step=4)
    for prefix, op_names, collections in [(first, [], []), (grown, ["doubled"], []),
                                          (filed, ["doubled"], ["outputs"])]:
        tf.reset_default_graph()
        tf.train.import_meta_graph(prefix + ".meta")
        graph = tf.get_default_graph()
        assert [n for n in op_names if n in {op.name for op in graph.get_operations()}] == op_names
        assert [k for k in ["outputs"] if graph.get_collection(k)] == collections
