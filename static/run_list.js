// The run selector (templates/_run_list.html): checkboxes, a regex filter, all/none of the runs
// matching it, and a count of runs selected and shown.
//
// Selection is either "every run" (null: runs that appear later are selected too) or an explicit
// list of names. The filter hides runs from the list and from the charts without deselecting them.
// Both live in the page's state object, as `run` (null or the names) and `run_regex`, which the
// list keeps current and the page saves in its URL. Runs the user hid (dashboard/manage) are not
// fetched unless "Show hidden" is ticked (`hidden` in the state); the page fetches with query().
//
// A logdir may hold thousands of runs: the list draws the first SHOWN_ITEMS that match the filter
// (with a note of how many more match), keeps each run's item between renders, and leaves the DOM
// alone when nothing it shows changed.

import { regexFilter } from "./controls.js";
import { el } from "./dom.js";
import { statusBadge } from "./format.js";

// How many matching runs the list draws; past that, a note asks to narrow the filter.
export const SHOWN_ITEMS = 300;

const fmt = (n) => n.toLocaleString("en-US");

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
    this.more = root.querySelector(".run-list-more");
    this.items = new Map(); // run name -> {key, li, box}: the items drawn, reused while the run is unchanged
    this.shownCache = null; // shown(), until the runs, the filter or the selection change
    this.regex = null;
    regexFilter(root.querySelector(".run-filter"), root.querySelector(".run-filter-error"), state, "run_regex",
      (regex, initial) => {
        this.regex = regex;
        this.shownCache = null;
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
    this.shownCache = null;
    const label = `Show hidden (${hiddenCount})`;
    if (this.hiddenLabel.textContent !== label) this.hiddenLabel.textContent = label;
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
    if (!this.shownCache) this.shownCache = this.runs.filter((run) => this.matches(run) && this.isSelected(run.name));
    return this.shownCache;
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
    this.shownCache = null;
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

  // A run's item, reused while what it shows is unchanged.
  item(run) {
    const key = `${run.display_name || ""}\u0001${run.color}\u0001${run.status}\u0001${run.hidden}\u0001${run.error}`;
    const held = this.items.get(run.name);
    if (held && held.key === key) return held;
    const box = el("input", { type: "checkbox", dataset: { run: run.name } });
    const swatch = el("span", { className: "swatch", style: { background: run.color || "#999" } });
    const label = el("label", { title: run.error ? `${run.name}: ${run.error}` : run.name },
      box, swatch, el("span", { className: "run-name" }, run.display_name || run.name),
      run.hidden ? el("span", { className: "hidden-badge" }, "hidden") : null, statusBadge(run));
    const item = { key, box, li: el("li", { className: `run-item status-${run.status}` }, label) };
    this.items.set(run.name, item);
    return item;
  }

  render() {
    const drawn = [];
    let matching = 0;
    for (const run of this.runs) {
      if (!this.matches(run)) continue;
      matching += 1;
      if (drawn.length < SHOWN_ITEMS) drawn.push(this.item(run));
    }
    for (const { box } of drawn) {
      const checked = this.isSelected(box.dataset.run);
      if (box.checked !== checked) box.checked = checked;
    }
    const current = this.list.children;
    if (current.length !== drawn.length || drawn.some(({ li }, i) => current[i] !== li)) {
      this.list.replaceChildren(...drawn.map(({ li }) => li));
    }
    if (this.items.size > 2 * SHOWN_ITEMS) {
      const kept = new Set(drawn.map(({ box }) => box.dataset.run));
      for (const name of this.items.keys()) if (!kept.has(name)) this.items.delete(name);
    }
    const more = matching - drawn.length;
    this.more.hidden = more === 0;
    this.more.textContent = more ? `${fmt(more)} more match: narrow the filter to list them (All and None act on every match).` : "";
    const selected = this.selected === null ? this.runs.length : this.runs.filter((run) => this.selected.has(run.name)).length;
    const text = `${fmt(this.shown().length)} shown · ${fmt(selected)} selected of ${fmt(this.runs.length)}`
      + (matching < this.runs.length ? ` · ${fmt(matching)} match` : "");
    if (this.count.textContent !== text) this.count.textContent = text;
  }
}
