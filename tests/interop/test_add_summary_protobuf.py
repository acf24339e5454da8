"""add_summary of TensorBoard's own summaries: a Summary protobuf as torch's
`torch.utils.tensorboard.summary.scalar(...)` / `histogram(...)` / `image(...)` build it (what
scripts pass to `writer.file_writer.add_summary`), TF2-style tensor values of a plugin, and the
serialized bytes TF1's `sess.run` of a summary op returns. Each value is stored through
the mapping `liteboard import` uses; what liteboard does not store is a clear error that keeps
the rest."""

import io
import sys

import numpy as np
import pytest

import tracker
from tracker.image import decode_image
from tracker.interop.optional import MissingExtraError

pytest.importorskip("tensorboard")

from PIL import Image  # noqa: E402
from tensorboard.compat.proto import summary_pb2  # noqa: E402
from tensorboard.plugins.scalar import metadata as scalar_metadata  # noqa: E402
from tensorboard.plugins.text import metadata as text_metadata  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402

#: TF 2.21's `sess.run(tf.compat.v1.summary.merge_all())` (graph mode) of scalar "loss" (the mean
#: of [1, 2, 3, 4]), histogram "w" of those values, image "pic" (uint8 range(24) as 1 x 2 x 4 x 3)
#: and text "note" ("hello"): recorded bytes, so the test needs no TensorFlow.
TF1_MERGED = bytes.fromhex(
    "0a0b0a046c6f737315000020400ac7010a01772ac10109000000000000f03f11000000000000104019000000000000"
    "1040210000000000002440290000000000003e40324808996919155aed3f2b14facdbe24f03fdc94cd2e8d75ff3fe0"
    "11f10c744d014068bc10359a0707400d9cc5a02955094081444bf80ba70e407b32f62ee0db1040ffffffffffffef7f"
    "3a480000000000000000000000000000f03f0000000000000000000000000000f03f0000000000000000000000000000"
    "f03f0000000000000000000000000000f03f00000000000000000a640a0b7069632f696d6167652f30225508021004"
    "1803224d89504e470d0a1a0a0000000d4948445200000004000000020802000000f0caea3400000014494441540899"
    "63646064628601161e1e1e38070004a7006310b8621a0000000049454e44ae4260820a1d0a046e6f7465420b0807"
    "1200420568656c6c6f4a080a060a0474657874")
PIXELS = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)


def png(pixels):
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def torch_style(tag, **field):
    """One value as torch.utils.tensorboard.summary builds it."""
    return summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, **field)])


def test_tf1_sess_run_bytes_store_every_value(tmp_path):
    with tracker.SummaryWriter(tmp_path / "r") as writer:
        writer.add_summary(TF1_MERGED, 7, walltime=1000.5)
    with tracker.open_run(tmp_path, "r") as run:
        assert {tag: s.kind for tag, s in run.info().tags.items()} == {
            "loss": "scalar", "w": "histogram", "pic/image/0": "image", "note": "text"}
        loss = run.scalars("loss")
        assert (loss.step.tolist(), loss.wall_time.tolist(), loss.value.tolist()) == ([7], [1000.5], [2.5])
        [hist] = run.histograms("w")
        assert (hist.step, hist.count, hist.min, hist.max, hist.sum, hist.sum_squares) == (7, 4, 1, 4, 10, 30)
        assert hist.counts.tolist() == [1, 0, 1, 0, 1, 0, 1, 0]  # TF1's buckets holding the values
        picture = run.image("pic/image/0", 7)
        assert (picture["width"], picture["height"]) == (4, 2)
        assert np.array_equal(decode_image(picture["png"]), PIXELS)
        assert [(t["step"], t["text"]) for t in run.texts("note")] == [(7, "hello")]


def test_torch_style_protobufs_through_file_writer(tmp_path):
    hist = summary_pb2.HistogramProto(min=-1.0, max=2.0, num=5, sum=3.0, sum_squares=7.0,
                                      bucket_limit=[0.0, 1.0, 2.0], bucket=[1, 2, 2])
    image = summary_pb2.Summary.Image(height=2, width=4, colorspace=3, encoded_image_string=png(PIXELS))
    with tracker.SummaryWriter(tmp_path / "r") as writer:
        for step in range(3):
            writer.file_writer.add_summary(torch_style("loss", simple_value=1.0 / (step + 1)), step,
                                           walltime=50.0 + step)
        writer.file_writer.add_summary(torch_style("weights", histo=hist), 2)
        writer.file_writer.add_summary(torch_style("sample", image=image).SerializeToString(), 2)
    with tracker.open_run(tmp_path, "r") as run:
        loss = run.scalars("loss")
        assert loss.step.tolist() == [0, 1, 2] and loss.wall_time.tolist() == [50.0, 51.0, 52.0]
        assert loss.value.tolist() == pytest.approx([1.0, 0.5, 1 / 3])
        [h] = run.histograms("weights")
        assert (h.step, h.count, h.min, h.max, h.sum, h.sum_squares) == (2, 5, -1.0, 2.0, 3.0, 7.0)
        assert h.edges.tolist() == [-1.0, 0.0, 1.0, 2.0] and h.counts.tolist() == [1, 2, 2]
        assert np.array_equal(decode_image(run.image("sample", 2)["png"]), PIXELS)


def test_tf2_style_tensor_values_by_the_plugin_their_first_value_names(tmp_path):
    def value(tag, array, metadata=None):
        return summary_pb2.Summary(value=[summary_pb2.Summary.Value(
            tag=tag, tensor=tensor_util.make_tensor_proto(array), metadata=metadata)])

    with tracker.SummaryWriter(tmp_path / "r") as writer:
        writer.add_summary(value("acc", np.float32(0.75), scalar_metadata.create_summary_metadata("", "")), 1)
        writer.add_summary(value("acc", np.float32(0.875)), 2)  # TF2 names the plugin once
        writer.add_summary(value("notes", np.array([b"**hi**"], dtype=object),
                                 text_metadata.create_summary_metadata("", "")), 1)
    with tracker.open_run(tmp_path, "r") as run:
        assert run.scalars("acc").step.tolist() == [1, 2]
        assert run.scalars("acc").value.tolist() == [0.75, 0.875]
        assert [t["text"] for t in run.texts("notes")] == ["**hi**"]


def test_torchs_hparams_summaries_through_file_writer(tmp_path):
    """torch's `summary.hparams(...)` gives three summaries (experiment, session start and end)
    that scripts pass to `writer.file_writer.add_summary`: the session start is the run's hparams."""
    from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2
    from tensorboard.plugins.hparams import metadata as hp_metadata

    from tb_logdirs import hparams_value

    start = plugin_data_pb2.SessionStartInfo()
    start.hparams["lr"].number_value = 0.01
    start.hparams["optimizer"].string_value = "adam"
    experiment = api_pb2.Experiment(metric_infos=[api_pb2.MetricInfo(name=api_pb2.MetricName(tag="acc"))])
    summaries = [
        (hp_metadata.EXPERIMENT_TAG, plugin_data_pb2.HParamsPluginData(version=0, experiment=experiment)),
        (hp_metadata.SESSION_START_INFO_TAG, plugin_data_pb2.HParamsPluginData(version=0, session_start_info=start)),
        (hp_metadata.SESSION_END_INFO_TAG, plugin_data_pb2.HParamsPluginData(
            version=0, session_end_info=plugin_data_pb2.SessionEndInfo(status=1))),
    ]
    with tracker.SummaryWriter(tmp_path / "r") as writer:
        for tag, data in summaries:
            writer.file_writer.add_summary(summary_pb2.Summary(value=[hparams_value(tag, data)]))
        writer.add_scalar("acc", 0.9, 0)
    with tracker.open_run(tmp_path, "r") as run:
        assert run.hparams()["hparams"] == {"lr": 0.01, "optimizer": "adam"}
        assert set(run.info().tags) == {"acc"}


def test_a_value_liteboard_does_not_store_names_its_tag_and_keeps_the_rest(tmp_path):
    audio = summary_pb2.Summary.Audio(sample_rate=8000, num_channels=1, encoded_audio_string=b"RIFF")
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="voice", audio=audio),
                                         summary_pb2.Summary.Value(tag="loss", simple_value=0.5)])
    with tracker.SummaryWriter(tmp_path / "r") as writer:
        with pytest.raises(tracker.UnsupportedError,
                           match=r"add_summary: liteboard does not store 'voice' \(audio\) yet; "
                                 r"the summary's other values are logged"):
            writer.add_summary(summary, 3)
        writer.add_scalar("after", 1.0, 0)  # the writer keeps working
    with tracker.open_run(tmp_path, "r") as run:
        assert run.scalars("loss").value.tolist() == [0.5]
        assert set(run.info().tags) == {"loss", "after"}


@pytest.mark.parametrize("data, message", [
    (b"\xff\xff\xff", r"add_summary: 3 bytes that are not a serialized Summary protobuf"),
    (torch_style("pic", image=summary_pb2.Summary.Image(encoded_image_string=b"not a png")),
     r"image for tag 'pic': its 9 bytes are not an image"),
])
def test_bad_protobuf_input_is_a_clear_error(tmp_path, data, message):
    with tracker.SummaryWriter(tmp_path / "r") as writer:
        writer.add_scalar("kept", 1.0, 0)
        with pytest.raises(ValueError, match=message):
            writer.add_summary(data, 1)
    with tracker.open_run(tmp_path, "r") as run:
        assert run.scalars("kept").value.tolist() == [1.0]


def test_a_str_is_refused_by_name(tmp_path):
    with tracker.SummaryWriter(tmp_path / "r") as writer:
        with pytest.raises(TypeError, match=r"got a str \(a serialized Summary is bytes\)"):
            writer.add_summary("loss", 1)


def test_without_tensorboard_the_error_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "tensorboard", None)
    monkeypatch.delitem(sys.modules, "tracker.interop.tb_summary", raising=False)
    monkeypatch.delattr("tracker.interop.tb_summary", raising=False)
    with tracker.SummaryWriter(tmp_path / "r") as writer:
        with pytest.raises(MissingExtraError, match=r"reading TensorBoard summaries needs the tensorboard package, "
                                 r"which is not installed: pip install 'liteboard\[tensorboard\]'"):
            writer.add_summary(TF1_MERGED, 1)
        writer.add_summary([("loss", 1.0)], 1)  # engine and plain summaries need no extra
