// The Compare page: chosen runs side by side, their curves overlaid, and every run in parallel
// coordinates where brushing an axis chooses runs. Choice of runs, metric, smoothing and the
// "differences only" toggle live in the URL.

import { apiUrl, getJSON, showStatus } from "../api.js";
import { el, formatDuration, formatTime, formatValue, statusBadge } from "../format.js";
import { plotConfig } from "../plot_config.js";
import { RunList } from "../run_list.js";
import { ScalarChart, plotlyText } from "../scalars/chart.js";
import { readState, writeState } from "../url_state.js";

const SPEC = {
  run: ["list", null],
  run_regex: ["string", ""],
  metric: ["string", ""],
  smoothing: ["number", 0.6],
  diff: ["boolean", false],
};
const state = readState(SPEC);
state.smoothing = Math.min(0.999, Math.max(0, state.smoothing));

const $ = (id) => document.getElementById(id);
const table = $("compare-table");
let runs = [];
let chart = null;
let tableRequest = 0;

const page = {
  view: { smoothing: state.smoothing, x: "step", log: false, outliers: false },
  shownRuns: () => chosen(),
  reportError: (error) => showStatus(error.message, true),
};

const runList = new RunList(document.querySelector("[data-run-list]"), {
  selected: state.run && state.run.filter(Boolean),
  filter: state.run_regex,
  onChange: () => update(),
});

function chosen() {
  return runList.shown();
}

function save() {
  writeState(SPEC, { ...state, run: runList.selection(), run_regex: runList.filter,
    smoothing: page.view.smoothing, diff: $("diff-only").checked });
}

function runHref(name) {
  return `/runs/${name.split("/").map(encodeURIComponent).join("/")}`;
}

// ---- the table -------------------------------------------------------------------------------

function valueText(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number" || /^(-?Infinity|NaN)$/.test(value)) return formatValue(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

function sameAll(values) {
  return values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));
}

function row(label, cells, differs) {
  return el("tr", { className: differs ? "differs" : "same" }, el("th", { scope: "row" }, label), ...cells);
}

function section(title, count) {
  return el("tr", { className: "section" }, el("th", { colSpan: count + 1 }, title));
}

function stat(key, value, step) {
  const text = step === null || step === undefined ? valueText(value) : `${valueText(value)} (step ${step})`;
  return el("span", { className: "stat" }, el("span", { className: "k" }, key), text);
}

function renderTable(data) {
  const n = data.runs.length;
  const head = el("tr", {}, el("th", {}, "Run"), ...data.runs.map((run) => el("th", {},
    el("span", { className: "swatch", style: { background: run.color || "#999" } }),
    el("a", { href: runHref(run.name) }, run.name), " ", statusBadge(run))));
  table.tHead.replaceChildren(head);
  const rows = [section("Run", n)];
  const facts = [
    ["Status", (r) => r.status],
    ["Started", (r) => formatTime(r.start_time)],
    ["Duration", (r) => formatDuration(r.duration)],
    ["Steps", (r) => r.steps ?? "—"],
  ];
  for (const [label, get] of facts) {
    const values = data.runs.map(get);
    rows.push(row(label, values.map((v) => el("td", {}, String(v))), !sameAll(values)));
  }
  for (const [title, list] of [["Hyperparameters", data.hparams], ["Hparam metrics", data.hparam_metrics]]) {
    if (!list.length) continue;
    rows.push(section(title, n));
    for (const item of list) {
      rows.push(row(item.name, item.values.map((v) =>
        el("td", { className: v === null ? "missing" : "" }, valueText(v))), item.differs));
    }
  }
  if (data.metrics.length) rows.push(section("Scalars (last, min, max)", n));
  for (const metric of data.metrics) {
    rows.push(row(metric.tag, metric.values.map((s) => s
      ? el("td", {}, stat("last", s.last, s.last_step), stat("min", s.min, s.min_step), stat("max", s.max, s.max_step))
      : el("td", { className: "missing" }, "—")), metric.differs));
  }
  table.tBodies[0].replaceChildren(...rows);
}

async function updateTable(names) {
  const ticket = ++tableRequest;
  const csv = $("compare-csv");
  csv.hidden = names.length < 2;
  $("compare-hint").hidden = names.length >= 2;
  if (names.length < 2) {
    table.tHead.replaceChildren();
    table.tBodies[0].replaceChildren();
    return;
  }
  csv.href = apiUrl("/api/compare", { run: names, format: "csv" });
  try {
    const data = await getJSON("/api/compare", { run: names });
    if (ticket !== tableRequest) return;
    $("compare-error").hidden = true;
    renderTable(data);
  } catch (error) {
    $("compare-error").textContent = error.message;
    $("compare-error").hidden = false;
  }
}

$("diff-only").checked = state.diff;
table.classList.toggle("diff-only", state.diff);
$("diff-only").addEventListener("change", () => {
  table.classList.toggle("diff-only", $("diff-only").checked);
  save();
});

// ---- the metric, its curves ------------------------------------------------------------------

function scalarTags(list) {
  const tags = new Set();
  for (const run of list) {
    for (const [tag, info] of Object.entries(run.tags || {})) if (info.kind === "scalar") tags.add(tag);
  }
  return [...tags].sort();
}

function fillMetrics() {
  const select = $("compare-metric");
  const tags = scalarTags(runs);
  const inChosen = scalarTags(chosen());
  if (!tags.includes(state.metric)) state.metric = inChosen[0] || tags[0] || "";
  const current = [...select.options].map((o) => o.value).join("\n");
  if (current !== tags.join("\n")) {
    select.replaceChildren(...tags.map((tag) => el("option", { value: tag }, tag)));
  }
  select.value = state.metric;
}

$("compare-metric").addEventListener("change", () => {
  state.metric = $("compare-metric").value;
  chart = null;
  update();
});

function updateCurves() {
  const holder = $("compare-curves");
  if (!state.metric) {
    holder.replaceChildren(el("p", { className: "empty" }, "No run logged a scalar."));
    return;
  }
  if (!chart || chart.spec.chart !== state.metric) {
    chart = new ScalarChart({ chart: state.metric, tags: [state.metric] }, page);
    holder.replaceChildren(chart.element);
  }
  chart.update();
}

function setSmoothing(weight) {
  page.view.smoothing = weight;
  $("smoothing").value = $("smoothing-value").value = String(weight);
  save();
  if (chart) chart.render();
}
$("smoothing").value = $("smoothing-value").value = String(page.view.smoothing);
$("smoothing").addEventListener("input", () => setSmoothing(Number($("smoothing").value)));
$("smoothing-value").addEventListener("change", () => {
  const weight = Number($("smoothing-value").value);
  setSmoothing(Number.isFinite(weight) ? Math.min(0.999, Math.max(0, weight)) : 0.6);
});

// ---- parallel coordinates --------------------------------------------------------------------

let parcoords = null;   // the last answer of /api/compare/parcoords

function axis(dimension) {
  const axisSpec = { label: plotlyText(dimension.label), values: dimension.values };
  if (dimension.kind === "category") {
    axisSpec.tickvals = dimension.categories.map((_, i) => i);
    // Tick text is drawn as plain text (unlike axis labels): no escaping, only shortening.
    axisSpec.ticktext = dimension.categories.map((c) => (c.length > 16 ? `${c.slice(0, 15)}…` : c));
    axisSpec.range = [-0.25, Math.max(0.25, dimension.categories.length - 0.75)];
  }
  return axisSpec;
}

async function updateParcoords() {
  const plot = $("compare-parcoords");
  const note = $("parcoords-note");
  if (!state.metric) return;
  const data = await getJSON("/api/compare/parcoords", { metric: state.metric });
  parcoords = data;
  const n = data.runs.length;
  // One colour per line: the run's own, through a stepwise colour scale over the line index.
  const colorscale = n > 1 ? data.colors.map((c, i) => [i / (n - 1), c || "#999"]) : [[0, data.colors[0] || "#999"], [1, data.colors[0] || "#999"]];
  const trace = {
    type: "parcoords",
    dimensions: data.dimensions.map(axis),
    line: { color: data.runs.map((_, i) => i), colorscale, cmin: 0, cmax: Math.max(1, n - 1) },
    labelfont: { size: 12 },
    meta: { runs: data.runs },
  };
  // The top margin leaves room for the mode bar above the axis titles (at 48 px it covered the last one).
  const layout = { margin: { l: 110, r: 70, t: 72, b: 24 }, height: 380, paper_bgcolor: "rgba(0,0,0,0)" };
  await window.Plotly.react(plot, [trace], layout, plotConfig(["toImage"]));
  if (!plot.dataset.listening) {
    plot.dataset.listening = "1";
    plot.on("plotly_restyle", () => brushed(plot));
  }
  const left = data.excluded.length ? ` ${data.excluded.length} run(s) without a finite last ${data.metric} are left out.` : "";
  note.textContent = `${n} runs.${left}`;
}

function inRange(value, range) {
  if (!range) return true;
  const ranges = Array.isArray(range[0]) ? range : [range];
  return ranges.some(([low, high]) => value >= low && value <= high);
}

// Brushing: the runs whose lines pass every constrained axis become the chosen runs.
function brushed(plot) {
  if (!parcoords) return;
  const dims = plot.data[0].dimensions;
  if (!dims.some((d) => d.constraintrange)) return;
  const names = parcoords.runs.filter((_, i) => dims.every((d) => inRange(d.values[i], d.constraintrange)));
  if (!names.length) {
    // A brush that misses every line would empty the table; keep the runs and say why.
    showStatus("brushed: no run passes every brushed range; the chosen runs are unchanged", true);
    return;
  }
  runList.selected = new Set(names);
  runList.normalise();
  runList.render();
  showStatus(`brushed: ${names.length} run${names.length === 1 ? "" : "s"} chosen`);
  update({ keepParcoords: true });
}

// ---- everything ------------------------------------------------------------------------------

function update({ keepParcoords = false } = {}) {
  fillMetrics();
  save();
  updateTable(chosen().map((run) => run.name));
  updateCurves();
  if (!keepParcoords) updateParcoords().catch((error) => showStatus(error.message, true));
}

async function start() {
  runs = (await getJSON("/api/runs")).runs;
  runList.setRuns(runs);
  update();
}

start().catch((error) => showStatus(error.message, true));
