"""A TensorBoard GraphDef as the tracker's graph definition (the shape engine graphs have).

Each node becomes ``{name, op, inputs, attrs, shape, dtype}``: inputs without their
output index (``x:1``) or control mark (``^init``), so edges join nodes by name;
attributes as plain JSON values; shape and dtype from ``_output_shapes`` and ``T``
or ``dtype`` where the graph has them.
"""

from tensorboard.compat.proto import graph_pb2, meta_graph_pb2
from tensorboard.compat.tensorflow_stub import dtypes
from tensorboard.util import tensor_util

#: A Const's value is kept when it has at most this many elements (else its shape and dtype).
MAX_CONST_ELEMENTS = 16


def from_graph_def(data):
    """The graph definition dict of a serialized GraphDef."""
    return _graph(graph_pb2.GraphDef.FromString(data))


def from_meta_graph_def(data):
    """The graph definition dict of a serialized MetaGraphDef's graph, None if it has none."""
    meta = meta_graph_pb2.MetaGraphDef.FromString(data)
    return _graph(meta.graph_def) if meta.HasField("graph_def") else None


def _graph(graph_def):
    return {"nodes": [_node(node) for node in graph_def.node]}


def _node(node):
    attrs = {key: _attr(value) for key, value in sorted(node.attr.items())}
    shapes = attrs.pop("_output_shapes", None)
    dtype = attrs.get("T", attrs.get("dtype"))
    return {
        "name": node.name,
        "op": node.op,
        "inputs": [name.lstrip("^").split(":")[0] for name in node.input],
        "attrs": attrs,
        "shape": shapes[0] if shapes else None,
        "dtype": dtype if isinstance(dtype, str) else None,
    }


def _attr(value):
    which = value.WhichOneof("value")
    if which is None:
        return None
    if which == "list":
        items = value.list
        for name in ("s", "i", "f", "b", "type", "shape", "tensor"):
            if len(getattr(items, name)):
                return [_plain(name, item) for item in getattr(items, name)]
        return []
    if which == "func":
        return value.func.name
    if which == "placeholder":
        return value.placeholder
    return _plain(which, getattr(value, which))


def _plain(which, item):
    if which == "s":
        return item.decode("utf-8", "replace")
    if which == "f":
        return item if item == item and abs(item) != float("inf") else str(item)
    if which == "type":
        return _dtype(item)
    if which == "shape":
        return None if item.unknown_rank else [None if d.size < 0 else d.size for d in item.dim]
    if which == "tensor":
        return _tensor(item)
    return item


def _dtype(enum):
    try:
        return dtypes.as_dtype(enum).name
    except (TypeError, ValueError, KeyError):
        return f"dtype {enum}"


def _tensor(proto):
    try:
        array = tensor_util.make_ndarray(proto)
    except (TypeError, ValueError):
        return f"tensor of {_dtype(proto.dtype)}"
    if array.size > MAX_CONST_ELEMENTS or array.dtype.kind not in "biuf":
        return f"tensor {_dtype(proto.dtype)} {list(array.shape)}"
    values = array.tolist()
    return values if array.dtype.kind != "f" or all(map(_finite, array.ravel().tolist())) else str(values)


def _finite(x):
    return x == x and abs(x) != float("inf")
