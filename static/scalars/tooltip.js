// A scalar chart's hover tooltip, as TensorBoard's: one row for every run the chart shows, at the
// point nearest the hovered x (colour, name, smoothed and raw value, step, relative time), in the
// order the "tooltip sorting" setting chooses. It sits below the chart (above it when the window
// has no room below), never over the curves.

import { el } from "../dom.js";
import { formatDuration, formatValue } from "../format.js";

export const TOOLTIP_SORTS = ["default", "ascending", "descending", "nearest"];

// The index of the value of ascending `xs` nearest to `x`.
function nearestIndex(xs, x) {
  let low = 0;
  let high = xs.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (xs[mid] < x) low = mid + 1;
    else high = mid;
  }
  return low > 0 && Math.abs(xs[low - 1] - x) <= Math.abs(xs[low] - x) ? low - 1 : low;
}

// A row per series of `series` ({label, color, x, smoothed, raw, step, wall, origin}) at cursor (x, y),
// sorted by `sort`: "default" keeps the charts' run order; "ascending" and "descending" go by
// smoothed value, "nearest" by its distance to the cursor's y (in decades on a log axis). Values
// that are not finite go last.
export function tooltipRows(series, x, y, sort = "default", log = false) {
  const rows = series.filter((s) => s.x.length).map((s) => {
    const i = nearestIndex(s.x, x);
    return { label: s.label, color: s.color, smoothed: s.smoothed[i], value: s.raw[i], step: s.step[i],
      relative: s.wall[i] - s.origin };
  });
  const scale = (v) => (log ? Math.log10(v) : v);
  const key = {
    ascending: (row) => row.smoothed,
    descending: (row) => -row.smoothed,
    nearest: (row) => Math.abs(scale(row.smoothed) - scale(y)),
  }[sort];
  if (!key) return rows;
  const order = (row) => (Number.isFinite(key(row)) ? key(row) : Infinity);
  return rows.map((row, i) => [order(row), i, row]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, , row]) => row);
}

export class Tooltip {
  constructor(card) {
    this.card = card;
    this.body = el("tbody");
    const head = el("thead", {}, el("tr", {}, ...["", "Run", "Smoothed", "Value", "Step", "Relative"]
      .map((text) => el("th", {}, text))));
    this.element = el("div", { className: "chart-tooltip", hidden: true }, el("table", {}, head, this.body));
    card.append(this.element);
  }

  show(rows) {
    // One row element per run, kept and rewritten in place: a hover moves many times a second.
    while (this.body.children.length > rows.length) this.body.lastElementChild.remove();
    while (this.body.children.length < rows.length) {
      this.body.append(el("tr", {}, el("td", {}, el("span", { className: "swatch" })),
        el("td", { className: "tooltip-run" }), ...[1, 2, 3, 4].map(() => el("td", { className: "num" }))));
    }
    rows.forEach((row, i) => {
      const cells = this.body.children[i].children;
      cells[0].firstElementChild.style.background = row.color;
      const texts = [row.label, formatValue(row.smoothed), formatValue(row.value), formatValue(row.step),
        formatDuration(row.relative)];
      texts.forEach((text, j) => {
        if (cells[j + 1].textContent !== text) cells[j + 1].textContent = text;
      });
    });
    const wasHidden = this.element.hidden;
    this.element.hidden = rows.length === 0;
    // Below the card, or above it when the window has no room below and there is room above
    // (measured when the tooltip appears, not on every move).
    if (wasHidden && rows.length) {
      const card = this.card.getBoundingClientRect();
      const height = this.element.offsetHeight;
      this.element.classList.toggle("above", card.bottom + height > window.innerHeight && card.top > height);
    }
  }

  hide() {
    this.element.hidden = true;
  }
}
