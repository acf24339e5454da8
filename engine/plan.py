"""The execution planner: how a Session runs a graph fast. A newcomer may skip this module.

The first `run` with a given (fetches, fed tensors) compiles a plan: the needed ops in
topological order, each turned into a step that reads its inputs from a flat list of slots and
writes its outputs back (constants are filled in once, at compile time). Later runs with the
same fetches and feeds only copy the slot list, check the feeds and call the steps.

Before that, each op becomes a step as its definition says, or as the cheaper numpy it
amounts to for its static shapes and constant inputs (`_lower`: Pow(x, 2) is a square, a
matmul with inner dimension 1 a broadcasting multiply, a squared difference a difference kept
for its gradients), and a full Sum or Mean of a square nothing else reads is one dot product
(`_fuse_reductions`). `Plan.report` says what each step runs.

Memory is reused only where nobody can tell, by rules the planner derives from what ops are:

- A numpy ufunc returns a new array (or writes where it is told). Any other op may return a
  view of its inputs, or an input itself; one that is a constant or works on a Session's
  state (a compile hook) may return memory the Session keeps. From this, `_memory` works
  out what each value may share memory with.
- A ufunc step writes into an input's array when this run made that array and nothing reads
  it, or anything that may share its memory, afterwards.
- A large ufunc result keeps its array for the next run. Values leave a run only as fetches
  (a variable stores a copy), so a kept array that a fetched value may share memory with
  belongs to the caller from then on, and its step makes a new one next time. A run takes
  the kept arrays for itself while it runs, so concurrent runs never share one.
- A fetch that may share memory the Session keeps is returned as a copy.
"""

import functools
import math

import numpy as np

from .array_ops import as_bytes
from .errors import InvalidArgumentError
from .graph import Operation, Tensor, format_shape, topological_order
from .ops import lookup, normalize_axis, unbroadcast

STATE = "memory a Session keeps"  # stands for constants and variables in `_memory`'s answers
BUFFERED_SIZE = 1 << 16  # results this large keep their array from one run to the next


class Plan:
    """A compiled run: slot template, feed checks, steps, and how to build the result."""

    __slots__ = ("template", "feeds", "steps", "build", "escaping", "buffers", "report")

    def __init__(self, template, feeds, steps, build, escaping, buffers, report):
        self.template, self.feeds, self.steps, self.build = template, feeds, steps, build
        self.report = report  # one line per step: what it runs, and how (for tests and profiling)
        self.escaping = escaping  # slots of fetches the caller gets as they are (not copied)
        # arrays kept for the next run, {output slot: array}, one dict per run at a time (so
        # two threads running this plan never share one); None when no step keeps any
        self.buffers = buffers

    def run(self, feed_values):
        slots = self.template.copy()
        for (slot, check), value in zip(self.feeds, feed_values):
            slots[slot] = check(value)
        buffers = self.buffers
        if buffers is not None:
            kept = slots[-1] = _take(buffers)  # the buffered steps find their arrays there
        for step in self.steps:
            step(slots)
        if buffers is not None:
            if kept:
                self._hand_over(slots, kept)
            buffers.append(kept)
        return self.build(slots)

    def _hand_over(self, slots, kept):
        """Kept arrays that a fetched value may share memory with now belong to the caller."""
        for slot in self.escaping:
            value = slots[slot]
            for key in [key for key, array in kept.items() if _may_hold(value, array)]:
                del kept[key]


def _take(buffers):
    try:
        return buffers.pop()
    except IndexError:  # another thread is running this plan with them: start afresh
        return {}


def compile_plan(graph, state, fetches, feed_keys):
    """Compile the plan that computes `fetches` given values for `feed_keys`."""
    leaves = []
    structure = _structure(graph, fetches, leaves)
    template, slots, feeds = [], {}, []
    for key in feed_keys:
        tensor = _feed_tensor(graph, key)
        slots[tensor] = len(template)
        template.append(None)
        feeds.append((slots[tensor], _feed_checker(tensor)))

    fed = set(slots)
    ops = [op for op in _ops_needed(leaves, fed) if not fed.intersection(op.outputs)]
    nodes = _fuse_reductions(_lower(ops, state), leaves)
    memory = _memory(nodes, fed)
    last_read = _last_value_reads(nodes, leaves, memory)
    steps, report, buffered = [], [], False
    for index, node in enumerate(nodes):
        first = len(template)
        for t in node.outputs:
            slots[t] = len(template)
            template.append(None)
        if node.constant:
            template[first] = node.fn()  # a constant: computed here, once
            continue
        if node.fn is None:
            continue
        inputs = [slots[t] for t in node.inputs]
        how = node.how
        if node.ufunc:
            dead = [k for k, t in enumerate(node.inputs) if _made_by_run(t, memory) and last_read[t] == index
                    and t.dtype == node.outputs[0].dtype]
            if dead:
                steps.append(_in_place_step(node.fn, inputs, dead[0], first))
                how += ", in place"
            elif _may_be_large(node.outputs[0]):
                steps.append(_buffered_step(node.fn, inputs, first))
                how += ", buffered"
                buffered = True
            else:
                steps.append(_step(node.fn, inputs, first, 1))
        else:
            steps.append(_step(node.fn, inputs, first, len(node.outputs)))
        report.append(f"{node.name}: {how}")

    copied = {leaf for leaf in leaves if isinstance(leaf, Tensor) and STATE in memory.get(leaf, ())}
    getters = [_fetch_getter(leaf, slots, leaf in copied) for leaf in leaves]
    escaping = [slots[leaf] for leaf in leaves if isinstance(leaf, Tensor) and leaf not in copied
                and memory.get(leaf)]
    if len(getters) == 1 and isinstance(fetches, (Tensor, Operation, str)):
        build = getters[0]
    else:
        def build(values):
            return structure([get(values) for get in getters])
    if buffered:
        template.append(None)  # the last slot holds the run's kept arrays
    return Plan(template, feeds, steps, build, escaping, [{}] if buffered else None, report)


def _structure(graph, fetch, leaves):
    """Record the leaves of a nested fetch; return a function rebuilding it from leaf values."""
    if isinstance(fetch, (list, tuple)):
        parts = [_structure(graph, f, leaves) for f in fetch]
        if hasattr(fetch, "_fields"):  # a namedtuple
            return lambda values: type(fetch)(*(p(values) for p in parts))
        return lambda values: type(fetch)(p(values) for p in parts)
    if isinstance(fetch, dict):
        parts = [(k, _structure(graph, v, leaves)) for k, v in fetch.items()]
        return lambda values: type(fetch)((k, p(values)) for k, p in parts)
    index = len(leaves)
    leaves.append(graph.as_graph_element(fetch))
    return lambda values: values[index]


def _feed_tensor(graph, key):
    if isinstance(key, str) and ":" not in key:
        key += ":0"
    return graph.as_graph_element(key, allow_operation=False)


def _ops_needed(leaves, fed):
    """The ops the leaves need, in topological order, stopping at fed tensors."""
    def inputs_of(op):
        # control inputs first, so a variable read placed after an assign sees its value
        return [*op.control_inputs, *(t.op for t in lookup(op.type).inputs_to_run(op) if t not in fed)]
    roots = [leaf if isinstance(leaf, Operation) else leaf.op for leaf in leaves if leaf not in fed]
    return topological_order(roots, inputs_of)


def _makes_new_array(op, opdef):
    """Whether `op` runs as a numpy ufunc, which returns a new array (or writes where told)."""
    return opdef.compile is None and not op.attrs and isinstance(opdef.forward, np.ufunc)


def _memory(nodes, fed):
    """For each tensor, the arrays its value may share memory with, as a set of tensors (plus
    STATE): itself, for the result of a ufunc; STATE, for a constant and for the result of an
    op that touches a Session's state; and for any other op, what its inputs may share (it
    may return a view of them, or one of them). A fed value shares nothing the run made;
    inputs read only for their shapes cannot be returned, so they do not count."""
    memory = dict.fromkeys(fed, frozenset())
    for node in nodes:
        if node.ufunc:
            memory.update((t, frozenset((t,))) for t in node.outputs)
            continue
        shared = {STATE} if node.state else set()
        for t in node.value_inputs():
            shared.update(memory.get(t, ()))
        memory.update((t, frozenset(shared)) for t in node.outputs)
    return memory


def _made_by_run(tensor, memory):
    """Whether `tensor`'s value is an array this run made and nothing else shares."""
    return memory.get(tensor) == {tensor}


def _last_value_reads(nodes, leaves, memory):
    """For each array the run makes, the index of the last step that reads its values, directly
    or through a value that may share its memory (len(nodes) if a fetch may hold it). Reads for
    a shape only do not count, since writing a same-shaped result into an array keeps its shape."""
    last = {}
    for index, node in enumerate(nodes):
        for t in node.value_inputs():
            last.update(dict.fromkeys(memory.get(t, ()), index))
    for leaf in leaves:
        if isinstance(leaf, Tensor):
            last.update(dict.fromkeys(memory.get(leaf, ()), len(nodes)))
    return last


# -- what each step runs: an op as it is, or as a cheaper equivalent --------------------------

class _Node:
    """One step of a plan before it is compiled: `fn(*values of inputs)` gives the outputs'
    values. `ufunc`: fn is a numpy ufunc (makes a new array, may write where told); `state`:
    the result may be memory a Session keeps; `shape_only`: inputs read for their shapes."""

    __slots__ = ("name", "kind", "attrs", "fn", "inputs", "outputs", "ufunc", "state", "shape_only",
                 "constant", "how")

    def __init__(self, name, kind, fn, inputs, outputs, ufunc=False, state=False, shape_only=frozenset(),
                 attrs=None, constant=False, how=None):
        self.name, self.kind, self.fn, self.inputs, self.outputs = name, kind, fn, list(inputs), list(outputs)
        self.ufunc, self.state, self.shape_only, self.constant = ufunc, state, frozenset(shape_only), constant
        self.attrs = {} if attrs is None else attrs
        self.how = how or kind

    def value_inputs(self):
        return [t for t in self.inputs if t not in self.shape_only]


class _Value:
    """An intermediate value a rewrite introduces (x - y inside a squared difference): a slot
    with a dtype and a static shape, like a Tensor's, but in no graph."""

    __slots__ = ("name", "dtype", "_dims")

    def __init__(self, name, dtype, dims):
        self.name, self.dtype, self._dims = name, dtype, dims


def _op_node(op, state):
    """The step that runs `op` as its definition says."""
    opdef = lookup(op.type)
    return _Node(op.name, op.type, opdef.build(op, state), opdef.inputs_to_run(op), op.outputs,
                 ufunc=_makes_new_array(op, opdef), state=opdef.compile is not None or not op.inputs,
                 shape_only=opdef.inputs_read_for_shape(op), attrs=op.attrs,
                 constant=not op.inputs and opdef.compile is None)


def _lower(ops, state):
    """The steps for `ops`: each op as it is, or as the cheaper numpy it amounts to for its
    static shapes and constant inputs (`_LOWERINGS`, and `_VJP_LOWERINGS` for the VJP ops of
    the backward pass), so that what follows (fusion, in-place writes) sees plain ufuncs."""
    nodes, made = [], {}  # made: forward op -> the intermediate values its lowering made
    for op in ops:
        rule = _VJP_LOWERINGS.get(op.inputs[1].op.type) if op.type == "VJP" else _LOWERINGS.get(op.type)
        lowered = rule(op, made) if rule is not None else None
        nodes.extend(lowered or [_op_node(op, state)])
    return nodes


def _constant_value(t):
    """The value of a tensor a Const op makes, else None."""
    return t.op.attrs["value"] if t.op.type == "Const" else None


def _is_square(op):
    """Pow(x, 2) with the 2 a scalar constant: a Square, whatever its spelling."""
    exponent = _constant_value(op.inputs[1])
    return exponent is not None and np.ndim(exponent) == 0 and exponent == 2


def _inner_dim_one(op):
    """MatMul of [..., n, 1] by [..., 1, m] untransposed: every product has one term, so it is
    the broadcasting multiply a * b (an outer product), with no BLAS call."""
    a, b = op.inputs
    return (not op.attrs["transpose_a"] and not op.attrs["transpose_b"] and a._dims is not None
            and b._dims is not None and len(a._dims) >= 2 and len(b._dims) >= 2
            and a._dims[-1] == 1 and b._dims[-2] == 1)


def _square_vjp(g, x):
    return lookup("Square").grads[0](g, None, x)


def _lower_pow(op, made):
    if _is_square(op):
        return [_Node(op.name, "Square", np.square, op.inputs[:1], op.outputs, ufunc=True, how="Pow as Square")]


def _lower_pow_vjp(op, made):
    g, ans, x, y = op.inputs
    if op.attrs["input_index"] == 0 and _is_square(ans.op):
        return [_Node(op.name, "VJP", _square_vjp, [g, x], op.outputs, how="VJP of Pow as of Square")]


def _lower_matmul(op, made):
    if _inner_dim_one(op):
        return [_Node(op.name, "Mul", np.multiply, op.inputs, op.outputs, ufunc=True,
                      how="MatMul as Mul (inner dimension 1)")]


def _lower_matmul_vjp(op, made):
    """d/da of a [n, 1] @ b [1, 1] is g @ b.T, which is g * b."""
    g, ans, a, b = op.inputs
    if op.attrs["input_index"] == 0 and _inner_dim_one(ans.op) and len(a._dims) == 2 \
            and b._dims[-1] == 1 and len(b._dims) == 2:
        return [_Node(op.name, "Mul", np.multiply, [g, b], op.outputs, ufunc=True,
                      how="VJP of MatMul as Mul (inner dimension 1)")]


def _lower_squared_difference(op, made):
    """(x - y) ** 2 as two ufuncs, keeping x - y for the gradients (which need only it)."""
    x, y = op.inputs
    (out,) = op.outputs
    diff = made[op] = _Value(op.name + "/difference", out.dtype, out._dims)
    return [_Node(diff.name, "Sub", np.subtract, [x, y], [diff], ufunc=True, how="SquaredDifference as Sub"),
            _Node(op.name, "Square", np.square, [diff], [out], ufunc=True, how="SquaredDifference as Square")]


def _lower_squared_difference_vjp(op, made):
    g, ans = op.inputs[:2]
    diff = made.get(ans.op)
    if diff is None:
        return None
    index = op.attrs["input_index"]
    like = op.inputs[2 + index]

    def vjp(g, diff, like):
        grad = unbroadcast(_square_vjp(g, diff), np.shape(like))  # a new array (or scalar)
        if index == 0:
            return grad
        return np.negative(grad, out=grad) if type(grad) is np.ndarray and grad.ndim else -grad
    return [_Node(op.name, "VJP", vjp, [g, diff, like], op.outputs, shape_only=[like],
                  how="VJP of SquaredDifference from its difference")]


_LOWERINGS = {"Pow": _lower_pow, "MatMul": _lower_matmul, "SquaredDifference": _lower_squared_difference}
_VJP_LOWERINGS = {"Pow": _lower_pow_vjp, "MatMul": _lower_matmul_vjp,
                  "SquaredDifference": _lower_squared_difference_vjp}


# -- fusion: a reduction of an elementwise result nothing else reads ----------------------------

def _fuse_reductions(nodes, leaves):
    """A Sum or Mean over all axes of a Square that no other step reads and no fetch holds
    runs as one dot product of the Square's input with itself: one pass over memory, where
    squaring then summing makes two and writes a temporary. The Square step goes; a step that
    read its result only for the shape reads its input, which has that shape."""
    readers = {}
    for node in nodes:
        for t in node.value_inputs():
            readers[t] = readers.get(t, 0) + 1
    for leaf in leaves:
        readers[leaf] = readers.get(leaf, 0) + 1
    producers = {t: node for node in nodes for t in node.outputs}
    fused, alias = set(), {}
    for node in nodes:
        square = producers.get(node.inputs[0]) if node.kind in ("Sum", "Mean") and node.inputs else None
        if square is None or square.kind != "Square" or readers[square.outputs[0]] != 1 \
                or not _reduces_all(node) or square.inputs[0].dtype.numpy_dtype not in _DOT_DTYPES:
            continue
        x = square.inputs[0]
        node.fn = functools.partial(_sum_of_squares, mean=node.kind == "Mean", keepdims=node.attrs["keepdims"])
        node.inputs, node.how = [x], f"{node.kind} of {square.how} fused (one dot product)"
        fused.add(square)
        alias[square.outputs[0]] = x
    if not fused:
        return nodes
    for node in nodes:
        if alias.keys() & node.shape_only:
            node.inputs = [alias.get(t, t) if t in node.shape_only else t for t in node.inputs]
            node.shape_only = frozenset(alias.get(t, t) for t in node.shape_only)
    return [node for node in nodes if node not in fused]


_DOT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))  # BLAS dots, as accurate as a sum


def _reduces_all(node):
    axis = node.attrs["axis"]
    if axis is None:
        return True
    dims = node.inputs[0]._dims
    return dims is not None and normalize_axis(axis, len(dims)) == tuple(range(len(dims)))


def _sum_of_squares(x, *, mean, keepdims):
    total = np.vdot(x, x)  # x's dtype (float); BLAS, no temporary
    if mean:
        total = total / x.size
    return np.reshape(total, (1,) * x.ndim) if keepdims else total


def _may_hold(value, array):
    """Whether a fetched value may share memory with `array` (numpy's bounds check)."""
    if isinstance(value, np.ndarray):
        return np.may_share_memory(value, array)
    if isinstance(value, (tuple, list)):  # a Summary, say
        return any(_may_hold(v, array) for v in value)
    return not isinstance(value, (np.generic, int, float, complex, str, bytes, type(None)))


def _in_place_step(ufunc, inputs, target, first):
    """A step that writes the ufunc's result into input `target`'s array, which no later op
    reads, when the result has that array's shape: no allocation, memory stays in cache
    (numpy's temporary elision, decided once at compile time)."""
    if len(inputs) == 1:
        (a,) = inputs

        def step(slots):
            x = slots[a]
            slots[first] = ufunc(x, out=x) if type(x) is np.ndarray and x.ndim else ufunc(x)
        return step
    a, b = inputs
    buffer, other = (a, b) if target == 0 else (b, a)

    def step(slots):
        x, y, out = slots[a], slots[b], slots[buffer]
        if type(out) is np.ndarray and out.ndim and slots[other].shape in (out.shape, ()):
            slots[first] = ufunc(x, y, out=out)
        else:
            slots[first] = ufunc(x, y)
    return step


def _may_be_large(tensor):
    """Whether `tensor`'s value may have BUFFERED_SIZE elements or more (its shape may say not)."""
    dims = tensor._dims
    return dims is None or None in dims or math.prod(dims) >= BUFFERED_SIZE


def _buffered_step(ufunc, inputs, first):
    """A ufunc step that writes into the array it made last run while the plan still keeps it
    (see `Plan._hand_over`): a training loop then allocates (and page-faults) nothing in
    steady state."""
    def result_shape(values):
        shapes = [v.shape for v in values]
        return shapes[0] if len(set(shapes)) == 1 else np.broadcast_shapes(*shapes)

    def step(slots):
        args = [slots[i] for i in inputs]
        kept = slots[-1]
        out = kept.get(first)
        if out is not None and out.shape == result_shape(args):
            slots[first] = ufunc(*args, out=out)
            return
        result = slots[first] = ufunc(*args)
        if type(result) is np.ndarray and result.size >= BUFFERED_SIZE:
            kept[first] = result
        elif out is not None:
            del kept[first]
    return step


def _step(fn, inputs, first, count):
    """A closure running one op on the slot list (unrolled for the common arities)."""
    if count != 1:
        last = first + count

        def step(slots):
            result = fn(*[slots[i] for i in inputs])
            if count:
                slots[first:last] = result
    elif len(inputs) == 0:
        def step(slots):
            slots[first] = fn()
    elif len(inputs) == 1:
        (a,) = inputs

        def step(slots):
            slots[first] = fn(slots[a])
    elif len(inputs) == 2:
        a, b = inputs

        def step(slots):
            slots[first] = fn(slots[a], slots[b])
    else:
        def step(slots):
            slots[first] = fn(*[slots[i] for i in inputs])
    return step


def _feed_checker(tensor):
    """A function that checks a fed value against `tensor`'s dtype and shape (expected vs got)."""
    dtype = tensor.dtype.numpy_dtype
    dims = tensor._dims
    known = [] if dims is None else [(i, d) for i, d in enumerate(dims) if d is not None]

    def check(value):
        if type(value) is not np.ndarray or value.dtype != dtype:
            value = _convert_feed(value, tensor)
        if dims is not None:
            shape = value.shape
            if len(shape) != len(dims) or any(shape[i] != d for i, d in known):
                raise InvalidArgumentError(
                    f"Cannot feed value of shape {format_shape(shape)} for Tensor '{tensor.name}', "
                    f"which has shape {format_shape(dims)}")
        return value
    return check


def _convert_feed(value, tensor):
    """A fed value as an array of the tensor's dtype; numeric casts that lose kind are refused."""
    dtype = tensor.dtype.numpy_dtype
    array = np.asarray(value)
    if dtype.kind == "O":
        return as_bytes(array)
    source = array.dtype
    if source.kind == "f" and dtype.kind in "iu" and _whole_numbers_of(array, dtype):
        return array.astype(dtype)
    if not (np.can_cast(source, dtype, casting="same_kind") or source.kind in "biu" and dtype.kind == "f"):
        raise InvalidArgumentError(
            f"Cannot feed value of dtype {source} for Tensor '{tensor.name}', which has dtype {tensor.dtype.name}")
    return array.astype(dtype, copy=False)


def _whole_numbers_of(array, dtype):
    """Whether a float array holds only whole numbers that `dtype` (an int type) represents:
    labels made with np.ones / np.zeros. TF truncates any float fed as an int; a fraction is
    more likely a mistake than a wish, so the engine converts only these."""
    info = np.iinfo(dtype)
    with np.errstate(invalid="ignore"):
        return bool(np.all((array == np.round(array)) & (array >= info.min) & (array <= info.max)))


def _fetch_getter(leaf, slots, copy):
    if isinstance(leaf, Operation):
        return lambda slots_: None
    slot = slots[leaf]
    if copy:
        def get(values):
            value = values[slot]
            if not isinstance(value, np.ndarray):  # a numpy scalar, a Summary of floats
                return value
            value = np.array(value)  # a copy: the Session's array changes in later runs
            return value[()] if value.ndim == 0 else value
    else:
        def get(values):
            value = values[slot]
            return value[()] if type(value) is np.ndarray and value.ndim == 0 else value
    return get
