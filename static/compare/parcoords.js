// The Compare page's parallel-coordinates chart, drawn from /api/compare/parcoords: an axis per
// hparam and one for the metric, a line per chosen run coloured by its value of the metric (with a
// colour bar). Brushing an axis (plotly's constraintrange) narrows the chosen runs to the lines
// that pass every brushed range. With "differences only", axes whose runs all agree are hidden.

import { drawThemed, plotConfig } from "../plot_config.js";
import { plotlyText } from "../scalars/chart.js";

function shortText(text) {
  // Tick text is drawn as plain text (unlike axis labels): no escaping, only shortening.
  return text.length > 16 ? `${text.slice(0, 15)}…` : text;
}

function axis(dimension) {
  const axisSpec = { label: plotlyText(dimension.label), values: dimension.values };
  if (dimension.kind === "category") {
    // A category axis, or a constant one: a tick per value, never a range made up around them.
    axisSpec.tickvals = dimension.categories.map((_, i) => i);
    axisSpec.ticktext = dimension.categories.map(shortText);
    axisSpec.range = [-0.25, Math.max(0.25, dimension.categories.length - 0.75)];
  }
  return axisSpec;
}

// The axes drawn: all of them, or with `diffOnly` those that differ (the metric's always stays).
export function shownDimensions(data, diffOnly) {
  return data.dimensions.filter((d) => !diffOnly || d.differs || d.metric);
}

// Draw `data` (an answer of /api/compare/parcoords) in `plot`.
export function drawParcoords(plot, data, { diffOnly = false } = {}) {
  const values = data.values;
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 1;
  const trace = {
    type: "parcoords",
    dimensions: shownDimensions(data, diffOnly).map(axis),
    line: {
      color: values, colorscale: "Viridis", cmin: low, cmax: high > low ? high : low + 1,
      showscale: values.length > 0,
      colorbar: { title: { text: plotlyText(data.metric || ""), side: "right" }, thickness: 14, len: 0.9 },
    },
    labelfont: { size: 12 },
    meta: { runs: data.runs },
  };
  // The top margin leaves room for the mode bar above the axis titles (at 48 px it covered the last
  // one); the right one for the colour bar.
  const layout = { margin: { l: 110, r: 120, t: 72, b: 24 }, height: 380 };
  return drawThemed(plot, [trace], layout, plotConfig(["toImage"]));
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
