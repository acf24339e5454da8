// The Compare page's side-by-side table, drawn from /api/compare: a column per run, a row per fact,
// hparam and scalar tag; rows whose values differ are marked (the page can show only those).

import { apiUrl, runUrl } from "../api.js";
import { el, nameText } from "../dom.js";
import { formatDuration, formatTime, formatValue, statusBadge } from "../format.js";

function valueText(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number" || /^(-?Infinity|NaN)$/.test(value)) return formatValue(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

function sameAll(values) {
  return values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));
}

function row(label, cells, differs) {
  return el("tr", { className: differs ? "differs" : "same" }, el("th", { scope: "row" }, label), ...cells);
}

// A section's heading; `differs` false (none of its rows differ) hides it with them.
function section(title, count, differs = true) {
  return el("tr", { className: differs ? "section" : "section same" }, el("th", { colSpan: count + 1 }, title));
}

function stat(key, value, step) {
  const text = step === null || step === undefined ? valueText(value) : `${valueText(value)} (step ${step})`;
  return el("span", { className: "stat" }, el("span", { className: "k" }, key), text);
}

export function renderTable(table, data) {
  const n = data.runs.length;
  const head = el("tr", {}, el("th", {}, "Run"), ...data.runs.map((run) => el("th", {},
    el("span", { className: "swatch", style: { background: run.color || "#999" } }),
    el("a", { href: apiUrl(runUrl(run.name)) }, nameText(run.name)), " ", statusBadge(run))));
  table.tHead.replaceChildren(head);
  const facts = [
    ["Status", (r) => r.status],
    ["Started", (r) => formatTime(r.start_time)],
    ["Duration", (r) => formatDuration(r.duration)],
    ["Steps", (r) => (r.steps === null || r.steps === undefined ? "—" : `${r.steps} (last ${r.last_step})`)],
  ];
  const factRows = facts.map(([label, get]) => {
    const values = data.runs.map(get);
    return row(label, values.map((v) => el("td", {}, String(v))), !sameAll(values));
  });
  const rows = [section("Run", n, factRows.some((r) => r.className === "differs")), ...factRows];
  for (const [title, list] of [["Hyperparameters", data.hparams], ["Hparam metrics", data.hparam_metrics]]) {
    if (!list.length) continue;
    rows.push(section(title, n, list.some((item) => item.differs)));
    for (const item of list) {
      rows.push(row(nameText(item.name), item.values.map((v) =>
        el("td", { className: v === null ? "missing" : "" }, valueText(v))), item.differs));
    }
  }
  if (data.metrics.length) rows.push(section("Scalars (last, min, max)", n, data.metrics.some((m) => m.differs)));
  for (const metric of data.metrics) {
    rows.push(row(nameText(metric.tag), metric.values.map((s) => s
      ? el("td", {}, stat("last", s.last, s.last_step), stat("min", s.min, s.min_step), stat("max", s.max, s.max_step))
      : el("td", { className: "missing" }, "—")), metric.differs));
  }
  table.tBodies[0].replaceChildren(...rows);
}

export function clearTable(table) {
  table.tHead.replaceChildren();
  table.tBodies[0].replaceChildren();
}
