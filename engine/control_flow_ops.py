"""Ops that only order other ops: `no_op`, `group` (a NoOp whose control inputs are the group)
and `tuple` (the tensors again, each computed only after all of them)."""

from .array_ops import identity
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


def tuple_(tensors, name=None, control_inputs=None):
    """The tensors (None stays None), each given only once all of them and `control_inputs`
    have been computed: TF1's `tf.tuple`."""
    present = [t for t in tensors if t is not None]
    graph = present[0].graph if present else get_default_graph()
    with graph.as_default(), graph.name_scope(name or "tuple"):
        gate = group(*present, *(control_inputs or []))
        with graph.control_dependencies([gate]):
            return [None if t is None else identity(t, name="control_dependency") for t in tensors]
