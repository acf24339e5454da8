// The Compare page: chosen runs side by side, their curves overlaid, and every run in parallel
// coordinates (of the chosen runs) where brushing an axis narrows the choice, and clearing the
// brush restores it. Choice of runs, metric, smoothing and the "differences only" toggle live in
// the URL.
//
// `state` is the page's one state object: what the URL keeps (SPEC), the fixed view of the curves,
// and what the page knows (the runs, the metric choices, the last parallel-coordinates answer).
// The table is drawn by table.js, the parallel coordinates by parcoords.js, the curves by the
// Scalars page's chart.

import { apiUrl, getJSON, logdirNote, showStatus } from "../api.js";
import { bindSmoothing } from "../controls.js";
import { $, el } from "../dom.js";
import { RunList } from "../run_list.js";
import { leftOutNote, rememberedMaxRuns } from "../run_cap.js";
import { ScalarChart } from "../scalars/chart.js";
import { readState, writeState } from "../url_state.js";
import { brushedRuns, drawParcoords } from "./parcoords.js";
import { clearTable, renderTable } from "./table.js";

const SPEC = {
  run: ["list", null],
  run_regex: ["string", ""],
  hidden: ["boolean", false],
  metric: ["string", ""],
  smoothing: ["number", 0.6],
  diff: ["boolean", false],
};
const state = Object.assign(readState(SPEC), {
  x: "step", log: false, outliers: false,   // the curves' fixed view (the chart reads it with smoothing)
  runs: [],
  metrics: [],           // the metric choices: the chosen runs' scalar tags and add_hparams metrics
  parcoords: null,       // the last answer of /api/compare/parcoords
  brushBase: null,       // while an axis is brushed, the runs chosen before it (the lines drawn)
  tableRequest: 0,       // counts table requests, so an old answer never overwrites a newer one
  parcoordsRequest: 0,   // the same for the parallel coordinates
  max_runs: rememberedMaxRuns(), // runs the curves draw at most: the Scalars page's setting
});

const table = $("compare-table");
let chart = null;

const runList = new RunList(document.querySelector("[data-run-list]"), state, () => userChangedRuns(), () => loadRuns());

function chosen() {
  return runList.shown();
}

function save() {
  writeState(SPEC, state);
}

// ---- the table -------------------------------------------------------------------------------

// The table holds at most this many runs (dashboard/compare/routes.py MAX_RUNS): the first ones chosen.
const TABLE_RUNS = 100;

async function updateTable(chosenNames) {
  const ticket = ++state.tableRequest;
  const names = chosenNames.slice(0, TABLE_RUNS);
  const note = $("compare-table-note");
  note.hidden = names.length === chosenNames.length;
  note.textContent = note.hidden ? "" : `The table compares the first ${TABLE_RUNS} of ${chosenNames.length.toLocaleString("en-US")} `
    + "selected runs; narrow the run filter to compare the rest.";
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
  if (state.parcoords) drawParcoordsOf(state.parcoords);
});

// ---- the metric, its curves ------------------------------------------------------------------

// The metric choices come with the parallel coordinates (the server picks the default metric).
function fillMetrics(choices) {
  const select = $("compare-metric");
  if (state.metrics.join("\n") !== choices.join("\n")) {
    state.metrics = choices;
    select.replaceChildren(...choices.map((tag) => el("option", { value: tag }, tag)));
  }
  select.value = state.metric;
}

$("compare-metric").addEventListener("change", () => {
  state.metric = $("compare-metric").value;
  chart = null;
  restoreBrushBase();
  update();
});

function updateCurves() {
  const holder = $("compare-curves");
  if (!state.metric) {
    holder.replaceChildren(el("p", { className: "empty" }, "No chosen run logged a scalar. ", logdirNote()));
    return;
  }
  if (!chart || chart.spec.chart !== state.metric) {
    chart = new ScalarChart({ chart: state.metric, tags: [state.metric] }, {
      view: state,
      shownRuns: () => chosen(),
      settingsName: "the Scalars page's Settings",
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

// The runs the chart draws: those chosen, or while an axis is brushed, those chosen before it.
// At most `state.max_runs` of them, as the curves.
function drawnRuns() {
  return (state.brushBase || chosen().map((run) => run.name)).slice(0, state.max_runs);
}

function drawParcoordsOf(data) {
  return drawParcoords($("compare-parcoords"), data, { diffOnly: state.diff });
}

// Fetches the axes of the drawn runs and the metric (the server's default where none is set, or
// where the set one is none of the drawn runs'), then draws them.
async function updateParcoords() {
  const plot = $("compare-parcoords");
  const runs = drawnRuns();
  if (!runs.length) {
    state.parcoords = null;
    window.Plotly.purge(plot);      // which drops its listeners too
    delete plot.dataset.listening;
    $("parcoords-note").textContent = "No run chosen.";
    return null;
  }
  const ticket = ++state.parcoordsRequest;
  let data = await getJSON("/api/compare/parcoords", state.metric ? { run: runs, metric: state.metric } : { run: runs });
  if (data.metric !== null && !data.choices.includes(data.metric)) {
    data = await getJSON("/api/compare/parcoords", { run: runs });
  }
  if (ticket !== state.parcoordsRequest) return null;   // a newer request answers instead
  state.parcoords = data;
  state.metric = data.metric || "";
  fillMetrics(data.choices);
  await drawParcoordsOf(data);
  if (!plot.dataset.listening) {
    plot.dataset.listening = "1";
    plot.on("plotly_restyle", () => brushed(plot));
  }
  const left = data.excluded.length ? ` ${data.excluded.length} run(s) without a finite ${data.metric} are left out.` : "";
  const all = (state.brushBase || chosen()).length;
  const capped = runs.length < all ? ` ${leftOutNote(runs.length, all)}` : "";
  $("parcoords-note").textContent = `${data.runs.length} runs, coloured by ${data.metric ?? "—"}.${left}${capped}`;
  return data;
}

function restoreBrushBase() {
  if (!state.brushBase) return;
  runList.select(state.brushBase);
  state.brushBase = null;
}

// Brushing: the drawn runs whose lines pass every constrained axis become the chosen runs; clearing
// the last brush chooses again the runs chosen before it.
function brushed(plot) {
  if (!state.parcoords) return;
  const names = brushedRuns(plot, state.parcoords);
  if (names === null) {
    if (!state.brushBase) return;
    restoreBrushBase();
    showStatus("brush cleared: the runs chosen before it are chosen again");
    update({ keepParcoords: true });
    return;
  }
  if (!names.length) {
    // A brush that misses every line would empty the table; keep the runs and say why.
    showStatus("brushed: no run passes every brushed range; the chosen runs are unchanged", true);
    return;
  }
  if (!state.brushBase) state.brushBase = chosen().map((run) => run.name);
  runList.select(names);
  showStatus(`brushed: ${names.length} run${names.length === 1 ? "" : "s"} chosen`);
  update({ keepParcoords: true });
}

// ---- everything ------------------------------------------------------------------------------

// A change the user made in the run list ends any brush: the new choice is the one drawn.
function userChangedRuns() {
  state.brushBase = null;
  update();
}

async function update({ keepParcoords = false } = {}) {
  save();
  updateTable(chosen().map((run) => run.name));
  if (!keepParcoords) {
    try {
      await updateParcoords();
    } catch (error) {
      showStatus(error.message, true);
    }
  }
  save();
  updateCurves();
}

async function loadRuns() {
  const answer = await getJSON("/api/runs", runList.query());
  state.runs = answer.runs;
  runList.setRuns(state.runs, answer.hidden_count);
  await update();
}

loadRuns().catch((error) => showStatus(error.message, true));
