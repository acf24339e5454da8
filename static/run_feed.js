// A page's live copy of the logdir's run list (GET /api/runs), for pages that hold every run the
// filters keep (the run selectors): the first load fetches the list, later loads ask only what
// changed since the last answer's token (`since`) and merge it, so a poll with nothing new costs a
// few hundred bytes and leaves the page alone.

import { getJSON } from "./api.js";

const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class RunFeed {
  // params() gives the /api/runs filters (hidden, tags, ...); call reset() when they change.
  constructor(params) {
    this.params = params;
    this.byName = new Map();
    this.token = null;
    this.hiddenCount = 0;
    this.list = [];
    this.epoch = 0; // counts resets: an answer to a request made before the last one is dropped
  }

  // The next load fetches the whole list again (the filters changed).
  reset() {
    this.token = null;
    this.epoch += 1;
  }

  // Fetch what changed; true when the runs (or the hidden count) differ from the last load.
  async load() {
    const epoch = this.epoch;
    const answer = await getJSON("/api/runs", { ...this.params(), since: this.token || undefined });
    if (epoch !== this.epoch) return false;
    this.token = answer.token;
    const hiddenChanged = answer.hidden_count !== this.hiddenCount;
    this.hiddenCount = answer.hidden_count;
    if (!answer.delta) {
      this.byName = new Map(answer.runs.map((run) => [run.name, run]));
    } else if (answer.runs.length || answer.removed.length) {
      for (const name of answer.removed) this.byName.delete(name);
      for (const run of answer.runs) this.byName.set(run.name, run);
    } else {
      return hiddenChanged;
    }
    this.list = [...this.byName.values()].sort(byName);
    return true;
  }

  // The runs, in name order (as the server lists them).
  runs() {
    return this.list;
  }
}
