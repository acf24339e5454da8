// The Runs page: every run with status, times, steps and each metric's last value; sortable, filterable.

import { apiUrl, getJSON, poll, runUrl, settings, showStatus } from "../api.js";
import { regexFilter } from "../controls.js";
import { $, el, nameText } from "../dom.js";
import { formatDuration, formatTime, formatValue, statusBadge } from "../format.js";
import { readState, writeState } from "../url_state.js";

const SPEC = { run_regex: ["string", ""], sort: ["string", "name"], desc: ["boolean", false] };
// The page's one state object: filter and sort order (kept in the URL), the runs, the ticked ones.
const state = Object.assign(readState(SPEC), { runs: [], selected: new Set(), regex: null });
const table = $("runs-table");

const FIXED_COLUMNS = [
  { key: "name", label: "Run", value: (run) => run.name },
  { key: "status", label: "Status", value: (run) => run.status },
  { key: "start_time", label: "Started", value: (run) => run.start_time },
  { key: "duration", label: "Duration", value: (run) => run.duration },
  { key: "steps", label: "Steps", value: (run) => run.steps },
];

function metricColumns() {
  const tags = new Set();
  for (const run of state.runs) {
    for (const [tag, info] of Object.entries(run.tags || {})) if (info.kind === "scalar") tags.add(tag);
  }
  return [...tags].sort().map((tag) => ({
    key: `tag:${tag}`, label: tag, metric: true,
    value: (run) => (run.tags && run.tags[tag] ? Number(run.tags[tag].last) : null),
  }));
}

// Order by value in the chosen direction; runs without a value always go last.
function compare(a, b, desc) {
  const missingA = a === null || a === undefined || Number.isNaN(a);
  const missingB = b === null || b === undefined || Number.isNaN(b);
  if (missingA || missingB) return missingA - missingB;
  const order = typeof a === "string" || typeof b === "string" ? String(a).localeCompare(String(b)) : a - b;
  return desc ? -order : order;
}

function cell(column, run) {
  const value = column.value(run);
  if (column.key === "name") {
    const link = el("a", { href: runUrl(run.name) }, nameText(run.name));
    return el("td", { className: "run-name" }, el("span", { className: "swatch", style: { background: run.color || "#999" } }), link);
  }
  if (column.key === "status") {
    return el("td", {}, statusBadge(run), run.error ? el("div", { className: "status-reason" }, run.error) : null,
      ...(run.problems || []).map((problem) => el("div", { className: "status-reason run-problem" }, problem)));
  }
  if (column.key === "steps") {
    return el("td", { className: "num", title: "logged steps (the most-logged scalar's points) and the last step" },
      value ?? "", run.last_step === null || run.last_step === undefined ? null
        : el("span", { className: "last-step" }, ` last ${run.last_step}`));
  }
  if (column.key === "start_time") return el("td", { className: "num" }, formatTime(value));
  if (column.key === "duration") return el("td", { className: "num" }, formatDuration(value));
  return el("td", { className: "num" }, value === null || value === undefined ? "" : formatValue(value));
}

function render() {
  const columns = [...FIXED_COLUMNS, ...metricColumns()];
  const column = columns.find((c) => c.key === state.sort) || columns[0];
  const headRow = table.tHead.rows[0];
  const all = el("input", { type: "checkbox", title: "Select all shown runs", ariaLabel: "Select all shown runs" });
  const header = [el("th", {}, all)];
  for (const c of columns) {
    const sorted = c.key === column.key;
    const button = el("button", { type: "button", className: "sort", dataset: { sort: c.key } },
      c.metric ? nameText(c.label) : c.label, sorted ? (state.desc ? " ▼" : " ▲") : "");
    header.push(el("th", { className: c.metric ? "metric" : "", ariaSort: sorted ? (state.desc ? "descending" : "ascending") : "none" }, button));
  }
  headRow.replaceChildren(...header);

  const shown = state.runs.filter((run) => !state.regex || state.regex.test(run.name));
  shown.sort((a, b) => compare(column.value(a), column.value(b), state.desc) || a.name.localeCompare(b.name));
  const rows = shown.map((run) => {
    const box = el("input", { type: "checkbox", checked: state.selected.has(run.name), dataset: { run: run.name }, ariaLabel: `Select ${run.name}` });
    return el("tr", { className: `status-${run.status}`, dataset: { run: run.name } },
      el("td", {}, box), ...columns.map((c) => cell(c, run)));
  });
  table.tBodies[0].replaceChildren(...rows);
  all.checked = shown.length > 0 && shown.every((run) => state.selected.has(run.name));
  all.addEventListener("change", () => {
    for (const run of shown) (all.checked ? state.selected.add(run.name) : state.selected.delete(run.name));
    render();
  });
  $("runs-empty").hidden = state.runs.length > 0;
  $("run-count").textContent = `${shown.length} of ${state.runs.length} runs`;
  const chosen = chosenRuns();
  $("open-scalars").disabled = chosen.length === 0;
  $("open-compare").disabled = chosen.length < 2;
}

table.tHead.addEventListener("click", (event) => {
  const button = event.target.closest("button.sort");
  if (!button) return;
  if (state.sort === button.dataset.sort) state.desc = !state.desc;
  else Object.assign(state, { sort: button.dataset.sort, desc: false });
  writeState(SPEC, state);
  render();
});
table.tBodies[0].addEventListener("change", (event) => {
  const box = event.target.closest("input[type=checkbox]");
  if (!box) return;
  if (box.checked) state.selected.add(box.dataset.run);
  else state.selected.delete(box.dataset.run);
  render();
});

regexFilter($("run-filter"), $("run-filter-error"), state, "run_regex", (regex, initial) => {
  state.regex = regex;
  writeState(SPEC, state);
  if (!initial) render();
});

// The ticked runs, in the order of the run list.
function chosenRuns() {
  return state.runs.filter((run) => state.selected.has(run.name)).map((run) => run.name);
}

function openWith(path) {
  window.location.href = apiUrl(path, { run: chosenRuns() });
}
$("open-scalars").addEventListener("click", () => openWith("/scalars"));
$("open-compare").addEventListener("click", () => openWith("/compare"));

// A logdir of TensorBoard event files: say so once, with the command that imports them.
getJSON("/api/tensorboard").then((found) => {
  if (!found.count) return;
  $("tensorboard-text").textContent = found.message;
  $("tensorboard-command").textContent = found.command;
  $("tensorboard-notice").hidden = false;
}).catch(() => {});

// A poll whose answer did not change leaves the table's DOM alone (no flicker, no lost focus or
// text selection); the digest is the answer's text.
let digest = null;
poll(settings().refreshSeconds, async () => {
  const runs = (await getJSON("/api/runs")).runs;
  const next = JSON.stringify(runs);
  if (next === digest) return;
  digest = next;
  state.runs = runs;
  render();
  const running = state.runs.filter((run) => run.status === "running").length;
  showStatus(running ? `${running} running` : "");
});
