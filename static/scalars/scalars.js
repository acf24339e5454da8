// The Scalars page: settings and run selector in the URL, charts grouped by tag prefix, live refresh.

import { getJSON, poll, settings, showStatus } from "../api.js";
import { el } from "../format.js";
import { RunList } from "../run_list.js";
import { ScalarChart } from "./chart.js";
import { readState, regexFilter, writeState } from "../url_state.js";

const SPEC = {
  run: ["list", null],
  run_regex: ["string", ""],
  tag_regex: ["string", ""],
  smoothing: ["number", 0.6],
  x: ["string", "step"],
  log: ["boolean", false],
  outliers: ["boolean", false],
  live: ["boolean", true],
  collapsed: ["list", null],
};
const X_MODES = ["step", "relative", "wall"];

const state = readState(SPEC);
state.smoothing = Math.min(0.999, Math.max(0, state.smoothing));
if (!X_MODES.includes(state.x)) state.x = "step";

const chartsRoot = document.getElementById("charts");
const emptyNote = document.getElementById("charts-empty");
const sections = new Map(); // group name -> {details, grid, charts: Map(chart key -> ScalarChart)}
const collapsed = new Set(state.collapsed || []);
let tagRegex = null;
let runsByName = new Map();
let tagSignature = "";

const page = {
  view: { smoothing: state.smoothing, x: state.x, log: state.log, outliers: state.outliers },
  shownRuns: () => runList.shown(),
  reportError: (error) => showStatus(error.message, true),
};

const runList = new RunList(document.querySelector("[data-run-list]"), {
  selected: state.run && state.run.filter(Boolean),
  filter: state.run_regex,
  onChange: () => {
    save();
    updateCharts();
  },
});

function save() {
  writeState(SPEC, {
    ...page.view,
    run: runList.selection(),
    run_regex: runList.filter,
    tag_regex: document.getElementById("tag-filter").value,
    live: document.getElementById("live").checked,
    collapsed: collapsed.size ? [...collapsed] : null,
  });
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
  return !tagRegex || tagRegex.test(chart.spec.chart) || chart.tags.some((tag) => tagRegex.test(tag));
}

function buildSections(groups) {
  for (const group of groups) {
    let section = sections.get(group.name);
    if (!section) {
      const details = el("details", { className: "tag-group", open: !collapsed.has(group.name), dataset: { group: group.name } });
      const summary = el("summary", {}, el("span", { className: "group-name" }, group.name), el("span", { className: "group-count" }));
      const grid = el("div", { className: "chart-grid" });
      details.append(summary, grid);
      details.addEventListener("toggle", () => {
        if (details.open) collapsed.delete(group.name);
        else collapsed.add(group.name);
        save();
        if (details.open) updateCharts();
      });
      section = { details, grid, charts: new Map() };
      sections.set(group.name, section);
      insertSorted(chartsRoot, details, group.name, (node) => node.dataset.group);
    }
    for (const spec of group.charts) {
      const existing = section.charts.get(spec.chart);
      if (existing) {
        existing.spec = spec;
        continue;
      }
      const chart = new ScalarChart(spec, page);
      chart.element.chart = chart;
      section.charts.set(spec.chart, chart);
      insertSorted(section.grid, chart.element, spec.chart, (node) => node.dataset.chart);
      visibility.observe(chart.element);
    }
  }
}

function insertSorted(parent, node, key, keyOf) {
  const after = [...parent.children].find((child) => keyOf(child) !== undefined && keyOf(child) > key);
  parent.insertBefore(node, after || null);
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
    section.details.querySelector(".group-count").textContent = `${count} chart${count === 1 ? "" : "s"}`;
    visibleCharts += count;
  }
  emptyNote.hidden = visibleCharts > 0;
}

function renderAll() {
  for (const section of sections.values()) {
    for (const chart of section.charts.values()) if (chart.visible && !chart.element.hidden) chart.render();
  }
}

async function loadRuns() {
  const { runs } = await getJSON("/api/runs");
  const names = new Set(runs.map((run) => run.name));
  for (const name of runsByName.keys()) {
    if (!names.has(name)) for (const section of sections.values()) for (const chart of section.charts.values()) chart.forgetRun(name);
  }
  runsByName = new Map(runs.map((run) => [run.name, run]));
  runList.setRuns(runs);
  const signature = runs.map((run) => `${run.name}\u0001${Object.keys(run.tags || {}).join("\u0002")}`).join("\u0003");
  if (signature !== tagSignature) {
    tagSignature = signature;
    const { groups } = await getJSON("/api/tags");
    buildSections(groups);
  }
  return runs;
}

function liveTick() {
  return async () => {
    const runs = await loadRuns();
    updateCharts();
    const running = runList.shown().filter((run) => run.status === "running").length;
    for (const section of sections.values()) {
      if (!section.details.open) continue;
      for (const chart of section.charts.values()) if (chart.visible && !chart.element.hidden) chart.refresh();
    }
    showStatus(running ? `live: ${running} shown run${running === 1 ? " is" : "s are"} running`
      : "live: watching for new runs (no shown run is running)");
  };
}

function bindControls() {
  const slider = document.getElementById("smoothing");
  const number = document.getElementById("smoothing-value");
  slider.value = number.value = String(page.view.smoothing);
  const setSmoothing = (value) => {
    const weight = Math.min(0.999, Math.max(0, Number(value) || 0));
    page.view.smoothing = weight;
    slider.value = number.value = String(weight);
    save();
    renderAll();
  };
  slider.addEventListener("input", () => setSmoothing(slider.value));
  number.addEventListener("change", () => setSmoothing(number.value));

  for (const radio of document.querySelectorAll("input[name=x]")) {
    radio.checked = radio.value === page.view.x;
    radio.addEventListener("change", () => {
      page.view.x = radio.value;
      save();
      renderAll();
    });
  }
  const toggles = { "log-scale": "log", "ignore-outliers": "outliers" };
  for (const [id, key] of Object.entries(toggles)) {
    const box = document.getElementById(id);
    box.checked = page.view[key];
    box.addEventListener("change", () => {
      page.view[key] = box.checked;
      save();
      renderAll();
    });
  }

  regexFilter(document.getElementById("tag-filter"), document.getElementById("tag-filter-error"), state.tag_regex,
    (regex, text, initial) => {
      tagRegex = regex;
      if (initial) return;
      save();
      updateCharts();
    });

  const live = document.getElementById("live");
  live.checked = state.live;
  let stop = null;
  const setLive = (immediate = true) => {
    if (stop) stop();
    stop = null;
    if (live.checked) stop = poll(settings().refreshSeconds, liveTick(), { immediate });
    else showStatus("live refresh off");
    save();
  };
  live.addEventListener("change", () => setLive());
  return setLive;
}

const startLive = bindControls();
loadRuns()
  .then(() => {
    updateCharts();
    startLive(false); // the runs were just loaded
  })
  .catch((error) => showStatus(error.message, true));
