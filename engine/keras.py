"""`tf.keras` on the engine's graph: layers, `Sequential` and functional `Model`s with
`compile` / `fit` / `evaluate` / `predict`, optimizers and losses by name, the TensorBoard
callback (through the tracker), and the initializers and regularizers namespaces."""

from types import SimpleNamespace

from . import initializers, regularizers  # noqa: F401
from . import keras_layers, keras_models
from .keras_layers import Input
from .keras_models import Model, Sequential

layers = SimpleNamespace(
    Layer=keras_layers.Layer, Dense=keras_layers.Dense, Flatten=keras_layers.Flatten,
    Conv2D=keras_layers.Conv2D, MaxPooling2D=keras_layers.MaxPooling2D,
    AveragePooling2D=keras_layers.AveragePooling2D, MaxPool2D=keras_layers.MaxPooling2D,
    AvgPool2D=keras_layers.AveragePooling2D,
    Dropout=keras_layers.Dropout, BatchNormalization=keras_layers.BatchNormalization,
    Activation=keras_layers.Activation, Input=Input)
models = SimpleNamespace(Model=Model, Sequential=Sequential)
callbacks = SimpleNamespace(Callback=keras_models.Callback, History=keras_models.History,
                            TensorBoard=keras_models.TensorBoard)
optimizers = SimpleNamespace(SGD=keras_models.SGD, Adam=keras_models.Adam, RMSprop=keras_models.RMSprop)
losses = SimpleNamespace(**keras_models.LOSSES)
backend = SimpleNamespace(learning_phase=keras_layers.learning_phase, epsilon=lambda: keras_models.EPSILON)

__all__ = ["Input", "Model", "Sequential", "backend", "callbacks", "initializers", "layers", "losses",
           "models", "optimizers", "regularizers"]
