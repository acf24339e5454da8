"""The execution planner: how a Session runs a graph fast. A newcomer may skip this module.

The first `run` with a given (fetches, fed tensors) compiles a plan: the needed ops in
topological order, each turned into a step that reads its inputs from a flat list of slots and
writes its outputs back (constants are filled in once, at compile time). Later runs with the
same fetches and feeds only copy the slot list, check the feeds and call the steps.
"""

import sys

import numpy as np

from .errors import InvalidArgumentError
from .graph import Operation, Tensor, format_shape, topological_order
from .ops import lookup


class Plan:
    """A compiled run: slot template, feed checks, steps, and how to build the result."""

    __slots__ = ("template", "feeds", "steps", "build")

    def __init__(self, template, feeds, steps, build):
        self.template, self.feeds, self.steps, self.build = template, feeds, steps, build

    def run(self, feed_values):
        slots = self.template.copy()
        for (slot, check), value in zip(self.feeds, feed_values):
            slots[slot] = check(value)
        for step in self.steps:
            step(slots)
        return self.build(slots)


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
    last_read = _last_value_reads(ops, leaves)
    fresh = set()  # outputs of ufunc steps: arrays made by this run, free to reuse once dead
    steps = []
    for index, op in enumerate(ops):
        opdef = lookup(op.type)
        first = len(template)
        for t in op.outputs:
            slots[t] = len(template)
            template.append(None)
        if not op.inputs and opdef.compile is None and not opdef.stateful:
            template[first] = opdef.build(op, state)()  # a constant: computed here, once
            continue
        fn = opdef.build(op, state)
        if fn is None:
            continue
        run_inputs = opdef.inputs_to_run(op)
        inputs = [slots[t] for t in run_inputs]
        if isinstance(fn, np.ufunc):
            fresh.add(op.outputs[0])
            dead = [k for k, t in enumerate(run_inputs) if t in fresh and last_read[t] == index
                    and t.dtype == op.outputs[0].dtype]
            steps.append(_in_place_step(fn, inputs, dead[0], first) if dead else _buffered_step(fn, inputs, first))
            continue
        steps.append(_step(fn, inputs, first, len(op.outputs)))

    getters = [_fetch_getter(leaf, slots, feeds) for leaf in leaves]
    if len(getters) == 1 and isinstance(fetches, (Tensor, Operation, str)):
        build = getters[0]
    else:
        def build(values):
            return structure([get(values) for get in getters])
    return Plan(template, feeds, steps, build)


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


def _last_value_reads(ops, leaves):
    """For each array, the index of the last op that reads its values (len(ops) if fetched).

    A view (reshape, identity...) counts as its base array; reads for a shape only do not
    count, since writing a same-shaped result into an array keeps its shape."""
    base, last = {}, {}
    for index, op in enumerate(ops):
        opdef = lookup(op.type)
        shape_only = opdef.inputs_read_for_shape(op)
        for t in opdef.inputs_to_run(op):
            if t not in shape_only:
                last[base.get(t, t)] = index
        if opdef.returns_view and op.inputs:
            for out in op.outputs:
                base[out] = base.get(op.inputs[0], op.inputs[0])
    for leaf in leaves:
        if isinstance(leaf, Tensor):
            last[base.get(leaf, leaf)] = len(ops)
    return last


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


BUFFERED_SIZE = 1 << 16  # results this large keep their array from one run to the next


def _buffered_step(ufunc, inputs, first):
    """A ufunc step that writes into the array it made last run, when nothing else holds that
    array any more: a training loop then allocates (and page-faults) nothing in steady state."""
    kept = [None]

    def result_shape(values):
        shapes = [v.shape for v in values]
        return shapes[0] if len(set(shapes)) == 1 else np.broadcast_shapes(*shapes)

    def step(slots):
        args = [slots[i] for i in inputs]
        out = kept[0]
        # 3 references: `kept`, `out` and getrefcount's argument; any more and someone holds it
        if out is not None and sys.getrefcount(out) == 3 and out.shape == result_shape(args):
            slots[first] = ufunc(*args, out=out)
            return
        result = slots[first] = ufunc(*args)
        kept[0] = result if type(result) is np.ndarray and result.size >= BUFFERED_SIZE else None
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
        return array.astype(object)
    source = array.dtype
    if not (np.can_cast(source, dtype, casting="same_kind") or source.kind in "biu" and dtype.kind == "f"):
        raise InvalidArgumentError(
            f"Cannot feed value of dtype {source} for Tensor '{tensor.name}', which has dtype {tensor.dtype.name}")
    return array.astype(dtype, copy=False)


def _shares_state(tensor):
    """Whether `tensor`'s value may be memory the engine keeps (a constant, a variable's value)."""
    opdef = lookup(tensor.op.type)
    if opdef.returns_state:
        return True
    return opdef.returns_view and bool(tensor.op.inputs) and _shares_state(tensor.op.inputs[0])


def _fetch_getter(leaf, slots, feeds):
    if isinstance(leaf, Operation):
        return lambda slots_: None
    slot = slots[leaf]
    fed = any(slot == s for s, _ in feeds)
    if not fed and _shares_state(leaf):
        def get(values):
            value = np.array(values[slot])  # a copy: the stored array changes in later runs
            return value[()] if value.ndim == 0 else value
    else:
        def get(values):
            value = values[slot]
            return value[()] if type(value) is np.ndarray and value.ndim == 0 else value
    return get
