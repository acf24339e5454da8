// The Compare page: chosen runs side by side, their curves overlaid, and every run in parallel
// coordinates where brushing an axis chooses runs. Choice of runs, metric, smoothing and the
// "differences only" toggle live in the URL.
//
// `state` is the page's one state object: what the URL keeps (SPEC), the fixed view of the curves,
// and what the page knows (the runs, the metric choices, the last parallel-coordinates answer).
// The table is drawn by table.js, the parallel coordinates by parcoords.js, the curves by the
// Scalars page's chart.

import { apiUrl, getJSON, showStatus } from "../api.js";
import { bindSmoothing } from "../controls.js";
import { $, el } from "../dom.js";
import { RunList } from "../run_list.js";
import { ScalarChart } from "../scalars/chart.js";
import { readState, writeState } from "../url_state.js";
import { brushedRuns, drawParcoords } from "./parcoords.js";
import { clearTable, renderTable } from "./table.js";

const SPEC = {
  run: ["list", null],
  run_regex: ["string", ""],
  metric: ["string", ""],
  smoothing: ["number", 0.6],
  diff: ["boolean", false],
};
const state = Object.assign(readState(SPEC), {
  x: "step", log: false, outliers: false,   // the curves' fixed view (the chart reads it with smoothing)
  runs: [],
  metrics: [],           // every scalar tag of the runs: the metric choices
  parcoords: null,       // the last answer of /api/compare/parcoords
  tableRequest: 0,       // counts table requests, so an old answer never overwrites a newer one
});

const table = $("compare-table");
let chart = null;

const runList = new RunList(document.querySelector("[data-run-list]"), state, () => update());

function chosen() {
  return runList.shown();
}

function save() {
  writeState(SPEC, state);
}

// ---- the table -------------------------------------------------------------------------------

async function updateTable(names) {
  const ticket = ++state.tableRequest;
  const csv = $("compare-csv");
  csv.hidden = names.length < 2;
  $("compare-hint").hidden = names.length >= 2;
  if (names.length < 2) {
    clearTable(table);
    return;
  }
  csv.href = apiUrl("/api/compare", { run: names, format: "csv" });
  try {
    const data = await getJSON("/api/compare", { run: names });
    if (ticket !== state.tableRequest) return;
    $("compare-error").hidden = true;
    renderTable(table, data);
  } catch (error) {
    $("compare-error").textContent = error.message;
    $("compare-error").hidden = false;
  }
}

$("diff-only").checked = state.diff;
table.classList.toggle("diff-only", state.diff);
$("diff-only").addEventListener("change", () => {
  state.diff = $("diff-only").checked;
  table.classList.toggle("diff-only", state.diff);
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
  const tags = scalarTags(state.runs);
  const inChosen = scalarTags(chosen());
  if (!tags.includes(state.metric)) state.metric = inChosen[0] || tags[0] || "";
  if (state.metrics.join("\n") !== tags.join("\n")) {
    state.metrics = tags;
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
    chart = new ScalarChart({ chart: state.metric, tags: [state.metric] }, {
      view: state,
      shownRuns: () => chosen(),
      reportError: (error) => showStatus(error.message, true),
    });
    holder.replaceChildren(chart.element);
  }
  chart.update();
}

bindSmoothing(state, () => {
  save();
  if (chart) chart.render();
});

// ---- parallel coordinates --------------------------------------------------------------------

async function updateParcoords() {
  const plot = $("compare-parcoords");
  if (!state.metric) return;
  const data = await getJSON("/api/compare/parcoords", { metric: state.metric });
  state.parcoords = data;
  await drawParcoords(plot, data);
  if (!plot.dataset.listening) {
    plot.dataset.listening = "1";
    plot.on("plotly_restyle", () => brushed(plot));
  }
  const left = data.excluded.length ? ` ${data.excluded.length} run(s) without a finite last ${data.metric} are left out.` : "";
  $("parcoords-note").textContent = `${data.runs.length} runs.${left}`;
}

// Brushing: the runs whose lines pass every constrained axis become the chosen runs.
function brushed(plot) {
  if (!state.parcoords) return;
  const names = brushedRuns(plot, state.parcoords);
  if (names === null) return;
  if (!names.length) {
    // A brush that misses every line would empty the table; keep the runs and say why.
    showStatus("brushed: no run passes every brushed range; the chosen runs are unchanged", true);
    return;
  }
  runList.select(names);
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
  state.runs = (await getJSON("/api/runs")).runs;
  runList.setRuns(state.runs);
  update();
}

start().catch((error) => showStatus(error.message, true));
