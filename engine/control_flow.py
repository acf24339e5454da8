"""Control flow: `cond`, `case` and `while_loop`, each one op that runs subgraphs on demand.

A branch or a loop body is built into the graph as ordinary ops (so the graph view shows them
under `cond/` or `while/`), but the op that owns them hides them from the Session's plan: its
inputs are only the tensors its subgraphs capture from outside. When it runs, it runs a plan
of its own for the subgraph it needs (`engine.plan.compile_plan`, fed the captured values):
only the taken branch runs, and a loop runs its body's plan once per iteration.

Gradients flow through both. A cond's gradient is a cond of its branches' gradients (each
branch recomputes its forward values inside). A while loop's gradient runs the loop forward
again, keeping each iteration's loop values, then the body's backward pass (built as graph
ops once) for each iteration in reverse, as TF1's gradient of a while loop does with its
stacks.
"""

import numpy as np

from .array_ops import convert_to_tensor, zeros_like
from .dtypes import bool as bool_
from .graph import ElementName, TensorShape, as_dims, format_shape, get_default_graph, topological_order
from .gradients import GraphGradient, backward_build
from .errors import InvalidArgumentError
from .ops import NOT_DIFFERENTIABLE, defop, lookup, make_op
from .plan import compile_plan


# -- nested structures of tensors ---------------------------------------------------------

def _flatten(structure):
    """The leaves of a nested list/tuple/dict structure, and a function rebuilding it."""
    leaves = []

    def walk(s):
        if isinstance(s, (list, tuple)):
            parts = [walk(p) for p in s]
            if hasattr(s, "_fields"):
                return lambda values: type(s)(*(p(values) for p in parts))
            return lambda values: type(s)(p(values) for p in parts)
        if isinstance(s, dict):
            parts = [(k, walk(v)) for k, v in s.items()]
            return lambda values: type(s)((k, p(values)) for k, p in parts)
        index = len(leaves)
        leaves.append(s)
        return lambda values: values[index]
    return leaves, walk(structure)


def _same_structure(a, b):
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_structure(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_structure(a[k], b[k]) for k in a)
    return not isinstance(a, (list, tuple, dict)) and not isinstance(b, (list, tuple, dict))


def _structure_error(first, second):
    return ValueError("The two structures don't have the same nested structure.\n"
                      f"First structure: {first!r}\nSecond structure: {second!r}")


# -- subgraphs ----------------------------------------------------------------------------

def _build(graph, fn, *args):
    """Call fn(*args) and return its result and the ops it added to the graph. Control
    dependencies from outside do not reach inside (the op owning the subgraph gets them),
    or a body would run them once per iteration."""
    start = len(graph._ops)
    with graph.control_dependencies(None):
        result = fn(*args)
    return result, graph._ops[start:]


def _captured(ops, inside=()):
    """The tensors that `ops` read (or a nested control-flow op captures) made outside them."""
    made = {t for op in ops for t in op.outputs} | set(inside)
    found = {}
    for op in ops:
        for t in lookup(op.type).inputs_to_run(op):
            if t not in made:
                found[t] = None
    return list(found)


def _subgraph_ops(outputs, boundary):
    """The ops computing `outputs` from the tensors in `boundary` (which they stop at)."""
    boundary = set(boundary)
    return topological_order([t.op for t in outputs if t not in boundary],
                             lambda op: [t.op for t in lookup(op.type).inputs_to_run(op) if t not in boundary])


def _names(tensors):
    return tuple(ElementName(t.name) for t in tensors)


def _tensors(graph, names):
    return [graph.as_graph_element(n) for n in names]


def _lazy_plan(op, state, fetch_names, feeds):
    """A function giving the plan for these fetches and feeds, compiled at its first use."""
    plan = []

    def get():
        if not plan:
            plan.append(compile_plan(op.graph, state, _tensors(op.graph, fetch_names), feeds))
        return plan[0]
    return get


def _merged_dims(a, b):
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(x if x == y else None for x, y in zip(a, b))


# -- cond and case ------------------------------------------------------------------------

def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """true_fn() if pred else false_fn(); only the branch taken runs. Both return the same
    nested structure of tensors, of the same dtypes."""
    true_fn = fn1 if true_fn is None else true_fn
    false_fn = fn2 if false_fn is None else false_fn
    if true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    return _cond(pred, true_fn, false_fn, name or "cond")


def _cond(pred, true_fn, false_fn, name, inside=((), ())):
    pred = convert_to_tensor(pred)
    graph = pred.graph
    if pred.dtype != bool_:
        raise TypeError(f"cond: pred '{pred.name}' must be a bool tensor, got {pred.dtype.name}")
    if pred._dims is not None and len(pred._dims) != 0:
        raise ValueError(f"Shape must be rank 0 but is rank {len(pred._dims)} for cond's pred '{pred.name}'")
    with graph.as_default(), graph.name_scope(name) as scope:
        branches = []
        for fn, extra in zip((true_fn, false_fn), inside):
            result, ops = _build(graph, lambda: _as_tensors(fn()))
            branches.append((result, ops, extra))
        (true_out, true_ops, true_extra), (false_out, false_ops, false_extra) = branches
        if not _same_structure(true_out, false_out):
            raise _structure_error(true_out, false_out)
        true_leaves, rebuild = _flatten(true_out)
        false_leaves, _ = _flatten(false_out)
        for t, f in zip(true_leaves, false_leaves):
            if t.dtype != f.dtype:
                raise ValueError("Outputs of 'true_fn' and 'false_fn' must have the same type(s). Received "
                                 f"{t.dtype.name} from 'true_fn' and {f.dtype.name} from 'false_fn'.")
        inside_ops = [*true_ops, *true_extra, *false_ops, *false_extra]
        captured = _captured(inside_ops)
        made = {t for o in inside_ops for t in o.outputs}
        captured += [t for t in dict.fromkeys(true_leaves + false_leaves) if t not in captured and t not in made]
        op = graph.create_op("Cond", [pred, *captured],
                             {"true_outputs": _names(true_leaves), "false_outputs": _names(false_leaves)},
                             scope + "Merge/", [(t.dtype, _merged_dims(t._dims, f._dims))
                                                for t, f in zip(true_leaves, false_leaves)])
    return rebuild(list(op.outputs))


def _as_tensors(structure):
    leaves, rebuild = _flatten(structure)
    return rebuild([convert_to_tensor(v) for v in leaves])


def _compile_cond(op, state):
    feeds = list(op.inputs[1:])
    plans = (_lazy_plan(op, state, op.attrs["false_outputs"], feeds),
             _lazy_plan(op, state, op.attrs["true_outputs"], feeds))
    single = len(op.outputs) == 1

    def run(pred, *captured):
        values = plans[bool(pred)]().run(captured)
        return values[0] if single else values
    return run


def _cond_gradient(op, grads, wanted):
    """A cond of the two branches' gradients, each built over its branch's forward ops."""
    graph = op.graph
    pred, captured = op.inputs[0], list(op.inputs[1:])
    targets = [op.inputs[i] for i in wanted if i > 0 and op.inputs[i].dtype.is_floating]
    if not targets:
        return [None] * len(wanted)
    live = [(t, g) for t, g in zip(op.outputs, grads) if g is not None]

    def branch(names):
        outputs = _tensors(graph, names)
        forward = _subgraph_ops(outputs, captured)
        ys = [outputs[list(op.outputs).index(t)] for t, _ in live]

        def fn():
            found = backward_build(ys, targets, [g for _, g in live], frozenset(captured))
            return [zeros_like(t) if f is None else f for f, t in zip(found, targets)]
        return fn, forward

    true_fn, true_forward = branch(op.attrs["true_outputs"])
    false_fn, false_forward = branch(op.attrs["false_outputs"])
    results = _cond(pred, true_fn, false_fn, "cond", inside=(true_forward, false_forward))
    by_target = dict(zip(targets, results))
    return [by_target.get(op.inputs[i]) if i > 0 else None for i in wanted]


defop("Cond", compile=_compile_cond, grads=GraphGradient(_cond_gradient))


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The fn of the first pred that is true, else default(). Without a default, the last
    pair's fn is the default, run only when its own pred holds (no true pred at all is an
    InvalidArgumentError, as in TF1); `exclusive=True` makes more than one true pred one."""
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(pred_fn_pairs)
    if not pairs:
        raise ValueError("pred_fn_pairs must be a non-empty list of (pred, fn) pairs")
    for pred, fn in pairs:
        if not callable(fn):
            raise TypeError(f"fn for pred {getattr(pred, 'name', pred)} must be callable.")
    guarded = default is None
    preds = [convert_to_tensor(pred) for pred, _ in pairs]
    if guarded:
        *pairs, (_, default) = pairs
    if not callable(default):
        raise TypeError("default must be callable.")
    graph = preds[0].graph
    with graph.as_default(), graph.name_scope(name):
        if exclusive or guarded:  # checked before any branch runs: the first cond reads it
            for pred in preds:
                if pred.dtype != bool_:
                    raise TypeError(f"case: pred '{pred.name}' must be a bool tensor, got {pred.dtype.name}")
            checked = make_op("CaseCheck", preds, {"exclusive": bool(exclusive), "guarded": guarded,
                                                   "names": [p.name for p in preds]}, name="Assert")
            if pairs:
                pairs[0] = (checked, pairs[0][1])
            else:  # one guarded pair: its fn runs only when its pred holds
                pairs = [(checked, default)]
        fn = default
        for pred, branch in reversed(pairs):
            fn = (lambda p, b, rest: lambda: cond(p, b, rest))(pred, branch, fn)
        return fn()


def _check_case(*preds, exclusive, guarded, names):
    """The first pred, once the preds pass case's checks (TF1's assertions and messages)."""
    bits = [int(bool(p)) for p in preds]
    shown = "[" + " ".join(map(str, bits)) + "]"
    if exclusive and sum(bits) > 1:
        raise InvalidArgumentError(f"assertion failed: [Input error: exclusive=True: more than 1 conditions "
                                   f"({', '.join(names)}) evaluated as True:] {shown}")
    if guarded and not any(bits):
        raise InvalidArgumentError(f"assertion failed: [Input error: None of conditions evaluated as True:] {shown}")
    return preds[0]


defop("CaseCheck", forward=_check_case, grads=NOT_DIFFERENTIABLE, shape=lambda *dims, **attrs: dims[0])


# -- while_loop ---------------------------------------------------------------------------

defop("LoopVar", compile=lambda op, state: _outside_loop(op))


def _outside_loop(op):
    def run():
        raise ValueError(f"'{op.name}' is a loop variable of a while_loop; it has a value only inside the loop")
    return run


def _loop_var(graph, dtype, dims, name):
    return graph.create_op("LoopVar", [], {}, name, [(dtype, dims)]).outputs[0]


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, name=None, maximum_iterations=None, return_same_structure=False):
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`, at most
    `maximum_iterations` times. loop_vars is a list or tuple (of nested structures) of tensors;
    `shape_invariants` gives shapes that may change across iterations."""
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if not isinstance(loop_vars, (list, tuple)) or not loop_vars:
        raise ValueError("loop_vars must be a non-empty list or tuple of tensors (or nested structures)")
    leaves, rebuild = _flatten(loop_vars)
    initial = [convert_to_tensor(v) for v in leaves]
    graph = initial[0].graph
    if shape_invariants is None:
        invariants = [t._dims for t in initial]
    else:
        given, _ = _flatten(shape_invariants)
        if len(given) != len(initial):
            raise _structure_error(loop_vars, shape_invariants)
        invariants = [s.dims if isinstance(s, TensorShape) else as_dims(s) for s in given]
    with graph.as_default(), graph.name_scope(name or "while") as scope:
        limit = None if maximum_iterations is None else convert_to_tensor(maximum_iterations)
        variables = [_loop_var(graph, t.dtype, dims, "Identity") for t, dims in zip(initial, invariants)]
        structured = rebuild(variables)
        pred, cond_ops = _build(graph, lambda: convert_to_tensor(cond(*structured)))
        out, body_ops = _build(graph, lambda: _as_tensors(body(*structured)))
        if not _same_structure(list(structured), list(out) if isinstance(out, (list, tuple)) else [out]):
            raise _structure_error(list(structured), out)
        out_leaves, _ = _flatten(list(out) if isinstance(out, (list, tuple)) else [out])
        for start, var, after, dims in zip(initial, variables, out_leaves, invariants):
            if after.dtype != start.dtype:
                raise TypeError(f"while_loop: loop variable '{start.name}' enters the loop as {start.dtype.name} "
                                f"but the body returns {after.dtype.name}")
            if not _compatible(after._dims, dims):
                raise ValueError(
                    f"Input tensor '{start.name}' enters the loop with shape {format_shape(start._dims)}, but has "
                    f"shape {format_shape(after._dims)} after one iteration. To allow the shape to vary across "
                    "iterations, use the `shape_invariants` argument of tf.while_loop to specify a "
                    "less-specific shape.")
        captured = _captured(cond_ops + body_ops, inside=variables)
        captured += [t for t in [pred, *out_leaves] if t not in captured and t not in variables
                     and not any(t in op.outputs for op in cond_ops + body_ops)]
        inputs = [*initial, *captured] + ([] if limit is None else [limit])
        op = graph.create_op("While", inputs,
                             {"loop_vars": _names(variables), "cond": ElementName(pred.name), "body": _names(out_leaves),
                              "num_captured": len(captured), "bounded": limit is not None},
                             scope + "Exit/", [(t.dtype, dims) for t, dims in zip(initial, invariants)])
    results = rebuild(list(op.outputs))
    if len(leaves) == 1 and not return_same_structure and not isinstance(loop_vars[0], (list, tuple, dict)):
        return results[0]
    return results


def _compatible(dims, invariant):
    if invariant is None or dims is None:
        return True
    return len(dims) == len(invariant) and all(i is None or d is None or d == i for d, i in zip(dims, invariant))


def _loop_parts(op):
    """(initial values, captured, limit) of a While op's inputs."""
    count, captured = len(op.attrs["loop_vars"]), op.attrs["num_captured"]
    inputs = list(op.inputs)
    limit = inputs[count + captured] if op.attrs["bounded"] else None
    return inputs[:count], inputs[count:count + captured], limit


def _loop_runner(op, state):
    """fn(values, captured, limit, keep) running the loop; `keep` collects each iteration's inputs."""
    variables = _tensors(op.graph, op.attrs["loop_vars"])
    _, captured, _ = _loop_parts(op)
    feeds = [*variables, *captured]
    check = _lazy_plan(op, state, (op.attrs["cond"],), feeds)
    step = _lazy_plan(op, state, op.attrs["body"], feeds)

    def loop(values, captured_values, limit, keep=None):
        count = 0
        while limit is None or count < limit:
            if not check().run([*values, *captured_values])[0]:
                break
            if keep is not None:
                keep.append(values)
            values = step().run([*values, *captured_values])
            count += 1
        return values
    return loop


def _compile_while(op, state):
    loop = _loop_runner(op, state)
    count, captured = len(op.attrs["loop_vars"]), op.attrs["num_captured"]
    single = len(op.outputs) == 1

    def run(*inputs):
        limit = inputs[count + captured] if op.attrs["bounded"] else None
        values = loop(list(inputs[:count]), inputs[count:count + captured], limit)
        return values[0] if single else tuple(values)
    return run


def _while_gradient(op, grads, wanted):
    """A WhileGrad op: the loop again, then the body's backward pass per iteration, in reverse."""
    graph = op.graph
    initial, captured, limit = _loop_parts(op)
    variables = _tensors(graph, op.attrs["loop_vars"])
    body = _tensors(graph, op.attrs["body"])
    floats = [k for k, t in enumerate(variables) if t.dtype.is_floating]
    targets = [*(variables[k] for k in floats), *(t for t in captured if t.dtype.is_floating)]
    with graph.name_scope("while_grad"):
        seeds = [_loop_var(graph, variables[k].dtype, variables[k]._dims, "grad") for k in floats]
        found = backward_build([body[k] for k in floats], targets, seeds, frozenset([*variables, *captured]))
        found = [zeros_like(t) if f is None else f for f, t in zip(found, targets)]
        upstream = [zeros_like(op.outputs[k]) if grads[k] is None else grads[k] for k in floats]
        grad_op = graph.create_op(
            "WhileGrad", [*op.inputs, *upstream],
            {"forward": ElementName(op.name), "seeds": _names(seeds), "grads": _names(found), "floats": tuple(floats)},
            "WhileGrad", [(t.dtype, t._dims) for t in targets])
    per_input = [None] * len(op.inputs)  # by position: a tensor both initial and captured gets both
    outputs = iter(grad_op.outputs)
    for k in floats:
        per_input[k] = next(outputs)
    for k, t in enumerate(captured):
        if t.dtype.is_floating:
            per_input[len(initial) + k] = next(outputs)
    return [per_input[i] for i in wanted]


def _compile_while_grad(op, state):
    forward = op.graph.get_operation_by_name(op.attrs["forward"])
    loop = _loop_runner(forward, state)
    count, captured = len(forward.attrs["loop_vars"]), forward.attrs["num_captured"]
    floats = op.attrs["floats"]
    variables = _tensors(op.graph, forward.attrs["loop_vars"])
    seeds = _tensors(op.graph, op.attrs["seeds"])
    backward = _lazy_plan(op, state, op.attrs["grads"], [*variables, *_loop_parts(forward)[1], *seeds])
    forward_inputs = len(forward.inputs)
    single = len(op.outputs) == 1

    def run(*inputs):
        limit = inputs[count + captured] if forward.attrs["bounded"] else None
        captured_values = inputs[count:count + captured]
        kept = []
        loop(list(inputs[:count]), captured_values, limit, kept)
        g = list(inputs[forward_inputs:])
        totals = None
        for values in reversed(kept):
            result = backward().run([*values, *captured_values, *g])
            g = result[:len(floats)]
            rest = result[len(floats):]
            totals = rest if totals is None else [a + b for a, b in zip(totals, rest)]
        if totals is None:
            totals = [np.zeros(np.shape(v), np.asarray(v).dtype)
                      for v, t in zip(captured_values, _loop_parts(forward)[1]) if t.dtype.is_floating]
        outputs = [np.asarray(v) for v in g] + [np.asarray(v) for v in totals]
        return outputs[0] if single else outputs
    return run


defop("While", compile=_compile_while, grads=GraphGradient(_while_gradient))
def _no_second_order(op, grads, wanted):
    raise TypeError("Second-order gradient for while loops not supported.")  # TF1's words


defop("WhileGrad", compile=_compile_while_grad, grads=GraphGradient(_no_second_order))
