"""The op core: what an op type is (`OpDef`), the registry that names them, and `make_op`.

An op type is one `defop` call that puts its forward computation, its gradient and its shape
rule side by side::

    defop("Square", forward=np.square, grads=[lambda g, ans, x: 2 * g * x])

That is all an op author writes. How a Session manages memory is derived from it (see
`engine.plan`): a `forward` that is a numpy ufunc makes a new array, which a Session may later
write into; any other op may return a view of its inputs, and is treated so. The one field
that trades care for speed, `grad_reads`, defaults to the safe answer.

`engine.extend` lists the names an op author imports; the op families (`array_ops`,
`math_ops`, `nn`...) are built from them.
"""

import functools
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .graph import format_shape, get_default_graph

NOT_DIFFERENTIABLE = "not differentiable"
READS_ALL = ("inputs", "output")


def same_shape(dims, *rest, **attrs):
    return dims


def first_dtype(dtype, *rest, **attrs):
    return dtype


@dataclass(frozen=True)
class OpDef:
    """Everything the engine knows about one op type.

    - `forward(*input_values, **attrs)` computes the output from numpy values (a tuple of
      them for an op with several outputs), a pure function of them (an op without inputs is
      computed once per plan: a constant). It writes into no input, except an optimizer's
      update op, which changes its variable in place.
    - `grads` holds one vector-Jacobian product per input, `vjp(g, ans, *input_values, **attrs)`,
      giving that input's gradient from the upstream gradient `g` and the forward output `ans`
      (None for an input with no gradient). `grads=None` means the op has no gradient (asking
      for one is an error); `grads=NOT_DIFFERENTIABLE` means gradients stop here (comparisons).
      An op with several outputs (split, cond) takes `grads=GraphGradient(build)`: `build`
      gets every output's gradient and writes the inputs' gradients as graph ops.
    - `shape(*input_dims, **attrs)` and `dtype(*input_dtypes, **attrs)` give the static output.
    - `grad_reads`: which values the vjps read, ("inputs", "output") unless told otherwise;
      ("inputs",) for a product, ("output",) for exp, () when they need only shapes and
      dtypes (add, sum, reshape). A Session may overwrite values that no vjp reads, so an
      op that says too little gets wrong gradients; `tests/engine/test_engine_ops.py`
      checks every op's claim.

    For the few ops that live off a Session's state (variables, random generators) or are
    not one numpy function (a gradient's VJP op), three hooks replace `forward`:
    `compile(op, state)` returns the function to call, `run_inputs(op)` the tensors it takes
    (default: the op's inputs), and `shape_only_inputs(op)` those of them it reads only for
    their shapes. Such an op's result is treated as memory the Session keeps.
    """

    type: str
    forward: Callable = None
    grads: object = None
    shape: Callable = same_shape
    dtype: Callable = first_dtype
    grad_reads: tuple = READS_ALL
    compile: Callable = None
    run_inputs: Callable = None
    shape_only_inputs: Callable = None

    def build(self, op, state):
        """The function a Session calls to run `op`: fn(*values of run_inputs) -> output value."""
        if self.compile is not None:
            return self.compile(op, state)
        return functools.partial(self.forward, **op.attrs) if op.attrs else self.forward

    def inputs_to_run(self, op):
        return op.inputs if self.run_inputs is None else self.run_inputs(op)

    def inputs_read_for_shape(self, op):
        return frozenset() if self.shape_only_inputs is None else self.shape_only_inputs(op)


_registry = {}


def defop(op_type, **fields):
    """Register an op type; its name is how the graph definition and the gradient code know it."""
    if not isinstance(op_type, str):
        raise TypeError(f"op types are keyed by name (a str), got {op_type!r}")
    if op_type in _registry:
        raise KeyError(f"op type '{op_type}' is already registered")
    unknown = set(fields.get("grad_reads", ())) - set(READS_ALL)
    if unknown:
        raise ValueError(f"op type '{op_type}': grad_reads names {sorted(unknown)}; "
                         f"it may name only {READS_ALL}")
    _registry[op_type] = OpDef(op_type, **fields)
    return _registry[op_type]


def lookup(op_type):
    """The definition of a registered op type; TypeError for anything else."""
    if not isinstance(op_type, str):
        raise TypeError(f"op types are keyed by name (a str), got {op_type!r}")
    try:
        return _registry[op_type]
    except KeyError:
        raise TypeError(f"no op type '{op_type}' is registered") from None


def op_types():
    """The names of all registered op types."""
    return sorted(_registry)


def make_op(op_type, inputs=(), attrs=None, name=None):
    """Add an op of a registered type to the inputs' graph (else the default graph).

    Returns its output tensor, or the Operation itself for an op without outputs.
    """
    opdef = lookup(op_type)
    attrs = {} if attrs is None else attrs
    graph = inputs[0].graph if inputs else get_default_graph()
    name = name or op_type
    try:
        dims = opdef.shape(*(t._dims for t in inputs), **attrs)
    except ValueError as error:
        raise ValueError(f"{op_type} op '{graph._scope}{name}': {error}") from None
    dtype = opdef.dtype(*(t.dtype for t in inputs), **attrs)
    op = graph.create_op(op_type, inputs, attrs, name, [] if dtype is None else [(dtype, dims)])
    return op.outputs[0] if op.outputs else op


# -- helpers for gradients ----------------------------------------------------------------

class PerInput:
    """`grads` for an op with any number of inputs (concat, stack): `vjp(index, g, ans, *inputs,
    **attrs)` gives input `index`'s gradient, so one function serves every position."""

    __slots__ = ("vjp",)

    def __init__(self, vjp):
        self.vjp = vjp

    def __getitem__(self, index):
        return functools.partial(self.vjp, index)


class GraphGradient:
    """`grads` for an op whose gradient is built as graph ops when `gradients` is called:
    `build(op, grads, wanted)`, given one gradient (or None) per output of op, returns one
    tensor (or None) per input index in `wanted`."""

    __slots__ = ("build",)

    def __init__(self, build):
        self.build = build

    def __getitem__(self, index):
        return self.build  # any input may have a gradient; `build` says which do


def unbroadcast(grad, shape):
    """Sum `grad` down to `shape`: the gradient of numpy broadcasting `shape` up to grad's shape.

    An axis with stride 0 is a broadcast copy (see `np.broadcast_to`): its sum is a product,
    so a gradient that arrives unmaterialised is never expanded just to be summed again.
    """
    grad_shape = grad.shape  # values in a run are numpy arrays or numpy scalars
    if grad_shape == shape:
        return grad
    if shape == () and any(grad.strides):  # the common case (a scalar weight, a bias): sum it all
        return np.add.reduce(grad, axis=None)
    lead = len(grad_shape) - len(shape)
    axes = [a for a in range(len(grad_shape))
            if a < lead or shape[a - lead] == 1 and grad_shape[a] != 1]
    repeated = [a for a in axes if grad.strides[a] == 0]
    if repeated:
        grad = grad[tuple(slice(0, 1) if a in repeated else slice(None) for a in range(grad.ndim))]
        grad = grad * math.prod(grad_shape[a] for a in repeated)
    return np.add.reduce(grad, axis=tuple(axes), keepdims=True).reshape(shape)


def elementwise(g):
    """`g` for an elementwise product with an array of the output's shape: a gradient that is
    one value broadcast (a mean's, say) collapses to that value, saving a full pass."""
    if isinstance(g, np.ndarray) and g.ndim and not any(g.strides):
        return g[(0,) * g.ndim]
    return g


# -- helpers for shape rules --------------------------------------------------------------

def broadcast_shape(*shapes, **attrs):
    """numpy's broadcasting rule on static shapes, None standing for an unknown dim."""
    if any(s is None for s in shapes):
        return None
    rank = max(len(s) for s in shapes)
    result = []
    for dims in zip(*((1,) * (rank - len(s)) + s for s in shapes)):
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            raise ValueError("shapes " + " and ".join(format_shape(s) for s in shapes) + " cannot be broadcast together")
        if known:
            result.append(known.pop())
        elif None in dims:
            result.append(None)
        else:
            result.append(1)
    return tuple(result)


def normalize_axis(axis, rank):
    """A reduction's axis attr as a sorted tuple of non-negative axes (None: all axes)."""
    if axis is None:
        return tuple(range(rank))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"axis {a} is out of range for a tensor of rank {rank}")
    return tuple(sorted(a % rank for a in axes))

