// A text summary's body (the run page, the Text page). Its `html` is its markdown rendered and
// sanitized by the server (dashboard/runs/markdown.py): the one place where a page inserts markup
// it did not build itself.

import { el } from "./dom.js";

export function textBody(text) {
  const body = el("div", { className: "text-body markdown" });
  body.innerHTML = text.html;
  return body;
}
