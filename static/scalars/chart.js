// One scalar chart (templates/scalars/_chart.html): a tag (or an add_scalars group of tags) for every
// shown run. The Scalars page shows many; the Compare page draws its curves with one.
//
// It keeps an overview of each series (at most max_points, bucket extremes kept by the server),
// appends only newer points on live refresh, and on zoom re-queries the visible step range at full
// resolution. Run names reach plotly escaped, so its label markup never interprets them. Hovering
// lists every run in the chart's tooltip (tooltip.js); a chart can be enlarged to the page's width
// and, where the page offers it, pinned; it redraws in the colours of a new theme.

import { apiUrl, getJSON, numbers, settings } from "../api.js";
import { followTheme, plotConfig, themed } from "../plot_config.js";
import { DEFAULT_MAX_RUNS, leftOutNote } from "../run_cap.js";
import { logTicks, robustRange } from "./scaling.js";
import { isConstant, runAverage, smooth } from "./smoothing.js";
import { Tooltip, tooltipRows } from "./tooltip.js";
import { timeUnit, xAxis, xValues } from "../x_axis.js";

const DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];

// Plotly reads a small HTML subset in labels; entities keep user text literal.
export function plotlyText(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function seriesKey(run, tag) {
  return `${run}\u0000${tag}`;
}

function toSeries(payload) {
  return {
    run: payload.run,
    tag: payload.tag,
    step: payload.step,
    wall: payload.wall_time,
    value: numbers(payload.value),
    total: payload.total,
    downsampled: payload.downsampled,
  };
}

// A "#rrggbb" colour at `alpha` opacity.
function translucent(color, alpha) {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) return color;
  const n = parseInt(hex[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export function isolatedMarkers(values) {
  return values.map((v, i) => (Number.isFinite(v) && !Number.isFinite(values[i - 1]) && !Number.isFinite(values[i + 1]) ? 5 : 0));
}

function axisNumber(value, isDate) {
  if (!isDate) return Number(value);
  return Date.parse(String(value).replace(" ", "T") + "Z");
}

export class ScalarChart {
  constructor(spec, page) {
    this.spec = spec;
    this.page = page;
    this.data = new Map(); // overview series by key
    this.zoomed = null; // full-resolution series of the zoomed window, by key
    this.userZoomed = false; // the user zoomed or panned away from the whole range
    this.resets = 0; // counts resets, so plotly drops the zoom it keeps across redraws
    this.hoverSeries = []; // what the tooltip lists, per drawn run (see tooltip.js)
    this.drawnRuns = 0; // the runs pairs() gave
    this.leftOut = 0; // shown runs that logged the chart's tags but are past the page's max_runs
    this.queue = Promise.resolve();
    this.plotted = false;
    const template = document.getElementById("chart-template");
    this.element = template.content.firstElementChild.cloneNode(true);
    this.element.dataset.chart = spec.chart;
    this.element.querySelector(".chart-title").textContent = spec.title || spec.chart;
    this.plot = this.element.querySelector(".chart-plot");
    this.note = this.element.querySelector(".chart-note");
    this.resetButton = this.element.querySelector(".chart-reset");
    this.resetButton.addEventListener("click", () => this.resetZoom());
    this.tooltip = new Tooltip(this.element);
    this.enlargeButton = this.element.querySelector(".chart-enlarge");
    this.enlargeButton.hidden = !page.chartGrid; // a page of one chart has nothing to enlarge it over
    this.enlargeButton.addEventListener("click", () => this.setEnlarged(!this.enlarged));
    this.pinButton = this.element.querySelector(".chart-pin");
    this.pinButton.hidden = !page.togglePin;
    this.pinButton.addEventListener("click", () => page.togglePin(spec.chart));
  }

  get enlarged() {
    return this.element.classList.contains("enlarged");
  }

  // Full width of the page (a grid's whole row) or back to one column.
  setEnlarged(on) {
    this.element.classList.toggle("enlarged", on);
    this.enlargeButton.textContent = on ? "Shrink" : "Enlarge";
    this.enlargeButton.setAttribute("aria-pressed", String(on));
    if (this.plotted) window.Plotly.Plots.resize(this.plot);
  }

  // Say whether the chart is pinned (the page keeps the pinned list).
  showPinned(on) {
    this.pinButton.textContent = on ? "Unpin" : "Pin";
    this.pinButton.setAttribute("aria-pressed", String(on));
  }

  get tags() {
    return this.spec.tags;
  }

  // A custom-scalars margin chart (add_custom_scalars_marginchart): tags are value, lower, upper;
  // each run's value is a line and its bounds a band of its colour.
  get margin() {
    return this.spec.kind === "margin";
  }

  // A tag of an add_scalars chart without the chart's own name: "loss/train" -> "train".
  shortTag(tag) {
    return tag.startsWith(`${this.spec.chart}/`) ? tag.slice(this.spec.chart.length + 1) : tag;
  }

  // How many runs this chart may draw.
  get maxRuns() {
    return this.page.view.max_runs || DEFAULT_MAX_RUNS;
  }

  // (run, tag) pairs to draw: every shown run that logged one of this chart's tags, up to the
  // first maxRuns such runs; this.leftOut counts the runs past them.
  pairs() {
    const pairs = [];
    const max = this.maxRuns;
    let runs = 0;
    this.leftOut = 0;
    for (const run of this.page.shownRuns()) {
      const logged = this.tags.filter((tag) => run.tags && run.tags[tag] && run.tags[tag].kind === "scalar");
      if (!logged.length) continue;
      if (runs >= max) {
        this.leftOut += 1;
        continue;
      }
      runs += 1;
      for (const tag of logged) pairs.push({ run, tag });
    }
    this.drawnRuns = runs;
    return pairs;
  }

  // Serialise network work per chart, so a slow answer never overwrites a newer one.
  enqueue(task) {
    this.queue = this.queue.then(task).catch((error) => this.page.reportError(error));
    return this.queue;
  }

  update() {
    return this.enqueue(() => this.sync());
  }

  async sync() {
    const missing = this.pairs().filter(({ run, tag }) => !this.data.has(seriesKey(run.name, tag)));
    if (missing.length) {
      const runs = [...new Set(missing.map(({ run }) => run.name))];
      const body = await getJSON("/api/scalars", { run: runs, tag: this.tags, max_points: settings().maxPoints });
      for (const payload of body.series) this.data.set(seriesKey(payload.run, payload.tag), toSeries(payload));
    }
    this.render();
  }

  // Live refresh: fetch only points newer than the last one held, for series that grew.
  refresh() {
    return this.enqueue(async () => {
      const grown = this.pairs().filter(({ run, tag }) => {
        const held = this.data.get(seriesKey(run.name, tag));
        const last = run.tags[tag].last_step;
        return held && last !== null && (held.step.length === 0 || last > held.step[held.step.length - 1]);
      });
      await Promise.all(grown.map(async ({ run, tag }) => {
        const key = seriesKey(run.name, tag);
        const held = this.data.get(key);
        const after = held.step.length ? held.step[held.step.length - 1] : -(2 ** 53);
        const body = await getJSON("/api/scalars", { run: run.name, tag, after });
        const fresh = body.series.length ? toSeries(body.series[0]) : null;
        if (!fresh || !fresh.step.length) return;
        held.step = held.step.concat(fresh.step);
        held.wall = held.wall.concat(fresh.wall);
        held.value = held.value.concat(fresh.value);
        held.total += fresh.step.length;
        // The new points join the held series, so render() smooths them as the continuation of one
        // running average. Past twice the budget, ask for a fresh overview rather than grow without bound.
        if (held.step.length > 2 * settings().maxPoints) this.data.delete(key);
      }));
      await this.sync();
    });
  }

  forgetRun(name) {
    for (const key of [...this.data.keys()]) if (key.startsWith(`${name}\u0000`)) this.data.delete(key);
  }

  // The x values of a series under the current axis choice, in the overview's frame.
  xValues(key, series, mode, unit) {
    return xValues(mode, series.step, series.wall, unit, (this.data.get(key) || series).wall[0]);
  }

  timeUnit() {
    let span = 0;
    for (const series of this.data.values()) {
      if (series.wall.length) span = Math.max(span, series.wall[series.wall.length - 1] - series.wall[0]);
    }
    return timeUnit(span);
  }

  render() {
    const view = this.page.view;
    const unit = this.timeUnit();
    const several = this.tags.length > 1 && !this.margin;
    const bands = [];
    const raws = [];
    const mains = [];
    let shownPoints = 0;
    let loggedPoints = 0;
    let downsampled = false;
    let notPositive = 0;
    const pairs = this.pairs();
    this.hoverSeries = [];
    for (const { run, tag } of pairs) {
      if (this.margin && tag !== this.tags[0]) continue; // the bounds are drawn as the run's band
      const key = seriesKey(run.name, tag);
      const series = (this.zoomed && this.zoomed.get(key)) || this.data.get(key);
      if (!series) continue;
      if (this.margin) bands.push(...this.band(run, unit));
      shownPoints += series.step.length;
      loggedPoints += series.total;
      downsampled = downsampled || series.downsampled;
      if (view.log) notPositive += series.value.filter((v) => v <= 0).length;
      const x = this.xValues(key, series, view.x, unit);
      const smoothed = this.smoothed(key, series, view.smoothing);
      const dash = several ? DASHES[this.tags.indexOf(tag) % DASHES.length] : "solid";
      const label = several ? `${run.name} · ${this.shortTag(tag)}` : run.name;
      const meta = { run: run.name, tag };
      // A point with no finite neighbour (a lone point, or one between NaNs) draws no line: mark it.
      const markers = isolatedMarkers(smoothed);
      if (view.smoothing > 0) {
        raws.push({
          type: "scatter", mode: "lines", x, y: series.value,
          line: { color: run.color, width: 1, dash }, opacity: 0.25, hoverinfo: "skip",
          showlegend: false, meta: { ...meta, kind: "raw" },
        });
      }
      // plotly draws no label of its own (hoverinfo "none"): the hover event fills the tooltip.
      mains.push({
        type: "scatter", mode: "lines+markers", x, y: smoothed, name: plotlyText(label),
        line: { color: run.color, width: 1.8, dash }, marker: { size: markers }, hoverinfo: "none",
        meta: { ...meta, kind: "main" },
      });
      this.hoverSeries.push({ label, color: run.color, x, smoothed, raw: series.value, step: series.step,
        wall: series.wall, origin: (this.data.get(key) || series).wall[0] });
    }
    const layout = {
      margin: { l: 56, r: 16, t: 8, b: 44 },
      height: 300,
      showlegend: false,
      // Hover anywhere on the plot reports the cursor's x; the tooltip finds each run's point there.
      hovermode: "x",
      hoverdistance: -1,
      uirevision: `${view.x}|${view.log}|${view.outliers}|${this.resets}`,
      xaxis: { ...xAxis(view.x, unit), zeroline: false },
      yaxis: { type: view.log ? "log" : "linear", zeroline: false, exponentformat: "e" },
    };
    const values = [...mains, ...bands].flatMap((trace) => trace.y); // a band is scaled to as well
    const range = view.outliers ? robustRange(values, view.log) : null;
    if (range) Object.assign(layout.yaxis, { range, autorange: false });
    if (view.log) Object.assign(layout.yaxis, logTicks(values, range));
    window.Plotly.react(this.plot, [...bands, ...raws, ...mains], themed(layout), plotConfig());
    if (!this.plotted) {
      this.plotted = true;
      followTheme(this.plot, plotConfig());
      this.plot.on("plotly_relayout", (event) => this.onRelayout(event));
      this.plot.on("plotly_hover", (event) => this.onHover(event));
      this.plot.on("plotly_unhover", () => this.tooltip.hide());
    }
    this.describe(pairs.length, shownPoints, loggedPoints, downsampled, notPositive);
    this.updateDownloads(pairs);
  }

  // A run's lower and upper bound as a band: the upper edge, then the lower filled up to it.
  band(run, unit) {
    const [, lowerTag, upperTag] = this.tags;
    const edge = (tag) => {
      const key = seriesKey(run.name, tag);
      const series = (this.zoomed && this.zoomed.get(key)) || this.data.get(key);
      return series && { x: this.xValues(key, series, this.page.view.x, unit.seconds), y: series.value };
    };
    const lower = edge(lowerTag);
    const upper = edge(upperTag);
    if (!lower || !upper) return [];
    const common = { type: "scatter", mode: "lines", hoverinfo: "skip", showlegend: false,
      line: { color: run.color, width: 0 } };
    return [
      { ...common, ...upper, meta: { run: run.name, tag: upperTag, kind: "upper" } },
      { ...common, ...lower, fill: "tonexty", fillcolor: translucent(run.color, 0.2),
        meta: { run: run.name, tag: lowerTag, kind: "lower" } },
    ];
  }

  // The smoothed values of `series`, one running average over the whole series as TensorBoard does.
  // A zoomed window continues the average of the overview points before it: it starts from the
  // overview's state ({ema, count}) at the last overview point before the window's first step, so
  // the zoomed curve picks up where the overview curve it replaces stands. The overview may be
  // downsampled, so that state approximates the average of every logged point before the window: it
  // is the average of the points the overview holds, each counted once, which is also what the
  // overview curve draws. The constant rule looks at everything held of the series.
  smoothed(key, series, weight) {
    const overview = this.data.get(key);
    if (!overview || overview === series || !(weight > 0)) return smooth(series.value, weight);
    const first = series.step.length ? series.step[0] : Infinity;
    let before = overview.step.findIndex((step) => step >= first);
    if (before < 0) before = overview.step.length;
    const { state } = runAverage(overview.value.slice(0, before), weight);
    const constant = isConstant(overview.value.concat(series.value));
    return smooth(series.value, weight, { from: state, constant });
  }

  // The line under the chart: what it leaves out (downsampling, values a log axis cannot draw)
  // and, for an add_scalars chart, which dash is which tag.
  describe(seriesCount, shownPoints, loggedPoints, downsampled, notPositive) {
    const fmt = (n) => n.toLocaleString("en-US");
    const parts = [];
    if (this.leftOut) {
      parts.push(leftOutNote(this.drawnRuns, this.drawnRuns + this.leftOut, this.page.settingsName || "Settings"));
    }
    if (!seriesCount) parts.push("No selected run logged this tag.");
    else if (this.zoomed) parts.push(downsampled
      ? `Zoomed: ${fmt(shownPoints)} of ${fmt(loggedPoints)} points in this range (zoom further for full resolution).`
      : `Zoomed: all ${fmt(shownPoints)} points in this range.`);
    else if (downsampled) parts.push(`Showing ${fmt(shownPoints)} of ${fmt(loggedPoints)} logged points; zoom in for full resolution.`);
    if (notPositive) {
      parts.push(`${fmt(notPositive)} value${notPositive === 1 ? " is" : "s are"} ≤ 0 and not drawn on the log scale.`);
    }
    if (seriesCount && this.margin) {
      parts.push(`Line: ${this.tags[0]}; band: ${this.tags[1]} to ${this.tags[2]}.`);
    } else if (seriesCount && this.tags.length > 1) {
      parts.push(`Lines: ${this.tags.map((tag, i) => `${DASHES[i % DASHES.length]} ${this.shortTag(tag)}`).join(", ")}.`);
    }
    this.note.textContent = parts.join(" ");
    this.note.classList.toggle("downsampled", downsampled || notPositive > 0 || this.leftOut > 0);
    this.element.dataset.leftOut = String(this.leftOut);
    this.resetButton.hidden = !(this.zoomed || this.userZoomed);
  }

  onHover(event) {
    if (!event.xvals || !event.xvals.length) return;
    const view = this.page.view;
    // On a date axis plotly reports the cursor as a date string, in the axis' (local-time) frame.
    const x = typeof event.xvals[0] === "number" ? event.xvals[0] : axisNumber(event.xvals[0], view.x === "wall");
    this.tooltip.show(tooltipRows(this.hoverSeries, x, Number(event.yvals[0]), view.tooltip_sort, view.log));
  }

  updateDownloads(pairs) {
    const runs = [...new Set(pairs.map(({ run }) => run.name))];
    for (const format of ["csv", "json"]) {
      const link = this.element.querySelector(`.download-${format}`);
      link.href = apiUrl("/api/scalars/download", { run: runs, tag: this.tags, format });
      link.hidden = runs.length === 0;
    }
  }

  // A zoom or pan offers "Reset zoom" on any chart, and on a downsampled one re-queries the window.
  onRelayout(event) {
    const moved = (axis) => event[`${axis}.range`] !== undefined || event[`${axis}.range[0]`] !== undefined;
    if (event["xaxis.autorange"] || !moved("xaxis")) {
      // plotly's own reset (double click, the mode bar) restores the y range of the first draw,
      // stale once the view changed: reset as the chart's button does.
      if (event["xaxis.autorange"]) this.resetZoom();
      else if (moved("yaxis")) {
        this.userZoomed = true;
        this.resetButton.hidden = false;
      }
      return;
    }
    this.userZoomed = true;
    this.resetButton.hidden = false;
    const range = event["xaxis.range"] || [event["xaxis.range[0]"], event["xaxis.range[1]"]];
    const isDate = this.page.view.x === "wall";
    this.enqueue(() => this.zoomTo(axisNumber(range[0], isDate), axisNumber(range[1], isDate)));
  }

  // Re-query the visible window at full resolution (only where the overview was downsampled).
  async zoomTo(x0, x1) {
    const view = this.page.view;
    const unit = this.timeUnit();
    const zoomed = new Map();
    const requests = [];
    for (const { run, tag } of this.pairs()) {
      const key = seriesKey(run.name, tag);
      const series = this.data.get(key);
      if (!series || !series.downsampled) continue;
      const x = this.xValues(key, series, view.x, unit);
      let first = x.findIndex((v) => v >= x0);
      let last = x.length - 1 - [...x].reverse().findIndex((v) => v <= x1);
      if (first < 0 || last >= x.length) continue;
      first = Math.max(0, first - 1);
      last = Math.min(x.length - 1, last + 1);
      const start = view.x === "step" ? Math.floor(x0) : series.step[first];
      const end = view.x === "step" ? Math.ceil(x1) : series.step[last];
      requests.push(getJSON("/api/scalars", {
        run: run.name, tag, start, end, max_points: settings().maxPoints,
      }).then((body) => {
        if (body.series.length) zoomed.set(key, toSeries(body.series[0]));
      }));
    }
    await Promise.all(requests);
    this.zoomed = zoomed.size ? zoomed : null;
    this.render();
  }

  // Back to the whole range, with the y axis as the view scales it (robust range or autorange).
  resetZoom() {
    this.zoomed = null;
    this.userZoomed = false;
    this.resets += 1;
    this.render();
  }
}
