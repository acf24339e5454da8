// The PR curves page: a chart per PR-curve tag, one line per run (precision against recall, in
// the run's colour), and a step slider per chart over the steps any run logged.

import { getJSON, logdirNote, showStatus } from "../api.js";
import { $, el } from "../dom.js";
import { followTheme, plotConfig, themed } from "../plot_config.js";
import { leftOutNote, rememberedMaxRuns } from "../run_cap.js";

// Runs one chart draws at most: the Scalars page's "Runs per chart".
const maxRuns = rememberedMaxRuns();

// The tag's curve of each run at `step`: the latest logged at or before it (else its first).
function curveAt(curves, step) {
  let chosen = curves[0];
  for (const curve of curves) if (curve.step <= step) chosen = curve;
  return chosen;
}

function traces(runs, colors, step) {
  return runs.map(({ run, curves }) => {
    const curve = curveAt(curves, step);
    // Where nothing is predicted positive, precision is undefined: a gap, not a drop to 0.
    const predicted = curve.true_positives.map((tp, i) => tp + curve.false_positives[i] > 0);
    return {
      type: "scatter", mode: "lines+markers", name: `${run} (step ${curve.step})`,
      x: curve.recall.map((r, i) => (predicted[i] ? r : null)),
      y: curve.precision.map((p, i) => (predicted[i] ? p : null)), line: { color: colors[run] }, marker: { size: 4 },
      customdata: curve.thresholds,
      hovertemplate: "threshold %{customdata:.3f}<br>recall %{x:.3f}<br>precision %{y:.3f}<extra>%{fullData.name}</extra>",
    };
  });
}

function layout() {
  return themed({
    margin: { l: 50, r: 10, t: 10, b: 40 }, showlegend: true, legend: { orientation: "h", y: -0.2 },
    xaxis: { title: { text: "recall" }, range: [0, 1.02] },
    yaxis: { title: { text: "precision" }, range: [0, 1.02] },
  });
}

// `leftOut`: the runs that logged the tag past the first maxRuns, not drawn.
function drawTag(tag, runs, colors, leftOut) {
  const steps = [...new Set(runs.flatMap(({ curves }) => curves.map((c) => c.step)))].sort((a, b) => a - b);
  const plot = el("div", { className: "pr-plot" });
  const slider = el("input", { type: "range", min: 0, max: steps.length - 1, value: steps.length - 1,
    step: 1, disabled: steps.length < 2 });
  slider.setAttribute("aria-label", `Step of ${tag}`);
  const shown = el("output", {}, String(steps[steps.length - 1]));
  const card = el("section", { className: "pr-card", dataset: { tag } }, el("h2", {}, tag), plot,
    el("label", { className: "pr-step" }, "Step", slider, shown),
    leftOut ? el("p", { className: "chart-cap" }, leftOutNote(runs.length, runs.length + leftOut)) : null);
  $("pr-charts").append(card);
  const config = plotConfig();
  window.Plotly.newPlot(plot, traces(runs, colors, steps[steps.length - 1]), layout(), config);
  followTheme(plot, config);
  slider.addEventListener("input", () => {
    const step = steps[Number(slider.value)];
    shown.textContent = String(step);
    window.Plotly.react(plot, traces(runs, colors, step), themed(plot.layout), config);
  });
}

async function main() {
  const { runs } = await getJSON("/api/runs");
  const colors = Object.fromEntries(runs.map((run) => [run.name, run.color]));
  const byTag = new Map();
  for (const run of runs) {
    for (const [tag, info] of Object.entries(run.tags || {})) {
      if (info.kind === "pr_curve") byTag.set(tag, [...(byTag.get(tag) || []), run.name]);
    }
  }
  if (!byTag.size) {
    const empty = $("pr-empty");
    empty.hidden = false;
    empty.append("No PR curves yet: log them with writer.add_pr_curve(tag, labels, predictions, step). ",
      logdirNote());
    return;
  }
  for (const tag of [...byTag.keys()].sort()) {
    const names = byTag.get(tag);
    const answer = await getJSON("/api/pr_curves", { run: names.slice(0, maxRuns), tag });
    drawTag(tag, answer.runs.filter((r) => r.curves.length), colors, Math.max(0, names.length - maxRuns));
  }
}

main().catch((error) => showStatus(error.message, true));
