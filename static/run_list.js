// The run selector (templates/_run_list.html): checkboxes, a regex filter, all/none.
//
// Selection is either "every run" (null: runs that appear later are selected too) or an explicit
// list of names. The filter hides runs from the list and from the charts without deselecting them.
// Both live in the page's state object, as `run` (null or the names) and `run_regex`, which the
// list keeps current and the page saves in its URL. Runs the user hid (dashboard/manage) are not
// fetched unless "Show hidden" is ticked (`hidden` in the state); the page fetches with query().

import { regexFilter } from "./controls.js";
import { el } from "./dom.js";
import { statusBadge } from "./format.js";

export class RunList {
  // onChange() runs after every change the user makes to the selection or the filter; reload()
  // fetches the runs again (with query()) after "Show hidden" is ticked or cleared.
  constructor(root, state, onChange, reload = null) {
    this.root = root;
    this.state = state;
    this.runs = [];
    this.selected = state.run === null ? null : new Set(state.run.filter(Boolean));
    state.run = this.selection();
    this.onChange = onChange;
    this.list = root.querySelector("ul.runs");
    this.count = root.querySelector(".run-count");
    this.regex = null;
    regexFilter(root.querySelector(".run-filter"), root.querySelector(".run-filter-error"), state, "run_regex",
      (regex, initial) => {
        this.regex = regex;
        if (initial) return;
        this.render();
        this.onChange();
      });
    root.querySelector("[data-select=all]").addEventListener("click", () => this.selectVisible(true));
    root.querySelector("[data-select=none]").addEventListener("click", () => this.selectVisible(false));
    this.hiddenBox = root.querySelector(".show-hidden-box");
    this.hiddenLabel = root.querySelector(".show-hidden-label");
    this.hiddenBox.checked = Boolean(state.hidden);
    this.hiddenBox.addEventListener("change", async () => {
      state.hidden = this.hiddenBox.checked;
      this.onChange();
      if (reload) await reload();
    });
    this.list.addEventListener("change", (event) => {
      const box = event.target.closest("input[type=checkbox]");
      if (box) this.toggle(box.dataset.run, box.checked);
    });
  }

  // `hiddenCount` is the answer's hidden_count: how many runs "Show hidden" would add.
  setRuns(runs, hiddenCount = 0) {
    this.runs = runs;
    this.hiddenLabel.textContent = `Show hidden (${hiddenCount})`;
    this.render();
  }

  // The /api/runs parameters this list's runs are fetched with.
  query() {
    return { hidden: this.state.hidden ? 1 : undefined };
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
    this.changed();
  }

  // Select exactly `names` for the page itself (the Compare page's brushing); onChange is not called.
  select(names) {
    this.selected = new Set(names);
    this.settle();
  }

  selectVisible(on) {
    if (this.selected === null) this.selected = new Set(this.runs.map((run) => run.name));
    for (const run of this.runs) {
      if (!this.matches(run)) continue;
      if (on) this.selected.add(run.name);
      else this.selected.delete(run.name);
    }
    this.changed();
  }

  // Every run selected reads as "every run", so that runs appearing later are selected too.
  settle() {
    if (this.selected !== null && this.runs.every((run) => this.selected.has(run.name))) {
      this.selected = null;
    }
    this.state.run = this.selection();
    this.render();
  }

  changed() {
    this.settle();
    this.onChange();
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
        box, swatch, el("span", { className: "run-name" }, run.display_name || run.name),
        run.hidden ? el("span", { className: "hidden-badge" }, "hidden") : null, statusBadge(run));
      items.push(el("li", { className: `run-item status-${run.status}` }, label));
    }
    this.list.replaceChildren(...items);
    const shown = this.shown().length;
    this.count.textContent = `${shown} of ${this.runs.length} shown` + (visible < this.runs.length ? ` (${visible} match)` : "");
  }
}
