"""Positions for a graph view: boxes inside boxes, each laid out in layers by igraph's Sugiyama.

Only what is visible is laid out. An expanded box is laid out from the inside
out: its children first (so an expanded child's size is known), then the box
itself, with igraph choosing the order within each layer and the bend points
of long edges. igraph treats every vertex as a point, so each layer is then
spread to the real widths of its items, keeping igraph's order and centring.

An edge that leaves or enters an expanded box does so through a port on the
box's border: inside the box the port is one more vertex, in a layer of its
own above (entries) or below (exits) everything else, so igraph routes the
edge's inner part between the box's children instead of across them. Edges
from the same child share its port, which bundles them up to the border.
"""

import statistics

import igraph

from dashboard.graph.view import box_id

CHAR_W = 6.6          # px per character of the 11px monospace labels the page draws
NODE_H, SERIES_H, BOX_H, SIDE_H = 24, 30, 38, 20
ANNOTATION_H = 14     # second line of a node that carries constant / summary tags
PAD, HEADER = 12, 24  # inside an expanded box: margin, and the title bar
HGAP, VGAP = 18, 40   # between items in a layer, and between layers
PORT_GAP = 16         # between a box's border ports and its first or last layer
DUMMY_W = 6           # room an edge's bend point (or a port) takes in a layer
MAX_LABEL = 28        # characters shown before a label is cut (the page adds "…")
SUGIYAMA_MAXITER = 50


def _text_w(text, minimum):
    return max(minimum, min(len(text), MAX_LABEL) * CHAR_W + 20)


def _leaf_size(item):
    if item.side:
        text = f"> {item.label} ({item.count})" if item.kind == "box" else item.label   # as the page draws it
        return _text_w(text, 50), SIDE_H
    if item.kind == "box":
        w, h = _text_w(item.label, 90) + 10, BOX_H
    elif item.kind == "series":
        w, h = _text_w(item.label, 80) + 8, SERIES_H
    else:
        w, h = _text_w(item.label, 60), NODE_H
    if item.annotations:
        shown = " ".join(a["name"].rpartition("/")[2] for a in item.annotations[:2])
        w, h = max(w, _text_w(shown, 60) + 24), h + ANNOTATION_H
    return w, h


def _spread(layer_items):
    """x centres for one layer: igraph's order and positions, pushed apart to real widths.

    A left-to-right pass and a right-to-left pass each remove overlaps; their
    average also does, and stays centred on where igraph put the layer.
    """
    n = len(layer_items)
    want = [x for x, _, _ in layer_items]
    width = [w for _, w, _ in layer_items]
    sep = [(width[i] + width[i + 1]) / 2 + HGAP for i in range(n - 1)]
    right = want[:]
    for i in range(1, n):
        right[i] = max(want[i], right[i - 1] + sep[i - 1])
    left = want[:]
    for i in range(n - 2, -1, -1):
        left[i] = min(want[i], left[i + 1] - sep[i])
    return [(a + b) / 2 for a, b in zip(left, right)]


def _grid(sizes):
    """Items with no edges between them: rows of roughly square overall shape."""
    area = sum((w + HGAP) * (h + HGAP) for w, h in sizes)
    row_limit = max(400.0, (area ** 0.5) * 1.6)
    centres, x, y, row_h = [], 0.0, 0.0, 0.0
    for w, h in sizes:
        if x > 0 and x + w > row_limit:
            x, y, row_h = 0.0, y + row_h + HGAP, 0.0
        centres.append((x + w / 2, y + h / 2))
        x += w + HGAP
        row_h = max(row_h, h)
    return centres, {}, [(y - h / 2, y + h / 2) for (_, y), (_, h) in zip(centres, sizes)]


def _layers(count, edges, ins, outs):
    """A layer per vertex: longest-path layering of the children, entry ports above, exit ports below.

    igraph breaks cycles (an approximate minimum feedback arc set) and sorts
    topologically; a child nothing inside the box feeds is then pulled down to
    just above its first consumer, so that variables and inputs sit next to
    where they are read rather than all in the top row.
    """
    inner = [(a, b) for a, b in edges if a < count and b < count]
    graph = igraph.Graph(n=count, edges=inner, directed=True)
    if not graph.is_dag():
        flipped = set(graph.feedback_arc_set(method="eades"))
        graph = igraph.Graph(n=count, directed=True,
                             edges=[(b, a) if i in flipped else (a, b) for i, (a, b) in enumerate(inner)])
    preds, succs = graph.get_adjlist(mode="in"), graph.get_adjlist(mode="out")
    layer = [0] * count
    for v in graph.topological_sorting():
        layer[v] = max((layer[u] + 1 for u in preds[v]), default=0)
    for v in range(count):
        if not preds[v] and succs[v]:
            layer[v] = min(layer[w] for w in succs[v]) - 1
    used = {k: rank for rank, k in enumerate(sorted(set(layer)))}   # no empty layers in between
    top = 1 if ins else 0
    layer = [used[k] + top for k in layer]
    bottom = max(layer, default=0) + 1
    return layer + [0] * ins + [bottom] * outs


def _layered(sizes, edges, layers, ports):
    """Sugiyama layout of items with sizes; returns centres and bend points per edge index.

    Each edge that spans several layers is split here into a chain through
    one bend vertex per layer between its ends, so igraph orders the bends
    with the items (its own edge routing can mix up edges when layers are
    given). The last `ports` vertices are border ports: their layers take no
    height and sit PORT_GAP from the items.
    """
    vertex_layer, vertex_w, chain, bend_ids = list(layers), [w for w, _ in sizes], [], {}
    for e, (a, b) in enumerate(edges):
        step = 1 if layers[b] >= layers[a] else -1
        previous, ids = a, []
        for k in range(layers[a] + step, layers[b], step):
            ids.append(len(vertex_layer))
            vertex_layer.append(k)
            vertex_w.append(DUMMY_W)
            chain.append((previous, ids[-1]) if step > 0 else (ids[-1], previous))
            previous = ids[-1]
        chain.append((previous, b) if step > 0 else (b, previous))
        bend_ids[e] = ids
    graph = igraph.Graph(n=len(vertex_layer), edges=chain, directed=True)
    coords = graph.layout_sugiyama(layers=vertex_layer, maxiter=SUGIYAMA_MAXITER).coords
    unit = statistics.median(w for w, _ in sizes[:len(sizes) - ports]) + HGAP
    found = {}
    for v, (x, _) in enumerate(coords[:len(vertex_layer)]):
        found.setdefault(vertex_layer[v], []).append((x * unit, vertex_w[v], v))

    depth = max(found) + 1
    port_layers = {layers[i] for i in range(len(sizes) - ports, len(sizes))}
    layer_h = [max((sizes[v][1] for _, _, v in found.get(k, ()) if v < len(sizes)), default=0)
               for k in range(depth)]
    tops = [0.0] * depth
    for k in range(1, depth):
        gap = PORT_GAP if k - 1 in port_layers or k in port_layers else VGAP
        tops[k] = tops[k - 1] + layer_h[k - 1] + gap
    centres = [None] * len(vertex_layer)
    for k, members in found.items():
        members.sort(key=lambda m: m[0])
        for cx, (_, _, v) in zip(_spread(members), members):
            centres[v] = (cx, tops[k] + layer_h[k] / 2)
    # A bend crosses its layer upright, in the slot _spread kept free, so it never clips an item.
    bends = {e: [(centres[v][0], tops[vertex_layer[v]], tops[vertex_layer[v]] + layer_h[vertex_layer[v]])
                 for v in ids] for e, ids in bend_ids.items() if ids}
    spans = [(tops[k], tops[k] + layer_h[k]) for k in layers]
    return centres[:len(sizes)], bends, spans


def _stack_side(aside, top_limit):
    """Side-list items in columns next to the flow; returns their offsets and the block's size."""
    column_h = max(top_limit, 8 * (SIDE_H + 6))
    x = y = col_w = width = height = 0.0
    spots = []
    for item in aside:
        w, h = _leaf_size(item)
        if y > 0 and y + h > column_h:
            x, y, col_w = x + col_w + HGAP, 0.0, 0.0
        spots.append((x, y, w, h))
        y += h + 6
        col_w = max(col_w, w)
        width, height = max(width, x + col_w), max(height, y - 6)
    return spots, width, height


class _Placer:
    """Lays out one view, box by box, keeping what the edges need to be drawn afterwards."""

    def __init__(self, view):
        self.view = view
        self.local = {}         # item id -> (x, y, w, h) relative to its box's content origin
        self.routes = {}        # (box path, from, to) -> local bend points; from/to: child ids or ports
        self.port_x = {}        # (box path, "in" | "out", child id) -> local x of the port
        self.spans = {}         # item id -> local (top, bottom) of the layer it sits in
        self.edges_in = {}      # box path -> {(child a, child b): None}, in first-seen order
        self.ports = {}         # (box path, "in" | "out") -> {child id: None}, in first-seen order
        self.chains = {}        # box path -> scope paths from the root down to it
        self.paths = [self._path(e.source, e.target) for e in view.edges]
        for meeting, exits, entries in self.paths:
            self.edges_in.setdefault(meeting[0], {})[meeting[1:]] = None
            for path, child in exits:
                self.ports.setdefault((path, "out"), {})[child] = None
            for path, child in entries:
                self.ports.setdefault((path, "in"), {})[child] = None

    def _chain(self, item_id):
        """Scope paths of the expanded boxes that hold the item, outermost first."""
        parent = self.view.items[item_id].parent
        chain = self.chains.get(parent)
        if chain is None:
            chain = [parent]
            while chain[-1]:
                chain.append(self.view.items[box_id(chain[-1])].parent)
            chain = self.chains[parent] = chain[::-1]
        return chain

    def _path(self, source, target):
        """Where an edge runs: (innermost box holding both ends, its child holding each end),
        the (box, child) exits from the source's boxes innermost first, and the entries into
        the target's boxes outermost first."""
        a, b = self._chain(source), self._chain(target)
        k = 0
        while k + 1 < min(len(a), len(b)) and a[k + 1] == b[k + 1]:
            k += 1

        def holders(chain, end):
            inner = [box_id(p) for p in chain[k + 2:]] + [end]
            return list(zip(chain[k + 1:], inner))

        exits, entries = holders(a, source), holders(b, target)
        child_a = box_id(a[k + 1]) if exits else source
        child_b = box_id(b[k + 1]) if entries else target
        return (a[k], child_a, child_b), exits[::-1], entries

    def size(self, item):
        if not item.expanded:
            return _leaf_size(item)
        return self.place_box(item)

    def place_box(self, box):
        """Lay out an expanded box's content; returns the box's own width and height."""
        sizes = [self.size(child) for child in box.children]
        index = {child.id: i for i, child in enumerate(box.children)}
        pairs = [p for p in self.edges_in.get(box.name, {}) if p[0] in index and p[1] in index]
        ins = list(self.ports.get((box.name, "in"), ()))
        outs = list(self.ports.get((box.name, "out"), ()))
        n = len(sizes)
        links = ([("pair", a, b) for a, b in pairs] + [("in", "in", c) for c in ins]
                 + [("out", c, "out") for c in outs])
        edges = ([(index[a], index[b]) for a, b in pairs] + [(n + i, index[c]) for i, c in enumerate(ins)]
                 + [(index[c], n + len(ins) + j) for j, c in enumerate(outs)])
        if not sizes:
            centres, bends, spans = [], {}, []
        elif edges:
            ports = len(ins) + len(outs)
            sizes_all = sizes + [(DUMMY_W, 0)] * ports
            layers = _layers(n, edges, len(ins), len(outs))
            centres, bends, spans = _layered(sizes_all, edges, layers, ports)
        else:
            centres, bends, spans = _grid(sizes)
        # The content's extent covers items, ports and every bend point, so no edge leaves the box.
        xs = [x for (x, _), (w, _) in zip(centres[:n], sizes) for x in (x - w / 2, x + w / 2)]
        xs += [x + d for x, _ in centres[n:] for d in (-DUMMY_W / 2, DUMMY_W / 2)]
        xs += [x + d for points in bends.values() for x, _, _ in points for d in (-DUMMY_W / 2, DUMMY_W / 2)]
        left, right = min(xs, default=0.0), max(xs, default=0.0)
        main_w = right - left
        main_h = max([cy + h / 2 for (_, cy), (_, h) in zip(centres, sizes)] +
                     [y for _, y in centres[n:]] + [y for points in bends.values() for _, _, y in points],
                     default=0.0)
        for child, (cx, cy), (w, h), span in zip(box.children, centres, sizes, spans):
            self.local[child.id] = (cx - w / 2 - left, cy - h / 2, w, h)
            self.spans[child.id] = span
        for c, (x, _) in zip(ins, centres[n:]):
            self.port_x[(box.name, "in", c)] = x - left
        for c, (x, _) in zip(outs, centres[n + len(ins):]):
            self.port_x[(box.name, "out", c)] = x - left
        for e, (_, a, b) in enumerate(links):
            self.routes[(box.name, a, b)] = [(x - left, top, bottom) for x, top, bottom in bends.get(e, [])]

        spots, side_w, side_h = _stack_side(box.aside, main_h)
        side_x = main_w + (2 * HGAP if main_w else 0)
        for item, (x, y, w, h) in zip(box.aside, spots):
            self.local[item.id] = (side_x + x, y, w, h)
        content_w = side_x + side_w if box.aside else main_w
        content_h = max(main_h, side_h)
        return (max(content_w + 2 * PAD, _text_w(box.label, 90) + 2 * PAD),
                content_h + HEADER + PAD)


def _r(value):
    return round(value, 1)


def _anchor(rect, bottom):
    x, y, w, h = rect
    return (x + w / 2, y + h if bottom else y)


def layout(view):
    """The view as JSON-able data: positioned boxes and items, and a polyline per edge."""
    placer = _Placer(view)
    width, height = placer.place_box(view.root)
    height -= HEADER - PAD            # the top level has no title bar
    absolute, origin = {}, {"": (PAD, PAD)}

    def place(box, ox, oy):
        for child in box.children + box.aside:
            x, y, w, h = placer.local[child.id]
            absolute[child.id] = (ox + x, oy + y, w, h)
            if child.expanded:
                origin[child.name] = (ox + x + PAD, oy + y + HEADER)
                place(child, *origin[child.name])

    place(view.root, PAD, PAD)

    boxes, items = [], []
    for item in view.items.values():
        if item.id not in absolute:
            continue
        x, y, w, h = absolute[item.id]
        out = {"id": item.id, "kind": item.kind, "name": item.name, "label": item.label,
               "x": _r(x), "y": _r(y), "w": _r(w), "h": _r(h), "side": item.side}
        if item.kind == "box":
            out.update(count=item.count, op_counts=item.op_counts,
                       depth=item.name.count("/") + 1, expanded=item.expanded)
        else:
            out["op"] = item.op
            if item.kind == "series":
                out["count"] = item.count
        if item.annotations:
            out.update(annotations=item.annotations, more_annotations=item.more_annotations)
        (boxes if item.expanded else items).append(out)
    boxes.sort(key=lambda b: b["depth"])

    def port(path, side, child):
        """The point on an expanded box's top (entries) or bottom (exits) border for `child`."""
        ox, _ = origin[path]
        x, y, _, h = absolute[box_id(path)]
        return (ox + placer.port_x[(path, side, child)], y + h if side == "out" else y)

    def segment(path, a, b, start, end, down=True):
        """Points of one edge's part inside box `path`, from child (or port) a to b.

        Going down, the edge first drops to the bottom of a's layer and last rises
        from the top of b's layer, so its slanted parts run only between layers."""
        ox, oy = origin[path]
        points = [start]
        if down and a in placer.spans:
            points.append((start[0], oy + placer.spans[a][1]))
        for x, top, bottom in sorted(placer.routes.get((path, a, b), ()), key=lambda p: p[1], reverse=not down):
            points += [(x + ox, top + oy), (x + ox, bottom + oy)][::1 if down else -1]
        if down and b in placer.spans:
            points.append((end[0], oy + placer.spans[b][0]))
        return points + [end]

    edges = []
    for i, (edge, ((path, a, b), exits, entries)) in enumerate(zip(view.edges, placer.paths)):
        ra, rb = absolute[a], absolute[b]
        down = rb[1] + rb[3] / 2 >= ra[1] + ra[3] / 2
        start = _anchor(absolute[edge.source], down or bool(exits))
        points = []
        for box, child in exits:
            exit_point = port(box, "out", child)
            points += segment(box, child, "out", start, exit_point)
            start = exit_point
        ends = [(port(box, "in", child), box, child) for box, child in entries]
        end = ends[0][0] if ends else _anchor(absolute[edge.target], not down)
        points += segment(path, a, b, start, end, down)
        for k, (entry, box, child) in enumerate(ends):
            inner_end = ends[k + 1][0] if k + 1 < len(ends) else _anchor(absolute[edge.target], False)
            points += segment(box, "in", child, entry, inner_end)
        points = [p for k, p in enumerate(points) if k == 0 or p != points[k - 1]]
        edges.append({"id": i, "source": edge.source, "target": edge.target,
                      "tensors": len(edge.tensors), "control": edge.control, "label": edge.label,
                      "points": [[_r(x), _r(y)] for x, y in points]})
    return {"width": _r(width), "height": _r(height), "boxes": boxes, "items": items, "edges": edges}
