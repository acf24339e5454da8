"""What the graph page's side panel and search box show, read from a GraphIndex."""

from dashboard.graph.scopes import GraphIndex
from dashboard.graph.view import shape_text

MAX_LISTED = 200     # inputs, consumers or series members listed in one answer


def _tensor(index, producer, output, control):
    node = index.nodes.get(producer)
    entry = {"name": producer, "output": output, "control": control, "missing": node is None}
    if node is not None:
        entry.update(op=node.op, dtype=node.dtype if output == 0 else None,
                     shape=shape_text(node.shape) if output == 0 else None)
    return entry


def _bounded(entries):
    return entries[:MAX_LISTED], max(0, len(entries) - MAX_LISTED)


def describe_node(index, name):
    node = index.nodes[name]
    inputs, more_inputs = _bounded([_tensor(index, *spec) for spec in node.inputs])
    consumers, more_consumers = _bounded([
        {"name": consumer, "output": output, "control": control, "op": index.nodes[consumer].op}
        for consumer, output, control in index.consumers[name]])
    return {"kind": "node", "name": name, "op": node.op, "scope": node.scope, "series": node.series,
            "dtype": node.dtype, "shape": node.shape, "shape_text": shape_text(node.shape),
            "attrs": node.attrs, "inputs": inputs, "more_inputs": more_inputs,
            "consumers": consumers, "more_consumers": more_consumers}


def describe_box(index, path):
    scope = index.scopes[path]
    return {"kind": "box", "name": path, "count": scope.size,
            "op_counts": dict(scope.op_counts.most_common()),
            "scopes": len(scope.scopes), "nodes": len(scope.nodes)}


def describe_series(index, series_id):
    series = index.series[series_id]
    members, more = _bounded(series.members)
    return {"kind": "series", "name": series_id, "op": series.op, "scope": series.scope,
            "count": len(series.members), "members": members, "more_members": more}


def describe(index, kind, name):
    """Panel data for a node, box or series; KeyError when the graph has no such thing."""
    return {"node": describe_node, "box": describe_box, "series": describe_series}[kind](index, name)


def search(index, regex, limit):
    """Nodes whose name the compiled `regex` finds, in graph order, at most `limit` of them."""
    found = [name for name in index.nodes if regex.search(name)]
    return {"total": len(found), "truncated": len(found) > limit,
            "matches": [_match(index.nodes[name]) for name in found[:limit]]}


def _match(node):
    """A search hit, with the scopes (outermost first) and series to open to make it visible."""
    return {"name": node.name, "op": node.op, "scopes": GraphIndex.chain(node.scope)[1:],
            "series": node.series}
