// Drawing a laid-out graph view (from /api/graph/view) as SVG, with pan, zoom and fit.
//
// The server has positioned everything; this module only draws it. Every name from the graph is
// set with textContent or setAttribute, never parsed as markup. Styles live in a <style> inside
// the SVG so that a downloaded drawing looks like the page. Their colours are graph.css's theme
// variables, each with its light colour as the fallback: a downloaded drawing is always light.

const NS = "http://www.w3.org/2000/svg";
const MAX_LABEL = 28;
const CHIP_CHAR_W = 5.6;
const EDGE_LABELS_UP_TO = 400;
// Tags for what sits beside the flow: a constant read here, a summary of this, an init-style op waiting on this.
const CHIP_MARK = { in: "c", out: "Σ", ctl: "^" };
const CHIP_TITLE = { in: "constant", out: "summary", ctl: "control dependency of" };   // edges; past this the labels live only in the hover title

const STYLE = `
  text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 11px; fill: var(--node-ink, #263238); }
  .frame { fill: var(--frame, #f5f8fe); stroke: var(--frame-line, #9fb3d9); stroke-width: 1; }
  .depth-odd > .frame { fill: var(--frame-odd, #eef3fc); }
  .frame-title { font-weight: 700; fill: var(--frame-ink, #37474f); cursor: pointer; }
  .frame-head { fill: transparent; cursor: pointer; }
  .item { cursor: pointer; }
  .item > rect.body { fill: var(--node, #ffffff); stroke: #78909c; stroke-width: 1; }
  .item.box > rect.body { fill: var(--node-box, #d7e3fc); stroke: #6f86b5; }
  .item.series > rect.body { stroke-width: 3; stroke: #90a4ae; }
  .item.series > rect.shadow { fill: var(--node, #ffffff); stroke: #90a4ae; }
  .item.input > rect.body { fill: var(--node-input, #ffe0b2); }
  .item.variable > rect.body { fill: var(--node-variable, #c8e6c9); }
  .item.summary > rect.body { fill: var(--node-summary, #f3e5f5); stroke: #ab47bc; }
  .item.noop > rect.body { fill: var(--node-const, #eceff1); }
  .item .sub { font-size: 9px; fill: var(--node-sub, #607d8b); }
  .chip > rect { fill: var(--node-const, #eceff1); stroke: #b0bec5; }
  .chip.out > rect { fill: var(--node-summary, #f3e5f5); stroke: #ce93d8; }
  .chip.ctl > rect { fill: var(--node, #ffffff); stroke: #b0bec5; stroke-dasharray: 2 2; }
  .chip text { font-size: 9px; fill: var(--node-sub, #455a64); }
  .edge path { fill: none; stroke: #90a4ae; stroke-width: 1.2; marker-end: url(#lb-arrow); }
  .edge.control path { stroke-dasharray: 4 3; stroke: #b0bec5; }
  .edge .label { font-size: 9px; fill: #78909c; }
  /* States carry .item (or .frame-group) so that they outrank the kind colours above
     (.item.box, .item.input, ...): a matched scope or a lit variable must show it. */
  .item.selected > rect.body, .frame-group.selected > .frame { stroke: #ef6c00; stroke-width: 3; }
  .item.match > rect.body { fill: var(--node-match, #fff59d); }
  .dimmed { opacity: 0.28; }
  .item.lit > rect.body { stroke: #d84315; stroke-width: 2.5; }
  .edge.lit path { stroke: #d84315; stroke-width: 2.2; marker-end: url(#lb-arrow-lit); }
`;

function svgEl(tag, attrs = {}, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

function shortLabel(text) {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}

// A coarse kind of op for colouring; op names stay out of class attributes.
export function opCategory(op) {
  if (!op) return "";
  if (op === "Placeholder" || op === "PlaceholderWithDefault") return "input";
  if (op === "VariableV2" || op === "Variable" || op === "VarHandleOp") return "variable";
  if (op.endsWith("Summary")) return "summary";
  if (op === "NoOp") return "noop";
  return "";
}

function pathData(points) {
  return points.map(([x, y], i) => `${i ? "L" : "M"}${x},${y}`).join(" ");
}

function midpoint(points) {
  if (points.length % 2 === 1) return points[(points.length - 1) / 2];
  const [a, b] = [points[points.length / 2 - 1], points[points.length / 2]];
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

export class GraphDrawing {
  // handlers: onItem(item), onAnnotation(name)
  constructor(svg, handlers) {
    this.svg = svg;
    this.handlers = handlers;
    this.view = { x: 0, y: 0, k: 1 };
    this.shapes = new Map();   // item id -> SVG group
    this.edges = [];           // edge index -> SVG group
    this.data = null;
    this.installPanZoom();
  }

  render(data) {
    this.data = data;
    this.shapes.clear();
    this.edges = [];
    const defs = svgEl("defs");
    defs.append(svgEl("style", {}, STYLE));
    for (const [id, colour] of [["lb-arrow", "#90a4ae"], ["lb-arrow-lit", "#d84315"]]) {
      const marker = svgEl("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 8,
        markerHeight: 8, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" });
      marker.append(svgEl("path", { d: "M0,0 L10,5 L0,10 z", fill: colour }));
      defs.append(marker);
    }
    this.root = svgEl("g", { class: "viewport" });
    const frames = svgEl("g", { class: "frames" });
    for (const box of data.boxes) frames.append(this.frame(box));
    const edgeLayer = svgEl("g", { class: "edges" });
    const labelled = data.edges.length <= EDGE_LABELS_UP_TO;
    for (const edge of data.edges) {
      const group = this.edge(edge, labelled);
      this.edges[edge.id] = group;
      edgeLayer.append(group);
    }
    const items = svgEl("g", { class: "items" });
    for (const item of data.items) items.append(this.item(item));
    this.root.append(frames, edgeLayer, items);
    this.svg.replaceChildren(defs, this.root);
    this.applyView();
  }

  frame(box) {
    const group = svgEl("g", { class: `frame-group depth-${box.depth % 2 ? "odd" : "even"}`, "data-id": box.id });
    group.append(svgEl("rect", { class: "frame", x: box.x, y: box.y, width: box.w, height: box.h, rx: 8 }));
    const head = svgEl("rect", { class: "frame-head", x: box.x, y: box.y, width: box.w, height: 22 });
    const title = svgEl("text", { class: "frame-title", x: box.x + 8, y: box.y + 15 },
      `▾ ${shortLabel(box.label)}  (${box.count})`);
    group.append(head, title, svgEl("title", {}, `${box.name}: ${box.count} nodes. Click the title to close.`));
    for (const target of [head, title]) target.addEventListener("click", (event) => this.click(event, box));
    this.shapes.set(box.id, group);
    return group;
  }

  item(item) {
    const classes = ["item", item.kind];
    const category = opCategory(item.op);
    if (category) classes.push(category);
    if (item.side) classes.push("side");
    const group = svgEl("g", { class: classes.join(" "), transform: `translate(${item.x},${item.y})`, "data-id": item.id });
    if (item.kind === "series") {
      // The stacked card sits below and to the right, clear of the arrowheads that end on the top edge.
      group.append(svgEl("rect", { class: "shadow", x: 4, y: 4, width: item.w, height: item.h, rx: 5 }));
    }
    group.append(svgEl("rect", { class: "body", width: item.w, height: item.h, rx: item.kind === "box" ? 9 : 5 }));
    const lines = [];
    if (item.kind === "box" && item.side) {
      lines.push([`▸ ${shortLabel(item.label)} (${item.count})`, ""]);
    } else if (item.kind === "box") {
      lines.push([`▸ ${shortLabel(item.label)}`, ""], [`${item.count} node${item.count === 1 ? "" : "s"}`, "sub"]);
    } else if (item.kind === "series") {
      lines.push([shortLabel(item.label), ""], [`${item.count} × ${item.op}`, "sub"]);
    } else {
      lines.push([shortLabel(item.label), ""]);
    }
    const top = item.annotations ? 15 : item.h / 2 + 4 - (lines.length - 1) * 6;
    lines.forEach(([text, cls], i) => {
      const attrs = { x: item.w / 2, y: top + i * 12, "text-anchor": "middle" };
      if (cls) attrs.class = cls;
      group.append(svgEl("text", attrs, text));
    });
    if (item.annotations) this.chips(group, item);
    const tip = item.kind === "node" ? `${item.name} (${item.op})` : `${item.name}: ${item.count} nodes`;
    group.append(svgEl("title", {}, tip));
    group.addEventListener("click", (event) => this.click(event, item));
    this.shapes.set(item.id, group);
    return group;
  }

  chips(group, item) {
    let x = 4;
    const shown = item.annotations.slice(0, 2);
    const more = item.annotations.length - shown.length + (item.more_annotations || 0);
    for (const note of shown) {
      const text = `${CHIP_MARK[note.dir]} ${shortLabel(note.name.split("/").pop())}`;
      const width = text.length * CHIP_CHAR_W + 8;
      const chip = svgEl("g", { class: `chip ${note.dir}`, transform: `translate(${x},${item.h - 15})` });
      chip.append(svgEl("rect", { width, height: 12, rx: 6 }), svgEl("text", { x: 4, y: 9 }, text),
        svgEl("title", {}, `${CHIP_TITLE[note.dir]} ${note.name} (${note.op})`));
      chip.addEventListener("click", (event) => {
        event.stopPropagation();
        if (!this.dragged) this.handlers.onAnnotation(note.name);
      });
      group.append(chip);
      x += width + 3;
    }
    if (more > 0) group.append(svgEl("text", { class: "sub", x: x + 2, y: item.h - 6 }, `+${more}`));
  }

  edge(edge, labelled) {
    const group = svgEl("g", { class: edge.tensors ? "edge" : "edge control" });
    const width = edge.tensors > 1 ? Math.min(1.2 + Math.log2(edge.tensors), 5) : null;
    const path = svgEl("path", { d: pathData(edge.points) });
    if (width) path.style.strokeWidth = width;
    const what = edge.tensors ? (edge.label || `${edge.tensors} tensor(s)`) : "control dependency";
    group.append(path, svgEl("title", {}, `${edge.source.slice(2)} → ${edge.target.slice(2)}: ${what}`));
    if (labelled && edge.tensors && edge.label) {
      const [x, y] = midpoint(edge.points);
      group.append(svgEl("text", { class: "label", x: x + 4, y: y - 2 }, edge.label));
    }
    return group;
  }

  click(event, item) {
    event.stopPropagation();
    if (!this.dragged) this.handlers.onItem(item);
  }

  // ---- highlighting -------------------------------------------------------------------------
  setClass(ids, cls) {
    for (const group of this.svg.querySelectorAll(`.${cls}`)) group.classList.remove(cls);
    for (const id of ids) this.shapes.get(id)?.classList.add(cls);
  }

  select(id) {
    this.setClass(id ? [id] : [], "selected");
  }

  markMatches(ids) {
    this.setClass(ids, "match");
  }

  // Light up items and edges (by index); dim everything else. null clears.
  light(lit) {
    this.setClass([], "lit");
    for (const group of this.svg.querySelectorAll(".dimmed")) group.classList.remove("dimmed");
    if (!lit) return;
    const items = new Set(lit.items);
    const edges = new Set(lit.edges);
    for (const [id, group] of this.shapes) {
      if (group.classList.contains("frame-group")) continue;
      group.classList.add(items.has(id) ? "lit" : "dimmed");
    }
    this.edges.forEach((group, i) => group.classList.add(edges.has(i) ? "lit" : "dimmed"));
  }

  // ---- pan, zoom, fit ---------------------------------------------------------------------
  installPanZoom() {
    const svg = this.svg;
    let start = null;
    svg.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      start = { x: event.clientX, y: event.clientY, vx: this.view.x, vy: this.view.y };
      this.dragged = false;
    });
    svg.addEventListener("pointermove", (event) => {
      if (!start) return;
      const dx = event.clientX - start.x;
      const dy = event.clientY - start.y;
      if (!this.dragged && Math.hypot(dx, dy) < 4) return;
      if (!this.dragged) svg.setPointerCapture(event.pointerId);
      this.dragged = true;
      svg.parentElement.classList.add("panning");
      this.view.x = start.vx + dx;
      this.view.y = start.vy + dy;
      this.applyView();
    });
    const end = () => {
      start = null;
      svg.parentElement.classList.remove("panning");
      // Let the click that ends a drag see `dragged`, then reset it.
      setTimeout(() => { this.dragged = false; }, 0);
    };
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    svg.addEventListener("wheel", (event) => {
      event.preventDefault();
      const rect = svg.getBoundingClientRect();
      this.zoomBy(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
    }, { passive: false });
  }

  applyView() {
    if (this.root) this.root.setAttribute("transform", `translate(${this.view.x},${this.view.y}) scale(${this.view.k})`);
  }

  zoomBy(factor, cx, cy) {
    const rect = this.svg.getBoundingClientRect();
    if (cx === undefined) [cx, cy] = [rect.width / 2, rect.height / 2];
    const k = Math.min(8, Math.max(0.02, this.view.k * factor));
    const f = k / this.view.k;
    this.view = { x: cx - (cx - this.view.x) * f, y: cy - (cy - this.view.y) * f, k };
    this.applyView();
  }

  fit() {
    if (!this.data) return;
    const rect = this.svg.getBoundingClientRect();
    const k = Math.min(1.25, (rect.width - 20) / this.data.width, (rect.height - 20) / this.data.height);
    this.view = { k, x: (rect.width - this.data.width * k) / 2, y: Math.max(10, (rect.height - this.data.height * k) / 2) };
    this.applyView();
  }

  // Screen position (relative to the SVG) of an item's top-left, or null.
  screenOf(id) {
    const shape = this.find(id);
    return shape ? { x: this.view.x + shape.x * this.view.k, y: this.view.y + shape.y * this.view.k } : null;
  }

  // Move the view so that item `id` sits at screen point `at` (keeps a clicked box under the mouse).
  pin(id, at) {
    const shape = this.find(id);
    if (!shape || !at) return;
    this.view.x = at.x - shape.x * this.view.k;
    this.view.y = at.y - shape.y * this.view.k;
    this.applyView();
  }

  centerOn(id) {
    const shape = this.find(id);
    if (!shape) return;
    const rect = this.svg.getBoundingClientRect();
    this.view.k = Math.max(this.view.k, 0.8);
    this.view.x = rect.width / 2 - (shape.x + shape.w / 2) * this.view.k;
    this.view.y = rect.height / 2 - (shape.y + shape.h / 2) * this.view.k;
    this.applyView();
  }

  find(id) {
    if (!this.data) return null;
    return this.data.items.find((item) => item.id === id) || this.data.boxes.find((box) => box.id === id) || null;
  }

  // ---- export -------------------------------------------------------------------------------
  // The whole drawing as a standalone SVG document (not just the part on screen).
  serialize() {
    const copy = this.svg.cloneNode(true);
    const { width, height } = this.data;
    copy.setAttribute("viewBox", `0 0 ${width + 20} ${height + 20}`);
    copy.setAttribute("width", width + 20);
    copy.setAttribute("height", height + 20);
    copy.removeAttribute("id");
    copy.querySelector(".viewport").setAttribute("transform", "translate(10,10)");
    const background = svgEl("rect", { width: width + 20, height: height + 20, fill: "#ffffff" });
    copy.insertBefore(background, copy.querySelector(".viewport"));
    return new XMLSerializer().serializeToString(copy);
  }
}
