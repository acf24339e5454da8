"""`tf.keras.layers`: layer objects that hold their variables, on the engine's graph.

A layer is named once (`dense`, `dense_1`... unique per graph, as Keras names them) and makes
its variables on its first call, in a variable scope of its name (`dense/kernel:0`); later
calls share them and open a new name scope for their ops (`dense_1/MatMul`), as Keras does
in graph mode. Each layer's computation is the `tf.layers` function of the same name.
"""

import re

from . import dtypes
from . import layers as tf_layers
from . import nn
from .array_ops import convert_to_tensor, placeholder
from .graph import get_default_graph
from .math_ops import sigmoid, tanh

_NAMES_KEY = "__keras_layer_names"
PHASE_KEY = "__keras_learning_phase"

ACTIVATIONS = {"relu": nn.relu, "softmax": nn.softmax, "sigmoid": sigmoid, "tanh": tanh,
               "linear": None, None: None}


def activation(identifier):
    """An activation from a name ("relu"), a callable or None."""
    if callable(identifier):
        return identifier
    if identifier not in ACTIVATIONS:
        raise ValueError(f"Unknown activation function: {identifier!r}; expected one of "
                         f"{sorted(k for k in ACTIVATIONS if k)}, a callable or None")
    return ACTIVATIONS[identifier]


def learning_phase():
    """The graph's bool placeholder `keras_learning_phase`: what Dropout and BatchNormalization
    called without `training=` follow. fit feeds it True, evaluate and predict False; a run of
    your own that needs it must feed it (the engine has no placeholder_with_default yet)."""
    graph = get_default_graph()
    found = graph.get_collection(PHASE_KEY)
    if not found:
        with graph.name_scope(None), graph.control_dependencies(None):
            graph.add_to_collection(PHASE_KEY, placeholder(dtypes.bool, [], name="keras_learning_phase"))
        found = graph.get_collection(PHASE_KEY)
    return found[0]


def _unique_layer_name(base):
    counts = get_default_graph().get_collection_ref(_NAMES_KEY)
    if not counts:
        counts.append({})
    counts = counts[0]
    number = counts.get(base, 0)
    counts[base] = number + 1
    return base if number == 0 else f"{base}_{number}"


def _snake_case(name):
    """Keras's rule: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d, BatchNormalization -> batch_normalization."""
    name = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class Layer:
    """Base class: `layer(inputs, training=None)`; subclasses define `_call`."""

    def __init__(self, name=None, input_shape=None, trainable=True, **unused):
        self.name = name or _unique_layer_name(_snake_case(type(self).__name__))
        self.input_shape = None if input_shape is None else tuple(input_shape)
        self.trainable = trainable
        self.built = False
        self.weights = []
        self.output_shape = None

    def __call__(self, inputs, training=None):
        inputs = convert_to_tensor(inputs)
        before = set(get_default_graph().get_collection("variables"))
        outputs = self._call(inputs, training, reuse=self.built or None)
        if not self.built:
            self.weights = [v for v in get_default_graph().get_collection("variables") if v not in before]
            self.built = True
        self.output_shape = tuple(outputs.shape.as_list())
        return outputs

    @property
    def trainable_weights(self):
        return [w for w in self.weights if w.trainable]

    def count_params(self):
        return sum(_size(w.shape.as_list()) for w in self.weights)


def _size(dims):
    size = 1
    for d in dims:
        size *= d
    return size


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.units, self.activation, self.use_bias = int(units), globals()["activation"](activation), use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer

    def _call(self, inputs, training, reuse):
        return tf_layers.dense(inputs, self.units, self.activation, self.use_bias, self.kernel_initializer,
                               self.bias_initializer, self.kernel_regularizer, self.bias_regularizer,
                               trainable=self.trainable, name=self.name, reuse=reuse)


def _image_layer_input(layer, inputs):
    """Keras's check that an image layer is given [batch, height, width, channels]."""
    dims = inputs.shape.dims
    if dims is None or len(dims) != 4:
        found = "unknown" if dims is None else len(dims)
        shape = "<unknown>" if dims is None else str(tuple(dims))
        raise ValueError(f'Input 0 of layer "{layer.name}" is incompatible with the layer: expected ndim=4, '
                         f"found ndim={found}. Full shape received: {shape}")


def _padding(padding):
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", "same" '
                         f"(or \"causal\", only for `Conv1D). Received: {padding}")
    return padding.lower()


class Conv2D(Layer):
    """A 2-D convolution over NHWC images (tf.layers.conv2d, so `conv2d/Conv2D`, `conv2d/BiasAdd`)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size = int(filters), tf_layers._pair(kernel_size, "kernel_size")
        self.strides, self.padding = tf_layers._pair(strides, "strides"), _padding(padding)
        self.dilation_rate = tf_layers._pair(dilation_rate, "dilation_rate")
        self.data_format = data_format or "channels_last"
        self.activation, self.use_bias = globals()["activation"](activation), use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.activity_regularizer = activity_regularizer

    def _call(self, inputs, training, reuse):
        _image_layer_input(self, inputs)
        return tf_layers.conv2d(inputs, self.filters, self.kernel_size, self.strides, self.padding,
                                self.data_format, self.dilation_rate, self.activation, self.use_bias,
                                self.kernel_initializer, self.bias_initializer, self.kernel_regularizer,
                                self.bias_regularizer, self.activity_regularizer, trainable=self.trainable,
                                name=self.name, reuse=reuse)


class _Pooling2D(Layer):
    """Max or average pooling over NHWC windows of `pool_size`, moved by `strides` (default:
    `pool_size`)."""

    pool = None  # the tf.layers function

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = tf_layers._pair(pool_size, "pool_size")
        self.strides = self.pool_size if strides is None else tf_layers._pair(strides, "strides")
        self.padding, self.data_format = _padding(padding), data_format or "channels_last"

    def _call(self, inputs, training, reuse):
        _image_layer_input(self, inputs)
        return type(self).pool(inputs, self.pool_size, self.strides, self.padding, self.data_format,
                               name=None if reuse else self.name)


class MaxPooling2D(_Pooling2D):
    pool = staticmethod(tf_layers.max_pooling2d)


class AveragePooling2D(_Pooling2D):
    pool = staticmethod(tf_layers.average_pooling2d)


class Flatten(Layer):
    def _call(self, inputs, training, reuse):
        return tf_layers.flatten(inputs, name=None if reuse else self.name)


class Dropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate, self.seed = rate, seed

    def _call(self, inputs, training, reuse):
        training = learning_phase() if training is None else training
        return tf_layers.dropout(inputs, self.rate, seed=self.seed, training=training,
                                 name=None if reuse else self.name)


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, **kwargs):
        super().__init__(**kwargs)
        self.axis, self.momentum, self.epsilon, self.center, self.scale = axis, momentum, epsilon, center, scale

    def _call(self, inputs, training, reuse):
        training = learning_phase() if training is None else training
        return tf_layers.batch_normalization(inputs, self.axis, self.momentum, self.epsilon, self.center,
                                             self.scale, training=training, trainable=self.trainable,
                                             name=self.name, reuse=reuse)


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = globals()["activation"](activation)

    def _call(self, inputs, training, reuse):
        with get_default_graph().name_scope(self.name):
            return self.activation(inputs) if self.activation is not None else inputs


def Input(shape=None, batch_size=None, name=None, dtype="float32", **unused):  # noqa: N802 - Keras's name
    """A placeholder of shape [batch_size, *shape]: a functional model's input."""
    return placeholder(dtype, [batch_size, *shape], name=name or _unique_layer_name("input"))
