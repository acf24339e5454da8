// The Histograms page: per tag, a chart per run of its histograms over steps, as TensorBoard draws
// them. Offset mode stacks the steps in depth, each a filled outline shifted down by its step, later
// steps in front (drawn last, over the earlier ones); overlay mode draws them on one count axis,
// later steps darker. Hover gives the step, the bucket's range and its count.

import { getJSON } from "../api.js";
import { bindRadios } from "../controls.js";
import { el } from "../dom.js";
import { drawThemed } from "../plot_config.js";
import { cardElement, startTagPage } from "../tag_page.js";

// Steps per chart: enough to see the trend, few enough that each is a trace of its own.
export const HISTOGRAM_STEPS = 30;
const HOVER = "step %{customdata[0]}<br>[%{customdata[1]:.4g}, %{customdata[2]:.4g})<br>count %{customdata[3]:.4g}<extra></extra>";

// Buckets a chart draws every step in: TensorBoard's too, so that steps with buckets of their own
// (TF's exponential edges, a numpy rule per step) line up and read as one shape over time.
export const DRAWN_BUCKETS = 30;

// Each histogram's counts spread over `buckets` equal buckets spanning all of them (a logged
// bucket's count shared by overlap, as if its values were spread evenly within it): {edges, counts}.
export function resample(histograms, buckets = DRAWN_BUCKETS) {
  let low = Infinity;
  let high = -Infinity;
  for (const h of histograms) {
    if (!h.counts.length) continue;
    low = Math.min(low, h.edges[0]);
    high = Math.max(high, h.edges[h.edges.length - 1]);
  }
  if (!(high > low)) {
    const middle = Number.isFinite(low) ? low : 0;
    [low, high] = [middle - 0.5, middle + 0.5];
  }
  const width = (high - low) / buckets;
  const edges = Array.from({ length: buckets + 1 }, (_, i) => low + i * width);
  return histograms.map((h) => {
    const counts = new Array(buckets).fill(0);
    for (let i = 0; i < h.counts.length; i += 1) {
      const [left, right, count] = [h.edges[i], h.edges[i + 1], h.counts[i]];
      if (!count) continue;
      const first = Math.min(buckets - 1, Math.max(0, Math.floor((left - low) / width)));
      const last = Math.min(buckets - 1, Math.max(0, Math.floor((right - low) / width)));
      for (let b = first; b <= last; b += 1) {
        const overlap = right > left ? Math.max(0, Math.min(right, edges[b + 1]) - Math.max(left, edges[b])) / (right - left) : 1 / (last - first + 1);
        counts[b] += count * overlap;
      }
    }
    return { step: h.step, edges, counts };
  });
}

// A histogram's outline through its buckets' centres (each point hovers as its bucket), closed
// along `base` when given; `top(count)` places a count on the y axis.
export function outline(histogram, top, base) {
  const { edges, counts, step } = histogram;
  const x = counts.map((_, i) => (edges[i] + edges[i + 1]) / 2);
  const y = counts.map(top);
  const customdata = counts.map((count, i) => [step, edges[i], edges[i + 1], count]);
  if (base !== undefined && counts.length) {
    x.push(x[x.length - 1], x[0]);
    y.push(base, base);
    customdata.push(customdata[customdata.length - 1], customdata[0]);
  }
  return { x, y, customdata };
}

// `color` (#rrggbb) mixed with white by `share` (0: the colour, 1: white), opaque: an outline's fill
// hides the earlier steps behind it.
export function towardWhite(color, share) {
  const channels = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  return `rgb(${channels.map((c) => Math.round(c + (255 - c) * share)).join(",")})`;
}

// The plotly traces of one run's histograms (oldest first) in `mode`, in the run's colour.
export function histogramTraces(logged, mode, color) {
  const histograms = resample(logged);
  const tallest = Math.max(1e-12, ...histograms.flatMap((h) => h.counts));
  const n = histograms.length;
  if (mode === "overlay") {
    return histograms.map((h, i) => ({
      type: "scatter", mode: "lines", line: { color, width: 1.2 }, opacity: 0.25 + 0.75 * ((i + 1) / n),
      name: `step ${h.step}`, hovertemplate: HOVER, ...outline(h, (count) => count),
    }));
  }
  // offset: each step's base at its step on a reversed axis, its tallest bucket rising 30% of the step span
  const first = histograms[0].step;
  const span = Math.max(1, histograms[n - 1].step - first);
  const height = n > 1 ? span * 0.3 : 1;
  return histograms.map((h, i) => ({
    type: "scatter", mode: "lines", fill: "toself", fillcolor: towardWhite(color, 0.85 * (1 - (i + 1) / n)),
    line: { color: towardWhite(color, 0.3 * (1 - (i + 1) / n)), width: 1 }, name: `step ${h.step}`, hovertemplate: HOVER, hoveron: "points",
    ...outline(h, (count) => h.step - (height * count) / tallest, h.step),
  }));
}

function histogramLayout(mode) {
  const yaxis = mode === "overlay" ? { title: { text: "count" }, rangemode: "tozero" }
    : { title: { text: "step" }, autorange: "reversed", zeroline: false };
  return { margin: { l: 60, r: 16, t: 8, b: 40 }, showlegend: false, hovermode: "closest",
    xaxis: { zeroline: false }, yaxis };
}

class HistogramCard {
  constructor(tag, run, page) {
    this.page = page;
    this.histograms = [];
    this.plot = el("div", { className: "chart-plot" });
    this.note = el("p", { className: "chart-note" });
    this.element = cardElement(tag, run, page, "histogram-chart", this.plot, this.note);
  }

  async load() {
    const answer = await getJSON("/api/histograms", { run: this.run, tag: this.tag, max_steps: HISTOGRAM_STEPS });
    this.histograms = answer.runs[0].histograms.map((h) => ({ ...h, edges: h.edges.map(Number), counts: h.counts.map(Number) }));
    this.render();
  }

  render() {
    const info = this.page.tagInfo(this.tag, this.run);
    const shown = this.histograms.length;
    this.note.textContent = info && info.count > shown ? `${shown} of ${info.count} steps shown, spread evenly, the latest kept`
      : `${shown} step${shown === 1 ? "" : "s"}`;
    if (!shown) return;
    const traces = histogramTraces(this.histograms, this.page.state.mode, this.page.colorOf(this.run));
    drawThemed(this.plot, traces, histogramLayout(this.page.state.mode));
  }
}

startTagPage({
  kind: "histogram",
  noun: "chart",
  spec: { mode: ["string", "offset"] },
  makeCard: (tag, run, page) => new HistogramCard(tag, run, page),
  bindSettings(page) {
    bindRadios("mode", page.state, "mode", () => {
      page.save();
      page.renderAll();
    });
  },
});
