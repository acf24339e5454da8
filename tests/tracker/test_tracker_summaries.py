"""Engine summaries of every kind go through merge_all and add_summary into the run."""

import numpy as np
import pytest

import engine as tf
import tracker
from tracker.image import decode_png


@pytest.fixture
def logdir(tmp_path):
    return tmp_path / "runs"


def test_merged_histogram_image_and_text_summaries_are_stored(logdir):
    graph = tf.Graph()
    with graph.as_default():
        weights = tf.placeholder(tf.float32, [None], name="weights")
        pictures = tf.placeholder(tf.float32, [None, 2, 3, 1], name="pictures")
        with tf.name_scope("layer"):
            tf.summary.histogram("weights", weights)
        tf.summary.image("pics", pictures, max_outputs=2)
        tf.summary.text("notes", tf.constant("hello *md*"))
        tf.summary.text("table", tf.constant([["a", "b|c"], ["d", "e"]]))
        tf.summary.scalar("loss", tf.constant(0.5))
        merged = tf.summary.merge_all()
        images = np.array([[[0.0, 0.5, 1.0], [2.0, 0.1, 0.999]],
                           [[-1.0, 0.0, 0.5], [1.0, 0.2, np.nan]],
                           [[0, 0, 0], [0, 0, 0]]], np.float32)[..., None]
        with tf.Session() as sess, tracker.FileWriter(logdir / "a") as writer:
            for step in range(2):
                summary = sess.run(merged, {weights: np.arange(4.0) + step, pictures: images})
                writer.add_summary(summary, step)
    with tracker.open_run(logdir, "a") as run:
        tags = {tag: info.kind for tag, info in run.info().tags.items()}
        assert tags == {"layer/weights": "histogram", "pics/image/0": "image",
                        "pics/image/1": "image", "notes": "text", "table": "text", "loss": "scalar"}
        hist = run.histograms("layer/weights")
        first = decode_png(run.image("pics/image/0", 1)["png"])[..., 0]
        second = decode_png(run.image("pics/image/1", 0)["png"])[..., 0]
        texts = {t["tag"]: t["text"] for t in run.texts() if t["step"] == 0}
    assert [(h.step, h.count, h.min, h.max) for h in hist] == [(0, 4, 0.0, 3.0), (1, 4, 1.0, 4.0)]
    # the pixels real TF1 (2.21, compat.v1) gives for these images
    assert first.tolist() == [[0, 63, 127], [255, 12, 127]]
    assert second.tolist() == [[1, 128, 191], [255, 153, 255]]
    assert texts["notes"] == "hello *md*"
    assert texts["table"] == "| | |\n|---|---|\n| a | b\\|c |\n| d | e |"


def test_histogram_summaries_refuse_nan_and_infinity_as_tf1_does():
    graph = tf.Graph()
    with graph.as_default():
        values = tf.placeholder(tf.float32, [None], name="values")
        summary = tf.summary.histogram("h", values)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram for: h"):
                sess.run(summary, {values: [1.0, np.nan]})
            with pytest.raises(tf.errors.InvalidArgumentError, match="Infinity in Histogram for: h"):
                sess.run(summary, {values: [np.inf]})


def test_image_summaries_name_their_tensor_when_the_shape_is_wrong():
    graph = tf.Graph()
    with graph.as_default():
        flat = tf.placeholder(tf.float32, [4, 5, 1], name="flat")
        with pytest.raises(ValueError, match="summary 'bad' needs a 4-D tensor .* 'flat:0'"):
            tf.summary.image("bad", flat)
        with pytest.raises(ValueError, match="summary 'bad' needs a string tensor"):
            tf.summary.text("bad", tf.constant(1.0))
        one = tf.summary.image("one", tf.placeholder(tf.uint8, [None, 2, 2, 3]), max_outputs=1)
        assert (one.op.type, one.name) == ("ImageSummary", "one:0")
        with tf.Session() as sess:
            (pair,) = sess.run(one, {one.op.inputs[0]: np.zeros((3, 2, 2, 3), np.uint8)})
    assert pair[0] == "one/image" and pair[1]["image"].shape == (2, 2, 3)


def test_image_summaries_paint_non_finite_pixels_red_and_show_at_most_the_batch():
    graph = tf.Graph()
    with graph.as_default():
        images = tf.placeholder(tf.float32, [None, 1, 2, 3], name="images")
        summary = tf.summary.image("rgb", images, max_outputs=3)
        batch = np.array([[[[0.0, 0.5, 1.0], [np.inf, 0.0, 0.0]]]], np.float32)  # one image
        with tf.Session() as sess:
            pairs = sess.run(summary, {images: batch})
    assert [tag for tag, _ in pairs] == ["rgb/image/0"]
    assert pairs[0][1]["image"].tolist() == [[[0, 127, 255], [255, 0, 0]]]  # as TF 2.21 compat.v1 gives
