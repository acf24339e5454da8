"""What the graph page shows for a set of expanded scopes, before anything is positioned.

A scope that is not expanded is one box carrying the op counts of everything
below it; an expanded scope shows its child scopes, its series (folded unless
expanded) and its nodes. Edges between visible items are aggregated with the
number of distinct tensors they carry. Constants become small tags on the
items that read them; summary ops, `init`-style NoOps and closed scopes made
only of those go to their scope's side list and tag what feeds them, so none
of them pulls long edges across the drawing.
"""

from dataclasses import dataclass, field

from dashboard.graph.scopes import CONST_OPS, SOURCE_OPS, is_aux, is_control_sink, is_summary

# Bounds that keep a view quick to lay out (the page asks again when the user expands more).
MAX_VISIBLE = 5000        # items in one view
MAX_BOX_ITEMS = 2000      # laid-out items directly inside one box
MAX_ANNOTATIONS = 12      # tags kept per item; the rest are counted


class ViewError(ValueError):
    """An expand request that names no scope or would show more than can be laid out."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def node_id(name):
    return f"n:{name}"


def box_id(path):
    return f"b:{path}"


def series_id(sid):
    return f"s:{sid}"


@dataclass
class Item:
    """One thing drawn: a node, a folded series, a collapsed box, or an expanded box with children."""

    id: str
    kind: str                  # "node" | "series" | "box"
    name: str                  # node name, series id or scope path
    label: str
    parent: str                # path of the expanded scope that holds it
    op: str = None
    expanded: bool = False
    side: bool = False         # drawn in its scope's side list (summaries, stray constants)
    count: int = 0             # nodes inside (boxes and series)
    op_counts: dict = None
    children: list = field(default_factory=list)   # laid-out items of an expanded box
    aside: list = field(default_factory=list)      # side-list items of an expanded box
    annotations: list = field(default_factory=list)
    more_annotations: int = 0
    annotated: set = field(default_factory=set, repr=False)

    def annotate(self, name, op, direction):
        if (name, direction) in self.annotated:
            return
        self.annotated.add((name, direction))
        if len(self.annotations) < MAX_ANNOTATIONS:
            self.annotations.append({"name": name, "op": op, "dir": direction})
        else:
            self.more_annotations += 1


@dataclass
class Edge:
    source: str                # visible item ids
    target: str
    tensors: set = field(default_factory=set)      # distinct (producer, output) pairs carried
    control: int = 0           # control dependencies carried
    consumers: set = field(default_factory=set)    # consumer node names (for lineage highlighting)
    label: str = ""            # the tensor's dtype and shape, or how many tensors


@dataclass
class View:
    root: Item
    items: dict                # id -> Item, every visible item (expanded boxes included)
    edges: list                # [Edge], ordered
    owner: dict                # node name -> id of the visible item that shows it
    expanded: frozenset


def expanded_set(index, expand=(), expand_all=False):
    """The scopes and series to open: each named one and every scope above it.

    Raises ViewError naming an expand value that is neither a scope nor a series.
    """
    if expand_all:
        return frozenset(index.scopes) | frozenset(index.series)
    opened = {""}
    for name in expand:
        if name in index.series:
            opened.add(name)
            opened.update(index.chain(index.series[name].scope))
        elif name in index.scopes:
            opened.update(index.chain(name))
        else:
            raise ViewError(f"expand: {name[:200]!r} is not a scope or series of this graph")
    return frozenset(opened)


def owner_of(index, node, expanded):
    """Id of the visible item that shows `node`: its outermost closed scope, its folded series, or itself."""
    for path in index.chains[node.scope][1:]:
        if path not in expanded:
            return box_id(path)
    if node.series and node.series not in expanded:
        return series_id(node.series)
    return node_id(node.name)


def _closed_box(scope, parent):
    return Item(id=box_id(scope.path), kind="box", name=scope.path, label=scope.label,
                parent=parent, count=scope.size, op_counts=dict(scope.op_counts))


def _build_box(index, scope, expanded, items, parent):
    box = _closed_box(scope, parent)
    box.expanded = True
    items[box.id] = box
    for child in scope.scopes.values():
        if child.path in expanded:
            box.children.append(_build_box(index, child, expanded, items, scope.path))
        elif child.aux:
            # A closed scope of summaries and init-style ops (`summaries`, `global_ops`) joins the side list.
            closed = _closed_box(child, scope.path)
            closed.side = True
            box.aside.append(closed)
        else:
            box.children.append(_closed_box(child, scope.path))
    for series in scope.series.values():
        if series.id not in expanded:
            box.children.append(Item(id=series_id(series.id), kind="series", name=series.id,
                                     label=series.label, parent=scope.path, op=series.op,
                                     count=len(series.members)))
    for name in scope.nodes:
        node = index.nodes[name]
        if node.series and node.series not in expanded:
            continue
        item = Item(id=node_id(name), kind="node", name=name, label=name.rpartition("/")[2],
                    parent=scope.path, op=node.op)
        if is_summary(node.op) or is_control_sink(node, index.consumers[name]):
            item.side = True
            box.aside.append(item)
        elif node.op in CONST_OPS:
            # Shown as a tag on its consumers; only a constant nobody reads goes to the side list.
            if not index.consumers[name]:
                item.side = True
                box.aside.append(item)
        else:
            box.children.append(item)
    for item in box.children + box.aside:
        items[item.id] = item
    if len(box.children) > MAX_BOX_ITEMS:
        where = f"scope {scope.path!r}" if scope.path else "the graph's top level"
        raise ViewError(f"{where} holds {len(box.children)} items; the graph view lays out at most "
                        f"{MAX_BOX_ITEMS} in one box (group the graph with name scopes)", status=413)
    return box


def build_view(index, expanded):
    """The visible items and aggregated edges for `expanded` (a set from `expanded_set`)."""
    visible = _count_visible(index, index.root, expanded)
    if visible > MAX_VISIBLE:
        raise ViewError(f"this view would show {visible} items, more than the {MAX_VISIBLE} the graph "
                            f"view lays out at once; expand fewer scopes", status=413)
    items = {}
    root = _build_box(index, index.root, expanded, items, parent=None)
    owner = {name: owner_of(index, node, expanded) for name, node in index.nodes.items()}

    edges = {}
    for consumer in index.nodes.values():
        target = owner[consumer.name]
        if target not in items:
            continue  # a constant shown as a tag has no edges of its own
        # Edges into the side list become tags on their sources: "Σ" for a summary, "^" for init.
        tag_sources = items[target].side
        for producer, output, control in consumer.inputs:
            source = owner.get(producer)
            if source is None or source == target:
                continue
            producer_op = index.nodes[producer].op
            if source == node_id(producer) and is_aux(producer_op):
                if producer_op in CONST_OPS:
                    items[target].annotate(producer, producer_op, "in")
                continue
            if tag_sources:
                if not items[source].side:
                    items[source].annotate(consumer.name, consumer.op, "ctl" if control else "out")
                continue
            edge = edges.get((source, target))
            if edge is None:
                edge = edges[(source, target)] = Edge(source, target)
            if control:
                edge.control += 1
            else:
                edge.tensors.add((producer, output))
            edge.consumers.add(consumer.name)
    for edge in edges.values():
        edge.label = _edge_label(index, edge)
    return View(root=root, items=items, edges=list(edges.values()), owner=owner, expanded=expanded)


def shape_text(shape):
    """`[None, 3]` -> "[?, 3]"; an unknown rank -> "?"."""
    if not isinstance(shape, list):
        return "?"
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def _edge_label(index, edge):
    if len(edge.tensors) > 1:
        return f"{len(edge.tensors)} tensors"
    if not edge.tensors:
        return ""
    (producer, output), = edge.tensors
    node = index.nodes[producer]
    if output:
        return f"{producer.rpartition('/')[2]}:{output}"
    return "scalar" if node.shape == [] else shape_text(node.shape)


def _count_visible(index, scope, expanded):
    """How many items a view would hold, counted without building it."""
    total = len(scope.scopes)
    for child in scope.scopes.values():
        if child.path in expanded:
            total += _count_visible(index, child, expanded)
    for series in scope.series.values():
        total += len(series.members) if series.id in expanded else 1
    total += sum(1 for name in scope.nodes if not index.nodes[name].series)
    return total


def lineage_highlight(index, view, name):
    """What to light up for `name`: the nodes it depends on, the visible items and edges that carry them."""
    nodes = index.lineage(name)
    sources = sorted(n for n in nodes if index.nodes[n].op in SOURCE_OPS and n != name)
    items = sorted({view.owner[n] for n in nodes} & view.items.keys())
    edges = [i for i, edge in enumerate(view.edges) if edge.consumers & nodes]
    return {"node": name, "nodes": sorted(nodes), "sources": sources, "items": items, "edges": edges}

