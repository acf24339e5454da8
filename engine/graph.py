"""The graph as data: Operations with unique scoped names, the Tensors they output, and the Graph.

Nothing here computes a value. A Graph only grows (ops are never changed once made), which is
what lets a Session compile a plan once and run it many times. Name scopes, control
dependencies and the default graph are context managers, as in TF1. The stacks of default
graphs and default sessions both live here, at the bottom, as in TF1's `framework/ops.py`:
`Tensor.eval` finds its session without importing the Session.
"""

import contextlib
import re

import numpy as np

from . import dtypes


class GraphKeys:
    """Standard collection names (TF1's `tf.GraphKeys`)."""

    GLOBAL_VARIABLES = "variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    GLOBAL_STEP = "global_step"
    # the other standard keys, for code that files things under them
    LOCAL_VARIABLES = "local_variables"
    MODEL_VARIABLES = "model_variables"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    LOSSES = "losses"
    REGULARIZATION_LOSSES = "regularization_losses"
    UPDATE_OPS = "update_ops"
    TRAIN_OP = "train_op"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    SUMMARY_OP = "summary_op"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    EVAL_STEP = "eval_step"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    VARIABLES = GLOBAL_VARIABLES


class TensorShape:
    """A static shape: a tuple of dims where None is unknown, or unknown rank (`dims is None`)."""

    __slots__ = ("dims",)

    def __init__(self, dims):
        self.dims = as_dims(dims)

    @property
    def ndims(self):
        return None if self.dims is None else len(self.dims)

    rank = ndims

    def as_list(self):
        if self.dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape")
        return list(self.dims)

    def is_fully_defined(self):
        return self.dims is not None and None not in self.dims

    def is_compatible_with(self, shape):
        other = as_dims(shape.dims if isinstance(shape, TensorShape) else shape)
        if self.dims is None or other is None:
            return True
        return len(self.dims) == len(other) and all(
            a is None or b is None or a == b for a, b in zip(self.dims, other))

    def __len__(self):
        if self.dims is None:
            raise ValueError("cannot take the length of a shape of unknown rank")
        return len(self.dims)

    def __iter__(self):
        return iter(self.as_list())

    def __getitem__(self, index):
        return self.as_list()[index]

    def __eq__(self, other):
        if isinstance(other, TensorShape):
            return self.dims == other.dims
        if isinstance(other, (list, tuple)):
            return self.dims == tuple(other)
        return NotImplemented

    def __hash__(self):
        return hash(self.dims)

    def __repr__(self):
        return format_shape(self.dims)


def as_dims(shape):
    """Normalise a user's shape (None, list with None or -1 for unknown dims) to a tuple or None."""
    if shape is None:
        return None
    if isinstance(shape, TensorShape):
        return shape.dims
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    return tuple(None if d is None or d < 0 else int(d) for d in shape)


def format_shape(dims):
    """TF1's way of printing a shape: (?, 3); <unknown> for unknown rank."""
    if dims is None:
        return "<unknown>"
    inner = ", ".join("?" if d is None else str(d) for d in dims)
    return f"({inner},)" if len(dims) == 1 else f"({inner})"


class ElementName(str):
    """An op attr that names a tensor or op of the same graph (a cond's branch outputs), so
    importing the graph under a scope renames it along with the op."""


class Tensor:
    """The k-th output of an Operation: a symbolic value with a static dtype and shape.

    Operators (+ - * / @ ** and comparisons) are installed by `engine.math_ops`. Like TF1,
    `==` is identity, so tensors can key dicts (a feed_dict, for one). A numpy array on the
    left of an operator defers to the tensor's reflected operator (TF's array priority).
    """

    __array_priority__ = 100

    __slots__ = ("op", "value_index", "dtype", "_dims")

    def __init__(self, op, value_index, dtype, dims):
        self.op = op
        self.value_index = value_index
        self.dtype = dtype
        self._dims = dims

    @property
    def name(self):
        return f"{self.op.name}:{self.value_index}"

    @property
    def graph(self):
        return self.op.graph

    @property
    def shape(self):
        return TensorShape(self._dims)

    def get_shape(self):
        return self.shape

    def eval(self, feed_dict=None, session=None):
        """This tensor's value in `session` (default: the session of the enclosing `with`)."""
        return _session_or_default(session).run(self, feed_dict)

    def __bool__(self):
        raise TypeError(f"using Tensor '{self.name}' as a Python bool is not allowed: "
                        "it has no value until a Session runs it")

    def __iter__(self):
        raise TypeError(f"Tensor '{self.name}' is not iterable; index it instead")

    def __repr__(self):
        return f"<Tensor '{self.name}' shape={format_shape(self._dims)} dtype={self.dtype.name}>"


class Operation:
    """A node: op type, unique name, input tensors, control inputs, attrs and output tensors."""

    __slots__ = ("graph", "name", "type", "inputs", "control_inputs", "attrs", "outputs")

    def __init__(self, graph, name, op_type, inputs, control_inputs, attrs, output_specs):
        self.graph = graph
        self.name = name
        self.type = op_type
        self.inputs = tuple(inputs)
        self.control_inputs = tuple(control_inputs)
        self.attrs = attrs
        self.outputs = tuple(Tensor(self, k, dtype, dims) for k, (dtype, dims) in enumerate(output_specs))

    def run(self, feed_dict=None, session=None):
        _session_or_default(session).run(self, feed_dict)

    def __repr__(self):
        return f"<Operation '{self.name}' type={self.type}>"


class Graph:
    """A growing set of Operations with unique names, name scopes and collections."""

    def __init__(self):
        self._ops = []
        self._by_name = {}
        self._names_in_use = {}
        self._scope = ""
        self._control_deps = []
        self._collections = {}
        self._finalized = False
        self.seed = None

    @property
    def finalized(self):
        return self._finalized

    def finalize(self):
        """Make the graph read-only: adding an op afterwards is a RuntimeError (as in TF1, a
        guard against building ops inside a training loop)."""
        self._finalized = True

    def device(self, device_name_or_function):
        """Accepted and ignored: the engine runs every op on the CPU (so GPU code runs)."""
        return contextlib.nullcontext()

    # -- names ----------------------------------------------------------------------------
    def unique_name(self, name, mark_as_used=True):
        """`scope/name`, or `scope/name_1`, `_2`... when taken (TF1's rule, case-insensitive)."""
        name = self._scope + name
        key = name.lower()
        count = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = count + 1
        if count == 0:
            return name
        base = key
        while key in self._names_in_use:
            key = f"{base}_{count}"
            count += 1
        if mark_as_used:
            self._names_in_use[key] = 1
        return f"{name}_{count - 1}"

    def get_name_scope(self):
        return self._scope.rstrip("/")

    @contextlib.contextmanager
    def name_scope(self, name):
        """Enter scope `name` (made unique); "a/" re-enters a scope; None or "" goes to the root."""
        if not name:
            new = ""
        elif name.endswith("/"):
            new = name
        else:
            new = self.unique_name(name) + "/"
        old, self._scope = self._scope, new
        try:
            yield new
        finally:
            self._scope = old

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops made inside run after `control_inputs`; None clears the enclosing ones."""
        if control_inputs is None:
            old, self._control_deps = self._control_deps, []
            try:
                yield
            finally:
                self._control_deps = old
            return
        elements = [self.as_graph_element(c) for c in control_inputs]
        ops = [e.op if isinstance(e, Tensor) else e for e in elements]
        self._control_deps.append(ops)
        try:
            yield
        finally:
            self._control_deps.pop()

    @contextlib.contextmanager
    def as_default(self):
        _graphs.append(self)
        try:
            yield self
        finally:
            _graphs.pop()

    # -- building -------------------------------------------------------------------------
    def create_op(self, op_type, inputs, attrs, name, output_specs):
        """Add an op. `name` is made unique in the current scope; a name ending in "/" is taken as is."""
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        for t in inputs:
            if t.op.graph is not self:
                local = next((f" as Tensor '{u.name}'" for u in inputs if u.op.graph is self), "")
                raise ValueError(f"Tensor '{t.name}' must be from the same graph{local} (inputs of "
                                 f"the op '{self._scope + name}' being built); it belongs to another graph")
        name = name[:-1] if name.endswith("/") else self.unique_name(name)
        control = [op for deps in self._control_deps for op in deps]
        op = Operation(self, name, op_type, inputs, dict.fromkeys(control), attrs, output_specs)
        self._ops.append(op)
        self._by_name[name] = op
        return op

    # -- lookups --------------------------------------------------------------------------
    def get_operations(self):
        return list(self._ops)

    def get_operation_by_name(self, name):
        if ":" in name:
            raise ValueError(f"'{name}' names a Tensor, not an Operation; drop the ':k' suffix")
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph") from None

    def get_tensor_by_name(self, name):
        match = re.fullmatch(r"(.+):(\d+)", name)
        if not match:
            raise ValueError(f"The name '{name}' looks like an Operation name; "
                             "Tensor names have the form '<op_name>:<output_index>'")
        op_name, index = match.group(1), int(match.group(2))
        if op_name not in self._by_name:
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist: "
                           f"the operation '{op_name}' is not in the graph")
        outputs = self._by_name[op_name].outputs
        if index >= len(outputs):
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist: "
                           f"'{op_name}' has {len(outputs)} output(s)")
        return outputs[index]

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """The Tensor or Operation that `obj` (a tensor, op, variable or name) stands for here."""
        if hasattr(obj, "_as_tensor"):
            obj = obj._as_tensor()
        if isinstance(obj, str):
            obj = self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)
        if isinstance(obj, Tensor) and allow_tensor or isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                kind = "Tensor" if isinstance(obj, Tensor) else "Operation"
                raise ValueError(f"{kind} '{obj.name}' is not an element of this graph")
            return obj
        wanted = " or ".join(k for k, ok in (("a Tensor", allow_tensor), ("an Operation", allow_operation)) if ok)
        raise TypeError(f"{obj!r} (of type {type(obj).__name__}) cannot be used here: "
                        f"expected {wanted}, or its name")

    # -- collections ----------------------------------------------------------------------
    def add_to_collection(self, name, value):
        self._collections.setdefault(name, []).append(value)

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        return [i for i in items if re.match(scope, getattr(i, "name", ""))]

    # -- export ---------------------------------------------------------------------------
    def as_graph_def(self):
        """The graph as plain JSON-able data: {"nodes": [{name, op, inputs, attrs, dtype, shape}]}."""
        return {"nodes": [_node_def(op) for op in self._ops]}


def topological_order(roots, inputs_of):
    """`roots` and every op they depend on, each after the ops it depends on.

    One depth-first walk with a visited set serves the whole engine (a Session's plan, the
    path of a gradient); a breadth-first walk would break on diamonds. `inputs_of(op)` lists
    the ops that `op` depends on, in the order they are to be visited."""
    order, visited = [], set()
    for root in roots:
        stack = [(root, False)]
        while stack:
            op, expanded = stack.pop()
            if expanded:
                order.append(op)
            elif op not in visited:
                visited.add(op)
                stack.append((op, True))
                stack.extend((d, False) for d in reversed(inputs_of(op)) if d not in visited)
    return order


def _node_def(op):
    inputs = [t.op.name if t.value_index == 0 else t.name for t in op.inputs]
    inputs += ["^" + c.name for c in op.control_inputs]
    attrs = {"T": op.inputs[0].dtype.name} if op.inputs else {}
    attrs.update((k, _jsonable(v)) for k, v in op.attrs.items())
    first = op.outputs[0] if op.outputs else None
    return {"name": op.name, "op": op.type, "inputs": inputs, "attrs": attrs,
            "dtype": None if first is None else first.dtype.name,
            "shape": None if first is None or first._dims is None else list(first._dims)}


def _jsonable(value):
    """Attrs as JSON values: dtypes by name, small arrays as lists, large ones described."""
    if isinstance(value, dtypes.DType):
        return value.name
    if isinstance(value, (np.ndarray, np.generic)):
        if value.size <= 16 and value.dtype.kind in "biuf":
            return value.tolist()
        return f"<{value.dtype} array of shape {list(value.shape)}>"
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


# -- the default graph and the default session ------------------------------------------

_default_graph = Graph()
_graphs = []    # the `with graph.as_default()` blocks, innermost last
_sessions = []  # the `with Session()` blocks and InteractiveSessions, innermost last


def get_default_graph():
    """The innermost `as_default()` graph, else the global default graph."""
    return _graphs[-1] if _graphs else _default_graph


def graph_of(values):
    """The graph of the first tensor (or variable) among `values`, else the default graph: where
    an op on them and the constants made from their Python operands belong (TF1's rule)."""
    for value in values:
        if hasattr(value, "_as_tensor"):
            value = value._as_tensor()
        if isinstance(value, Tensor):
            return value.graph
    return get_default_graph()


def reset_default_graph():
    """Start a fresh global default graph (not allowed inside `with graph.as_default()`)."""
    global _default_graph
    if _graphs:
        raise AssertionError("reset_default_graph() is not allowed inside a `with graph.as_default()` block")
    _default_graph = Graph()


def get_default_session():
    """The session of the innermost `with Session(...)` block, or None."""
    return _sessions[-1] if _sessions else None


@contextlib.contextmanager
def default_session(session):
    """Make `session` the default inside the block (what `with Session():` does; TF1's
    `ops.default_session`)."""
    _sessions.append(session)
    try:
        yield session
    finally:
        _sessions.remove(session)


def _session_or_default(session):
    """`session`, else the default session; an error when there is none (for `eval` and `run`)."""
    if session is not None:
        return session
    if not _sessions:
        raise ValueError("No default session is registered: use `with Session() as sess:` "
                         "or pass session= explicitly")
    return _sessions[-1]


def name_scope(name, default_name=None, values=None):
    """TF1's `tf.name_scope(name, default_name=None, values=None)` on the relevant graph."""
    graph = next((t.graph for t in values or () if isinstance(t, Tensor)), None) or get_default_graph()
    return graph.name_scope(name if name is not None else default_name)


def device(device_name_or_function):
    """TF1's `tf.device`: accepted and ignored (every op runs on the CPU)."""
    return get_default_graph().device(device_name_or_function)


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def get_collection(name, scope=None):
    return get_default_graph().get_collection(name, scope)


def get_collection_ref(name):
    return get_default_graph().get_collection_ref(name)
