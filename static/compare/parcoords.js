// The Compare page's parallel-coordinates chart, drawn from /api/compare/parcoords: an axis per
// hparam and one for the metric's last value, a line per run in the run's colour. Brushing an axis
// (plotly's constraintrange) chooses the runs whose lines pass every brushed range.

import { plotConfig } from "../plot_config.js";
import { plotlyText } from "../scalars/chart.js";

function axis(dimension) {
  const axisSpec = { label: plotlyText(dimension.label), values: dimension.values };
  if (dimension.kind === "category") {
    axisSpec.tickvals = dimension.categories.map((_, i) => i);
    // Tick text is drawn as plain text (unlike axis labels): no escaping, only shortening.
    axisSpec.ticktext = dimension.categories.map((c) => (c.length > 16 ? `${c.slice(0, 15)}…` : c));
    axisSpec.range = [-0.25, Math.max(0.25, dimension.categories.length - 0.75)];
  }
  return axisSpec;
}

// Draw `data` (an answer of /api/compare/parcoords) in `plot`.
export function drawParcoords(plot, data) {
  const n = data.runs.length;
  // One colour per line: the run's own, through a stepwise colour scale over the line index.
  const colorscale = n > 1 ? data.colors.map((c, i) => [i / (n - 1), c || "#999"]) : [[0, data.colors[0] || "#999"], [1, data.colors[0] || "#999"]];
  const trace = {
    type: "parcoords",
    dimensions: data.dimensions.map(axis),
    line: { color: data.runs.map((_, i) => i), colorscale, cmin: 0, cmax: Math.max(1, n - 1) },
    labelfont: { size: 12 },
    meta: { runs: data.runs },
  };
  // The top margin leaves room for the mode bar above the axis titles (at 48 px it covered the last one).
  const layout = { margin: { l: 110, r: 70, t: 72, b: 24 }, height: 380, paper_bgcolor: "rgba(0,0,0,0)" };
  return window.Plotly.react(plot, [trace], layout, plotConfig(["toImage"]));
}

function inRange(value, range) {
  if (!range) return true;
  const ranges = Array.isArray(range[0]) ? range : [range];
  return ranges.some(([low, high]) => value >= low && value <= high);
}

// The runs of `data` whose lines pass every brushed axis of `plot`, or null when no axis is brushed.
export function brushedRuns(plot, data) {
  const dims = plot.data[0].dimensions;
  if (!dims.some((d) => d.constraintrange)) return null;
  return data.runs.filter((_, i) => dims.every((d) => inRange(d.values[i], d.constraintrange)));
}
