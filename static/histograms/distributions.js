// The Distributions page: per tag and run, TensorBoard's nine percentiles of the histograms over
// steps, drawn as nested bands (the outer ones lighter) around the median line; the x axis by step,
// relative or wall time, as on Scalars.

import { getJSON, numbers } from "../api.js";
import { bindRadios } from "../controls.js";
import { el } from "../dom.js";
import { drawThemed } from "../plot_config.js";
import { cardElement, startTagPage } from "../tag_page.js";
import { timeUnit, xAxis, xValues } from "../x_axis.js";

// Band opacity from a percentile to the next: 0-7 and 93-100 lightest, 31-50 and 50-69 darkest.
const BAND_OPACITY = [0.12, 0.22, 0.32, 0.45, 0.45, 0.32, 0.22, 0.12];

function rgba(color, alpha) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  return `rgba(${r},${g},${b},${alpha})`;
}

// Nine traces, one a percentile, from the 0th up: each fills down to the one before, the median
// drawn as a line. `values[k]` holds the nine at `x[k]`.
export function distributionTraces(x, steps, values, percentiles, color) {
  return percentiles.map((percent, p) => ({
    type: "scatter", mode: "lines", x, y: values.map((row) => Number(row[p])), customdata: steps,
    name: `${percent}%`, fill: p === 0 ? "none" : "tonexty", fillcolor: p === 0 ? undefined : rgba(color, BAND_OPACITY[p - 1]),
    line: { color: p === 4 ? color : rgba(color, 0.35), width: p === 4 ? 1.6 : 0.5 },
    hovertemplate: `${percent}%: %{y:.4g} at step %{customdata}<extra></extra>`,
  }));
}

class DistributionCard {
  constructor(tag, run, page) {
    this.page = page;
    this.data = null;
    this.plot = el("div", { className: "chart-plot" });
    this.element = cardElement(tag, run, page, "distribution-chart", this.plot);
  }

  async load() {
    const answer = await getJSON("/api/distributions", { run: this.run, tag: this.tag });
    this.data = { ...answer.runs[0], percentiles: answer.percentiles, wall_time: numbers(answer.runs[0].wall_time) };
    this.render();
  }

  render() {
    const { step, wall_time: walls, values, percentiles } = this.data;
    if (!step.length) return;
    const mode = this.page.state.x;
    const unit = timeUnit(walls[walls.length - 1] - walls[0]);
    const traces = distributionTraces(xValues(mode, step, walls, unit), step, values, percentiles, this.page.colorOf(this.run));
    const layout = { margin: { l: 60, r: 16, t: 8, b: 40 }, showlegend: false, hovermode: "x unified",
      xaxis: { ...xAxis(mode, unit), zeroline: false }, yaxis: { zeroline: false } };
    drawThemed(this.plot, traces, layout);
  }
}

startTagPage({
  kind: "histogram",
  noun: "chart",
  spec: { x: ["string", "step"] },
  makeCard: (tag, run, page) => new DistributionCard(tag, run, page),
  bindSettings(page) {
    bindRadios("x", page.state, "x", () => {
      page.save();
      page.renderAll();
    });
  },
});
