// The Runs page: every run with status, times, steps and each metric's last value; sortable, filterable.

import { apiUrl, getJSON, poll, readOnly, runUrl, settings, showStatus } from "../api.js";
import { regexFilter } from "../controls.js";
import { $, el, nameText } from "../dom.js";
import { formatDuration, formatTime, formatValue, statusBadge } from "../format.js";
import { changeLabel, confirmButton, trashRun, updateRun } from "../manage/edit.js";
import { readState, writeState } from "../url_state.js";

const SPEC = { run_regex: ["string", ""], sort: ["string", "name"], desc: ["boolean", false],
  hidden: ["boolean", false], label: ["string", ""] };
// The page's one state object: filters and sort order (kept in the URL), the runs and the counts
// the server gave with them (hidden runs, labels), the ticked ones.
const state = Object.assign(readState(SPEC),
  { runs: [], hiddenCount: 0, labels: {}, selected: new Set(), regex: null });
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
    // The user's display name first (the run's own name beside it), then its labels.
    const link = el("a", { href: apiUrl(runUrl(run.name)) }, run.display_name ? run.display_name : nameText(run.name));
    return el("td", { className: "run-name" }, el("span", { className: "swatch", style: { background: run.color || "#999" } }), link,
      run.display_name ? el("span", { className: "run-real-name" }, nameText(run.name)) : null,
      run.hidden ? el("span", { className: "hidden-badge" }, "hidden") : null,
      ...(run.labels || []).map((label) => el("span", { className: "label-chip" }, label)),
      run.notes ? el("span", { className: "notes-mark", title: run.notes }, "✎") : null);
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

  const shown = state.runs.filter((run) => !state.regex || state.regex.test(run.name)
    || (run.display_name && state.regex.test(run.display_name)));
  shown.sort((a, b) => compare(column.value(a), column.value(b), state.desc) || a.name.localeCompare(b.name));
  const rows = shown.map((run) => {
    const box = el("input", { type: "checkbox", checked: state.selected.has(run.name), dataset: { run: run.name }, ariaLabel: `Select ${run.name}` });
    return el("tr", { className: `status-${run.status}${run.hidden ? " run-hidden" : ""}`, dataset: { run: run.name } },
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
  renderManage(chosen.length);
}

// The run management toolbar: the hidden count on its toggle, the labels to filter by, and the
// actions on the ticked runs (disabled on a --read-only server).
function renderManage(chosen) {
  $("show-hidden").checked = state.hidden;
  $("show-hidden-label").textContent = `Show hidden (${state.hiddenCount})`;
  const select = $("label-filter");
  const labels = Object.entries(state.labels);
  if (state.label && !(state.label in state.labels)) labels.push([state.label, 0]);
  select.replaceChildren(el("option", { value: "" }, "any"),
    ...labels.map(([label, count]) => el("option", { value: label }, `${label} (${count})`)));
  select.value = state.label;
  const none = readOnly() || chosen === 0;
  for (const id of ["hide-selected", "unhide-selected", "delete-selected"]) $(id).disabled = none;
  const noLabel = none || !$("bulk-label").value.trim();
  $("add-label").disabled = $("remove-label").disabled = noLabel;
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
  return chosenSummaries().map((run) => run.name);
}

function chosenSummaries() {
  return state.runs.filter((run) => state.selected.has(run.name));
}

// Run `change` over the ticked runs, say what happened, and show the list as it is now.
async function manage(done, change) {
  try {
    const runs = chosenSummaries();
    await change(runs);
    $("manage-status").textContent = done(runs.length);
    $("manage-status").classList.remove("error");
  } catch (error) {
    $("manage-status").textContent = error.message;
    $("manage-status").classList.add("error");
  }
  await refresh();
}

const plural = (n) => `${n} run${n === 1 ? "" : "s"}`;
for (const [id, hidden] of [["hide-selected", true], ["unhide-selected", false]]) {
  $(id).addEventListener("click", () => manage((n) => `${hidden ? "Hid" : "Unhid"} ${plural(n)}.`, async (runs) => {
    for (const run of runs) await updateRun(run.name, { hidden });
  }));
}
for (const [id, add] of [["add-label", true], ["remove-label", false]]) {
  $(id).addEventListener("click", () => {
    const label = $("bulk-label").value.trim();
    manage((n) => `${add ? "Labelled" : "Unlabelled"} ${plural(n)} '${label}'.`, (runs) => changeLabel(runs, label, add));
  });
}
$("bulk-label").addEventListener("input", () => renderManage(chosenRuns().length));
confirmButton($("delete-selected"), () => `Confirm: move ${plural(chosenRuns().length)} to trash`, () =>
  manage((n) => `Moved ${plural(n)} to the trash.`, async (runs) => {
    for (const run of runs) {
      await trashRun(run.name);
      state.selected.delete(run.name);
    }
  }));
$("show-hidden").addEventListener("change", () => {
  state.hidden = $("show-hidden").checked;
  writeState(SPEC, state);
  refresh();
});
$("label-filter").addEventListener("change", () => {
  state.label = $("label-filter").value;
  writeState(SPEC, state);
  refresh();
});

// Ticked hidden runs stay shown on the page opened (its run selector shows hidden runs too).
function openWith(path) {
  const hidden = chosenSummaries().some((run) => run.hidden) ? 1 : undefined;
  window.location.href = apiUrl(path, { run: chosenRuns(), hidden });
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
async function refresh() {
  const answer = await getJSON("/api/runs", { hidden: state.hidden ? 1 : undefined, label: state.label || undefined });
  const next = JSON.stringify(answer);
  if (next === digest) return;
  digest = next;
  Object.assign(state, { runs: answer.runs, hiddenCount: answer.hidden_count, labels: answer.labels });
  render();
  const running = state.runs.filter((run) => run.status === "running").length;
  showStatus(running ? `${running} running` : "");
}
poll(settings().refreshSeconds, refresh);
