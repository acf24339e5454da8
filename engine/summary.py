"""Summary ops: `scalar`, `histogram`, `image`, `text`, `merge`, `merge_all`. Running one gives a
`Summary`: (tag, value) pairs; TF1's hand-made `tf.Summary`, `tf.Summary.Value`,
`tf.Summary.Image` and `tf.HistogramProto` build one too. `FileWriter` and `FileWriterCache`
write them (file_writers.py).

The engine does no I/O; a writer (liteboard's tracker, or anything that takes (tag, value)
pairs) records what a run returns. As in TF1, a summary's tag is its name inside the enclosing
name scopes, made unique: `summaries/loss`, then `summaries/loss_1`; an image summary of
`max_outputs` > 1 gives one tag per image, `<tag>/image/0`, `<tag>/image/1`, ...

A scalar's value is a float; the others' are dicts naming their kind, which the tracker's
`add_summary` stores as histograms, images and texts:
`{"kind": "histogram", "values": array}`, `{"kind": "image", "image": uint8 array (H, W, C)}`,
`{"kind": "text", "text": str or array of str}`; and a hand-made `tf.Summary.Value`'s
`{"kind": "histo", "histo": HistogramProto}`, `{"kind": "encoded_image", "image": Summary.Image}`.
"""

import numpy as np

from . import dtypes, errors
from .array_ops import convert_to_tensor
from .extend import defop, make_op
from .file_writers import FileWriterCache, tracker_writer  # noqa: F401 - tf.summary's names
from .graph import GraphKeys, Tensor, format_shape, get_default_graph


class HistogramProto:
    """TF1's `tf.HistogramProto`: a histogram already counted (`bucket_limit` the buckets' right
    edges, `bucket` their counts), for `tf.Summary.Value(histo=...)`. Classic code fills one in
    by hand, `hist.min = ...`, `hist.bucket_limit.append(edge)`; the value takes a copy."""

    _NUMBERS = ("min", "max", "num", "sum", "sum_squares")

    def __init__(self, min=0.0, max=0.0, num=0.0, sum=0.0, sum_squares=0.0, bucket_limit=(),
                 bucket=()):
        given = {"min": min, "max": max, "num": num, "sum": sum, "sum_squares": sum_squares}
        for name, number in given.items():
            setattr(self, name, _number(f"tf.HistogramProto({name}=...)", number))
        self.bucket_limit = _numbers("tf.HistogramProto(bucket_limit=...)", bucket_limit)
        self.bucket = _numbers("tf.HistogramProto(bucket=...)", bucket)

    def _copy(self):
        return HistogramProto(*(getattr(self, name) for name in self._NUMBERS),
                              self.bucket_limit, self.bucket)

    def __repr__(self):
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._NUMBERS)
        return f"HistogramProto({fields}, bucket_limit={self.bucket_limit!r}, bucket={self.bucket!r})"


class _Image:
    """TF1's `tf.Summary.Image`: an encoded image (PNG or JPEG bytes) for
    `tf.Summary.Value(image=...)`. Its pixels are read from the bytes, so height, width and
    colorspace are kept as given and not relied on."""

    def __init__(self, height=0, width=0, colorspace=0, encoded_image_string=b""):
        self.height, self.width, self.colorspace = height, width, colorspace
        if not isinstance(encoded_image_string, (bytes, bytearray)):
            raise TypeError("tf.Summary.Image(encoded_image_string=...) must be bytes (PNG or "
                            f"JPEG), got {type(encoded_image_string).__name__}")
        self.encoded_image_string = bytes(encoded_image_string)

    def _copy(self):
        return _Image(self.height, self.width, self.colorspace, self.encoded_image_string)

    def __repr__(self):
        return (f"Summary.Image(height={self.height!r}, width={self.width!r}, colorspace="
                f"{self.colorspace!r}, encoded_image_string=<{len(self.encoded_image_string)} bytes>)")


def _number(what, value):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number, got {type(value).__name__} {value!r}") from None


def _numbers(what, values):
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{what} must be a sequence of numbers, got {type(values).__name__}")
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a sequence of numbers, got {values!r}") from None


#: TF1's Summary.Value fields a hand-made value cannot take here (the others are below).
_OTHER_VALUE_FIELDS = ("node_name", "metadata", "obsolete_old_style_histogram", "audio", "tensor")


class _Value(tuple):
    """`tf.Summary.Value(tag=..., simple_value=... | histo=... | image=...)`: one value of a
    hand-made summary, as TF1 code builds one for `add_summary`. `histo` is a
    `tf.HistogramProto` and `image` a `tf.Summary.Image` (or a dict of its fields, as TF1
    takes); the value holds a copy. It is a (tag, value) pair of the `Summary` it goes in."""

    __slots__ = ()

    def __new__(cls, tag=None, simple_value=None, histo=None, image=None, **fields):
        for name in fields:
            if name in _OTHER_VALUE_FIELDS:
                raise TypeError(f"tf.Summary.Value(tag={tag!r}, {name}=...) is not supported: a "
                                "hand-made value takes simple_value, histo or image (use "
                                "tf.summary ops for texts)")
            raise TypeError(f"tf.Summary.Value(tag={tag!r}) has no field {name!r}")
        if not isinstance(tag, str) or not tag:
            raise TypeError(f"tf.Summary.Value needs a tag (a non-empty str), got {tag!r}")
        given = [name for name, field in (("simple_value", simple_value), ("histo", histo),
                                          ("image", image)) if field is not None]
        if not given:
            raise TypeError(f"tf.Summary.Value(tag={tag!r}) needs a simple_value, histo or image")
        if len(given) > 1:
            raise TypeError(f"tf.Summary.Value(tag={tag!r}) takes one of simple_value, histo and "
                            f"image, got {' and '.join(given)}")
        if simple_value is not None:
            value = _number(f"tf.Summary.Value(tag={tag!r}, simple_value=...)", simple_value)
        elif histo is not None:
            value = {"kind": "histo", "histo": _message(tag, "histo", histo, HistogramProto)}
        else:
            value = {"kind": "encoded_image", "image": _message(tag, "image", image, _Image)}
            if not value["image"].encoded_image_string:
                raise TypeError(f"tf.Summary.Value(tag={tag!r}, image=...) needs the image's "
                                "encoded_image_string (PNG or JPEG bytes)")
        return super().__new__(cls, (tag, value))

    @classmethod
    def _of(cls, tag, value):
        return super().__new__(cls, (tag, value))

    tag = property(lambda self: self[0])
    simple_value = property(lambda self: self[1] if isinstance(self[1], float) else 0.0,
                            doc="The number (0.0 for a histo or image value, as TF1's)")
    histo = property(lambda self: self._part("histo", "histo"), doc="The HistogramProto, or None")
    image = property(lambda self: self._part("encoded_image", "image"),
                     doc="The Summary.Image, or None")

    def _part(self, kind, key):
        value = self[1]
        return value[key] if isinstance(value, dict) and value.get("kind") == kind else None


def _message(tag, field, given, cls):
    """A copy of `given` (a `cls`, or a dict of its fields, as TF1's protobufs take)."""
    name = "tf.HistogramProto" if cls is HistogramProto else "tf.Summary.Image"
    if isinstance(given, dict):
        try:
            return cls(**given)
        except TypeError as exc:
            raise TypeError(f"tf.Summary.Value(tag={tag!r}, {field}={{...}}): {exc}") from None
    if not isinstance(given, cls):
        raise TypeError(f"tf.Summary.Value(tag={tag!r}, {field}=...) must be a {name} (or a dict "
                        f"of its fields), got {type(given).__name__}")
    return given._copy()


class Summary(tuple):
    """A tuple of (tag, value) pairs, as `Session.run` returns for a summary op; also TF1's
    hand-made `tf.Summary(value=[tf.Summary.Value(tag=..., simple_value=...), ...])`, with
    histo and image values too."""

    __slots__ = ()
    Value = _Value
    Image = _Image

    def __new__(cls, pairs=(), value=None):
        if value is None:
            return super().__new__(cls, pairs)
        return super().__new__(cls, [_summary_value(v) for v in value])

    @property
    def value(self):
        """The simple_value, histo and image pairs as `Summary.Value`s, as TF1's `summary.value`."""
        return [_Value._of(tag, v) for tag, v in self
                if not isinstance(v, dict) or v.get("kind") in ("histo", "encoded_image")]

    def as_dict(self):
        return dict(self)

    def __repr__(self):
        return f"Summary({list(self)!r})"


def _summary_value(value):
    """One item of `tf.Summary(value=[...])`: a Summary.Value, or a dict of its fields (as TF1)."""
    if isinstance(value, _Value):
        return value
    if isinstance(value, dict):
        return _Value(**value)
    raise TypeError(f"tf.Summary(value=[...]) takes tf.Summary.Value items, got "
                    f"{type(value).__name__} {value!r}")


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
