// The run selector (templates/_run_list.html): checkboxes, a regex filter, all/none.
//
// Selection is either "every run" (null: runs that appear later are selected too) or an explicit
// list of names. The filter hides runs from the list and from the charts without deselecting them.

import { el, statusBadge } from "./format.js";
import { regexFilter } from "./url_state.js";

export class RunList {
  constructor(root, { selected = null, filter = "", onChange = () => {} } = {}) {
    this.root = root;
    this.runs = [];
    this.selected = selected === null ? null : new Set(selected);
    this.onChange = onChange;
    this.list = root.querySelector("ul.runs");
    this.count = root.querySelector(".run-count");
    this.regex = null;
    this.filter = "";
    regexFilter(root.querySelector(".run-filter"), root.querySelector(".run-filter-error"), filter,
      (regex, pattern, initial) => {
        this.regex = regex;
        this.filter = pattern;
        if (initial) return;
        this.render();
        this.onChange();
      });
    root.querySelector("[data-select=all]").addEventListener("click", () => this.selectVisible(true));
    root.querySelector("[data-select=none]").addEventListener("click", () => this.selectVisible(false));
    this.list.addEventListener("change", (event) => {
      const box = event.target.closest("input[type=checkbox]");
      if (box) this.toggle(box.dataset.run, box.checked);
    });
  }

  setRuns(runs) {
    this.runs = runs;
    this.render();
  }

  matches(run) {
    return !this.regex || this.regex.test(run.name);
  }

  isSelected(name) {
    return this.selected === null || this.selected.has(name);
  }

  // The runs a page should show: selected and matching the filter, in list order.
  shown() {
    return this.runs.filter((run) => this.matches(run) && this.isSelected(run.name));
  }

  // For the URL: null when every run is selected, else the selected names.
  selection() {
    return this.selected === null ? null : [...this.selected];
  }

  toggle(name, on) {
    if (this.selected === null) this.selected = new Set(this.runs.map((run) => run.name));
    if (on) this.selected.add(name);
    else this.selected.delete(name);
    this.normalise();
    this.render();
    this.onChange();
  }

  selectVisible(on) {
    if (this.selected === null) this.selected = new Set(this.runs.map((run) => run.name));
    for (const run of this.runs) {
      if (!this.matches(run)) continue;
      if (on) this.selected.add(run.name);
      else this.selected.delete(run.name);
    }
    this.normalise();
    this.render();
    this.onChange();
  }

  normalise() {
    if (this.selected !== null && this.runs.every((run) => this.selected.has(run.name))) {
      this.selected = null;
    }
  }

  render() {
    const items = [];
    let visible = 0;
    for (const run of this.runs) {
      if (!this.matches(run)) continue;
      visible += 1;
      const box = el("input", { type: "checkbox", checked: this.isSelected(run.name), dataset: { run: run.name } });
      const swatch = el("span", { className: "swatch", style: { background: run.color || "#999" } });
      const label = el("label", { title: run.error ? `${run.name}: ${run.error}` : run.name },
        box, swatch, el("span", { className: "run-name" }, run.name), statusBadge(run));
      items.push(el("li", { className: `run-item status-${run.status}` }, label));
    }
    this.list.replaceChildren(...items);
    const shown = this.shown().length;
    this.count.textContent = `${shown} of ${this.runs.length} shown` + (visible < this.runs.length ? ` (${visible} match)` : "");
  }
}
