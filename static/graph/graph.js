// The Graph page: pick a run and graph, open and close scopes, inspect nodes, search, highlight.
//
// Every layout comes from /api/graph/view and is requested asynchronously: the old drawing stays
// usable until the new one arrives, and a newer request cancels an older one, so the page never
// freezes however big the graph. Run, graph, open scopes, search and selection live in the URL.
//
// `state` is the page's one state object: what the URL keeps (SPEC) and what the page knows (the
// open scopes, the run's graphs, the selection, the lit dependencies, the search hits). The drawing
// is in drawing.js, the side panel in panel.js.

import { apiUrl, getJSON, logdirNote, showStatus } from "../api.js";
import { $, el } from "../dom.js";
import { readState, writeState } from "../url_state.js";
import { GraphDrawing } from "./drawing.js";
import { GraphPanel } from "./panel.js";

const SPEC = {
  run: ["string", ""],
  graph: ["string", ""],
  expand: ["list", null],
  q: ["string", ""],
  node: ["string", ""],
};
const state = readState(SPEC);
Object.assign(state, {
  expanded: new Set((state.expand || []).filter(Boolean)),   // open scopes and series
  graphs: [],            // the run's graphs, from /api/graph/list
  selection: null,       // {kind, name} (and for a node, the scopes and series that hide it)
  lineageFor: null,      // node whose dependencies are lit, kept across relayouts
  searchHits: [],
});
let layoutRequest = null;      // AbortController of the view request in flight

const runSelect = $("graph-run");
const graphSelect = $("graph-id");
const drawing = new GraphDrawing($("graph-svg-root"), {
  onItem: (item) => activate(item),
  onAnnotation: (name) => selectNode(name),
});
const panel = new GraphPanel({
  onNode: (name) => selectNode(name, { center: true }),
  onFold: (series) => {
    state.expanded.delete(series);
    requestView();
  },
});

function saveState() {
  state.expand = state.expanded.size ? [...state.expanded] : null;
  writeState(SPEC, state);
}

// An error, or with `empty` a page with nothing to draw, which also says which logdir is served.
function showError(message, { empty = false } = {}) {
  const error = $("graph-error");
  error.replaceChildren(message || "", ...(empty ? [" ", logdirNote()] : []));
  error.hidden = !message;
}

function apiParams(extra = {}) {
  return { run: state.run, graph: state.graph || undefined, ...extra };
}

// ---- runs and graphs ---------------------------------------------------------------------------

async function loadRuns() {
  // Hidden runs (dashboard/manage) are left out, unless the URL names one (a hidden run's own page links here).
  const runs = (await getJSON("/api/runs", { hidden: 1, tags: 0 })).runs.filter((run) => !run.hidden || run.name === state.run);
  runSelect.replaceChildren(...runs.map((run) => el("option", { value: run.name }, run.display_name || run.name)));
  if (!runs.length) {
    showError("No runs in this logdir yet.", { empty: true });
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
  state.graphs = [];
  try {
    state.graphs = (await getJSON("/api/graph/list", { run: state.run })).graphs;
  } catch (error) {
    showError(error.message);
  }
  const { graphs } = state;
  $("graph-id-label").hidden = graphs.length < 2;
  // Short enough for the sidebar's select (the full date was cut off); the date is in the tooltip.
  graphSelect.replaceChildren(...graphs.map((g) => {
    const written = new Date(g.wall_time * 1000);
    return el("option", { value: String(g.id), title: `written ${written.toLocaleString()}` },
      `#${g.id} · ${g.nodes ?? "?"} nodes · ${written.toLocaleTimeString()}`);
  }));
  if (!graphs.length) {
    if (!$("graph-error").textContent) showError(`Run "${state.run}" has no graph. Pick another run.`, { empty: true });
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
  Object.assign(state, { run: runSelect.value, graph: "", node: "", expanded: new Set() });
  resetSelection();
  loadGraphs();
});
graphSelect.addEventListener("change", () => {
  Object.assign(state, { graph: graphSelect.value, node: "", expanded: new Set() });
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
    const response = await fetch(apiUrl("/api/graph/view", apiParams({ expand: [...state.expanded] })),
      { signal: controller.signal, headers: { Accept: "application/json" } });
    const body = await response.json();
    if (controller !== layoutRequest) return;
    if (response.status === 400 && state.expanded.size && /^expand: /.test(body.error || "")) {
      // Scopes from another graph (an old link): start again with everything closed.
      showStatus(`${body.error}; showing the graph closed`, true);
      state.expanded = new Set();
      layoutRequest = null;
      return requestView({ fit: true });
    }
    if (!response.ok) throw new Error(body.error || `${response.status}`);
    showError("");
    state.expanded = new Set(body.expanded);
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
  drawing.markMatches(state.searchHits.map(ownerOf));
  if (state.lineageFor) highlightLineage(state.lineageFor);
}

// ---- items: open, close, select --------------------------------------------------------------

function selectedId() {
  const { selection } = state;
  if (!selection) return null;
  if (selection.kind === "node") return ownerOf({ name: selection.name, ...selection });
  return `${selection.kind === "box" ? "b" : "s"}:${selection.name}`;
}

function resetSelection() {
  state.selection = null;
  state.lineageFor = null;
  panel.clear();
}

function activate(item) {
  if (item.kind === "box") {
    if (item.expanded) {
      // Close this scope and everything opened inside it.
      for (const name of [...state.expanded]) {
        if (name === item.name || name.startsWith(`${item.name}/`)) state.expanded.delete(name);
      }
    } else {
      state.expanded.add(item.name);
    }
    state.selection = { kind: "box", name: item.name };
    panel.showBox({ ...item, expanded: !item.expanded });   // the panel tells the state the click leads to
    requestView({ pin: item.id });
  } else if (item.kind === "series") {
    state.expanded.add(item.name);
    state.selection = { kind: "series", name: item.name };
    showSeries(item.name);
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
  state.selection = { kind: "node", name, scopes: scopesOf(detail.scope), series: detail.series };
  state.node = name;
  panel.showNode(detail);
  const hidden = [...state.selection.scopes, ...(detail.series ? [detail.series] : [])]
    .filter((s) => !state.expanded.has(s));
  if (hidden.length) {
    hidden.forEach((s) => state.expanded.add(s));
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
  for (const scope of scopes) if (!state.expanded.has(scope)) return `b:${scope}`;
  if (series && !state.expanded.has(series)) return `s:${series}`;
  return `n:${name}`;
}

// ---- the panel -------------------------------------------------------------------------------

async function showSeries(name) {
  try {
    panel.showSeries(await getJSON("/api/graph/item", apiParams({ kind: "series", name })));
  } catch (error) {
    showStatus(error.message, true);
  }
}

// ---- dependencies ----------------------------------------------------------------------------

async function highlightLineage(name) {
  try {
    const lit = await getJSON("/api/graph/lineage", apiParams({ name, expand: [...state.expanded] }));
    state.lineageFor = name;
    drawing.light(lit);
    showStatus(`${name} depends on ${lit.nodes.length - 1} nodes; sources: ${lit.sources.join(", ") || "none"}`);
  } catch (error) {
    showStatus(error.message, true);
  }
}

$("panel-lineage").addEventListener("click", () => {
  if (state.selection?.kind === "node") highlightLineage(state.selection.name);
});
$("graph-clear").addEventListener("click", () => {
  state.lineageFor = null;
  drawing.light(null);
  showStatus("");
});

// ---- search ----------------------------------------------------------------------------------

let searchTimer = null;
// Search for state.q: list the hits and mark the items that show them.
async function runSearch() {
  const results = $("graph-search-results");
  const error = $("graph-search-error");
  saveState();
  if (!state.q) {
    state.searchHits = [];
    results.replaceChildren();
    $("graph-search-count").textContent = "";
    drawing.markMatches([]);
    error.hidden = true;
    return;
  }
  try {
    const found = await getJSON("/api/graph/search", apiParams({ q: state.q }));
    error.hidden = true;
    state.searchHits = found.matches;
    $("graph-search-count").textContent =
      `${found.total} match${found.total === 1 ? "" : "es"}${found.truncated ? ` (first ${found.matches.length} shown)` : ""}`;
    results.replaceChildren(...found.matches.map((hit) => {
      const button = el("button", { type: "button", title: hit.name }, hit.name, el("span", { className: "op" }, hit.op));
      button.addEventListener("click", () => selectNode(hit.name, { center: true }));
      return el("li", {}, button);
    }));
    drawing.markMatches(state.searchHits.map(ownerOf));
  } catch (problem) {
    error.textContent = problem.message;
    error.hidden = false;
  }
}
const searchBox = $("graph-search");
searchBox.value = state.q;
searchBox.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    state.q = searchBox.value;
    runSearch();
  }, 250);
});

// ---- toolbar ---------------------------------------------------------------------------------

$("graph-fit").addEventListener("click", () => drawing.fit());
$("graph-zoom-in").addEventListener("click", () => drawing.zoomBy(1.25));
$("graph-zoom-out").addEventListener("click", () => drawing.zoomBy(0.8));
$("graph-collapse").addEventListener("click", () => {
  state.expanded = new Set();
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
