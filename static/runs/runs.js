// The Runs page: the logdir's runs a page at a time, with status, times, steps and each metric's
// last value. Sorting, the regex filter and paging are the server's (GET /api/runs), so a logdir of
// ten thousand runs loads as fast as one of ten; the ticked runs are kept across pages and filters.

import { apiUrl, getJSON, poll, readOnly, runUrl, settings, showStatus } from "../api.js";
import { regexFilter } from "../controls.js";
import { $, el, nameText } from "../dom.js";
import { formatDuration, formatTime, formatValue, statusBadge } from "../format.js";
import { changeLabel, confirmButton, trashRun, updateRun } from "../manage/edit.js";
import { readState, writeState } from "../url_state.js";

const PAGE_SIZES = [25, 50, 100, 250, 500];
const SPEC = { run_regex: ["string", ""], sort: ["string", "name"], desc: ["boolean", false],
  hidden: ["boolean", false], label: ["string", ""], offset: ["number", 0], limit: ["number", 100] };
// /api/runs gives at most this many runs an answer ("select all matching" pages through them).
const MAX_ANSWER = 10000;
// The page's one state object: filters, sort order and page (kept in the URL); the page of runs and
// the counts the server gave with it; the ticked runs (name -> summary), on any page.
const state = Object.assign(readState(SPEC), {
  runs: [], total: 0, matched: 0, hiddenCount: 0, labels: {}, token: null,
  selected: new Map(), allMatching: null, request: 0, shownKey: null, shownRegex: "",
});
if (!PAGE_SIZES.includes(state.limit)) state.limit = 100;
if (!(Number.isInteger(state.offset) && state.offset >= 0)) state.offset = 0;
const table = $("runs-table");
const fmt = (n) => n.toLocaleString("en-US");

const FIXED_COLUMNS = [
  { key: "name", label: "Run", value: (run) => run.name },
  { key: "status", label: "Status", value: (run) => run.status },
  { key: "start_time", label: "Started", value: (run) => run.start_time },
  { key: "duration", label: "Duration", value: (run) => run.duration },
  { key: "steps", label: "Steps", value: (run) => run.steps },
];

// A column per scalar tag the page's runs logged (and the one sorted by, even if none of them did).
function metricColumns() {
  const tags = new Set();
  for (const run of state.runs) {
    for (const [tag, info] of Object.entries(run.tags || {})) if (info.kind === "scalar") tags.add(tag);
  }
  if (state.sort.startsWith("tag:")) tags.add(state.sort.slice(4));
  return [...tags].sort().map((tag) => ({
    key: `tag:${tag}`, label: tag, metric: true,
    value: (run) => (run.tags && run.tags[tag] ? Number(run.tags[tag].last) : null),
  }));
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
  const all = el("input", { type: "checkbox", id: "select-page", title: "Select the runs of this page",
    ariaLabel: "Select the runs of this page" });
  const header = [el("th", {}, all)];
  for (const c of columns) {
    const sorted = c.key === column.key;
    const button = el("button", { type: "button", className: "sort", dataset: { sort: c.key } },
      c.metric ? nameText(c.label) : c.label, sorted ? (state.desc ? " ▼" : " ▲") : "");
    header.push(el("th", { className: c.metric ? "metric" : "", ariaSort: sorted ? (state.desc ? "descending" : "ascending") : "none" }, button));
  }
  headRow.replaceChildren(...header);

  const rows = state.runs.map((run) => {
    if (state.selected.has(run.name)) state.selected.set(run.name, run); // the ticked run as it is now
    const box = el("input", { type: "checkbox", checked: state.selected.has(run.name), dataset: { run: run.name }, ariaLabel: `Select ${run.name}` });
    return el("tr", { className: `status-${run.status}${run.hidden ? " run-hidden" : ""}`, dataset: { run: run.name } },
      el("td", {}, box), ...columns.map((c) => cell(c, run)));
  });
  table.tBodies[0].replaceChildren(...rows);
  all.addEventListener("change", () => {
    for (const run of state.runs) (all.checked ? state.selected.set(run.name, run) : state.selected.delete(run.name));
    renderSelection();
  });
  $("runs-empty").hidden = state.total > 0;
  $("run-count").textContent = `${fmt(state.matched)} of ${fmt(state.total)} runs`;
  renderPager();
  renderSelection();
}

// The page controls: where this page is among the matching runs, and the way to the others.
function renderPager() {
  const last = Math.max(0, Math.ceil(state.matched / state.limit) - 1) * state.limit;
  const first = state.runs.length ? state.offset + 1 : 0;
  $("page-info").textContent = state.matched
    ? `Rows ${fmt(first)}–${fmt(state.offset + state.runs.length)} of ${fmt(state.matched)}` : "No matching runs";
  $("page-first").disabled = $("page-prev").disabled = state.offset === 0;
  $("page-next").disabled = $("page-last").disabled = state.offset >= last;
  $("page-last").dataset.offset = String(last);
  $("page-size").value = String(state.limit);
  $("runs-pager").hidden = state.matched <= state.limit && state.offset === 0;
}

// What depends on the ticked runs only: their count, the buttons that act on them.
function renderSelection() {
  const count = state.selected.size;
  const all = $("select-page");
  if (all) {
    const ticked = state.runs.filter((run) => state.selected.has(run.name)).length;
    all.checked = state.runs.length > 0 && ticked === state.runs.length;
    all.indeterminate = ticked > 0 && ticked < state.runs.length;
  }
  $("selection-count").textContent = count ? `${fmt(count)} selected` : "";
  $("clear-selection").hidden = count === 0;
  const everyMatch = state.matched > 0 && state.allMatching === filterKey() && count >= state.matched;
  $("select-matching").hidden = state.matched <= state.runs.length || everyMatch;
  $("select-matching").textContent = `Select all ${fmt(state.matched)} matching`;
  $("open-scalars").disabled = count === 0;
  $("open-compare").disabled = count < 2;
  renderManage(count);
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

// A new order, filter or page size starts at the first page.
function reload({ first = true } = {}) {
  if (first) state.offset = 0;
  writeState(SPEC, state);
  return refresh().catch((error) => showStatus(error.message, true));
}

table.tHead.addEventListener("click", (event) => {
  const button = event.target.closest("button.sort");
  if (!button) return;
  if (state.sort === button.dataset.sort) state.desc = !state.desc;
  else Object.assign(state, { sort: button.dataset.sort, desc: false });
  reload();
});
table.tBodies[0].addEventListener("change", (event) => {
  const box = event.target.closest("input[type=checkbox]");
  if (!box) return;
  if (box.checked) state.selected.set(box.dataset.run, state.runs.find((run) => run.name === box.dataset.run));
  else state.selected.delete(box.dataset.run);
  renderSelection();
});

// The server filters (RE2, as TensorBoard's); typing waits for a pause before asking it.
let typing = null;
regexFilter($("run-filter"), $("run-filter-error"), state, "run_regex", (regex, initial) => {
  if (initial) return;
  clearTimeout(typing);
  typing = setTimeout(() => reload(), 200);
});

for (const [id, to] of [["page-first", () => 0], ["page-prev", () => Math.max(0, state.offset - state.limit)],
  ["page-next", () => state.offset + state.limit], ["page-last", () => Number($("page-last").dataset.offset)]]) {
  $(id).addEventListener("click", () => {
    state.offset = to();
    reload({ first: false });
  });
}
$("page-size").addEventListener("change", () => {
  state.limit = Number($("page-size").value);
  reload();
});

// The filters of the list, as /api/runs takes them (without the page).
function filters() {
  return { run_regex: state.run_regex || undefined, hidden: state.hidden ? 1 : undefined, label: state.label || undefined };
}

// Which filters "select all matching" was done under (the selection then reads as those filters).
function filterKey() {
  return JSON.stringify(filters());
}

// Every run the filters keep, ticked: their names and summaries without the per-tag part
// (tags=0), MAX_ANSWER a request.
$("select-matching").addEventListener("click", async () => {
  const key = filterKey();
  const button = $("select-matching");
  button.disabled = true;
  button.textContent = "Selecting…";
  try {
    for (let offset = 0; ; offset += MAX_ANSWER) {
      const answer = await getJSON("/api/runs", { ...filters(), tags: 0, offset, limit: MAX_ANSWER });
      for (const run of answer.runs) if (!state.selected.has(run.name)) state.selected.set(run.name, run);
      if (offset + MAX_ANSWER >= answer.matched) break;
    }
    state.allMatching = key;
  } catch (error) {
    showStatus(error.message, true);
  } finally {
    button.disabled = false;
  }
  renderSelection();
});
$("clear-selection").addEventListener("click", () => {
  state.selected.clear();
  state.allMatching = null;
  render();
});

// The ticked runs, in name order.
function chosenRuns() {
  return chosenSummaries().map((run) => run.name);
}

function chosenSummaries() {
  return [...state.selected.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
    for (const run of runs) {
      await updateRun(run.name, { hidden });
      run.hidden = hidden; // the ticked run's summary, as on the server now
    }
  }));
}
for (const [id, add] of [["add-label", true], ["remove-label", false]]) {
  $(id).addEventListener("click", () => {
    const label = $("bulk-label").value.trim();
    manage((n) => `${add ? "Labelled" : "Unlabelled"} ${plural(n)} '${label}'.`, (runs) => changeLabel(runs, label, add));
  });
}
$("bulk-label").addEventListener("input", () => renderManage(state.selected.size));
confirmButton($("delete-selected"), () => `Confirm: move ${plural(state.selected.size)} to trash`, () =>
  manage((n) => `Moved ${plural(n)} to the trash.`, async (runs) => {
    for (const run of runs) {
      await trashRun(run.name);
      state.selected.delete(run.name);
    }
  }));
$("show-hidden").addEventListener("change", () => {
  state.hidden = $("show-hidden").checked;
  reload();
});
$("label-filter").addEventListener("change", () => {
  state.label = $("label-filter").value;
  reload();
});

// Ticked hidden runs stay shown on the page opened (its run selector shows hidden runs too). Every
// run matching the filter ticked opens as that filter rather than thousands of names in the URL.
function openWith(path) {
  const hidden = state.hidden || chosenSummaries().some((run) => run.hidden) ? 1 : undefined;
  const everyMatch = state.allMatching === filterKey() && state.selected.size === state.matched && !state.label;
  window.location.href = apiUrl(path, everyMatch ? { run_regex: state.run_regex || undefined, hidden }
    : { run: chosenRuns(), hidden });
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

// The current page. A poll asks only what changed since the last answer (`since`): with nothing
// changed the table's DOM is left alone (no flicker, no lost focus or text selection); with any
// change the page is fetched again. An answer older than a newer request is dropped.
async function refresh({ since = false } = {}) {
  const ticket = ++state.request;
  const query = { ...filters(), sort: state.sort === "name" ? undefined : state.sort, desc: state.desc ? 1 : undefined,
    offset: state.offset || undefined, limit: state.limit };
  // `since` only holds for the query the table shows: a poll right after a new filter asks in full.
  const key = JSON.stringify(query);
  const token = since && key === state.shownKey ? state.token : undefined;
  const asked = state.run_regex;
  let answer;
  try {
    answer = await getJSON("/api/runs", { ...query, since: token });
  } catch (error) {
    if (ticket !== state.request) return;
    if (error.status === 400 && /run_regex/.test(error.message)) {
      // A pattern the server refuses (RE2 has no backreferences): say so, and go on polling (and
      // keep in the URL) the filter the table shows.
      $("run-filter-error").textContent = error.message;
      $("run-filter-error").hidden = false;
      state.run_regex = state.shownRegex;
      writeState(SPEC, state);
      return;
    }
    throw error;
  }
  if (ticket !== state.request) return;
  const building = indexing(answer);
  if (answer.delta) {
    if (!answer.runs.length && !answer.removed.length) return;
    return refresh();
  }
  $("run-filter-error").hidden = true;
  if (!answer.runs.length && state.offset > 0 && answer.matched > 0) {
    // Runs went away under this page: show the last page there is.
    state.offset = Math.floor((answer.matched - 1) / state.limit) * state.limit;
    writeState(SPEC, state);
    return refresh();
  }
  Object.assign(state, { runs: answer.runs, token: answer.token, shownKey: key, shownRegex: asked, total: answer.total, matched: answer.matched,
    hiddenCount: answer.hidden_count, labels: answer.labels });
  render();
  if (building) return;
  const running = state.runs.filter((run) => run.status === "running").length;
  showStatus(running ? `${running} running on this page` : "");
}

// While the server builds its first index of the logdir, an answer holds the runs found so far
// (`indexing`): say so, and ask again in a second rather than at the next poll.
let indexingTimer = null;
function indexing(answer) {
  clearTimeout(indexingTimer);
  if (!answer.indexing) return false;
  showStatus(`Indexing the logdir: ${fmt(answer.total)} runs found so far…`);
  indexingTimer = setTimeout(() => refresh({ since: true }).catch((error) => showStatus(error.message, true)), 1000);
  return true;
}
refresh().catch((error) => showStatus(error.message, true));
poll(settings().refreshSeconds, () => refresh({ since: true }), { immediate: false });
