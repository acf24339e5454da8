"""Positions for a graph view: boxes inside boxes, each laid out in layers by igraph's Sugiyama.

Only what is visible is laid out. An expanded box is laid out from the inside
out: its children first (so an expanded child's size is known), then the box
itself, with igraph choosing layers, order within a layer and the bend points
of long edges. igraph treats every vertex as a point, so each layer is then
spread to the real widths of its items, keeping igraph's order and centring.
Edges are routed in the innermost box that holds both ends, then extended by
a short bridge to an end that sits inside an expanded box.
"""

import statistics

import igraph

from dashboard.graph_view import box_id

CHAR_W = 6.6          # px per character of the 11px monospace labels the page draws
NODE_H, SERIES_H, BOX_H, SIDE_H = 24, 30, 38, 20
ANNOTATION_H = 14     # second line of a node that carries constant / summary tags
PAD, HEADER = 12, 24  # inside an expanded box: margin, and the title bar
HGAP, VGAP = 18, 40   # between items in a layer, and between layers
DUMMY_W = 6           # room an edge's bend point takes in a layer
MAX_LABEL = 28        # characters shown before a label is cut (the page adds "…")
SUGIYAMA_MAXITER = 50


def _text_w(text, minimum):
    return max(minimum, min(len(text), MAX_LABEL) * CHAR_W + 20)


def _leaf_size(item):
    if item.side:
        return _text_w(item.label, 50), SIDE_H
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
    return centres, {}


def _layered(sizes, edges):
    """Sugiyama layout of items with sizes; returns centres and bend points per edge index."""
    graph = igraph.Graph(n=len(sizes), edges=edges, directed=True)
    layout = graph.layout_sugiyama(maxiter=SUGIYAMA_MAXITER)
    unit = statistics.median(w for w, _ in sizes) + HGAP
    layers = {}
    for i, (x, y) in enumerate(layout.coords[:len(sizes)]):
        layers.setdefault(round(y), []).append((x * unit, sizes[i][0], ("v", i)))
    for e, points in enumerate(layout.edge_routing):
        for k, (x, y) in enumerate(points):
            layers.setdefault(round(y), []).append((x * unit, DUMMY_W, ("d", e, k)))

    depth = max(layers) + 1
    layer_h = [max((sizes[ref[1]][1] for _, _, ref in layers.get(k, ()) if ref[0] == "v"), default=0)
               for k in range(depth)]
    tops = [0.0] * depth
    for k in range(1, depth):
        tops[k] = tops[k - 1] + layer_h[k - 1] + VGAP
    centres = [None] * len(sizes)
    bends = {}
    for k, members in layers.items():
        members.sort(key=lambda m: m[0])
        cy = tops[k] + layer_h[k] / 2
        for cx, (_, _, ref) in zip(_spread(members), members):
            if ref[0] == "v":
                centres[ref[1]] = (cx, cy)
            else:
                bends.setdefault(ref[1], []).append((ref[2], cx, cy))
    return centres, {e: [(x, y) for _, x, y in sorted(pts)] for e, pts in bends.items()}


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
    """Lays out one view; `boxes` records each expanded box's local layout for edge routing."""

    def __init__(self, view):
        self.view = view
        self.local = {}         # item id -> (x, y, w, h) relative to its box's content origin
        self.routes = {}        # (box path, child a, child b) -> local bend points
        self.edges_in = {}      # box path -> {(child a, child b): None}, in first-seen order
        self.chains = {}        # box path -> scope paths from the root down to it
        self.meetings = [self._meeting_box(e.source, e.target) for e in view.edges]
        for path, a, b in self.meetings:
            self.edges_in.setdefault(path, {})[(a, b)] = None

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

    def _meeting_box(self, source, target):
        """The innermost box holding both ends, and the children of it that hold each end."""
        a, b = self._chain(source), self._chain(target)
        k = 0
        while k + 1 < min(len(a), len(b)) and a[k + 1] == b[k + 1]:
            k += 1
        child_a = source if len(a) == k + 1 else box_id(a[k + 1])
        child_b = target if len(b) == k + 1 else box_id(b[k + 1])
        return a[k], child_a, child_b

    def size(self, item):
        if not item.expanded:
            return _leaf_size(item)
        return self.place_box(item)

    def place_box(self, box):
        """Lay out an expanded box's content; returns the box's own width and height."""
        sizes = [self.size(child) for child in box.children]
        index = {child.id: i for i, child in enumerate(box.children)}
        pairs = [p for p in self.edges_in.get(box.name, {}) if p[0] in index and p[1] in index]
        edges = [(index[a], index[b]) for a, b in pairs]
        if not sizes:
            centres, bends = [], {}
        elif edges:
            centres, bends = _layered(sizes, edges)
        else:
            centres, bends = _grid(sizes)
        left = min((cx - w / 2 for (cx, _), (w, _) in zip(centres, sizes)), default=0.0)
        main_w = max((cx + w / 2 - left for (cx, _), (w, _) in zip(centres, sizes)), default=0.0)
        main_h = max((cy + h / 2 for (_, cy), (_, h) in zip(centres, sizes)), default=0.0)
        for child, (cx, cy), (w, h) in zip(box.children, centres, sizes):
            self.local[child.id] = (cx - w / 2 - left, cy - h / 2, w, h)
        for e, (a, b) in enumerate(pairs):
            self.routes[(box.name, a, b)] = [(x - left, y) for x, y in bends.get(e, [])]

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


def _port(outer, inner, bottom):
    """Where an edge crosses `outer`'s bottom (or top) edge on its way to `inner` inside it."""
    x, y, w, h = outer
    ix = inner[0] + inner[2] / 2
    return (min(max(ix, x + 6), x + w - 6) if w > 12 else x + w / 2, y + h if bottom else y)


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
               "x": _r(x), "y": _r(y), "w": _r(w), "h": _r(h)}
        if item.kind == "box":
            out.update(count=item.count, op_counts=item.op_counts,
                       depth=item.name.count("/") + 1, expanded=item.expanded)
        else:
            out.update(op=item.op, side=item.side)
            if item.kind == "series":
                out["count"] = item.count
        if item.annotations:
            out.update(annotations=item.annotations, more_annotations=item.more_annotations)
        (boxes if item.expanded else items).append(out)
    boxes.sort(key=lambda b: b["depth"])

    edges = []
    for i, (edge, (path, a, b)) in enumerate(zip(view.edges, placer.meetings)):
        ra, rb = absolute[a], absolute[b]
        down = rb[1] + rb[3] / 2 >= ra[1] + ra[3] / 2
        ox, oy = origin[path]
        bends = [(x + ox, y + oy) for x, y in placer.routes.get((path, a, b), [])]
        bends.sort(key=lambda p: p[1], reverse=not down)
        points = [_port(ra, absolute[edge.source], down), *bends, _port(rb, absolute[edge.target], not down)]
        # An end inside an expanded box leaves (or enters) it straight down, not via its middle.
        if edge.source != a:
            points.insert(0, _anchor(absolute[edge.source], down))
        if edge.target != b:
            points.append(_anchor(absolute[edge.target], not down))
        edges.append({"id": i, "source": edge.source, "target": edge.target,
                      "tensors": len(edge.tensors), "control": edge.control, "label": edge.label,
                      "points": [[_r(x), _r(y)] for x, y in points]})
    return {"width": _r(width), "height": _r(height), "boxes": boxes, "items": items, "edges": edges}
