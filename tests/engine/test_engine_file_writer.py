"""TF1's summary writing under `import engine as tf`: `tf.summary.FileWriter` with TF1's
parameters and methods, `FileWriterCache`, hand-made `tf.Summary` values (simple_value, a
`tf.HistogramProto`, a `tf.Summary.Image`; field names and behaviour as TF 2.21's
`tf.compat.v1.Summary`), `tf.compat.v1`, and
`import engine` alone never loading the tracker (the engine's one lazy edge to it)."""

import inspect
import io
import subprocess
import sys

import numpy as np
import pytest

import engine as tf
import tracker
from tracker.image import decode_image

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
    assert summary.value[0].histo is None and summary.value[0].image is None


def png(pixels):
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def test_the_classic_log_without_tf_ops_snippets_store_histograms_and_images(tmp_path):
    """As the well-known TF1 logger builds them: a HistogramProto filled in field by field
    from np.histogram, and PNG bytes in a Summary.Image, beside a simple_value."""
    values = np.random.default_rng(0).normal(size=1000)
    counts, edges = np.histogram(values, bins=20)
    hist = tf.HistogramProto()
    hist.min, hist.max = float(np.min(values)), float(np.max(values))
    hist.num = int(np.prod(values.shape))
    hist.sum, hist.sum_squares = float(np.sum(values)), float(np.sum(values ** 2))
    for edge in edges[1:]:
        hist.bucket_limit.append(edge)
    for count in counts:
        hist.bucket.append(count)
    pixels = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
    images = [tf.Summary.Value(tag=f"samples/{i}", image=tf.Summary.Image(
        encoded_image_string=png(pixels + i), height=2, width=4)) for i in range(2)]
    writer = tf.summary.FileWriter(str(tmp_path / "run"))
    writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="hist", histo=hist)]), 3)
    hist.num = 0  # the value took a copy, as TF1's protobufs do
    writer.add_summary(tf.Summary(value=images + [tf.Summary.Value(tag="loss", simple_value=0.5)]), 3)
    writer.add_summary(tf.Summary(value=[{"tag": "from_dict", "histo": {"min": 0, "max": 1, "num": 2,
                                          "bucket_limit": [1], "bucket": [2]}}]), 4)
    writer.close()
    with tracker.open_run(tmp_path, "run") as run:
        [stored] = run.histograms("hist")
        assert (stored.step, stored.count, stored.min, stored.max) == (3, 1000, values.min(), values.max())
        assert stored.sum == pytest.approx(values.sum()) and stored.counts.tolist() == counts.tolist()
        assert stored.edges.tolist() == pytest.approx(edges.tolist())
        for i in range(2):
            assert np.array_equal(decode_image(run.image(f"samples/{i}", 3)["png"]), pixels + i)
        assert run.scalars("loss").value.tolist() == [0.5]
        assert run.histograms("from_dict")[0].count == 2


def test_summary_value_fields_read_back_as_tf1s():
    hist = tf.HistogramProto(min=0, max=2, num=3, sum=3, sum_squares=5, bucket_limit=[1, 2], bucket=[1, 2])
    value = tf.Summary.Value(tag="h", histo=hist)
    assert (value.tag, value.simple_value, value.image) == ("h", 0.0, None)
    assert (value.histo.num, value.histo.bucket_limit, value.histo.bucket) == (3.0, [1.0, 2.0], [1.0, 2.0])
    image = tf.Summary(value=[tf.Summary.Value(tag="i", image=tf.Summary.Image(encoded_image_string=b"png"))])
    assert image.value[0].image.encoded_image_string == b"png"


@pytest.mark.parametrize("fields, message", [
    ({"tag": "a"}, r"tf.Summary.Value\(tag='a'\) needs a simple_value, histo or image"),
    ({"tag": "a", "simple_value": 1, "histo": tf.HistogramProto()},
     r"tf.Summary.Value\(tag='a'\) takes one of simple_value, histo and image, got simple_value and histo"),
    ({"tag": "h", "histo": object()},
     r"tf.Summary.Value\(tag='h', histo=...\) must be a tf.HistogramProto \(or a dict of its fields\), got object"),
    ({"tag": "i", "image": tf.HistogramProto()},
     r"tf.Summary.Value\(tag='i', image=...\) must be a tf.Summary.Image"),
    ({"tag": "i", "image": tf.Summary.Image()},
     r"tf.Summary.Value\(tag='i', image=...\) needs the image's encoded_image_string"),
    ({"tag": "h", "histo": {"min": 0, "bins": [1]}}, r"tf.Summary.Value\(tag='h', histo=\{...\}\): .*'bins'"),
    ({"tag": "t", "tensor": object()}, r"tf.Summary.Value\(tag='t', tensor=...\) is not supported"),
    ({"tag": "v", "audio": object()}, r"tf.Summary.Value\(tag='v', audio=...\) is not supported"),
    ({"tag": "x", "simple": 1.0}, r"tf.Summary.Value\(tag='x'\) has no field 'simple'"),
    ({"tag": "x", "simple_value": "high"}, r"simple_value=...\) must be a number, got str"),
    ({"simple_value": 1.0}, r"tf.Summary.Value needs a tag"),
])
def test_a_bad_summary_value_is_a_type_error_naming_the_field_and_tag(fields, message):
    with pytest.raises(TypeError, match=message):
        tf.Summary.Value(**fields)


@pytest.mark.parametrize("make, message", [
    (lambda: tf.HistogramProto(min="low"), r"tf.HistogramProto\(min=...\) must be a number, got str"),
    (lambda: tf.HistogramProto(bucket=["a"]), r"tf.HistogramProto\(bucket=...\) must be a sequence of numbers"),
    (lambda: tf.Summary.Image(encoded_image_string="x.png"),
     r"tf.Summary.Image\(encoded_image_string=...\) must be bytes \(PNG or JPEG\), got str"),
    (lambda: tf.Summary(value=[("a", 1.0)]), r"tf.Summary\(value=\[...\]\) takes tf.Summary.Value items, got tuple"),
])
def test_bad_histogram_image_and_summary_arguments(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_an_undecodable_image_is_refused_naming_its_tag_and_the_run_keeps_the_rest(tmp_path):
    with tf.summary.FileWriter(str(tmp_path / "run")) as writer:
        writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="loss", simple_value=1.0)]), 0)
        bad = tf.Summary(value=[tf.Summary.Value(tag="pic", image=tf.Summary.Image(encoded_image_string=b"nope"))])
        with pytest.raises(ValueError, match=r"image for tag 'pic': its 4 bytes are not an image"):
            writer.add_summary(bad, 1)
    with tracker.open_run(tmp_path, "run") as run:
        assert set(run.info().tags) == {"loss"}


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
