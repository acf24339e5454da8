// How numbers, times, durations and a run's status read on every page.

import { el } from "./dom.js";

export function formatValue(value) {
  if (value === null || value === undefined) return "";
  const number = Number(value);
  if (Number.isNaN(number)) return "NaN";
  if (!Number.isFinite(number)) return number > 0 ? "+Inf" : "-Inf";
  if (Number.isInteger(number) && Math.abs(number) < 1e15) return String(number);
  const abs = Math.abs(number);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return number.toExponential(4);
  return Number(number.toPrecision(6)).toString();
}

export function formatTime(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const date = new Date(seconds * 1000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const total = Math.round(seconds);
  if (total < 60) return `${seconds < 10 ? seconds.toFixed(1) : total} s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h ? `${h} h ${m} min` : `${m} min ${s} s`;
}

export function statusBadge(run) {
  const badge = el("span", { className: `status-badge status-${run.status}` }, run.status);
  if (run.error) badge.title = run.error;
  return badge;
}
