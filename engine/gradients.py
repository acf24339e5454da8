"""Reverse-mode differentiation: `gradients(ys, xs)`.

`gradients` adds one `SymbolicGradient` op (named `gradients`) whose outputs are d(sum ys)/dx
for each x that the ys depend on. Its backward pass is planned once, when the op is made: the
ops between xs and ys (so an op without a gradient is reported at once, and an x that the ys
do not depend on gets None), and the forward values it reads. When a Session runs the op, it
walks those ops in reverse topological order, calls each op's vector-Jacobian products for
the inputs that lead to an x (and only those), and sums the contributions to each tensor in
a dict.
"""

import functools

import numpy as np

from .array_ops import convert_to_tensor
from .graph import topological_order
from .ops import NOT_DIFFERENTIABLE, defop, lookup


def backward_path(ys, xs):
    """The ops through which gradients flow from ys to xs, in topological order, each with the
    indices of its inputs that need a gradient, and the tensors that lead to a y. Every op on
    the path passes its gradient on to some x. LookupError for such an op with no gradient."""
    order = topological_order([y.op for y in ys], lambda op: [t.op for t in op.inputs])

    reaches_x = set(xs)  # forward: tensors that depend on some x through ops with a gradient
    candidates = []
    for op in order:
        grads = lookup(op.type).grads
        if grads is NOT_DIFFERENTIABLE:
            continue
        wanted = [i for i, t in enumerate(op.inputs)
                  if t in reaches_x and (grads is None or grads[i] is not None)]
        if wanted:
            candidates.append((op, wanted))
            reaches_x.update(op.outputs)

    live = set(ys)  # backward: keep the ops whose outputs lead to a y
    path = []
    for op, wanted in reversed(candidates):
        if not any(t in live for t in op.outputs):
            continue
        if lookup(op.type).grads is None:
            raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type})")
        live.update(op.inputs[i] for i in wanted)
        path.append((op, wanted))
    path.reverse()
    return path, live


def gradients(ys, xs, grad_ys=None, name="gradients"):
    """d(sum of ys)/dx for each x in xs: a list of tensors, None where ys do not depend on x.

    `grad_ys` (one per y) weights each y's gradient; the default is ones.
    """
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [convert_to_tensor(x) for x in _as_list(xs)]
    grad_ys = None if grad_ys is None else [convert_to_tensor(g) for g in _as_list(grad_ys)]
    if grad_ys is not None and len(grad_ys) != len(ys):
        raise ValueError(f"gradients: {len(grad_ys)} grad_ys for {len(ys)} ys")
    for x in xs:
        if x.graph is not ys[0].graph:
            raise ValueError(f"Tensor '{x.name}' is not an element of the graph of '{ys[0].name}'")
    path, live = backward_path(ys, xs)  # its ops lead only to connected xs: it serves them as is
    connected = [x for x in xs if x in live]
    if not connected:
        return [None] * len(xs)
    inputs = ys + connected + (grad_ys or [])
    graph = ys[0].graph
    op = graph.create_op("SymbolicGradient", inputs, {"num_ys": len(ys), "num_xs": len(connected)},
                         name, [(x.dtype, x._dims) for x in connected])
    op._program = BackwardPass(ys, connected, grad_ys or [], path)
    found = dict(zip(connected, op.outputs))
    return [found.get(x) for x in xs]


def _as_list(values):
    return list(values) if isinstance(values, (list, tuple)) else [values]


class BackwardPass:
    """What running one `gradients` op takes, worked out once when the op is made."""

    def __init__(self, ys, xs, grad_ys, path):
        self.ys, self.xs, self.grad_ys, self.path = ys, xs, grad_ys, path
        # every tensor whose value the pass reads: ys, xs, seeds, each path op's inputs and
        # outputs (the Session computes them before the gradients op runs)
        needed = dict.fromkeys([*ys, *xs, *grad_ys])
        # of those, the ones read only for their shapes and dtypes: the seeds' ys, the xs, and
        # what ops whose vjps need no values (add, sum, reshape...) are given
        values, shapes = set(grad_ys), {*ys, *xs}
        for op, _ in path:
            needed.update(dict.fromkeys([*op.inputs, *op.outputs]))
            reads = lookup(op.type).grad_reads
            (values if "inputs" in reads else shapes).update(op.inputs)
            (values if "output" in reads else shapes).update(op.outputs)
        self.values = list(needed)
        self.shape_only = frozenset(shapes - values)

    def compile(self):
        """The function a Session calls with `self.values`; it returns the gradients of the xs."""
        position = {t: i for i, t in enumerate(self.values)}
        program = []
        for op, wanted in reversed(self.path):
            vjps = lookup(op.type).grads
            attrs = op.attrs
            program.append((op.outputs[0], position[op.outputs[0]],
                            [position[t] for t in op.inputs],
                            [(op.inputs[i], functools.partial(vjps[i], **attrs) if attrs else vjps[i])
                             for i in wanted]))
        seeds = [(y, position[y], position[g] if self.grad_ys else None, _ones(y))
                 for y, g in zip(self.ys, self.grad_ys or [None] * len(self.ys))]
        targets = [(x, position[x]) for x in self.xs]

        def backward(*values):
            grads = {}
            for y, at, seed, ones in seeds:
                g = values[seed] if seed is not None else ones if ones is not None else np.ones_like(values[at])
                grads[y] = g if y not in grads else grads[y] + g
            for out, out_at, inputs_at, vjps in program:
                g = grads.get(out)
                if g is None:
                    continue
                inputs = [values[i] for i in inputs_at]
                for tensor, vjp in vjps:
                    contribution = vjp(g, values[out_at], *inputs)
                    if contribution is None:
                        continue
                    previous = grads.get(tensor)
                    grads[tensor] = contribution if previous is None else previous + contribution
            results = tuple(_like(grads.get(x), values[at]) for x, at in targets)
            return results if len(results) > 1 else results[0]  # an op with one output gives a value
        return backward


def _ones(y):
    """The seed d(y)/d(y) for a y of known shape, made once (read-only); None if the shape is unknown."""
    if y._dims is None or None in y._dims:
        return None
    ones = np.ones(y._dims, y.dtype.as_numpy_dtype)
    ones.flags.writeable = False
    return ones


def _like(grad, x):
    """The gradient as an array of x's own shape and dtype (materialised if it was a broadcast view)."""
    if grad is None:
        return np.zeros_like(x)
    if grad.shape != x.shape or type(grad) is np.ndarray and not grad.flags.writeable:
        grad = np.array(np.broadcast_to(grad, x.shape))
    return grad if grad.dtype == x.dtype else grad.astype(x.dtype)


defop("SymbolicGradient", grads=None,
      compile=lambda op, state: op._program.compile(),
      run_inputs=lambda op: op._program.values,
      shape_only_inputs=lambda op: op._program.shape_only)
