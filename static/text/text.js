// The Text page: per tag, a card per run listing its texts, latest step first. Each text's `html`
// is its markdown rendered and sanitized by the server (dashboard/runs/markdown.py), the one place
// that decides what HTML a logged text may become; a string tensor arrives as a table.

import { getJSON } from "../api.js";
import { el } from "../dom.js";
import { formatTime } from "../format.js";
import { cardElement, startTagPage } from "../tag_page.js";
import { textBody } from "../text_body.js";

class TextCard {
  constructor(tag, run, page) {
    this.texts = [];
    this.list = el("div", { className: "text-list" });
    this.element = cardElement(tag, run, page, "text-card", this.list);
  }

  async load() {
    this.texts = (await getJSON("/api/texts", { run: this.run, tag: this.tag })).texts;
    this.render();
  }

  render() {
    this.list.replaceChildren(...[...this.texts].reverse().map((text) => {
      return el("div", { className: "text-summary" },
        el("div", { className: "text-meta" }, `step ${text.step} · ${formatTime(text.wall_time)}`), textBody(text));
    }));
  }
}

startTagPage({ kind: "text", noun: "card", makeCard: (tag, run, page) => new TextCard(tag, run, page) });
