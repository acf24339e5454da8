"""Convolution and pooling (`tf.nn.conv2d`, `conv2d_transpose`, `max_pool`, `avg_pool`), NHWC.

A convolution is one BLAS matmul: the input's windows, seen through `as_strided` without a
copy, are laid out as rows (im2col, the one copy) and multiplied by the filter as a
[kh*kw*in, out] matrix. Its input gradient is the transpose: one matmul back to rows, then
each of the kh*kw window offsets added into place (col2im). Pooling walks the kh*kw window
offsets too, each a strided slice over the whole batch, so nothing loops over pixels.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .array_ops import convert_to_tensor, shape_argument
from .extend import defop, make_op
from .graph import Tensor, format_shape, graph_of

PADDINGS = ("SAME", "VALID")


# -- geometry: output sizes and padding, as TF computes them --------------------------------

def _out_size(size, window, stride, padding):
    if size is None:
        return None
    if padding == "SAME":
        return -(-size // stride)
    if size < window:
        raise ValueError(f"Negative dimension size caused by subtracting {window} from {size}")
    return (size - window) // stride + 1


def _pads(size, out, window, stride, padding):
    """(before, after) padding along one axis; SAME puts the odd one after, as TF does."""
    if padding == "VALID" or size is None:
        return 0, 0
    total = max((out - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


class Geometry:
    """Where the windows of one 2-D op lie over an input of a given [n, h, w, c] shape."""

    def __init__(self, shape, window, strides, dilations, padding):
        self.n, self.h, self.w, self.c = shape
        self.kh, self.kw = window
        self.sh, self.sw = strides
        self.dh, self.dw = dilations
        reach_h, reach_w = (self.kh - 1) * self.dh + 1, (self.kw - 1) * self.dw + 1
        self.oh = _out_size(self.h, reach_h, self.sh, padding)
        self.ow = _out_size(self.w, reach_w, self.sw, padding)
        self.pad_h = _pads(self.h, self.oh, reach_h, self.sh, padding)
        self.pad_w = _pads(self.w, self.ow, reach_w, self.sw, padding)

    @property
    def padded(self):
        return self.n, self.h + sum(self.pad_h), self.w + sum(self.pad_w), self.c

    def pad(self, x, value=0):
        if self.pad_h == self.pad_w == (0, 0):
            return x
        out = np.full(self.padded, value, dtype=x.dtype)
        self.crop(out)[...] = x
        return out

    def crop(self, padded):
        (top, bottom), (left, right) = self.pad_h, self.pad_w
        return padded[:, top:padded.shape[1] - bottom, left:padded.shape[2] - right, :]

    def windows(self, padded):
        """[n, oh, ow, kh, kw, c]: every window of the padded input, a view (no copy)."""
        s_n, s_h, s_w, s_c = padded.strides
        return as_strided(padded, (self.n, self.oh, self.ow, self.kh, self.kw, self.c),
                          (s_n, s_h * self.sh, s_w * self.sw, s_h * self.dh, s_w * self.dw, s_c),
                          writeable=False)

    def offset(self, padded, i, j):
        """[n, oh, ow, c]: the element at window offset (i, j) of every window, a view."""
        top, left = i * self.dh, j * self.dw
        return padded[:, top:top + (self.oh - 1) * self.sh + 1:self.sh,
                      left:left + (self.ow - 1) * self.sw + 1:self.sw, :]

    def offsets(self):
        return ((i, j) for i in range(self.kh) for j in range(self.kw))


def _conv_geometry(shape, filter_shape, strides, dilations, padding):
    return Geometry(shape, filter_shape[:2], strides, dilations, padding)


# -- convolution as one matmul, and its two gradients -----------------------------------------

def _im2col(x, geo):
    """[n*oh*ow, kh*kw*c] rows of windows: the one copy a convolution makes."""
    return geo.windows(geo.pad(x)).reshape(geo.n * geo.oh * geo.ow, geo.kh * geo.kw * geo.c)


def conv(x, f, geo):
    out = _im2col(x, geo) @ f.reshape(-1, f.shape[-1])
    return out.reshape(geo.n, geo.oh, geo.ow, f.shape[-1])


def conv_input_grad(g, f, geo):
    """d(conv)/d(input): rows = g @ f^T, each window offset added back where it was read."""
    rows = (g.reshape(-1, g.shape[-1]) @ f.reshape(-1, f.shape[-1]).T)
    rows = rows.reshape(geo.n, geo.oh, geo.ow, geo.kh, geo.kw, geo.c)
    padded = np.zeros(geo.padded, dtype=rows.dtype)
    for i, j in geo.offsets():
        geo.offset(padded, i, j)[...] += rows[:, :, :, i, j, :]
    return geo.crop(padded)


def conv_filter_grad(x, g, filter_shape, geo):
    """d(conv)/d(filter) = rows^T @ g, one matmul."""
    return (_im2col(x, geo).T @ g.reshape(-1, g.shape[-1])).reshape(filter_shape)


def _conv2d(x, f, *, strides, padding, dilations):
    return conv(x, f, _conv_geometry(x.shape, f.shape, strides, dilations, padding))


def _conv2d_grad_input(g, ans, x, f, *, strides, padding, dilations):
    return conv_input_grad(g, f, _conv_geometry(x.shape, f.shape, strides, dilations, padding))


def _conv2d_grad_filter(g, ans, x, f, *, strides, padding, dilations):
    return conv_filter_grad(x, g, f.shape, _conv_geometry(x.shape, f.shape, strides, dilations, padding))


def _conv2d_shape(x, f, *, strides, padding, dilations):
    _rank4(x, f)
    if x is None or f is None:
        return None if x is None else (None, None, None, f[3])
    if x[3] is not None and x[3] != f[2]:
        raise ValueError(f"Depth of input ({x[3]}) is not a multiple of input depth of filter ({f[2]})")
    geo = _conv_geometry(x, f, strides, dilations, padding)
    return x[0], geo.oh, geo.ow, f[3]


def _rank4(*shapes):
    for dims in shapes:
        if dims is not None and len(dims) != 4:
            raise ValueError(f"Shape must be rank 4 but is rank {len(dims)}")


defop("Conv2D", forward=_conv2d, grads=[_conv2d_grad_input, _conv2d_grad_filter],
      shape=_conv2d_shape, grad_reads=("inputs",))


# a convolution's two gradients as ops of their own (what a second-order gradient differentiates):
# each is bilinear, and its gradients are again a convolution or the other gradient
def _input_grad(g, f, x, *, strides, padding, dilations):
    return conv_input_grad(g, f, _conv_geometry(x.shape, f.shape, strides, dilations, padding))


def _filter_grad(x, g, f, *, strides, padding, dilations):
    return conv_filter_grad(x, g, f.shape, _conv_geometry(x.shape, f.shape, strides, dilations, padding))


defop("Conv2DInputGrad", forward=_input_grad,
      grads=[lambda u, ans, g, f, x, **attrs: _conv2d(u, f, **attrs),
             lambda u, ans, g, f, x, **attrs: _filter_grad(u, g, f, **attrs), None],
      shape=lambda g, f, x, **attrs: x, grad_reads=("inputs",), shape_only_inputs=lambda op: frozenset(op.inputs[2:]))
defop("Conv2DFilterGrad", forward=_filter_grad,
      grads=[lambda u, ans, x, g, f, **attrs: _input_grad(g, u, x, **attrs),
             lambda u, ans, x, g, f, **attrs: _conv2d(x, u, **attrs), None],
      shape=lambda x, g, f, **attrs: f, grad_reads=("inputs",), shape_only_inputs=lambda op: frozenset(op.inputs[2:]))


# conv2d_transpose is the input gradient of a convolution, run forwards
def _backprop_input(f, value, *, output_shape, strides, padding, dilations):
    shape = (value.shape[0], *output_shape[1:])
    return conv_input_grad(value, f, _conv_geometry(shape, f.shape, strides, dilations, padding))


def _backprop_input_grad_filter(g, ans, f, value, *, output_shape, strides, padding, dilations):
    geo = _conv_geometry(g.shape, f.shape, strides, dilations, padding)
    return conv_filter_grad(g, value, f.shape, geo)


def _backprop_input_grad_value(g, ans, f, value, *, output_shape, strides, padding, dilations):
    return conv(g, f, _conv_geometry(g.shape, f.shape, strides, dilations, padding))


def _backprop_input_shape(f, value, *, output_shape, strides, padding, dilations):
    _rank4(f, value)
    if f is not None and output_shape[3] != f[2]:
        raise ValueError(f"output_shape's depth ({output_shape[3]}) does not match the filter's "
                         f"output depth ({f[2]})")
    if f is not None and value is not None:
        geo = _conv_geometry(output_shape, f, strides, dilations, padding)
        if value[3] is not None and value[3] != f[3]:
            raise ValueError(f"value's depth ({value[3]}) does not match the filter's input depth ({f[3]})")
        if (value[1], value[2]) != (geo.oh, geo.ow) and None not in value[1:3]:
            raise ValueError(f"output_shape {list(output_shape)} would convolve to "
                             f"[{geo.oh},{geo.ow}] with these strides and padding, but value is "
                             f"{format_shape(value)}")
    batch = output_shape[0] if output_shape[0] is not None or value is None else value[0]
    return (batch, *output_shape[1:])


defop("Conv2DBackpropInput", forward=_backprop_input,
      grads=[_backprop_input_grad_filter, _backprop_input_grad_value],
      shape=_backprop_input_shape, grad_reads=("inputs",))


# -- pooling --------------------------------------------------------------------------------

def _pool_geometry(shape, ksize, strides, padding):
    return Geometry(shape, ksize, strides, (1, 1), padding)


def _max_pool(x, *, ksize, strides, padding):
    geo = _pool_geometry(x.shape, ksize, strides, padding)
    padded = geo.pad(x, -np.inf)
    out = None
    for i, j in geo.offsets():
        part = geo.offset(padded, i, j)
        out = part.copy() if out is None else np.maximum(out, part, out=out)
    return out


def _first_maxima(x, ans, ksize, strides, padding):
    """The pooling geometry, and for each window offset (i, j) whether it holds its window's
    first maximum (row by row), as TF's MaxPoolGrad picks it."""
    geo = _pool_geometry(x.shape, ksize, strides, padding)
    padded = geo.pad(x, -np.inf)
    unclaimed = np.ones(ans.shape, dtype=bool)

    def hits():
        for i, j in geo.offsets():
            hit = geo.offset(padded, i, j) == ans
            hit &= unclaimed
            unclaimed[...] &= ~hit
            yield i, j, hit
    return geo, hits()


def _max_pool_grad(g, ans, x, *, ksize, strides, padding):
    """Each window's gradient goes to its first maximum."""
    geo, hits = _first_maxima(x, ans, ksize, strides, padding)
    grad = np.zeros(geo.padded, dtype=g.dtype)
    for i, j, hit in hits:
        geo.offset(grad, i, j)[...] += np.where(hit, g, 0)
    return geo.crop(grad)


def _max_pool_grad_grad(x, ans, u, *, ksize, strides, padding):
    """Each window's value of `u` at its first maximum: the adjoint of `_max_pool_grad`."""
    geo, hits = _first_maxima(x, ans, ksize, strides, padding)
    padded_u = geo.pad(u)
    out = np.zeros(ans.shape, dtype=u.dtype)
    for i, j, hit in hits:
        out += np.where(hit, geo.offset(padded_u, i, j), 0)
    return out


def _window_counts(geo, dtype):
    """How many real (unpadded) elements each window holds: avg_pool's divisor."""
    ones = Geometry((1, geo.h, geo.w, 1), (geo.kh, geo.kw), (geo.sh, geo.sw), (1, 1), "VALID")
    ones.pad_h, ones.pad_w, ones.oh, ones.ow = geo.pad_h, geo.pad_w, geo.oh, geo.ow
    padded = ones.pad(np.ones((1, geo.h, geo.w, 1), dtype))
    return sum(ones.offset(padded, i, j) for i, j in ones.offsets())


def _avg_pool(x, *, ksize, strides, padding):
    geo = _pool_geometry(x.shape, ksize, strides, padding)
    padded = geo.pad(x)
    total = None
    for i, j in geo.offsets():
        part = geo.offset(padded, i, j)
        total = part.copy() if total is None else np.add(total, part, out=total)
    return total / _window_counts(geo, x.dtype)


def _avg_pool_grad(g, ans, x, *, ksize, strides, padding):
    geo = _pool_geometry(x.shape, ksize, strides, padding)
    share = g / _window_counts(geo, g.dtype)
    grad = np.zeros(geo.padded, dtype=g.dtype)
    for i, j in geo.offsets():
        geo.offset(grad, i, j)[...] += share
    return geo.crop(grad)


def _pool_shape(x, *, ksize, strides, padding):
    _rank4(x)
    if x is None:
        return None
    geo = _pool_geometry(x, ksize, strides, padding)
    return x[0], geo.oh, geo.ow, x[3]


defop("MaxPool", forward=_max_pool, grads=[_max_pool_grad], shape=_pool_shape)
# max-pooling's gradient, and its adjoint, as ops (for second order): linear in the last input,
# and constant in the others wherever the maxima do not tie
defop("MaxPoolGrad", forward=lambda x, ans, g, **attrs: _max_pool_grad(g, ans, x, **attrs),
      grads=[None, None, lambda w, out, x, ans, g, **attrs: _max_pool_grad_grad(x, ans, w, **attrs)],
      shape=lambda x, ans, g, **attrs: x, grad_reads=("inputs",))
defop("MaxPoolGradGrad", forward=_max_pool_grad_grad,
      grads=[None, None, lambda w, out, x, ans, u, **attrs: _max_pool_grad(w, ans, x, **attrs)],
      shape=lambda x, ans, u, **attrs: ans, grad_reads=("inputs",))
defop("AvgPool", forward=_avg_pool, grads=[_avg_pool_grad], shape=_pool_shape, grad_reads=())


# -- user functions: TF1's signatures and argument checks -------------------------------------

def _spatial(values, arg):
    """TF's 1-, 2- or 4-long strides/ksize/dilations as (h, w); N and C must be 1."""
    if isinstance(values, (int, np.integer)):
        values = [int(values)]
    values = [int(v) for v in values]
    if len(values) not in (1, 2, 4):
        raise ValueError(f"{arg} should be of length 1, 2 or 4. Received: {arg}={values} of length {len(values)}")
    if len(values) == 4:
        if values[0] != 1 or values[3] != 1:
            raise ValueError(f"{arg} in the batch and depth dimensions must be 1, got {values}")
        values = values[1:3]
    h, w = values * 2 if len(values) == 1 else values
    if h <= 0 or w <= 0:
        raise ValueError(f"{arg} must be > 0, but got {values}")
    return h, w


def _check_format(op_type, data_format):
    if data_format not in ("NHWC", None):
        raise ValueError(f"{op_type}: data_format '{data_format}' is not supported; the engine "
                         "computes NHWC (channels last) only")


def _check_padding(op_type, padding):
    if padding not in PADDINGS:
        raise ValueError(f"Attr 'padding' of '{op_type}' Op passed string '{padding}' not in: "
                         '"SAME", "VALID".')


def _float_tensors(op_type, **values):
    with graph_of(tuple(values.values())).as_default():
        tensors = {k: convert_to_tensor(v) for k, v in values.items()}
    for arg, t in tensors.items():
        if not t.dtype.is_floating:
            raise TypeError(f"Value passed to parameter '{arg}' of '{op_type}' has DataType "
                            f"{t.dtype.name} not in list of allowed values: float16, float32, float64")
    first, *rest = tensors.values()
    for arg, t in list(tensors.items())[1:]:
        if t.dtype != first.dtype:
            raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {t.dtype.name} that does not "
                            f"match type {first.dtype.name} of argument '{next(iter(tensors))}'.")
    return list(tensors.values())


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """2-D convolution of an NHWC `input` with an [h, w, in, out] `filter`."""
    filter = filters if filter is None else filter
    if filter is None or strides is None or padding is None:
        raise ValueError("conv2d needs input, filter, strides and padding")
    _check_format("Conv2D", data_format)
    _check_padding("Conv2D", padding)
    x, f = _float_tensors("Conv2D", input=input, filter=filter)
    attrs = {"strides": _spatial(strides, "strides"), "padding": padding,
             "dilations": _spatial(dilations, "dilations")}
    if attrs["strides"] != (1, 1) and attrs["dilations"] != (1, 1):
        raise ValueError("conv2d: strides > 1 together with dilations > 1 is not supported (as in TF)")
    return make_op("Conv2D", [x, f], attrs, name=name or "Conv2D")


def _output_shape(value):
    """conv2d_transpose's output_shape as a tuple known when the graph is built, but for its
    batch, which may be a tensor (`tf.stack([tf.shape(x)[0], h, w, c])`, as TF1 code and
    tf.layers write it): the op takes the batch from its value when it runs."""
    dims, _ = shape_argument(value, "output_shape")
    if dims is None or len(dims) != 4:
        raise ValueError(f"conv2d_transpose: output_shape must have 4 elements, got "
                         f"{value if dims is None else list(dims)}")
    if None in dims[1:]:
        raise ValueError(f"conv2d_transpose: output_shape must be known but for its batch when "
                         f"the graph is built, got {format_shape(dims)}")
    return tuple(dims)


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None, padding="SAME",
                     data_format="NHWC", name=None, input=None, filters=None, dilations=None):
    """The gradient of conv2d with respect to its input, as an op: upsampling by `strides`.
    `filter` is [h, w, out, in]; `output_shape` is the [n, h, w, out] result."""
    value = input if value is None else value
    filter = filters if filter is None else filter
    if value is None or filter is None or output_shape is None or strides is None:
        raise ValueError("conv2d_transpose needs value, filter, output_shape and strides")
    _check_format("Conv2DBackpropInput", data_format)
    _check_padding("Conv2DBackpropInput", padding)
    f, v = _float_tensors("Conv2DBackpropInput", filter=filter, value=value)
    attrs = {"output_shape": _output_shape(output_shape),
             "strides": _spatial(strides, "strides"), "padding": padding,
             "dilations": _spatial(dilations or 1, "dilations")}
    return make_op("Conv2DBackpropInput", [f, v], attrs, name=name or "conv2d_transpose")


def _pool(op_type, value, ksize, strides, padding, data_format, name):
    _check_format(op_type, data_format)
    _check_padding(op_type, padding)
    (x,) = _float_tensors(op_type, value=value)
    attrs = {"ksize": _spatial(ksize, "ksize"), "strides": _spatial(strides, "strides"),
             "padding": padding}
    return make_op(op_type, [x], attrs, name=name or op_type)


def max_pool(value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None,
             input=None):
    """The maximum of each [kh, kw] window; `padding="SAME"` never picks a padded element."""
    return _pool("MaxPool", input if value is None else value, ksize, strides, padding, data_format, name)


def avg_pool(value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None,
             input=None):
    """The mean of each window, over its real elements only (SAME padding is not averaged in)."""
    return _pool("AvgPool", input if value is None else value, ksize, strides, padding, data_format, name)


# -- bias_add: x + b along the last axis, checked as TF checks it -----------------------------

def _bias_add_shape(x, b):
    if x is not None and len(x) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(x)}")
    if b is not None and len(b) != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {len(b)}")
    if x is not None and b is not None and None not in (x[-1], b[0]) and x[-1] != b[0]:
        raise ValueError(f"Dimensions must be equal, but are {x[-1]} and {b[0]}")
    return x


def _bias_grad(g, ans, x, b):
    return np.add.reduce(g.reshape(-1, g.shape[-1]), axis=0)


defop("BiasAdd", forward=np.add, grads=[lambda g, ans, x, b: g, _bias_grad], shape=_bias_add_shape,
      grad_reads=())


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, `bias` a vector as long as value's last axis."""
    _check_format("BiasAdd", data_format)
    x, b = _float_tensors("BiasAdd", value=value, bias=bias)
    return make_op("BiasAdd", [x, b], name=name or "BiasAdd")


