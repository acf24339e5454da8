// A run's own page: facts, hparams and metrics, scalar tags, text summaries and plotly figures.

import { getJSON, logdirNote, runUrl, showStatus } from "../api.js";
import { $, el, nameText } from "../dom.js";
import { formatDuration, formatTime, formatValue, statusBadge } from "../format.js";
import { bindRunEditor } from "../manage/run_editor.js";
import { figureConfig } from "../plot_config.js";
import { textBody } from "../text_body.js";

// The page's one piece of state: the run it shows, which the server wrote into the page.
const state = { run: $("run-page").dataset.run };

function keyValueRows(tbody, entries, empty) {
  const rows = entries.map(([key, value]) => el("tr", {}, el("th", {}, key),
    el("td", {}, typeof value === "number" ? formatValue(value)
      : typeof value === "string" ? value : JSON.stringify(value))));
  tbody.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { className: "empty", colSpan: 2 }, empty))]));
}

function renderSummary({ run, hparams, graphs }) {
  $("run-swatch").style.background = run.color || "#999";
  $("run-status").replaceWith(statusBadge(run));
  if (run.error) {
    const error = $("run-error");
    error.textContent = run.error;
    error.hidden = false;
  }
  // Damaged fields of a readable run (tracker RunInfo.problems), each as text.
  const problems = run.problems || [];
  $("run-problems").hidden = problems.length === 0;
  $("run-problems").replaceChildren(...problems.map((problem) => el("li", {}, problem)));
  const graph = $("run-graph");
  graph.hidden = !graphs || graphs.length === 0;
  const facts = [
    ["Status", run.status], ["Started", formatTime(run.start_time)], ["Ended", formatTime(run.end_time)],
    ["Last write", formatTime(run.last_write)], ["Duration", formatDuration(run.duration)],
    ["Steps", run.steps === null || run.steps === undefined ? "" : `${run.steps} (last ${run.last_step})`], ["Host", run.host ?? ""], ["PID", run.pid ?? ""],
    ["Command", run.command ?? ""], ["File", run.path ?? ""],
  ];
  $("run-facts").replaceChildren(
    ...facts.flatMap(([key, value]) => [el("dt", {}, key), el("dd", {}, value)]));
  keyValueRows(document.querySelector("#run-hparams tbody"), Object.entries(hparams.hparams || {}), "No hyperparameters logged.");
  keyValueRows(document.querySelector("#run-metrics tbody"), Object.entries(hparams.metrics || {}), "No hparam metrics logged.");

  const tags = Object.entries(run.tags || {}).filter(([, info]) => info.kind === "scalar");
  const rows = tags.map(([tag, info]) => el("tr", {},
    el("td", {}, nameText(tag)), el("td", { className: "num" }, info.count),
    el("td", { className: "num" }, `${info.first_step} – ${info.last_step}`),
    el("td", { className: "num" }, formatValue(info.last)),
    el("td", { className: "num" }, `${formatValue(info.min)} (${info.min_step})`),
    el("td", { className: "num" }, `${formatValue(info.max)} (${info.max_step})`)));
  document.querySelector("#run-tags tbody").replaceChildren(
    ...(rows.length ? rows : [el("tr", {}, el("td", { className: "empty", colSpan: 6 }, "No scalars logged."))]));
}

function renderTexts({ texts }) {
  const items = texts.map((text) => el("div", { className: "text-summary" },
    el("div", { className: "text-meta" }, `${text.tag} · step ${text.step} · ${formatTime(text.wall_time)}`),
    textBody(text)));
  $("run-texts").replaceChildren(...(items.length ? items : [el("p", { className: "empty" }, "No text logged in this run. ", logdirNote())]));
}

function renderFigures({ figures }) {
  const container = $("run-figures");
  if (!figures.length) {
    container.replaceChildren(el("p", { className: "empty" }, "No figures logged."));
    return;
  }
  container.replaceChildren();
  for (const figure of figures) {
    const plot = el("div", { className: "figure-plot" });
    container.append(el("figure", { className: "figure-card" },
      el("figcaption", {}, `${figure.tag} · step ${figure.step}`), plot));
    const spec = figure.figure || {};
    window.Plotly.newPlot(plot, spec.data || [], { height: 360, ...(spec.layout || {}) }, figureConfig());
  }
}

// Each tensor tag's latest value: small tensors as numpy prints them, larger ones by dtype and shape.
function renderTensors({ tensors }) {
  const latest = new Map();
  for (const tensor of tensors) latest.set(tensor.tag, tensor); // by tag, then step: the last is the latest
  const items = [...latest.values()].map((tensor) => el("div", { className: "text-summary tensor-summary", dataset: { tag: tensor.tag } },
    el("div", { className: "text-meta" },
      `${tensor.tag} · step ${tensor.step} · ${tensor.dtype} [${tensor.shape.join(", ")}]`),
    tensor.text === null
      ? el("p", { className: "empty" }, `${tensor.size.toLocaleString("en-US")} elements: too many to show here.`)
      : el("pre", { className: "tensor-text" }, tensor.text)));
  const section = $("run-tensors");
  section.replaceChildren(...items);
  section.closest("section").hidden = items.length === 0;
}

async function load() {
  try {
    const [summary, texts, figures, tensors] = await Promise.all([
      getJSON(runUrl(state.run, "/api/runs")), getJSON("/api/texts", { run: state.run }),
      getJSON("/api/figures", { run: state.run }), getJSON("/api/tensors", { run: state.run })]);
    renderSummary(summary);
    bindRunEditor(summary.run);
    renderTexts(texts);
    renderFigures(figures);
    renderTensors(tensors);
  } catch (error) {
    const box = $("run-error");
    box.textContent = error.message;
    box.hidden = false;
    showStatus(error.message, true);
  }
}

load();
