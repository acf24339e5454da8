// The Scalars page: settings and run selector in the URL, charts grouped by tag prefix, pinned charts
// in a group of their own at the top, live refresh.
//
// `state` is the page's one state object: the settings the URL keeps (SPEC) and what the page knows
// (the runs last loaded, the tag filter). Controls write into it; nothing is read back from the DOM.
// The settings in PERSISTED are also remembered across sessions (settings.js); the URL wins.

import { getJSON, showStatus } from "../api.js";
import { bindLive, bindRadios, bindSmoothing, bindTagFilter } from "../controls.js";
import { $ } from "../dom.js";
import { DEFAULT_MAX_RUNS, MAX_RUNS_LIMIT, validMaxRuns } from "../run_cap.js";
import { RunFeed } from "../run_feed.js";
import { RunList } from "../run_list.js";
import { rememberSettings, restoreSettings } from "../settings.js";
import { groupSection, insertSorted, showCount } from "../tag_groups.js";
import { readState, writeState } from "../url_state.js";
import { X_MODES } from "../x_axis.js";
import { ScalarChart } from "./chart.js";
import { TOOLTIP_SORTS } from "./tooltip.js";

const SPEC = {
  run: ["list", null],
  run_regex: ["string", ""],
  hidden: ["boolean", false],
  tag_regex: ["string", ""],
  smoothing: ["number", 0.6],
  x: ["string", "step"],
  log: ["boolean", false],
  outliers: ["boolean", true],
  tooltip_sort: ["string", "default"],
  live: ["boolean", true],
  collapsed: ["list", null],
  pinned: ["list", null],
  max_runs: ["number", DEFAULT_MAX_RUNS],
};
const PERSISTED = ["smoothing", "x", "outliers", "tooltip_sort", "pinned", "max_runs"];
const PINNED = "\u0000pinned"; // the Pinned group's key among the sections: no tag group's name

const state = readState(SPEC);
restoreSettings(SPEC, PERSISTED, state);
if (!X_MODES.includes(state.x)) state.x = "step";
if (!TOOLTIP_SORTS.includes(state.tooltip_sort)) state.tooltip_sort = "default";
state.max_runs = validMaxRuns(state.max_runs);
Object.assign(state, {
  collapsed: new Set(state.collapsed || []), // tag groups folded
  pinned: new Set((state.pinned || []).filter(Boolean)), // charts shown in the Pinned group too
  tagRegex: null,
  runNames: new Set(), // of the runs last loaded
  tagSignature: null, // of the runs' tags when the charts were last listed (null: never)
});

const sections = new Map(); // group name (or PINNED) -> {details, grid, charts: Map(chart key -> ScalarChart)}
const specs = new Map(); // chart key -> its spec, from the last /api/tags

const chartsRoot = $("charts");
const emptyNote = $("charts-empty");

// What every chart of the page reads: the view settings (from the state), the shown runs, errors;
// and what it offers: charts in a grid (so each can be enlarged to a whole row) that can be pinned.
const page = {
  view: state,
  shownRuns: () => runList.shown(),
  reportError: (error) => showStatus(error.message, true),
  chartGrid: true,
  togglePin,
};

const runList = new RunList(document.querySelector("[data-run-list]"), state, () => {
  save();
  updateCharts();
}, () => {
  feed.reset();
  return loadRuns().then(updateCharts);
});
// The charts need each run's tags (which it logged, their last steps for live refresh).
const feed = new RunFeed(() => runList.query());

function save() {
  writeState(SPEC, { ...state, collapsed: state.collapsed.size ? [...state.collapsed] : null,
    pinned: state.pinned.size ? [...state.pinned] : null });
}

// A setting the user just chose: into the URL, and remembered for the next session.
function saveSetting(key) {
  save();
  rememberSettings([key], state);
}

function charts() {
  return [...sections.values()].flatMap((section) => [...section.charts.values()]);
}

// Charts draw when they first scroll into view, then stay current.
const visibility = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    visibility.unobserve(entry.target);
    entry.target.chart.visible = true;
    entry.target.chart.update();
  }
}, { rootMargin: "100% 0px" }); // one screen ahead, so scrolling finds charts drawn

function chartMatches(chart) {
  const regex = state.tagRegex;
  return !regex || regex.test(chart.spec.chart) || chart.tags.some((tag) => regex.test(tag));
}

function addChart(section, spec) {
  const chart = new ScalarChart(spec, page);
  chart.element.chart = chart;
  chart.showPinned(state.pinned.has(spec.chart));
  section.charts.set(spec.chart, chart);
  visibility.observe(chart.element);
  return chart;
}

// The Pinned group at the top holds a second card of every pinned chart whose tags exist.
function syncPinned() {
  let section = sections.get(PINNED);
  if (!section) {
    section = groupSection("Pinned", { dataset: { pinned: "" }, className: "tag-group pinned",
      onToggle: (open) => open && updateCharts() });
    sections.set(PINNED, section);
    emptyNote.after(section.details);
  }
  for (const [key, chart] of section.charts) {
    if (state.pinned.has(key) && specs.has(key)) continue;
    visibility.unobserve(chart.element);
    chart.element.remove();
    section.charts.delete(key);
  }
  for (const key of [...state.pinned].sort()) {
    if (!specs.has(key) || section.charts.has(key)) continue;
    const chart = addChart(section, specs.get(key));
    insertSorted(section.grid, chart.element, key, (node) => node.dataset.chart);
  }
  for (const chart of charts()) chart.showPinned(state.pinned.has(chart.spec.chart));
}

function togglePin(key) {
  if (state.pinned.has(key)) state.pinned.delete(key);
  else state.pinned.add(key);
  saveSetting("pinned");
  syncPinned();
  updateCharts();
}

function buildSections(groups) {
  for (const group of groups) {
    // A custom-scalars category is its own section even where a tag group has its name.
    const key = group.custom ? `custom:${group.name}` : group.name;
    let section = sections.get(key);
    if (!section) {
      // Custom-scalars categories (add_custom_scalars) come first, as a dashboard of their own.
      const order = `${group.custom ? 0 : 1}${group.name}`;
      section = groupSection(group.name, {
        open: !state.collapsed.has(key), dataset: { group: key, order },
        className: group.custom ? "tag-group custom" : "tag-group", kind: group.custom ? "custom scalars" : null,
        onToggle: (open) => {
          if (open) state.collapsed.delete(key);
          else state.collapsed.add(key);
          save();
          if (open) updateCharts();
        } });
      sections.set(key, section);
      insertSorted(chartsRoot, section.details, order, (node) => node.dataset.order);
    }
    for (const spec of group.charts) {
      specs.set(spec.chart, spec);
      const existing = section.charts.get(spec.chart);
      if (existing) {
        existing.spec = spec;
        continue;
      }
      const chart = addChart(section, spec);
      insertSorted(section.grid, chart.element, spec.chart, (node) => node.dataset.chart);
    }
  }
  for (const chart of sections.has(PINNED) ? sections.get(PINNED).charts.values() : []) {
    if (specs.has(chart.spec.chart)) chart.spec = specs.get(chart.spec.chart);
  }
  syncPinned();
}

function updateCharts() {
  let visibleCharts = 0;
  for (const section of sections.values()) {
    let count = 0;
    for (const chart of section.charts.values()) {
      const show = chartMatches(chart) && chart.pairs().length > 0;
      chart.element.hidden = !show;
      if (!show) continue;
      count += 1;
      if (chart.visible && section.details.open) chart.update();
    }
    section.details.hidden = count === 0;
    showCount(section, count);
    visibleCharts += count;
  }
  emptyNote.hidden = visibleCharts > 0;
}

function renderAll() {
  for (const chart of charts()) if (chart.visible && !chart.element.hidden) chart.render();
}

// Fetch what changed in the run list; false when nothing did (nothing is redrawn then).
async function loadRuns() {
  // The first load asks for the charts beside the runs rather than after them (each takes a while
  // on thousands of runs); an answer it does not use is dropped.
  const first = state.tagSignature === null ? getJSON("/api/tags").catch(() => null) : null;
  if (!(await feed.load())) return false;
  const runs = feed.runs();
  const hiddenCount = feed.hiddenCount;
  const names = new Set(runs.map((run) => run.name));
  for (const name of state.runNames) {
    if (!names.has(name)) for (const chart of charts()) chart.forgetRun(name);
  }
  state.runNames = names;
  runList.setRuns(runs, hiddenCount);
  const signature = runs.map((run) => `${run.name}\u0001${Object.keys(run.tags || {}).join("\u0002")}`).join("\u0003");
  if (signature !== state.tagSignature) {
    state.tagSignature = signature;
    const { groups } = (first && (await first)) || (await getJSON("/api/tags"));
    buildSections(groups);
  }
  return true;
}

async function liveTick() {
  if (await loadRuns()) {
    updateCharts();
    for (const section of sections.values()) {
      if (!section.details.open) continue;
      for (const chart of section.charts.values()) if (chart.visible && !chart.element.hidden) chart.refresh();
    }
  }
  const running = runList.shown().filter((run) => run.status === "running").length;
  showStatus(running ? `live: ${running} shown run${running === 1 ? " is" : "s are"} running`
    : "live: watching for new runs (no shown run is running)");
}

function bindControls() {
  bindSmoothing(state, () => {
    saveSetting("smoothing");
    renderAll();
  });

  bindRadios("x", state, "x", () => {
    saveSetting("x");
    renderAll();
  });
  const checkboxes = { "log-scale": "log", "ignore-outliers": "outliers" };
  for (const [id, key] of Object.entries(checkboxes)) {
    const box = $(id);
    box.checked = state[key];
    box.addEventListener("change", () => {
      state[key] = box.checked;
      if (PERSISTED.includes(key)) saveSetting(key);
      else save();
      renderAll();
    });
  }

  const sort = $("tooltip-sort");
  sort.value = state.tooltip_sort;
  sort.addEventListener("change", () => {
    state.tooltip_sort = sort.value;
    saveSetting("tooltip_sort");
  });

  bindTagFilter(state, () => {
    save();
    updateCharts();
  });

  const maxRuns = $("max-runs");
  maxRuns.value = state.max_runs;
  maxRuns.addEventListener("change", () => {
    const value = Number(maxRuns.value);
    if (validMaxRuns(value) !== value) {
      showStatus(`Runs per chart must be a whole number from 1 to ${MAX_RUNS_LIMIT.toLocaleString("en-US")}, got '${maxRuns.value.slice(0, 20)}'`, true);
      maxRuns.value = state.max_runs;
      return;
    }
    state.max_runs = value;
    saveSetting("max_runs");
    updateCharts();
  });
}

bindControls();
const setLive = bindLive(state, liveTick, save);
loadRuns()
  .then(() => {
    updateCharts();
    setLive(false); // the runs were just loaded
  })
  .catch((error) => showStatus(error.message, true));
