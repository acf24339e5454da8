"""Variable scopes and `get_variable`: sharing variables by name, as TF1 does.

A variable scope names variables (`scope/w:0`) and carries defaults (reuse, initializer,
regularizer, dtype) down to the scopes inside it. Entering one by name also opens a name
scope for ops, made unique as name scopes are (`scope_1/add`); re-entering a scope object
goes back to the name scope it first opened. Variable names depend on variable scopes only,
never on name scopes. Each graph keeps its store (variables by full name, how often each
scope name was used, the current scope) in a collection, as TF1 does.
"""

import contextlib
import enum
import traceback
from pathlib import Path

from . import dtypes
from .array_ops import convert_to_tensor, is_tensor_like
from .graph import GraphKeys, Tensor, as_dims, format_shape, get_default_graph
from .init_ops import Initializer, glorot_uniform_initializer, zeros_initializer
from .state_ops import Variable

_STORE_KEY = "__variable_store"
_ENGINE = str(Path(__file__).resolve().parent)


class _ReuseMode(enum.Enum):
    """`tf.AUTO_REUSE`: make a variable when it does not exist, share it when it does."""

    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """A scope's name and the defaults that `get_variable` inside it uses."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, dtype=dtypes.float32,
                 name_scope=""):
        self.name = name
        self.original_name_scope = name_scope
        self.reuse = reuse
        self.initializer = initializer
        self.regularizer = regularizer
        self.dtype = dtypes.as_dtype(dtype)

    def reuse_variables(self):
        """From here on, `get_variable` in this scope shares existing variables."""
        self.reuse = True

    def set_initializer(self, initializer):
        self.initializer = initializer

    def set_regularizer(self, regularizer):
        self.regularizer = regularizer

    def set_dtype(self, dtype):
        self.dtype = dtypes.as_dtype(dtype)

    def get_variable(self, name, shape=None, dtype=None, initializer=None, regularizer=None,
                     trainable=None, collections=None, validate_shape=True):
        full_name = f"{self.name}/{name}" if self.name else name
        return _store().get_variable(
            full_name, shape, dtypes.as_dtype(dtype) if dtype is not None else self.dtype,
            initializer if initializer is not None else self.initializer,
            regularizer if regularizer is not None else self.regularizer,
            self.reuse, trainable, collections, validate_shape)

    def __repr__(self):
        return f"<VariableScope '{self.name}' reuse={self.reuse}>"


class _VariableStore:
    """One graph's variables made by `get_variable`, by full name, and its scope bookkeeping."""

    def __init__(self, graph):
        self.graph = graph
        self.variables = {}
        self.defined_at = {}
        self.scope_counts = {}   # how many times each variable scope name was entered
        self.current = VariableScope(False)

    def get_variable(self, name, shape, dtype, initializer, regularizer, reuse, trainable,
                     collections, validate_shape):
        constant_init = initializer is not None and not callable(initializer)
        if constant_init and shape is not None:
            raise ValueError("If initializer is a constant, do not specify shape.")
        found = self.variables.get(name)
        if found is not None:
            if reuse is False or reuse is None:
                raise ValueError(
                    f"Variable {name} already exists, disallowed. Did you mean to set reuse=True "
                    f"or reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n{self.defined_at[name]}")
            if shape is not None and not found.shape.is_compatible_with(shape):
                raise ValueError(f"Trying to share variable {name}, but specified shape "
                                 f"{format_shape(as_dims(shape))} and found shape {found.shape}.")
            if not constant_init and dtype != found.dtype:
                raise ValueError(f"Trying to share variable {name}, but specified dtype {dtype.name} "
                                 f"and found dtype {found.dtype.name}_ref.")
            return found
        if reuse is True:
            raise ValueError(f"Variable {name} does not exist, or was not created with "
                             "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?")
        return self._make(name, shape, dtype, initializer, regularizer, trainable, collections,
                          validate_shape)

    def _make(self, name, shape, dtype, initializer, regularizer, trainable, collections, validate_shape):
        graph = self.graph
        with graph.as_default(), graph.name_scope(None), graph.control_dependencies(None):
            with graph.name_scope(name + "/Initializer/"):
                initial = self._initial_value(name, shape, dtype, initializer)
            variable = Variable(initial, trainable=True if trainable is None else trainable,
                                collections=collections, validate_shape=validate_shape, name=name)
            self.variables[name] = variable
            self.defined_at[name] = _user_frames()
            if regularizer is not None:
                with graph.name_scope(name + "/Regularizer/"):
                    loss = regularizer(variable)
                if loss is not None:
                    graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return variable

    @staticmethod
    def _initial_value(name, shape, dtype, initializer):
        if initializer is not None and not callable(initializer) or is_tensor_like(initializer):
            return convert_to_tensor(initializer)  # a constant: its own shape and dtype
        if shape is None:
            raise ValueError(f"Variable {name} did not get an initializer, so its `shape` "
                             "argument must be specified.")
        dims = as_dims(shape)
        if None in dims:
            raise ValueError(f"Shape of a new variable ({name}) must be fully defined, but instead "
                             f"was {format_shape(dims)}.")
        if initializer is None:
            initializer = (glorot_uniform_initializer() if dtype.is_floating
                           else zeros_initializer())
        if isinstance(initializer, type) and issubclass(initializer, Initializer):
            initializer = initializer()  # tf.zeros_initializer, uncalled: TF1 accepts that too
        value = initializer(dims, dtype=dtype)
        if not isinstance(value, Tensor):
            value = convert_to_tensor(value, dtype=dtype)
        return value


def _user_frames(limit=3):
    """Where the caller made a variable: the last frames outside the engine, as TF prints them."""
    frames = [f for f in traceback.extract_stack()[:-1] if not f.filename.startswith(_ENGINE)]
    return "".join(traceback.format_list(frames[-limit:]))


def _store(graph=None):
    graph = graph or get_default_graph()
    ref = graph.get_collection_ref(_STORE_KEY)
    if not ref:
        ref.append(_VariableStore(graph))
    return ref[0]


def get_variable_scope():
    """The current VariableScope (the root scope's name is "")."""
    return _store().current


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                 collections=None, caching_device=None, partitioner=None, validate_shape=True,
                 use_resource=None, custom_getter=None, constraint=None, **unused):
    """The variable `<current scope>/name`: made when new, shared when the scope reuses.

    `initializer` is an initializer, a tensor or a numpy value (then give no `shape`);
    the default is the scope's initializer, else glorot_uniform (zeros for integers). A
    `regularizer(variable)` result goes to GraphKeys.REGULARIZATION_LOSSES."""
    if partitioner is not None or custom_getter is not None:
        raise NotImplementedError(f"get_variable('{name}'): partitioner= and custom_getter= are not supported")
    return get_variable_scope().get_variable(name, shape, dtype, initializer, regularizer,
                                             trainable, collections, validate_shape)


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, reuse=None, dtype=None, auxiliary_name_scope=True):
    """Enter a variable scope (and a name scope for ops); see the module docstring.

    `name_or_scope` is a name (nested in the current scope), a VariableScope (re-entered by
    its full name), or None with `default_name` (made unique: `block`, `block_1`...).
    reuse=None or False inherits the enclosing scope's reuse (TF1 cannot turn reuse off
    inside a reusing scope); True shares only; AUTO_REUSE makes or shares."""
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse not in (None, False, True, AUTO_REUSE):
        raise ValueError(f"reuse must be True, False, None or tf.AUTO_REUSE, got {reuse!r}")
    if name_or_scope is None and reuse:
        raise ValueError("reuse=True cannot be used without a name_or_scope")
    graph = next((convert_to_tensor(v).graph for v in values or () if is_tensor_like(v)), None)
    graph = graph or get_default_graph()
    store = _store(graph)
    old = store.current
    if isinstance(name_or_scope, VariableScope):
        base, name = name_or_scope, name_or_scope.name
        reuse = reuse or base.reuse
    else:
        if name_or_scope is None:
            name = _unique_scope_name(store, old, default_name)
        else:
            name = f"{old.name}/{name_or_scope}" if old.name else name_or_scope
        base, reuse = old, reuse or old.reuse  # reuse is inherited by sub-scopes
    scope = VariableScope(
        reuse, name,
        initializer if initializer is not None else base.initializer,
        regularizer if regularizer is not None else base.regularizer,
        dtype if dtype is not None else base.dtype)
    store.scope_counts[name] = store.scope_counts.get(name, 0) + 1
    counts = dict(store.scope_counts)
    if isinstance(name_or_scope, str):
        name_scope = name_or_scope
    else:
        name_scope = default_name if name_or_scope is None else name.rsplit("/", 1)[-1]
    with graph.as_default(), contextlib.ExitStack() as stack:
        if auxiliary_name_scope:
            opened = stack.enter_context(graph.name_scope(name_scope))
        else:
            opened = graph._scope
        scope.original_name_scope = (name_or_scope.original_name_scope if base is name_or_scope
                                     else opened)
        store.current = scope
        try:
            yield scope
        finally:
            store.current = old
            if base is name_or_scope:
                store.scope_counts = counts
            else:  # leaving a scope forgets the default names used inside it
                inside = name + "/"
                store.scope_counts = {k: (0 if k.startswith(inside) else v)
                                      for k, v in store.scope_counts.items()}


def _unique_scope_name(store, current, default_name):
    """`default_name`, or `default_name_1`, `_2`... : the first not yet used as a scope here."""
    prefix = f"{current.name}/" if current.name else ""
    name, i = prefix + default_name, 0
    while store.scope_counts.get(name):
        i += 1
        name = f"{prefix}{default_name}_{i}"
    return name
