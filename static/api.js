// Talking to the JSON API: URLs with repeated parameters, errors that carry the server's message.

import { el } from "./dom.js";

// The path the dashboard is served under (--path_prefix; "" at the root), from <body data-root>.
export function rootPath() {
  return document.body ? document.body.dataset.root || "" : "";
}

// `path` with its query; a path from the server's root ("/api/...") goes under rootPath(), so
// every request and link a page makes stays under the prefix it is served at.
export function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
  }
  const text = query.toString();
  const full = path.startsWith("/") ? rootPath() + path : path;
  return text ? `${full}?${text}` : full;
}

// A run's URL: its page (`/runs/<run>`) or, with prefix "/api/runs", its API answer. Each level of
// the name is percent-encoded and the "/" between levels kept, as the routes expect. It is a path
// from the server's root, for getJSON or apiUrl (which put it under rootPath()).
export function runUrl(name, prefix = "/runs") {
  return `${prefix}/${name.split("/").map(encodeURIComponent).join("/")}`;
}

export async function getJSON(path, params) {
  const response = await fetch(apiUrl(path, params), { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return body;
}

// JSON cannot hold NaN or infinities; the API sends them as "NaN", "Infinity", "-Infinity".
export function numbers(list) {
  return list.map(Number);
}

// Run `task` every `seconds` (first at once, unless `immediate` is false), never overlapping,
// paused while the tab is hidden. With `seconds` 0 (--reload_interval 0) it runs only the first time.
export function poll(seconds, task, { immediate = true } = {}) {
  let timer = null;
  let stopped = false;
  async function tick() {
    if (stopped) return;
    if (document.visibilityState !== "hidden") {
      try {
        await task();
      } catch (error) {
        showStatus(error.message, true);
      }
    }
    if (!stopped && seconds > 0) timer = setTimeout(tick, seconds * 1000);
  }
  if (immediate) tick();
  else if (seconds > 0) timer = setTimeout(tick, seconds * 1000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export function showStatus(message, isError = false) {
  const element = document.getElementById("status");
  if (!element) return;
  element.textContent = message;
  element.classList.toggle("error", isError);
}

export function settings() {
  const data = document.body.dataset;
  const refresh = Number(data.refreshSeconds);
  return {
    // Seconds between polls (--reload_interval); 0: load once, never poll.
    refreshSeconds: data.refreshSeconds !== undefined && Number.isFinite(refresh) && refresh >= 0 ? refresh : 5,
    maxPoints: Number(data.maxPoints) || 2000,
    logdir: data.logdir || "",
  };
}

// The sentence every empty page ends with: which logdir is being served (as text).
export function logdirNote() {
  return el("span", { className: "logdir-note" }, "Serving logdir ", el("code", {}, settings().logdir), ".");
}

// A change (PUT, POST or DELETE) with a JSON body, carrying this server's token from the page's
// <meta name="liteboard-token"> (dashboard/web/csrf.py); errors carry the server's message.
export async function sendJSON(method, path, body) {
  const token = document.querySelector("meta[name=liteboard-token]")?.content || "";
  const response = await fetch(path, {
    method,
    headers: { Accept: "application/json", "Content-Type": "application/json", "X-Liteboard-Token": token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(answer && answer.error ? answer.error : `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return answer;
}

// True on a server started with --read-only: pages show their editing controls disabled.
export function readOnly() {
  return document.body.dataset.readOnly === "1";
}
