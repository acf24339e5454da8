"""`tf.keras` models: `Sequential` and the functional `Model(inputs, outputs)`, with `compile`,
`fit`, `evaluate`, `predict`, `summary`, `save_weights` / `load_weights`, on the engine's graph
and one Session per model.

`compile` builds the training graph once: targets placeholder, loss, metrics, the optimizer's
update op (after the layers' UPDATE_OPS). `fit` feeds it batch by batch, prints Keras's
progress line, and reports each epoch to its callbacks (`keras.callbacks.TensorBoard` writes
through the tracker, imported only when that callback is made, by file_writers.py: the engine's
one lazy edge to it).
"""

import sys
import time

import numpy as np

from . import dtypes, train
from .file_writers import tracker_writer
from .array_ops import cast, placeholder, reshape
from .graph import GraphKeys, get_default_graph
from .keras_layers import PHASE_KEY, Layer
from .math_ops import (argmax, clip_by_value, equal, log, reduce_mean, reduce_sum, round,
                       squared_difference)
from .saver import Saver
from .session import Session
from .state_ops import variables_initializer

EPSILON = 1e-7  # Keras's backend epsilon


# -- losses and metrics, Keras's formulas ---------------------------------------------------

def mean_squared_error(y_true, y_pred):
    return reduce_mean(squared_difference(y_pred, y_true), axis=-1)


def categorical_crossentropy(y_true, y_pred):
    probabilities = y_pred / reduce_sum(y_pred, axis=-1, keepdims=True)
    probabilities = clip_by_value(probabilities, EPSILON, 1 - EPSILON)
    return -reduce_sum(y_true * log(probabilities), axis=-1)


def _one_hot_of(labels, depth, dtype):
    classes = np.arange(depth).astype(labels.dtype.numpy_dtype)
    return cast(equal(reshape(labels, [-1, 1]), classes), dtype)


def sparse_categorical_crossentropy(y_true, y_pred):
    return categorical_crossentropy(_one_hot_of(y_true, y_pred.shape[-1], y_pred.dtype), y_pred)


def binary_crossentropy(y_true, y_pred):
    p = clip_by_value(y_pred, EPSILON, 1 - EPSILON)
    return reduce_mean(-(y_true * log(p) + (1 - y_true) * log(1 - p)), axis=-1)


LOSSES = {"mse": mean_squared_error, "mean_squared_error": mean_squared_error,
          "categorical_crossentropy": categorical_crossentropy,
          "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
          "binary_crossentropy": binary_crossentropy}


def _accuracy(loss_fn, y_true, y_pred):
    if loss_fn is sparse_categorical_crossentropy:
        hits = equal(cast(reshape(y_true, [-1]), dtypes.int64), argmax(y_pred, axis=-1))
    elif loss_fn is categorical_crossentropy or (y_pred.shape[-1] or 1) > 1:
        hits = equal(argmax(y_true, axis=-1), argmax(y_pred, axis=-1))
    else:
        hits = equal(y_true, round(y_pred))
    return reduce_mean(cast(hits, dtypes.float32), name="accuracy")


def SGD(learning_rate=0.01, momentum=0.0, nesterov=False, **unused):  # noqa: N802 - Keras's names
    if momentum:
        return train.MomentumOptimizer(learning_rate, momentum, use_nesterov=nesterov)
    return train.GradientDescentOptimizer(learning_rate)


def Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **unused):  # noqa: N802
    return train.AdamOptimizer(learning_rate, beta_1, beta_2, epsilon)


def RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, **unused):  # noqa: N802
    return train.RMSPropOptimizer(learning_rate, rho, momentum, epsilon)


OPTIMIZERS = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def _get(table, identifier, kind):
    """A name's entry in `table` (called, for optimizers), or the object itself."""
    if not isinstance(identifier, str):
        return identifier
    if identifier not in table:
        raise ValueError(f"Unknown {kind}: {identifier!r}; expected one of {sorted(table)} or an object")
    return table[identifier]() if table is OPTIMIZERS else table[identifier]


# -- callbacks ------------------------------------------------------------------------------

class Callback:
    """Hooks `fit` calls; `self.model` is the model being fitted."""

    model = None

    def on_train_begin(self, logs=None): pass
    def on_train_end(self, logs=None): pass
    def on_epoch_begin(self, epoch, logs=None): pass
    def on_epoch_end(self, epoch, logs=None): pass
    def on_batch_end(self, batch, logs=None): pass


class History(Callback):
    """`fit`'s return value: `history[metric]` is that metric per epoch."""

    def on_train_begin(self, logs=None):
        self.epoch, self.history = [], {}

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)


class TensorBoard(Callback):
    """What Keras's TensorBoard callback writes: runs `log_dir/train` and `log_dir/validation`
    with `epoch_loss`, `epoch_<metric>` per epoch, and the model's graph in the train run."""

    def __init__(self, log_dir="logs", write_graph=True, **unused):
        self._writer_class = tracker_writer("SummaryWriter")
        self.log_dir, self.write_graph = str(log_dir), write_graph
        self._writers = {}

    def _writer(self, run):
        if run not in self._writers:
            self._writers[run] = self._writer_class(f"{self.log_dir}/{run}")
        return self._writers[run]

    def on_train_begin(self, logs=None):
        if self.write_graph:
            self._writer("train").add_graph(self.model.graph)

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            run, name = ("validation", key[4:]) if key.startswith("val_") else ("train", key)
            self._writer(run).add_scalar(f"epoch_{name}", float(value), global_step=epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}


class _Progress:
    """Keras's progress line: `32/100 [=====>....] - ETA: 1s - loss: 0.2500 - accuracy: 0.5000`."""

    def __init__(self, total, verbose, stream=None):
        self.total, self.verbose, self.stream = total, verbose, stream or sys.stdout
        self.start = time.time()

    def update(self, seen, logs, final=False):
        if self.verbose == 0 or (self.verbose == 2 and not final):
            return
        elapsed = time.time() - self.start
        metrics = "".join(f" - {k}: {v:.4f}" for k, v in logs.items())
        width = len(str(self.total))
        if self.verbose == 2:
            self.stream.write(f"{seen:{width}d}/{self.total} - {elapsed:.0f}s{metrics}\n")
            return
        filled = int(30 * seen / self.total)
        bar = "=" * max(filled - 1, 0) + (">" if seen < self.total else "=") + "." * (30 - filled)
        tail = f" - {elapsed:.0f}s" if final else f" - ETA: {elapsed / seen * (self.total - seen):.0f}s"
        self.stream.write(f"\r{seen:{width}d}/{self.total} [{bar[:30]}]{tail}{metrics}" + ("\n" if final else ""))
        self.stream.flush()


# -- models ---------------------------------------------------------------------------------

class Model:
    """A functional model: `Model(inputs, outputs)` on tensors made by calling layers."""

    def __init__(self, inputs=None, outputs=None, name=None):
        self.name = name or type(self).__name__.lower()
        self.graph = get_default_graph()
        self.layers = []
        self._session = None
        self._compiled = None
        if inputs is not None:
            self.inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
            self.outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]

    # -- what it holds
    @property
    def weights(self):
        return self._weights()

    def _weights(self):
        found = [w for layer in self.layers for w in layer.weights]
        if not found:  # a functional model made from layers we did not see: its graph's variables
            found = self.graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
        return found

    @property
    def trainable_weights(self):
        return [w for w in self._weights() if w.trainable]

    def count_params(self):
        return sum(int(np.prod(w.shape.as_list())) for w in self._weights())

    # -- the session
    @property
    def session(self):
        if self._session is None:
            self._session = Session(graph=self.graph)
        return self._session

    def _initialize(self):
        """Give every variable that has no value yet its initial value (once per variable)."""
        variables = self.graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
        fresh = [v for v in variables if v not in self._initialized]
        if fresh:
            with self.graph.as_default():
                self.session.run(variables_initializer(fresh))
            self._initialized.update(fresh)

    _initialized = None

    # -- compile, fit, evaluate, predict
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **unused):
        if loss is None:
            raise ValueError("compile needs a loss (a name such as 'mse', or a function)")
        self._build_if_needed()
        optimizer = _get(OPTIMIZERS, optimizer, "optimizer")
        loss_fn = _get(LOSSES, loss, "loss")
        output = self.outputs[0]
        with self.graph.as_default(), self.graph.name_scope(None):
            sparse = loss_fn is sparse_categorical_crossentropy
            target = placeholder(dtypes.int32 if sparse else output.dtype,
                                 [None] if sparse else output.shape.as_list(), name=f"{self._output_name()}_target")
            with self.graph.name_scope("loss"):
                total = reduce_mean(loss_fn(target, output), name="loss")
            names, tensors = ["loss"], [total]
            for metric in metrics or []:
                if metric not in ("accuracy", "acc"):
                    raise ValueError(f"Unknown metric: {metric!r}; 'accuracy' is the one there is")
                with self.graph.name_scope("metrics"):
                    names.append(metric)
                    tensors.append(_accuracy(loss_fn, target, output))
            updates = [op for op in self.graph.get_collection(GraphKeys.UPDATE_OPS)]
            with self.graph.control_dependencies(updates):
                train_op = optimizer.minimize(total, var_list=self.trainable_weights)
        self._compiled = {"target": target, "names": names, "tensors": tensors, "train": train_op,
                          "optimizer": optimizer, "loss": loss_fn}
        self._initialized = self._initialized or set()
        self._initialize()

    def _output_name(self):
        return self.outputs[0].op.name.split("/")[0]

    def _build_if_needed(self):
        pass

    def _feed(self, x, y=None, training=False):
        feed = {self.inputs[0]: x}
        phase = self.graph.get_collection(PHASE_KEY)
        if phase:
            feed[phase[0]] = training
        if y is not None:
            feed[self._compiled["target"]] = y
        return feed

    def _require_compiled(self, what):
        if self._compiled is None:
            raise RuntimeError(f"You must compile your model before {what}. Use `model.compile(optimizer, loss)`.")

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose=1, callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, initial_epoch=0, **unused):
        """Train for `epochs` passes over (x, y) in batches; returns a History."""
        self._require_compiled("training/testing")
        x, y = np.asarray(x), np.asarray(y)
        if len(x) != len(y):
            raise ValueError(f"Input arrays should have the same number of samples as target arrays. "
                             f"Found {len(x)} input samples and {len(y)} target samples.")
        if validation_data is None and validation_split:
            split = int(len(x) * (1 - validation_split))
            x, y, validation_data = x[:split], y[:split], (x[split:], y[split:])
        batch_size = batch_size or 32
        history = History()
        callbacks = [history, *(callbacks or [])]
        for callback in callbacks:
            callback.model = self
            callback.on_train_begin()
        fetches = [self._compiled["train"], *self._compiled["tensors"]]
        names = self._compiled["names"]
        for epoch in range(initial_epoch, epochs):
            if verbose:
                sys.stdout.write(f"Epoch {epoch + 1}/{epochs}\n")
            for callback in callbacks:
                callback.on_epoch_begin(epoch)
            order = np.random.permutation(len(x)) if shuffle else np.arange(len(x))
            progress = _Progress(len(x), verbose)
            sums, seen = np.zeros(len(names)), 0
            for batch, start in enumerate(range(0, len(x), batch_size)):
                index = order[start:start + batch_size]
                values = self.session.run(fetches, self._feed(x[index], y[index], training=True))[1:]
                sums += np.asarray(values, dtype=np.float64) * len(index)
                seen += len(index)
                logs = dict(zip(names, sums / seen))
                for callback in callbacks:
                    callback.on_batch_end(batch, logs)
                progress.update(seen, logs, final=False)
            logs = {k: float(v) for k, v in zip(names, sums / seen)}
            if validation_data is not None:
                val = self.evaluate(*validation_data, batch_size=batch_size, verbose=0)
                val = val if isinstance(val, list) else [val]
                logs.update((f"val_{k}", float(v)) for k, v in zip(names, val))
            progress.update(seen, logs, final=True)
            for callback in callbacks:
                callback.on_epoch_end(epoch, logs)
        for callback in callbacks:
            callback.on_train_end()
        return history

    def evaluate(self, x=None, y=None, batch_size=None, verbose=1, **unused):
        """The loss (and metrics) over (x, y): a float, or a list when there are metrics."""
        self._require_compiled("training/testing")
        x, y = np.asarray(x), np.asarray(y)
        batch_size = batch_size or 32
        sums = np.zeros(len(self._compiled["names"]))
        for start in range(0, len(x), batch_size):
            xb, yb = x[start:start + batch_size], y[start:start + batch_size]
            sums += np.asarray(self.session.run(self._compiled["tensors"], self._feed(xb, yb)),
                               dtype=np.float64) * len(xb)
        results = [float(v) for v in sums / max(len(x), 1)]
        if verbose:
            _Progress(len(x), 1).update(len(x), dict(zip(self._compiled["names"], results)), final=True)
        return results if len(results) > 1 else results[0]

    def predict(self, x, batch_size=None, verbose=0, **unused):
        """The model's outputs for x, batch by batch, as one array."""
        self._build_if_needed()
        if self._initialized is None:
            self._initialized = set()
        self._initialize()
        x = np.asarray(x)
        batch_size = batch_size or 32
        parts = [self.session.run(self.outputs[0], self._feed(x[s:s + batch_size]))
                 for s in range(0, len(x), batch_size)]
        return np.concatenate(parts) if parts else np.zeros((0, *self.outputs[0].shape.as_list()[1:]))

    # -- weights
    def get_weights(self):
        return self.session.run(self._weights())

    def set_weights(self, values):
        for variable, value in zip(self._weights(), values):
            variable.load(value, self.session)

    def save_weights(self, filepath, **unused):
        """The weights as a checkpoint `<filepath>.npz` (docs/FORMAT.md)."""
        with self.graph.as_default():
            Saver(self._weights()).save(self.session, filepath, write_meta_graph=False, write_state=False)

    def load_weights(self, filepath, **unused):
        with self.graph.as_default():
            Saver(self._weights()).restore(self.session, filepath)
        self._initialized = (self._initialized or set()) | set(self._weights())

    # -- summary
    def summary(self, line_length=65, positions=None, print_fn=None, **unused):
        """The layers, their output shapes and parameter counts, laid out as tf.keras 2.x does
        (a long name wraps inside its column)."""
        print_fn = print_fn or print
        positions = [int(line_length * p) if p <= 1 else int(p) for p in positions or (0.45, 0.85, 1.0)]
        print_fn(f'Model: "{self.name}"')
        print_fn("_" * line_length)
        _print_row(["Layer (type)", "Output Shape", "Param #"], positions, print_fn)
        print_fn("=" * line_length)
        for layer in self.layers:
            _print_row([f"{layer.name} ({type(layer).__name__})", layer.output_shape, layer.count_params()],
                       positions, print_fn)
            _print_row([""], [line_length], print_fn)
        print_fn("=" * line_length)
        weights, trainable = self._weights(), set(self.trainable_weights)
        for label, chosen in (("Total", weights), ("Trainable", [w for w in weights if w in trainable]),
                              ("Non-trainable", [w for w in weights if w not in trainable])):
            count = sum(int(np.prod(w.shape.as_list())) for w in chosen)
            size = sum(int(np.prod(w.shape.as_list())) * w.dtype.numpy_dtype.itemsize for w in chosen)
            print_fn(f"{label} params: {count:,} ({_readable_size(size)})")
        print_fn("_" * line_length)


def _print_row(fields, positions, print_fn):
    """One row of a summary: each field inside its column, the rest on the next lines."""
    left = [str(f) for f in fields]
    while True:
        line = ""
        for col, text in enumerate(left):
            start = positions[col - 1] if col else 0
            last = col == len(positions) - 1
            cutoff = positions[col] - start - (0 if last else 3)
            piece = text[:cutoff]
            ends = [piece.find(m) + len(m) for m in ("),", "},", "],", "',") if piece.find(m) >= 0]
            if ends:
                cutoff = min(ends)
                piece = piece[:cutoff]
            line += (" " if col == 0 else "") + piece + ("" if last else "  ")
            left[col] = text[cutoff:]
            line += " " * (positions[col] - len(line))
        print_fn(line)
        if not any(left):
            return


def _readable_size(size):
    """Bytes as Keras prints them: 124.00 Byte, 2.21 KB."""
    for unit in ("Byte", "KB", "MB", "GB", "TB"):
        if size < 1024:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


class Sequential(Model):
    """A stack of layers; the first gives `input_shape=`, or `fit`'s data does."""

    def __init__(self, layers=None, name=None):
        super().__init__(name=name)
        self.inputs, self.outputs = None, None
        for layer in layers or []:
            self.add(layer)

    def add(self, layer):
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of class Layer. Found: {layer!r}")
        if self._compiled is not None:
            raise RuntimeError("add a layer before compile, not after")
        self.layers.append(layer)
        if self.outputs is not None:
            with self.graph.as_default():
                self.outputs = [layer(self.outputs[0])]
        elif layer.input_shape is not None:
            self._build(layer.input_shape)

    def _build(self, input_shape):
        with self.graph.as_default():
            x = placeholder(dtypes.float32, [None, *input_shape], name=f"{self.layers[0].name}_input")
            self.inputs, output = [x], x
            for layer in self.layers:
                output = layer(output)
            self.outputs = [output]

    def _build_if_needed(self):
        if self.outputs is None:
            raise ValueError("This model has not yet been built: give the first layer input_shape=")

