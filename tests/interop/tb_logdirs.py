"""TensorBoard logdirs written with the tensorboard package's own writers, as TF1, TF2,
torch and tensorboardX write them, and the values each holds (to check an import against)."""

import io

import numpy as np
import pytest

pytest.importorskip("tensorboard")

from tensorboard.compat.proto import event_pb2, graph_pb2, summary_pb2, tensor_pb2  # noqa: E402
from tensorboard.plugins.hparams import metadata as hp_metadata  # noqa: E402
from tensorboard.plugins.hparams import plugin_data_pb2  # noqa: E402
from tensorboard.summary import DirectoryOutput, Writer  # noqa: E402
from tensorboard.plugins.text import metadata as text_metadata  # noqa: E402
from tensorboard.summary.writer.event_file_writer import EventFileWriter  # noqa: E402

WALL = 1_700_000_000.123456  # a wall time with digits past the float32 range

#: TF1 / torch / tensorboardX style: simple_value scalars, run "tf1/a".
TF1_SCALARS = {"loss": [(s, WALL + s * 0.25, 1.0 / (s + 1)) for s in range(0, 300, 3)],
               "acc": [(s, WALL + s * 0.25, s / 300) for s in range(0, 300, 3)]}
#: TF2 style: tensor scalars of the scalars plugin (tensorboard.summary.Writer), run "tf2".
TF2_SCALARS = {"eval/loss": [(s, WALL + 1000 + s, 2.0 ** -s) for s in range(40)]}
TEXTS = [("notes", 5, WALL + 7.5, "**bold** text, with ünïcode"), ("notes", 9, WALL + 9.5, "second")]
HPARAMS = {"lr": 0.01, "optimizer": "adam", "batch": 32.0, "nesterov": True}
#: A 2 x 3 RGB image; TF2's histogram as (left, right, count) rows.
IMAGE = np.arange(18, dtype=np.uint8).reshape(2, 3, 3) * 10
TF2_HISTOGRAM = [(0.0, 1.0, 2.0), (1.0, 3.0, 4.0)]
METRIC = ("hparam/accuracy", [(0, WALL + 50, 0.5), (1, WALL + 51, 0.875)])


def event(step, wall_time, *values):
    return event_pb2.Event(step=step, wall_time=wall_time, summary=summary_pb2.Summary(value=list(values)))


def simple(tag, value):
    return summary_pb2.Summary.Value(tag=tag, simple_value=value)


def write_tf1_run(directory):
    """simple_value scalars, texts, a GraphDef, and a histogram and an image (skipped kinds)."""
    writer = EventFileWriter(str(directory))
    graph = graph_pb2.GraphDef()
    node = graph.node.add(name="x", op="Placeholder")
    node.attr["dtype"].type = 1  # DT_FLOAT
    node.attr["shape"].shape.dim.add(size=-1)
    node.attr["shape"].shape.dim.add(size=3)
    node = graph.node.add(name="scope/mul", op="Mul", input=["x", "scope/c:0", "^init"])
    node.attr["T"].type = 1
    graph.node.add(name="scope/c", op="Const").attr["value"].tensor.CopyFrom(
        tensor_pb2.TensorProto(dtype=1, float_val=[2.0]))
    graph.node.add(name="init", op="NoOp")
    writer.add_event(event_pb2.Event(wall_time=WALL - 1, graph_def=graph.SerializeToString()))
    for (step, wall, loss), (_, _, acc) in zip(TF1_SCALARS["loss"], TF1_SCALARS["acc"]):
        writer.add_event(event(step, wall, simple("loss", loss), simple("acc", acc)))
    for tag, step, wall, text in TEXTS:
        tensor = tensor_pb2.TensorProto(dtype=7, string_val=[text.encode()])  # DT_STRING
        tensor.tensor_shape.SetInParent()
        writer.add_event(event(step, wall, summary_pb2.Summary.Value(
            tag=tag, tensor=tensor, metadata=text_metadata.create_summary_metadata("", ""))))
    histo = summary_pb2.HistogramProto(min=0, max=1, num=2, sum=1, sum_squares=1,
                                       bucket_limit=[0.5, 1.0], bucket=[1, 1])
    writer.add_event(event(3, WALL + 3, summary_pb2.Summary.Value(tag="weights", histo=histo)))
    image = summary_pb2.Summary.Image(height=2, width=3, colorspace=3, encoded_image_string=png(IMAGE))
    writer.add_event(event(3, WALL + 3, summary_pb2.Summary.Value(tag="sample", image=image)))
    audio = summary_pb2.Summary.Audio(sample_rate=8000, num_channels=1, encoded_audio_string=b"RIFF")
    writer.add_event(event(3, WALL + 3, summary_pb2.Summary.Value(tag="voice", audio=audio)))
    writer.close()


def png(array):
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(array).save(out, format="PNG")
    return out.getvalue()


def write_tf2_run(directory):
    """TF2 scalars through tensorboard.summary.Writer (the scalars plugin's tensors), and a
    histogram and a batch of two images as the histograms and images plugins' tensors."""
    writer = Writer(DirectoryOutput(str(directory)))
    for step, wall, value in TF2_SCALARS["eval/loss"]:
        writer.add_scalar("eval/loss", np.float32(value), step, wall_time=wall)
    writer.close()
    from tensorboard.plugins.histogram import metadata as histogram_metadata
    from tensorboard.plugins.image import metadata as image_metadata
    from tensorboard.util import tensor_util

    events = EventFileWriter(str(directory), filename_suffix=".more")
    buckets = tensor_util.make_tensor_proto(np.array(TF2_HISTOGRAM, dtype=np.float64))
    events.add_event(event(7, WALL + 7, summary_pb2.Summary.Value(
        tag="weights", tensor=buckets, metadata=histogram_metadata.create_summary_metadata("", ""))))
    images = tensor_util.make_tensor_proto(np.array([b"3", b"2", png(IMAGE), png(255 - IMAGE)], dtype=object))
    events.add_event(event(8, WALL + 8, summary_pb2.Summary.Value(
        tag="samples", tensor=images, metadata=image_metadata.create_summary_metadata("", ""))))
    events.close()


def hparams_value(tag, data):
    content = hp_metadata.create_summary_metadata(data)
    return summary_pb2.Summary.Value(tag=tag, metadata=content,
                                     tensor=tensor_pb2.TensorProto(dtype=7))  # DT_STRING


def write_hparams_run(directory):
    """The hparams plugin's experiment, session start and end, and the metric, as torch writes them."""
    from tensorboard.plugins.hparams import api_pb2

    writer = EventFileWriter(str(directory))
    experiment = api_pb2.Experiment(metric_infos=[api_pb2.MetricInfo(
        name=api_pb2.MetricName(tag=METRIC[0]))])
    start = plugin_data_pb2.SessionStartInfo()
    for name, value in HPARAMS.items():
        if isinstance(value, bool):
            start.hparams[name].bool_value = value
        elif isinstance(value, str):
            start.hparams[name].string_value = value
        else:
            start.hparams[name].number_value = value
    writer.add_event(event(0, WALL, hparams_value(hp_metadata.EXPERIMENT_TAG, plugin_data_pb2.HParamsPluginData(
        version=0, experiment=experiment))))
    writer.add_event(event(0, WALL, hparams_value(hp_metadata.SESSION_START_INFO_TAG,
                                                  plugin_data_pb2.HParamsPluginData(version=0, session_start_info=start))))
    writer.add_event(event(0, WALL, hparams_value(hp_metadata.SESSION_END_INFO_TAG, plugin_data_pb2.HParamsPluginData(
        version=0, session_end_info=plugin_data_pb2.SessionEndInfo(status=1)))))
    for step, wall, value in METRIC[1]:
        writer.add_event(event(step, wall, simple(METRIC[0], value)))
    writer.close()


def write_logdir(root):
    """The three runs: "tf1/a", "tf2" and "hp/1"."""
    write_tf1_run(root / "tf1" / "a")
    write_tf2_run(root / "tf2")
    write_hparams_run(root / "hp" / "1")
    return root
