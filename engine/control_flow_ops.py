"""Ops that only order other ops: `no_op` and `group` (a NoOp whose control inputs are the group)."""

from .extend import defop, make_op
from .graph import Tensor, get_default_graph

defop("NoOp", compile=lambda op, state: None, grads=None, shape=lambda: None, dtype=lambda: None)


def no_op(name=None):
    return make_op("NoOp", name=name or "NoOp")


def group(*inputs, name=None):
    """An op that runs all of `inputs` (ops or tensors) and outputs nothing."""
    ops = [t.op if isinstance(t, Tensor) else t for t in inputs]
    graph = ops[0].graph if ops else get_default_graph()
    with graph.as_default(), graph.control_dependencies(ops):
        return no_op(name=name or "group_deps")
