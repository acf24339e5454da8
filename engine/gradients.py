"""Reverse-mode differentiation as graph ops: `gradients(ys, xs)` and `hessians(ys, xs)`.

As in TF1, `gradients` builds the backward pass into the graph under a `gradients/` name scope
(`gradients_1/` for the next call): for each op between xs and ys, in reverse topological
order, one op per input that leads to an x, inside `gradients/<op name>_grad/`, and an `AddN`
where a tensor's gradient has several contributions. A gradient is an ordinary tensor, so the
graph view shows the backward pass and a gradient can be differentiated again.

Each gradient op is a `VJP` op: it calls the forward op's numpy vector-Jacobian product for
one input, so a Session runs the backward pass as fast as one numpy closure per step. Its
own gradient (second order) is built when asked for: ops whose gradient does not read values
(add, sum, reshape, slicing) are linear, so differentiating their VJP applies the op itself;
for the others `engine.second_order` registers the first-order gradient written as graph ops,
which is then differentiated as any graph is.
"""

import numpy as np

from .array_ops import constant, convert_to_tensor, ones_like, reshape, stack, zeros_like
from .graph import topological_order
from .ops import NOT_DIFFERENTIABLE, GraphGradient, defop, lookup, make_op, unbroadcast


_symbolic = {}  # op type -> build(op, g, index): that input's gradient as graph ops


def register_symbolic(op_type):
    """Decorator: `build(op, g, index)` writes op type's gradient for input `index` as graph
    ops, which is what differentiating its VJP (a second-order gradient) needs."""
    if not isinstance(op_type, str):
        raise TypeError(f"op types are keyed by name (a str), got {op_type!r}")

    def register(build):
        if op_type in _symbolic:
            raise KeyError(f"a symbolic gradient for op type '{op_type}' is already registered")
        _symbolic[op_type] = build
        return build
    return register


def backward_path(ys, xs, stops=frozenset()):
    """The ops through which gradients flow from ys to xs, in topological order, each with the
    indices of its inputs that need a gradient, and the tensors that lead to a y. Every op on
    the path passes its gradient on to some x; none passes it on through a tensor in `stops`.
    LookupError for such an op with no gradient."""
    order = topological_order([y.op for y in ys], lambda op: [t.op for t in op.inputs])

    reaches_x = set(xs)  # forward: tensors that depend on some x through ops with a gradient
    candidates = []
    for op in order:
        opdef = lookup(op.type)
        grads = opdef.grads
        if grads is NOT_DIFFERENTIABLE or not op.outputs or any(t in stops for t in op.outputs):
            continue
        shape_only = opdef.inputs_read_for_shape(op)  # the value does not depend on them
        wanted = [i for i, t in enumerate(op.inputs) if t in reaches_x and t not in shape_only
                  and (grads is None or grads[i] is not None)]
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


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None):
    """d(sum of ys)/dx for each x in xs: a list of tensors, None where ys do not depend on x.

    `grad_ys` (one per y, None for ones) weights each y's gradient. Gradients do not flow
    through the tensors in `stop_gradients`: they are held constant.
    """
    ys = [convert_to_tensor(y) for y in _as_list(ys)]
    xs = [convert_to_tensor(x) for x in _as_list(xs)]
    if grad_ys is None:
        grad_ys = [None] * len(ys)
    grad_ys = _as_list(grad_ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Length mismatch. Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    graph = ys[0].graph
    for x in xs:
        if x.graph is not graph:
            raise ValueError(f"Tensor '{x.name}' is not an element of the graph of '{ys[0].name}'")
    stops = frozenset(convert_to_tensor(t) for t in ([] if stop_gradients is None else _as_list(stop_gradients)))
    with graph.as_default(), graph.name_scope(name):
        seeds = [_seed(y, g, k) for k, (y, g) in enumerate(zip(ys, grad_ys))]
        return backward_build(ys, xs, seeds, stops)


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """For each x, d²(sum of ys)/dx², of shape x.shape + x.shape (TF1's layout)."""
    xs = _as_list(xs)
    graph = convert_to_tensor(xs[0]).graph
    results = []
    with graph.as_default():
        for x in (convert_to_tensor(x) for x in xs):
            if x._dims is None or None in x._dims:
                raise ValueError(f"hessians needs a fully defined shape for '{x.name}', got {x.get_shape()}")
            size = int(np.prod(x._dims, dtype=np.int64))
            (grad,) = gradients(ys, x, name=name)
            if grad is None:
                results.append(None)
                continue
            flat = reshape(grad, [size])
            rows = [gradients(flat[i], x, name=name)[0] for i in range(size)]
            rows = [zeros_like(x) if r is None else r for r in rows]
            results.append(reshape(stack(rows), list(x._dims) * 2))
    return results


def _as_list(values):
    return list(values) if isinstance(values, (list, tuple)) else [values]


def _seed(y, grad_y, index):
    """The gradient a y starts with: `grad_y`, or ones of y's shape (a constant when known)."""
    if grad_y is not None:
        grad_y = convert_to_tensor(grad_y, dtype=y.dtype)
        if y._dims is not None and grad_y._dims is not None and len(y._dims) == len(grad_y._dims) and \
                any(a is not None and b is not None and a != b for a, b in zip(y._dims, grad_y._dims)):
            raise ValueError(f"Incompatible shapes between op input and calculated input gradient for "
                             f"'{y.name}': {y.get_shape()} and {grad_y.get_shape()}")
        return grad_y
    if y._dims is None or None in y._dims:
        return ones_like(y, name=f"grad_ys_{index}")
    return constant(np.ones(y._dims, y.dtype.numpy_dtype), name=f"grad_ys_{index}")


def backward_build(ys, xs, seeds, stops):
    """Build the backward pass from ys (starting with `seeds`) to xs in the current name scope."""
    path, _ = backward_path(ys, xs, stops)
    graph = ys[0].graph
    contributions = {}  # tensor -> the gradients it receives, summed when it is needed
    for y, seed in zip(ys, seeds):
        contributions.setdefault(y, []).append(seed)
    for op, wanted in reversed(path):
        grads = lookup(op.type).grads
        if isinstance(grads, GraphGradient):  # every output's gradient (an op may have several)
            gs = [_total(contributions.get(t)) for t in op.outputs]
            if all(g is None for g in gs):
                continue
            with graph.name_scope(op.name + "_grad"):
                built = grads.build(op, gs, wanted)
        else:  # numpy vjps take the gradient of the first output
            g = _total(contributions.get(op.outputs[0]))
            if g is None:
                continue
            with graph.name_scope(op.name + "_grad"):
                built = [_vjp(op, g, i) for i in wanted]
        for i, grad in zip(wanted, built):
            if grad is not None:
                contributions.setdefault(op.inputs[i], []).append(grad)
    return [_total(contributions.get(x)) for x in xs]  # None where no gradient was built


def _total(grads):
    """The sum of a tensor's gradient contributions (one AddN, kept as its only one)."""
    if not grads:
        return None
    if len(grads) > 1:
        grads[:] = [make_op("AddN", grads, name="AddN")]
    return grads[0]


# -- the VJP op: one input's gradient through an op's numpy vector-Jacobian product --------

def _vjp(op, g, index):
    """The gradient of `op`'s input `index`, given g: a VJP op named after op's type."""
    x = op.inputs[index]
    vjp_op = op.graph.create_op("VJP", [g, op.outputs[0], *op.inputs], {"input_index": index},
                                op.type, [(x.dtype, x._dims)])
    return vjp_op.outputs[0]


def _compile_vjp(op, state):
    forward = op.inputs[1].op
    index = op.attrs["input_index"]
    vjp = lookup(forward.type).grads[index]
    attrs = forward.attrs
    dtype = op.outputs[0].dtype.numpy_dtype

    def run(g, ans, *inputs):
        grad = vjp(g, ans, *inputs, **attrs)
        if grad is None:
            return np.zeros(np.shape(inputs[index]), dtype)
        return grad if grad.dtype == dtype else grad.astype(dtype)
    return run


def _vjp_shape_only(op):
    """The VJP's inputs that its forward op's vjps read only for shapes (grad_reads)."""
    reads = lookup(op.inputs[1].op.type).grad_reads
    forward = op.inputs[1].op
    shape_only = set()
    if "output" not in reads:
        shape_only.update(forward.outputs)
    if "inputs" not in reads:
        shape_only.update(forward.inputs)
    return frozenset(shape_only - {op.inputs[0]})


def _vjp_gradient(op, grads, wanted):
    """The gradient of a VJP op (second order). Its inputs are (g, ans, *forward inputs)."""
    (u,) = grads
    forward = op.inputs[1].op
    index = op.attrs["input_index"]
    g = op.inputs[0]
    build = _symbolic.get(forward.type)
    if build is None and lookup(forward.type).grad_reads == ():
        return [_linear_jvp(forward, u, index) if i == 0 else None for i in wanted]
    if build is None:
        raise LookupError(f"No gradient defined for operation '{op.name}' (op type: VJP): "
                          f"second-order gradients through {forward.type} ('{forward.name}') "
                          f"are not implemented")
    grad = build(forward, g, index)
    # differentiate the gradient written as graph ops with respect to each of the VJP's
    # inputs, holding the others fixed (partial derivatives: the walk that called this takes
    # ans's part on through the forward op); a tensor given twice (x * x) gets its part once
    targets, seen = [], set()
    for i in wanted:
        t = op.inputs[i]
        targets.append(None if t in seen else t)
        seen.add(t)
    found = iter(backward_build([grad], [t for t in targets if t is not None], [u], frozenset(op.inputs)))
    return [None if t is None else next(found) for t in targets]


def _linear_jvp(op, u, index):
    """For an op linear in its inputs (its vjps read no values), its VJP for input `index` is
    linear in g and reads nothing else: its gradient in direction u is the op applied to u in
    place of that input, with zeros for its other differentiable inputs."""
    grads = lookup(op.type).grads
    inputs = [u if i == index else zeros_like(t) if grads[i] is not None else t
              for i, t in enumerate(op.inputs)]
    return make_op(op.type, inputs, op.attrs, name=op.type)


def sum_to_shape_of(t, like):
    """`t` summed down to `like`'s shape (identity when their static shapes are the same)."""
    if t._dims == like._dims and t._dims is not None and None not in t._dims:
        return t
    return make_op("SumToShapeOf", [t, like], name="Sum")


def _broadcast_like(t, like):
    if t._dims == like._dims and t._dims is not None and None not in t._dims:
        return t
    return make_op("BroadcastToShapeOf", [t, like], name="BroadcastTo")


defop("VJP", grads=GraphGradient(_vjp_gradient), compile=_compile_vjp,
      shape_only_inputs=_vjp_shape_only)
defop("SumToShapeOf", forward=lambda t, like: unbroadcast(np.asarray(t), np.shape(like)),
      grads=GraphGradient(lambda op, us, wanted: [_broadcast_like(us[0], op.inputs[0]) if i == 0 else None
                                                 for i in wanted]),
      shape=lambda t, like: like, shape_only_inputs=lambda op: frozenset(op.inputs[1:]))
defop("BroadcastToShapeOf", forward=lambda t, like: np.broadcast_to(t, np.shape(like)),
      grads=GraphGradient(lambda op, us, wanted: [sum_to_shape_of(us[0], op.inputs[0]) if i == 0 else None
                                                 for i in wanted]),
      shape=lambda t, like: like, shape_only_inputs=lambda op: frozenset(op.inputs[1:]))
