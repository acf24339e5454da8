// The Graph page's side panel (#graph-panel in templates/graph/graph.html): the facts and lists of
// the selected node, scope box or series. It only draws what the page hands it; a click on a listed
// node, or on "Fold the series again", goes back to the page through its handlers.

import { $, el } from "../dom.js";

export class GraphPanel {
  // handlers: onNode(name) selects a listed node, onFold(series) folds an opened series again.
  constructor(handlers) {
    this.handlers = handlers;
  }

  clear() {
    $("panel-body").hidden = true;
    $("panel-empty").hidden = false;
  }

  // A node from /api/graph/item: op, dtype, shape, scope, inputs, consumers and attributes.
  showNode(node) {
    this.open(node.name, [["Op", node.op], ["Dtype", node.dtype], ["Shape", node.shape_text],
      ["Scope", node.scope || "(top level)"], ...(node.series ? [["Series", node.series]] : [])]);
    $("panel-actions").hidden = false;
    this.list("Inputs", node.inputs.map((input) => {
      if (input.missing) return el("li", {}, `${input.name} `, el("span", { className: "meta" }, "(not in graph)"));
      const meta = input.control ? "control" :
        [input.output ? `output ${input.output}` : "", input.op, input.dtype, input.shape].filter(Boolean).join(" · ");
      return this.nodeLink(input.name, meta);
    }), node.more_inputs);
    this.list("Consumers", node.consumers.map((c) => this.nodeLink(c.name, c.control ? `${c.op} · control` : c.op)),
      node.more_consumers);
    const attrs = Object.entries(node.attrs || {});
    const rows = attrs.map(([key, value]) => {
      let text = JSON.stringify(value);
      if (text.length > 400) text = `${text.slice(0, 400)}…`;
      return el("tr", {}, el("th", {}, key), el("td", {}, text));
    });
    $("panel-lists").append(el("h3", {}, `Attributes (${attrs.length})`),
      rows.length ? el("table", { className: "attrs" }, el("tbody", {}, ...rows)) : el("p", { className: "empty" }, "none"));
  }

  // A scope box of the drawing, told the state (open or closed) that the click leads to.
  showBox(box) {
    this.open(box.name, [["Scope", box.expanded ? "open (click to close)" : "closed (click to open)"], ["Nodes", box.count]]);
    $("panel-actions").hidden = true;
    const counts = Object.entries(box.op_counts || {}).sort((a, b) => b[1] - a[1]);
    this.list("Ops", counts.map(([op, n]) => el("li", {}, `${op} `, el("span", { className: "meta" }, `× ${n}`))));
  }

  // A series from /api/graph/item: its op, its members, and a button that folds it again.
  showSeries(series) {
    this.open(series.name, [["Series of", series.op], ["Nodes", series.count], ["Scope", series.scope || "(top level)"]]);
    $("panel-actions").hidden = true;
    this.list("Members", series.members.map((member) => this.nodeLink(member, "")), series.more_members);
    const fold = el("button", { type: "button" }, "Fold the series again");
    fold.addEventListener("click", () => this.handlers.onFold(series.name));
    $("panel-lists").append(fold);
  }

  open(title, facts) {
    $("panel-empty").hidden = true;
    $("panel-body").hidden = false;
    $("panel-title").textContent = title;
    $("panel-facts").replaceChildren(...facts.flatMap(([key, value]) =>
      [el("dt", {}, key), el("dd", {}, value === null || value === undefined ? "—" : String(value))]));
    $("panel-lists").replaceChildren();
  }

  nodeLink(name, meta) {
    const button = el("button", { type: "button", className: "link", title: `Select ${name}` }, name);
    button.addEventListener("click", () => this.handlers.onNode(name));
    return el("li", {}, button, meta ? el("span", { className: "meta" }, meta) : null);
  }

  list(title, entries, more = 0) {
    const items = entries.length ? entries : [el("li", { className: "empty" }, "none")];
    if (more) items.push(el("li", { className: "empty" }, `… and ${more} more`));
    $("panel-lists").append(el("h3", {}, `${title} (${entries.length + more})`), el("ul", { className: "panel-list" }, ...items));
  }
}
