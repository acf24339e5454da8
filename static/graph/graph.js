// The Graph page: pick a run and graph, open and close scopes, inspect nodes, search, highlight.
//
// Every layout comes from /api/graph/view and is requested asynchronously: the old drawing stays
// usable until the new one arrives, and a newer request cancels an older one, so the page never
// freezes however big the graph. Run, graph, open scopes, search and selection live in the URL.

import { apiUrl, getJSON, showStatus } from "../api.js";
import { el } from "../format.js";
import { GraphDrawing } from "./drawing.js";
import { readState, writeState } from "../url_state.js";

const SPEC = {
  run: ["string", ""],
  graph: ["string", ""],
  expand: ["list", null],
  q: ["string", ""],
  node: ["string", ""],
};
const state = readState(SPEC);
let expanded = new Set((state.expand || []).filter(Boolean));
let graphs = [];
let layoutRequest = null;      // AbortController of the view request in flight
let lineageFor = null;         // node whose dependencies are lit, kept across relayouts
let searchHits = [];

const $ = (id) => document.getElementById(id);
const runSelect = $("graph-run");
const graphSelect = $("graph-id");
const drawing = new GraphDrawing($("graph-svg-root"), {
  onItem: (item) => activate(item),
  onAnnotation: (name) => selectNode(name),
});

function saveState() {
  state.expand = expanded.size ? [...expanded] : null;
  writeState(SPEC, state);
}

function showError(message) {
  const error = $("graph-error");
  error.textContent = message || "";
  error.hidden = !message;
}

function apiParams(extra = {}) {
  return { run: state.run, graph: state.graph || undefined, ...extra };
}

// ---- runs and graphs ---------------------------------------------------------------------------

async function loadRuns() {
  const { runs } = await getJSON("/api/runs");
  runSelect.replaceChildren(...runs.map((run) => el("option", { value: run.name }, run.name)));
  if (!runs.length) {
    showError("No runs in this logdir yet.");
    return;
  }
  if (!runs.some((run) => run.name === state.run)) state.run = await firstRunWithGraph(runs);
  runSelect.value = state.run;
  await loadGraphs();
}

// With no run named in the URL, open the first run that has a graph (looking at a few at most).
async function firstRunWithGraph(runs) {
  const readable = runs.filter((run) => run.status !== "error").slice(0, 30);
  for (const run of readable) {
    const { graphs: found } = await getJSON("/api/graph/list", { run: run.name });
    if (found.length) return run.name;
  }
  return runs[0].name;
}

async function loadGraphs() {
  showError("");
  graphs = [];
  try {
    graphs = (await getJSON("/api/graph/list", { run: state.run })).graphs;
  } catch (error) {
    showError(error.message);
  }
  $("graph-id-label").hidden = graphs.length < 2;
  // Short enough for the sidebar's select (the full date was cut off); the date is in the tooltip.
  graphSelect.replaceChildren(...graphs.map((g) => {
    const written = new Date(g.wall_time * 1000);
    return el("option", { value: String(g.id), title: `written ${written.toLocaleString()}` },
      `#${g.id} · ${g.nodes ?? "?"} nodes · ${written.toLocaleTimeString()}`);
  }));
  if (!graphs.length) {
    if (!$("graph-error").textContent) showError(`Run "${state.run}" has no graph. Pick another run.`);
    drawing.svg.replaceChildren();
    $("graph-meta").textContent = "";
    saveState();
    return;
  }
  if (!graphs.some((g) => String(g.id) === state.graph)) state.graph = String(graphs[graphs.length - 1].id);
  graphSelect.value = state.graph;
  await requestView({ fit: true });
  if (state.node) selectNode(state.node, { center: true });
  if (state.q) runSearch();
}

runSelect.addEventListener("change", () => {
  Object.assign(state, { run: runSelect.value, graph: "", node: "" });
  expanded = new Set();
  resetSelection();
  loadGraphs();
});
graphSelect.addEventListener("change", () => {
  Object.assign(state, { graph: graphSelect.value, node: "" });
  expanded = new Set();
  resetSelection();
  requestView({ fit: true });
});

// ---- layout ----------------------------------------------------------------------------------

// Ask for the layout of the current expanded set; `pin` keeps that item where it is on screen.
async function requestView({ fit = false, pin = null, center = null } = {}) {
  layoutRequest?.abort();
  const controller = new AbortController();
  layoutRequest = controller;
  $("graph-busy").hidden = false;
  const pinnedAt = pin ? drawing.screenOf(pin) : null;
  saveState();
  try {
    const response = await fetch(apiUrl("/api/graph/view", apiParams({ expand: [...expanded] })),
      { signal: controller.signal, headers: { Accept: "application/json" } });
    const body = await response.json();
    if (controller !== layoutRequest) return;
    if (response.status === 400 && expanded.size && /^expand: /.test(body.error || "")) {
      // Scopes from another graph (an old link): start again with everything closed.
      showStatus(`${body.error}; showing the graph closed`, true);
      expanded = new Set();
      layoutRequest = null;
      return requestView({ fit: true });
    }
    if (!response.ok) throw new Error(body.error || `${response.status}`);
    showError("");
    expanded = new Set(body.expanded);
    saveState();
    drawing.render(body);
    $("graph-meta").textContent =
      `${body.nodes} nodes · showing ${body.items.length} items, ${body.edges.length} edges`;
    if (fit) drawing.fit();
    else if (center) drawing.centerOn(center);
    else if (pin) drawing.pin(pin, pinnedAt);
    restoreMarks();
  } catch (error) {
    if (error.name === "AbortError") return;
    showError(error.message);
  } finally {
    if (controller === layoutRequest) {
      $("graph-busy").hidden = true;
      layoutRequest = null;
    }
  }
}

function restoreMarks() {
  drawing.select(selectedId());
  drawing.markMatches(searchHits.map(ownerOf));
  if (lineageFor) highlightLineage(lineageFor);
}

// ---- items: open, close, select --------------------------------------------------------------

let selection = null;   // {kind, name}

function selectedId() {
  if (!selection) return null;
  if (selection.kind === "node") return ownerOf({ name: selection.name, ...selection });
  return `${selection.kind === "box" ? "b" : "s"}:${selection.name}`;
}

function resetSelection() {
  selection = null;
  lineageFor = null;
  $("panel-body").hidden = true;
  $("panel-empty").hidden = false;
}

function activate(item) {
  if (item.kind === "box") {
    if (item.expanded) {
      // Close this scope and everything opened inside it.
      for (const name of [...expanded]) {
        if (name === item.name || name.startsWith(`${item.name}/`)) expanded.delete(name);
      }
    } else {
      expanded.add(item.name);
    }
    selection = { kind: "box", name: item.name };
    showBox({ ...item, expanded: !item.expanded });   // the panel tells the state the click leads to
    requestView({ pin: item.id });
  } else if (item.kind === "series") {
    expanded.add(item.name);
    selection = { kind: "series", name: item.name };
    showDetails("series", item.name);
    requestView({ pin: item.id });
  } else {
    selectNode(item.name);
  }
}

// Select node `name`, opening the scopes (and series) that hide it.
async function selectNode(name, { center = false } = {}) {
  let detail;
  try {
    detail = await getJSON("/api/graph/item", apiParams({ kind: "node", name }));
  } catch (error) {
    showStatus(error.message, true);
    return;
  }
  selection = { kind: "node", name, scopes: scopesOf(detail.scope), series: detail.series };
  state.node = name;
  renderNode(detail);
  const hidden = [...selection.scopes, ...(detail.series ? [detail.series] : [])].filter((s) => !expanded.has(s));
  if (hidden.length) {
    hidden.forEach((s) => expanded.add(s));
    await requestView({ center: `n:${name}` });
  } else {
    saveState();
    drawing.select(selectedId());
    if (center) drawing.centerOn(`n:${name}`);
  }
}

function scopesOf(scope) {
  if (!scope) return [];
  const parts = scope.split("/");
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

// The visible item that shows a node: its outermost closed scope, its folded series, or itself.
function ownerOf({ name, scopes = [], series = null }) {
  for (const scope of scopes) if (!expanded.has(scope)) return `b:${scope}`;
  if (series && !expanded.has(series)) return `s:${series}`;
  return `n:${name}`;
}

// ---- the panel -------------------------------------------------------------------------------

function panel(title, facts) {
  $("panel-empty").hidden = true;
  $("panel-body").hidden = false;
  $("panel-title").textContent = title;
  $("panel-facts").replaceChildren(...facts.flatMap(([key, value]) =>
    [el("dt", {}, key), el("dd", {}, value === null || value === undefined ? "—" : String(value))]));
  $("panel-lists").replaceChildren();
}

function nodeLink(name, meta) {
  const button = el("button", { type: "button", className: "link", title: `Select ${name}` }, name);
  button.addEventListener("click", () => selectNode(name, { center: true }));
  return el("li", {}, button, meta ? el("span", { className: "meta" }, meta) : null);
}

function list(title, entries, more = 0) {
  const items = entries.length ? entries : [el("li", { className: "empty" }, "none")];
  if (more) items.push(el("li", { className: "empty" }, `… and ${more} more`));
  $("panel-lists").append(el("h3", {}, `${title} (${entries.length + more})`), el("ul", { className: "panel-list" }, ...items));
}

function renderNode(node) {
  panel(node.name, [["Op", node.op], ["Dtype", node.dtype], ["Shape", node.shape_text],
    ["Scope", node.scope || "(top level)"], ...(node.series ? [["Series", node.series]] : [])]);
  $("panel-actions").hidden = false;
  list("Inputs", node.inputs.map((input) => {
    if (input.missing) return el("li", {}, `${input.name} `, el("span", { className: "meta" }, "(not in graph)"));
    const meta = input.control ? "control" :
      [input.output ? `output ${input.output}` : "", input.op, input.dtype, input.shape].filter(Boolean).join(" · ");
    return nodeLink(input.name, meta);
  }), node.more_inputs);
  list("Consumers", node.consumers.map((c) => nodeLink(c.name, c.control ? `${c.op} · control` : c.op)),
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

function showBox(box) {
  panel(box.name, [["Scope", box.expanded ? "open (click to close)" : "closed (click to open)"], ["Nodes", box.count]]);
  $("panel-actions").hidden = true;
  const counts = Object.entries(box.op_counts || {}).sort((a, b) => b[1] - a[1]);
  list("Ops", counts.map(([op, n]) => el("li", {}, `${op} `, el("span", { className: "meta" }, `× ${n}`))));
}

async function showDetails(kind, name) {
  try {
    const detail = await getJSON("/api/graph/item", apiParams({ kind, name }));
    panel(detail.name, [["Series of", detail.op], ["Nodes", detail.count], ["Scope", detail.scope || "(top level)"]]);
    $("panel-actions").hidden = true;
    list("Members", detail.members.map((member) => nodeLink(member, "")), detail.more_members);
    const fold = el("button", { type: "button" }, "Fold the series again");
    fold.addEventListener("click", () => {
      expanded.delete(detail.name);
      requestView();
    });
    $("panel-lists").append(fold);
  } catch (error) {
    showStatus(error.message, true);
  }
}

// ---- dependencies ----------------------------------------------------------------------------

async function highlightLineage(name) {
  try {
    const lit = await getJSON("/api/graph/lineage", apiParams({ name, expand: [...expanded] }));
    lineageFor = name;
    drawing.light(lit);
    showStatus(`${name} depends on ${lit.nodes.length - 1} nodes; sources: ${lit.sources.join(", ") || "none"}`);
  } catch (error) {
    showStatus(error.message, true);
  }
}

$("panel-lineage").addEventListener("click", () => {
  if (selection?.kind === "node") highlightLineage(selection.name);
});
$("graph-clear").addEventListener("click", () => {
  lineageFor = null;
  drawing.light(null);
  showStatus("");
});

// ---- search ----------------------------------------------------------------------------------

let searchTimer = null;
async function runSearch() {
  const input = $("graph-search");
  const results = $("graph-search-results");
  const error = $("graph-search-error");
  state.q = input.value;
  saveState();
  if (!state.q) {
    searchHits = [];
    results.replaceChildren();
    $("graph-search-count").textContent = "";
    drawing.markMatches([]);
    error.hidden = true;
    return;
  }
  try {
    const found = await getJSON("/api/graph/search", apiParams({ q: state.q }));
    error.hidden = true;
    searchHits = found.matches;
    $("graph-search-count").textContent =
      `${found.total} match${found.total === 1 ? "" : "es"}${found.truncated ? ` (first ${found.matches.length} shown)` : ""}`;
    results.replaceChildren(...found.matches.map((hit) => {
      const button = el("button", { type: "button", title: hit.name }, hit.name, el("span", { className: "op" }, hit.op));
      button.addEventListener("click", () => selectNode(hit.name, { center: true }));
      return el("li", {}, button);
    }));
    drawing.markMatches(searchHits.map(ownerOf));
  } catch (problem) {
    error.textContent = problem.message;
    error.hidden = false;
  }
}
$("graph-search").value = state.q;
$("graph-search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 250);
});

// ---- toolbar ---------------------------------------------------------------------------------

$("graph-fit").addEventListener("click", () => drawing.fit());
$("graph-zoom-in").addEventListener("click", () => drawing.zoomBy(1.25));
$("graph-zoom-out").addEventListener("click", () => drawing.zoomBy(0.8));
$("graph-collapse").addEventListener("click", () => {
  expanded = new Set();
  requestView({ fit: true });
});

function fileStem() {
  return `${state.run.replace(/[^A-Za-z0-9_.-]+/g, "_")}-graph${state.graph}`;
}

function download(blob, name) {
  const link = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

$("graph-svg").addEventListener("click", () => {
  if (!drawing.data) return;
  download(new Blob([drawing.serialize()], { type: "image/svg+xml" }), `${fileStem()}.svg`);
});

$("graph-png").addEventListener("click", () => {
  if (!drawing.data) return;
  const text = drawing.serialize();
  const { width, height } = drawing.data;
  // Twice the size for sharpness, within what browsers allow for one canvas.
  const scale = Math.max(0.1, Math.min(2, 16000 / (width + 20), 16000 / (height + 20),
    Math.sqrt(6.4e7 / ((width + 20) * (height + 20)))));
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  image.onload = () => {
    const canvas = el("canvas", { width: Math.ceil((width + 20) * scale), height: Math.ceil((height + 20) * scale) });
    const context = canvas.getContext("2d");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0);
    URL.revokeObjectURL(url);
    canvas.toBlob((blob) => download(blob, `${fileStem()}.png`), "image/png");
  };
  image.onerror = () => showStatus("could not render the drawing as PNG", true);
  image.src = url;
});

loadRuns().catch((error) => showError(error.message));
