"""Summary ops: `scalar`, `histogram`, `image`, `text`, `merge`, `merge_all`. Running one gives a
`Summary`: (tag, value) pairs. `FileWriter` and `FileWriterCache` write them (file_writers.py).

The engine does no I/O; a writer (liteboard's tracker, or anything that takes (tag, value)
pairs) records what a run returns. As in TF1, a summary's tag is its name inside the enclosing
name scopes, made unique: `summaries/loss`, then `summaries/loss_1`; an image summary of
`max_outputs` > 1 gives one tag per image, `<tag>/image/0`, `<tag>/image/1`, ...

A scalar's value is a float; the others' are dicts naming their kind, which the tracker's
`add_summary` stores as histograms, images and texts:
`{"kind": "histogram", "values": array}`, `{"kind": "image", "image": uint8 array (H, W, C)}`,
`{"kind": "text", "text": str or array of str}`.
"""

import numpy as np

from . import dtypes, errors
from .array_ops import convert_to_tensor
from .extend import defop, make_op
from .file_writers import FileWriterCache, tracker_writer  # noqa: F401 - tf.summary's names
from .graph import GraphKeys, Tensor, format_shape, get_default_graph


class _Value(tuple):
    """`tf.Summary.Value(tag=..., simple_value=...)`: one (tag, number) pair of a hand-made
    summary, as TF1 code builds one for `add_summary`."""

    __slots__ = ()

    def __new__(cls, tag=None, simple_value=None, **fields):
        if fields:
            raise TypeError(f"tf.Summary.Value({', '.join(sorted(fields))}=...) is not supported: "
                            "a hand-made value takes tag and simple_value (use tf.summary ops "
                            "for histograms, images and texts)")
        if not isinstance(tag, str) or not tag:
            raise TypeError(f"tf.Summary.Value needs a tag (a non-empty str), got {tag!r}")
        if simple_value is None:
            raise TypeError(f"tf.Summary.Value(tag={tag!r}) needs a simple_value")
        return super().__new__(cls, (tag, float(simple_value)))

    tag = property(lambda self: self[0])
    simple_value = property(lambda self: self[1])


class Summary(tuple):
    """A tuple of (tag, value) pairs, as `Session.run` returns for a summary op; also TF1's
    hand-made `tf.Summary(value=[tf.Summary.Value(tag=..., simple_value=...)])`."""

    __slots__ = ()
    Value = _Value

    def __new__(cls, pairs=(), value=None):
        return super().__new__(cls, pairs if value is None else [_Value(*v) for v in value])

    @property
    def value(self):
        """The pairs as `Summary.Value`s of their tag and value, as TF1's `summary.value`."""
        return [_Value(tag, v) for tag, v in self if not isinstance(v, dict)]

    def as_dict(self):
        return dict(self)

    def __repr__(self):
        return f"Summary({list(self)!r})"


class SessionLog:
    """TF1's `tf.SessionLog(status=tf.SessionLog.START)`, for `FileWriter.add_session_log`."""

    STATUS_UNSPECIFIED, START, STOP, CHECKPOINT = 0, 1, 2, 3

    def __init__(self, status=0, checkpoint_path="", msg=""):
        self.status, self.checkpoint_path, self.msg = status, checkpoint_path, msg


def __getattr__(name):
    """`tf.summary.FileWriter` is the tracker's, reached on first use (see file_writers.py)."""
    if name == "FileWriter":
        return tracker_writer("FileWriter")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _scalar_summary(value, *, tag):
    if np.ndim(value) != 0:
        raise ValueError(f"summary '{tag}' needs a scalar, got a value of shape {np.shape(value)}")
    return Summary(((tag, float(value)),))


def _histogram_summary(values, *, tag):
    values = np.asarray(values)
    if values.dtype.kind == "f":  # TF1 refuses them, in its own words
        if np.isnan(values).any():
            raise errors.InvalidArgumentError(f"Nan in summary histogram for: {tag}")
        if np.isinf(values).any():
            raise errors.InvalidArgumentError(f"Infinity in Histogram for: {tag}")
    return Summary(((tag, {"kind": "histogram", "values": values}),))


def _image_summary(images, *, tag, max_outputs):
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[3] not in (1, 3, 4):
        raise errors.InvalidArgumentError(
            f"Tensor must be 4-D with last dim 1, 3, or 4, not {list(images.shape)} (summary '{tag}')")
    shown = [_image_bytes(image) for image in images[:max_outputs]]
    if max_outputs == 1:
        return Summary((f"{tag}/image", {"kind": "image", "image": image}) for image in shown)
    return Summary((f"{tag}/image/{i}", {"kind": "image", "image": image})
                   for i, image in enumerate(shown))


#: What TF1 paints a NaN or infinite pixel: red (its bad_color), per channel count.
_BAD_COLOR = {1: [255], 3: [255, 0, 0], 4: [255, 0, 0, 255]}


def _image_bytes(image):
    """uint8 pixels of one (H, W, C) image as TF1 makes them: uint8 as it is; floats scaled so
    the largest is 255, or, if any is negative, so that 0 is 128 and the largest magnitude 127
    away (truncated, as TF1 does), non-finite pixels in red."""
    if image.dtype == np.uint8:
        return image
    image = image.astype(np.float32)
    bad = ~np.isfinite(image).all(axis=2)
    finite = image[~bad]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 0.0)
    if low < 0:
        largest = max(-low, high)
        scale, offset = (0.0 if largest < 1e-6 else 127.0 / largest), 128.0
    else:
        scale, offset = (0.0 if high < 1e-6 else 255.0 / high), 0.0
    out = np.where(bad[..., None], 0, image * scale + offset).astype(np.uint8)
    out[bad] = _BAD_COLOR[image.shape[2]]
    return out


def _text_summary(text, *, tag):
    return Summary(((tag, {"kind": "text", "text": text}),))


def _merge(*summaries):
    return Summary(pair for summary in summaries for pair in summary)


_string = {"dtype": lambda *inputs, **attrs: dtypes.string, "shape": lambda *inputs, **attrs: ()}
defop("ScalarSummary", forward=_scalar_summary, grads=None, **_string)
defop("HistogramSummary", forward=_histogram_summary, grads=None, **_string)
defop("ImageSummary", forward=_image_summary, grads=None, **_string)
defop("TensorSummaryV2", forward=_text_summary, grads=None, **_string)
defop("MergeSummary", forward=_merge, grads=None, **_string)


def scalar(name, tensor, collections=None, family=None):
    """A summary op recording `tensor` (a scalar) under the tag `<name scopes>/name`."""
    tensor = convert_to_tensor(tensor)
    if tensor._dims is not None and len(tensor._dims) != 0:
        raise ValueError(f"summary '{name}' needs a scalar tensor, got '{tensor.name}' "
                         f"of shape {format_shape(tensor._dims)}")
    return _summary_op("ScalarSummary", name, tensor, collections)


def histogram(name, values, collections=None, family=None):
    """A summary op recording a histogram of `values` (any shape) under `<name scopes>/name`;
    running it with a NaN or infinite value raises InvalidArgumentError, as in TF1."""
    return _summary_op("HistogramSummary", name, convert_to_tensor(values), collections)


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """A summary op recording the first `max_outputs` images of `tensor`, 4-D
    [batch, height, width, channels] with 1, 3 or 4 channels (TF1's scaling of floats)."""
    tensor = convert_to_tensor(tensor)
    if tensor._dims is not None and (len(tensor._dims) != 4 or tensor._dims[3] not in (1, 3, 4, None)):
        raise ValueError(f"summary '{name}' needs a 4-D tensor [batch, height, width, channels] "
                         f"with 1, 3 or 4 channels, got '{tensor.name}' of shape "
                         f"{format_shape(tensor._dims)}")
    if isinstance(max_outputs, bool) or not isinstance(max_outputs, int) or max_outputs < 1:
        raise ValueError(f"summary '{name}': max_outputs must be a positive int, got {max_outputs!r}")
    return _summary_op("ImageSummary", name, tensor, collections, max_outputs=max_outputs)


def text(name, tensor, collections=None):
    """A summary op recording `tensor` (a string, or a 1-D or 2-D string tensor shown as a table)."""
    tensor = convert_to_tensor(tensor)
    if tensor.dtype is not dtypes.string:
        raise ValueError(f"summary '{name}' needs a string tensor, got '{tensor.name}' of "
                         f"dtype {tensor.dtype.name}")
    return _summary_op("TensorSummaryV2", name, tensor, collections)


def _summary_op(op_type, name, tensor, collections, **attrs):
    graph = tensor.graph
    tag = graph.unique_name(name, mark_as_used=False)
    op = make_op(op_type, [tensor], {"tag": tag, **attrs}, name=name)
    for key in [GraphKeys.SUMMARIES] if collections is None else collections:
        graph.add_to_collection(key, op)
    return op


def merge(inputs, collections=None, name=None):
    """One summary op giving the pairs of all `inputs` (summary tensors), in order."""
    inputs = [convert_to_tensor(t) for t in inputs]
    graph = inputs[0].graph if inputs else get_default_graph()
    with graph.name_scope(name or "Merge"):  # TF1's names: Merge/MergeSummary, Merge_1/MergeSummary
        op = make_op("MergeSummary", inputs, name=name or "MergeSummary")
    for key in collections or ():
        op.graph.add_to_collection(key, op)
    return op


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """Merge every summary in the graph's `key` collection; None when there are none."""
    summaries = [s for s in get_default_graph().get_collection(key, scope) if isinstance(s, Tensor)]
    return merge(summaries, name=name) if summaries else None
