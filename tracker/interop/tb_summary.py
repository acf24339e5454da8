"""TensorBoard's summary values through the tracker writer's own methods: the one mapping that
``liteboard import`` (tb_import.py) and ``SummaryWriter.add_summary`` of a ``Summary`` protobuf
(torch's ``summary.scalar(...)``, TF1's ``sess.run`` bytes) share.

A value is told by its oneof field (simple_value, histo, image) or, for a tensor, by its
plugin: the one its metadata names, which TF2 writes on a tag's first value only, so callers
keep what each tag's plugin is (``plugin_of``). What liteboard does not store raises NotStored.
"""

import json

import numpy as np

from .optional import require

require("tensorboard", "tensorboard", "reading TensorBoard summaries")

from google.protobuf.json_format import MessageToDict  # noqa: E402
from google.protobuf.message import DecodeError, Message  # noqa: E402
from tensorboard.compat.proto.summary_pb2 import Summary  # noqa: E402
from tensorboard.plugins.hparams import plugin_data_pb2  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402

from .. import image  # noqa: E402
from . import tb_values  # noqa: E402

#: What a value liteboard does not store is called, by its oneof field, then by its plugin.
_NOT_STORED_VALUES = {"audio": "audio", "obsolete_old_style_histogram": "old-style histogram",
                      None: "empty value"}
_NOT_STORED_PLUGINS = {"audio": "audio", "mesh": "mesh", "custom_scalars": "custom_scalars layout",
                       "": "tensor"}


class NotStored(Exception):
    """A summary value of a kind liteboard does not store; ``kind`` names it ("audio", ...)."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def parse_summary(summary, what="add_summary"):
    """A tensorboard ``Summary`` of serialized bytes or of another library's ``Summary`` message
    (TF's own class has the same fields); a ValueError naming ``what`` for bytes that are not one."""
    if isinstance(summary, Summary):
        return summary
    data = summary.SerializeToString() if isinstance(summary, Message) else bytes(summary)
    try:
        return Summary.FromString(data)
    except DecodeError as exc:
        raise ValueError(f"{what}: {len(data)} bytes that are not a serialized Summary "
                         f"protobuf ({exc})") from None


def plugin_of(value, plugins):
    """The plugin of ``value``: its metadata's, remembered in ``plugins`` (tag -> plugin name),
    or the one its tag's first value named; "" for none."""
    if value.HasField("metadata") and value.metadata.plugin_data.plugin_name:
        plugins[value.tag] = value.metadata.plugin_data.plugin_name
        return plugins[value.tag]
    return plugins.get(value.tag, "")


def add_value(writer, value, plugin, step, wall_time):
    """Log one ``Summary.Value`` through ``writer``'s add_* methods at ``step`` and
    ``wall_time``. Returns what was logged ("scalars", "histograms", "images", "texts",
    "hparams", "PR curves"), or None for hparams data that holds no values of its own (an
    experiment, a session's end); raises NotStored for a kind liteboard does not store."""
    tag = value.tag
    which = value.WhichOneof("value")
    if which == "simple_value":  # tb_import reads most of these in bulk (tb_columns)
        writer.add_scalar(tag, value.simple_value, step, wall_time)
        return "scalars"
    if which == "histo":
        writer.add_histogram_raw(tag, **tb_values.histo_args(value.histo), global_step=step,
                                 walltime=wall_time)
        return "histograms"
    if which == "image":
        writer.add_image(tag, image.decode_image(value.image.encoded_image_string, tag), step,
                         wall_time, dataformats="HWC")
        return "images"
    if which != "tensor":
        raise NotStored(_NOT_STORED_VALUES.get(which, which))
    if plugin == "hparams":
        return _hparams(writer, value.metadata.plugin_data.content)
    array = tensor_util.make_ndarray(value.tensor)
    if plugin == "scalars":
        if array.size != 1:
            raise ValueError(f"scalar tag '{tag}' holds a tensor of shape {array.shape}")
        writer.add_scalar(tag, float(array.reshape(())), step, wall_time)
        return "scalars"
    if plugin == "histograms":
        writer.add_histogram_raw(tag, **tb_values.tensor_histogram_args(array), global_step=step,
                                 walltime=wall_time)
        return "histograms"
    if plugin == "images":
        return _images(writer, tag, array, step, wall_time)
    if plugin == "text":
        writer.add_text(tag, _text(array), step, wall_time)
        return "texts"
    if plugin == "pr_curves":  # (6, thresholds): schema.PR_CURVE_ROWS
        writer.add_pr_curve_raw(tag, *array.reshape(6, -1), global_step=step,
                                num_thresholds=array.shape[-1], walltime=wall_time)
        return "PR curves"
    raise NotStored(_NOT_STORED_PLUGINS.get(plugin, plugin))


def experiment_metrics(value):
    """The metric tags an hparams plugin experiment names (an empty set for other values)."""
    data = plugin_data_pb2.HParamsPluginData.FromString(value.metadata.plugin_data.content)
    if data.WhichOneof("data") != "experiment":
        return set()
    return {info.name.tag for info in data.experiment.metric_infos}


def _hparams(writer, content):
    data = plugin_data_pb2.HParamsPluginData.FromString(content)
    if data.WhichOneof("data") != "session_start_info":
        return None
    writer.add_hparams({name: _plain_value(value)
                        for name, value in data.session_start_info.hparams.items()}, {})
    return "hparams"


def _images(writer, tag, array, step, wall_time):
    """The images plugin's tensor (width, height, then each image's encoded bytes): one image,
    or a batch of one size, tiled as add_images tiles it."""
    decoded = [image.decode_image(encoded, tag) for encoded in array.reshape(-1)[2:].tolist()]
    if not decoded:
        raise NotStored("empty image")
    if len(decoded) == 1:
        writer.add_image(tag, decoded[0], step, wall_time, dataformats="HWC")
    else:
        writer.add_images(tag, np.stack(decoded), step, wall_time, dataformats="NHWC")
    return "images"


def _text(array):
    """A text plugin tensor as markdown: its string, or its strings one paragraph each."""
    items = [item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
             for item in array.ravel().tolist()]
    return "\n\n".join(items)


def _plain_value(value):
    """A google.protobuf.Value of an hparam as a bool, number, str or None."""
    which = value.WhichOneof("kind")
    if which in ("number_value", "string_value", "bool_value"):
        return getattr(value, which)
    if which is None or which == "null_value":
        return None
    return json.dumps(MessageToDict(value))  # a list or struct: its JSON, as a str hparam
