"""The execution planner: how a Session runs a graph fast. A newcomer may skip this module.

The first `run` with a given (fetches, fed tensors) compiles a plan: the needed ops in
topological order, each turned into a step that reads its inputs from a flat list of slots and
writes its outputs back (constants are filled in once, at compile time). Later runs with the
same fetches and feeds only copy the slot list, check the feeds and call the steps.

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

import math

import numpy as np

from .array_ops import as_bytes
from .errors import InvalidArgumentError
from .graph import Operation, Tensor, format_shape, topological_order
from .ops import lookup

STATE = "memory a Session keeps"  # stands for constants and variables in `_memory`'s answers
BUFFERED_SIZE = 1 << 16  # results this large keep their array from one run to the next


class Plan:
    """A compiled run: slot template, feed checks, steps, and how to build the result."""

    __slots__ = ("template", "feeds", "steps", "build", "escaping", "buffers")

    def __init__(self, template, feeds, steps, build, escaping, buffers):
        self.template, self.feeds, self.steps, self.build = template, feeds, steps, build
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
    memory = _memory(ops, fed)
    last_read = _last_value_reads(ops, leaves, memory)
    steps, buffered = [], False
    for index, op in enumerate(ops):
        opdef = lookup(op.type)
        first = len(template)
        for t in op.outputs:
            slots[t] = len(template)
            template.append(None)
        if not op.inputs and opdef.compile is None:
            template[first] = opdef.build(op, state)()  # a constant: computed here, once
            continue
        fn = opdef.build(op, state)
        if fn is None:
            continue
        run_inputs = opdef.inputs_to_run(op)
        inputs = [slots[t] for t in run_inputs]
        if _makes_new_array(op, opdef):
            dead = [k for k, t in enumerate(run_inputs) if _made_by_run(t, memory) and last_read[t] == index
                    and t.dtype == op.outputs[0].dtype]
            if dead:
                steps.append(_in_place_step(fn, inputs, dead[0], first))
            elif _may_be_large(op.outputs[0]):
                steps.append(_buffered_step(fn, inputs, first))
                buffered = True
            else:
                steps.append(_step(fn, inputs, first, 1))
            continue
        steps.append(_step(fn, inputs, first, len(op.outputs)))

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
    return Plan(template, feeds, steps, build, escaping, [{}] if buffered else None)


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


def _memory(ops, fed):
    """For each tensor, the arrays its value may share memory with, as a set of tensors (plus
    STATE): itself, for the result of a ufunc; STATE, for a constant and for the result of an
    op that touches a Session's state; and for any other op, what its inputs may share (it
    may return a view of them, or one of them). A fed value shares nothing the run made;
    inputs read only for their shapes cannot be returned, so they do not count."""
    memory = dict.fromkeys(fed, frozenset())
    for op in ops:
        opdef = lookup(op.type)
        if _makes_new_array(op, opdef):
            memory.update((t, frozenset((t,))) for t in op.outputs)
            continue
        shared = {STATE} if opdef.compile is not None or not op.inputs else set()
        shape_only = opdef.inputs_read_for_shape(op)
        for t in opdef.inputs_to_run(op):
            if t not in shape_only:
                shared.update(memory.get(t, ()))
        memory.update((t, frozenset(shared)) for t in op.outputs)
    return memory


def _made_by_run(tensor, memory):
    """Whether `tensor`'s value is an array this run made and nothing else shares."""
    return memory.get(tensor) == {tensor}


def _last_value_reads(ops, leaves, memory):
    """For each array the run makes, the index of the last op that reads its values, directly
    or through a value that may share its memory (len(ops) if a fetch may hold it). Reads for
    a shape only do not count, since writing a same-shaped result into an array keeps its shape."""
    last = {}
    for index, op in enumerate(ops):
        opdef = lookup(op.type)
        shape_only = opdef.inputs_read_for_shape(op)
        for t in opdef.inputs_to_run(op):
            if t not in shape_only:
                last.update(dict.fromkeys(memory.get(t, ()), index))
    for leaf in leaves:
        if isinstance(leaf, Tensor):
            last.update(dict.fromkeys(memory.get(leaf, ()), len(ops)))
    return last


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
    dtype = tensor.dtype.as_numpy_dtype
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
    dtype = tensor.dtype.as_numpy_dtype
    array = np.asarray(value)
    if dtype.kind == "O":
        return as_bytes(array)
    source = array.dtype
    if not (np.can_cast(source, dtype, casting="same_kind") or source.kind in "biu" and dtype.kind == "f"):
        raise InvalidArgumentError(
            f"Cannot feed value of dtype {source} for Tensor '{tensor.name}', which has dtype {tensor.dtype.name}")
    return array.astype(dtype, copy=False)


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
