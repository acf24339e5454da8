// How a scalar chart scales its y axis: TensorBoard's "ignore outliers" range, and log-axis ticks
// that stay readable however many decades the values span.

function quantile(sorted, q) {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

function usable(values, log) {
  return values.filter((v) => Number.isFinite(v) && (!log || v > 0)).map((v) => (log ? Math.log10(v) : v));
}

// A y range from the 5th to the 95th percentile of `values`, padded by a tenth of that span on each
// side (log10 units on a log axis, as plotly takes them), as TensorBoard's "ignore outliers in chart
// scaling" does; null when fewer than two values can be drawn.
export function robustRange(values, log) {
  const drawn = usable(values, log);
  if (drawn.length < 2) return null;
  drawn.sort((a, b) => a - b);
  const low = quantile(drawn, 0.05);
  const high = quantile(drawn, 0.95);
  const pad = (high - low) * 0.1 || Math.abs(high) * 0.1 || 1;
  return [low - pad, high + pad];
}

// Tick settings for a log y axis showing `range` (log10 units) or, without one, all of `values`:
// over a decade or more, one tick per decade or per few decades (at most about six labels), each
// written as a power of ten; under a decade, plotly's own ticks with plain numbers. Either way no
// label is a run of digits and exponents that crowds its neighbour.
export function logTicks(values, range = null) {
  let span = 0;
  if (range) span = range[1] - range[0];
  else {
    const drawn = usable(values, true);
    if (drawn.length) span = Math.max(...drawn) - Math.min(...drawn);
  }
  if (span < 1) return { exponentformat: "power", nticks: 6 };
  return { exponentformat: "power", tickmode: "linear", tick0: 0, dtick: Math.max(1, Math.ceil(span / 6)) };
}
