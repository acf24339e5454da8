"""A graph as a file, and back (`tf.train.export_meta_graph` / `import_meta_graph`), so a saved
model can be rebuilt and run without the Python code that built it.

The file is a numpy `.npz` (docs/FORMAT.md): member `graph` holds JSON bytes (each op's name,
type, inputs, control inputs, attrs and output specs; the collections of variables, ops and
tensors; the graph seed) and members `attr_<k>` hold the arrays among the attrs (constants'
values) exactly. Attrs are tagged so they come back as the same Python types (a tuple stays a
tuple, a dtype a dtype). Importing recreates each op under its name in order, then rebuilds
the Variable objects.
"""

import io
import json
import os
import weakref

import numpy as np

from . import dtypes
from .files import atomic_write
from .graph import ElementName, Operation, Tensor, get_default_graph
from .state_ops import Variable

VERSION = 1


def _encode(value, arrays, where):
    if isinstance(value, ElementName):
        return {"element": str(value)}
    if isinstance(value, dtypes.DType):
        return {"dtype": value.name}
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype.hasobject:  # strings: JSON holds them
            return {"strings": [v.decode("latin-1") if isinstance(v, bytes) else v for v in array.ravel().tolist()],
                    "bytes": any(isinstance(v, bytes) for v in array.ravel().tolist()),
                    "shape": list(array.shape), "scalar": isinstance(value, np.generic)}
        arrays.append(array)
        return {"array": len(arrays) - 1, "scalar": isinstance(value, np.generic)}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v, arrays, where) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays, where) for v in value]
    if isinstance(value, dict):
        return {"dict": [[k, _encode(v, arrays, where)] for k, v in value.items()]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"cannot export attr {where}: a {type(value).__name__} ({value!r}) is not data")


def _decode(value, arrays, prefix=""):
    if isinstance(value, list):
        return [_decode(v, arrays, prefix) for v in value]
    if not isinstance(value, dict):
        return value
    if "element" in value:
        return ElementName(prefix + value["element"])
    if "dtype" in value:
        return dtypes.as_dtype(value["dtype"])
    if "array" in value:
        array = arrays[value["array"]]
        return array[()] if value["scalar"] else array
    if "strings" in value:
        items = [s.encode("latin-1") if value["bytes"] else s for s in value["strings"]]
        array = np.empty(len(items), dtype=object)
        array[:] = items
        array = array.reshape(value["shape"])
        return array[()] if value["scalar"] else array
    if "tuple" in value:
        return tuple(_decode(v, arrays, prefix) for v in value["tuple"])
    return {k: _decode(v, arrays, prefix) for k, v in value["dict"]}


def _collection_item(item):
    if isinstance(item, Variable):
        return {"variable": item.op.name, "trainable": item.trainable}
    if isinstance(item, Operation):
        return {"op": item.name}
    if isinstance(item, Tensor):
        return {"tensor": item.name}
    return None  # Python objects (a variable store, a loss's bookkeeping) do not travel


def export_meta_graph(filename=None, graph=None, collection_list=None, saver_def=None, **unused):
    """The graph (default: the default graph) as a dict; written to `filename` if given.
    `saver_def` names a Saver's ops, so that importing rebuilds it (engine.saver)."""
    graph = graph or get_default_graph()
    meta, data = _export(graph, _keys(graph, collection_list), saver_def)
    if filename is not None:
        atomic_write(filename, lambda file: file.write(data))
    return meta


def save_meta_graph(filename, graph, saver_def):
    """Write what `export_meta_graph(filename, graph, saver_def=saver_def)` writes, encoding
    the graph again only when it has changed since the last write (what `Saver.save` calls)."""
    keys = _keys(graph, None)
    state = _graph_state(graph, keys, saver_def)
    cached = _written.get(graph)
    if cached is None or cached[0] != state:
        cached = _written[graph] = (state, _export(graph, keys, saver_def)[1])
    atomic_write(filename, lambda file: file.write(cached[1]))


# graph -> (its state, the file's bytes). A graph only grows and its ops never change, so the
# same op count, collections and saver give the same file: a Saver that saves every few steps
# encodes its graph once (for 100 variables, a tenth of the time of a 40 MB save).
_written = weakref.WeakKeyDictionary()


def _keys(graph, collection_list):
    return list(collection_list) if collection_list is not None else list(graph._collections)


def _graph_state(graph, keys, saver_def):
    collections = tuple((key, tuple(map(id, graph.get_collection(key)))) for key in keys)
    return len(graph._ops), graph.seed, json.dumps(saver_def, sort_keys=True), collections


def _export(graph, keys, saver_def):
    arrays = []
    ops = [{"name": op.name, "type": op.type,
            "inputs": [t.name for t in op.inputs],
            "control_inputs": [c.name for c in op.control_inputs],
            "attrs": {k: _encode(v, arrays, f"'{k}' of op '{op.name}'") for k, v in op.attrs.items()},
            "outputs": [[t.dtype.name, None if t._dims is None else list(t._dims)] for t in op.outputs]}
           for op in graph.get_operations()]
    collections = {}
    for key in keys:
        items = [_collection_item(i) for i in graph.get_collection(key)]
        items = [i for i in items if i is not None]
        if items:
            collections[key] = items
    meta = {"version": VERSION, "ops": ops, "collections": collections, "seed": graph.seed,
            "saver_def": saver_def}
    buffer = io.BytesIO()
    members = {f"attr_{k}": a for k, a in enumerate(arrays)}
    np.savez(buffer, graph=np.frombuffer(json.dumps(meta).encode(), np.uint8), **members)
    return {**meta, "arrays": arrays}, buffer.getvalue()


def read_meta_graph(filename):
    """The dict `export_meta_graph` wrote to `filename`."""
    if not os.path.isfile(filename):
        raise OSError(f"File {filename} does not exist.")
    try:
        with np.load(filename, allow_pickle=False) as npz:
            meta = json.loads(npz["graph"].tobytes())
            meta["arrays"] = [npz[f"attr_{k}"] for k in range(len(npz.files) - 1)]
    except (ValueError, KeyError, OSError) as error:
        raise ValueError(f"{filename} is not a meta graph file: {error}") from None
    if meta.get("version") != VERSION:
        raise ValueError(f"{filename}: meta graph version {meta.get('version')} is not {VERSION}")
    return meta


def import_graph(meta, graph=None, import_scope=None):
    """Recreate `meta`'s ops and collections in `graph` (default: the default graph), their
    names under `import_scope/` if given. Names already in the graph are a ValueError."""
    graph = graph or get_default_graph()
    prefix = f"{import_scope}/" if import_scope else ""
    arrays = meta["arrays"]
    made = {}

    def tensor(name):
        op_name, _, index = name.rpartition(":")
        return made[op_name].outputs[int(index)]

    clash = next((prefix + s["name"] for s in meta["ops"] if prefix + s["name"] in graph._by_name), None)
    if clash is not None:  # checked first, so a refused import adds nothing
        raise ValueError(f"cannot import op '{clash}': the graph already has an op of that name")
    with graph.as_default(), graph.name_scope(None), graph.control_dependencies(None):
        for spec in meta["ops"]:
            name = prefix + spec["name"]
            parts = name.lower().split("/")
            for i in range(len(parts)):  # it and its scopes count as used, as when built
                graph._names_in_use.setdefault("/".join(parts[:i + 1]), 1)
            outputs = [(dtypes.as_dtype(d), None if dims is None else tuple(dims)) for d, dims in spec["outputs"]]
            op = graph.create_op(spec["type"], [tensor(prefix + t) for t in spec["inputs"]],
                                 {k: _decode(v, arrays, prefix) for k, v in spec["attrs"].items()}, name + "/", outputs)
            op.control_inputs = tuple(made[prefix + c] for c in spec["control_inputs"])
            made[name] = op
        if meta["seed"] is not None and graph.seed is None:
            graph.seed = meta["seed"]
        variables = {}
        for key, items in meta["collections"].items():
            for item in items:
                if "variable" in item:
                    name = prefix + item["variable"]
                    if name not in variables:
                        variables[name] = Variable.from_graph(graph, name, item["trainable"])
                    value = variables[name]
                elif "op" in item:
                    value = made[prefix + item["op"]]
                else:
                    value = tensor(prefix + item["tensor"])
                graph.add_to_collection(key, value)
    return made
