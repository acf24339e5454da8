"""Summary ops: `scalar`, `merge`, `merge_all`. Running one gives a `Summary`: (tag, value) pairs.

The engine does no I/O; a writer (liteboard's tracker, or anything that takes (tag, value)
pairs) records what a run returns. As in TF1, a scalar's tag is its name inside the enclosing
name scopes, made unique: `summaries/loss`, then `summaries/loss_1`.
"""

import numpy as np

from . import dtypes
from .array_ops import convert_to_tensor
from .extend import defop, make_op
from .graph import GraphKeys, Tensor, format_shape, get_default_graph


class Summary(tuple):
    """A tuple of (tag, value) pairs, as `Session.run` returns for a summary op."""

    __slots__ = ()

    def as_dict(self):
        return dict(self)

    def __repr__(self):
        return f"Summary({list(self)!r})"


def _scalar_summary(value, *, tag):
    if np.ndim(value) != 0:
        raise ValueError(f"summary '{tag}' needs a scalar, got a value of shape {np.shape(value)}")
    return Summary(((tag, float(value)),))


def _merge(*summaries):
    return Summary(pair for summary in summaries for pair in summary)


_string = {"dtype": lambda *inputs, **attrs: dtypes.string, "shape": lambda *inputs, **attrs: ()}
defop("ScalarSummary", forward=_scalar_summary, grads=None, **_string)
defop("MergeSummary", forward=_merge, grads=None, **_string)


def scalar(name, tensor, collections=None, family=None):
    """A summary op recording `tensor` (a scalar) under the tag `<name scopes>/name`."""
    tensor = convert_to_tensor(tensor)
    if tensor._dims is not None and len(tensor._dims) != 0:
        raise ValueError(f"summary '{name}' needs a scalar tensor, got '{tensor.name}' "
                         f"of shape {format_shape(tensor._dims)}")
    graph = tensor.graph
    tag = graph.unique_name(name, mark_as_used=False)
    op = make_op("ScalarSummary", [tensor], {"tag": tag}, name=name)
    for key in [GraphKeys.SUMMARIES] if collections is None else collections:
        graph.add_to_collection(key, op)
    return op


def merge(inputs, collections=None, name=None):
    """One summary op giving the pairs of all `inputs` (summary tensors), in order."""
    inputs = [convert_to_tensor(t) for t in inputs]
    graph = inputs[0].graph if inputs else get_default_graph()
    with graph.name_scope(name or "Merge"):  # TF1's names: Merge/MergeSummary, Merge_1/MergeSummary
        op = make_op("MergeSummary", inputs, name=name or "MergeSummary")
    for key in collections or ():
        op.graph.add_to_collection(key, op)
    return op


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """Merge every summary in the graph's `key` collection; None when there are none."""
    summaries = [s for s in get_default_graph().get_collection(key, scope) if isinstance(s, Tensor)]
    return merge(summaries, name=name) if summaries else None
