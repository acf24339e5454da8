// How many runs one chart (or one tag's cards) draws at most: the Scalars page's "Runs per chart"
// setting, remembered in the browser (settings.js) and kept to by every page that overlays runs.
// Past a few dozen overlaid lines a chart shows nothing, and past hundreds the browser stalls.

import { restoreSettings } from "./settings.js";

export const DEFAULT_MAX_RUNS = 100;
export const MAX_RUNS_LIMIT = 10000;

// `value` if it is a valid "Runs per chart", else the default.
export function validMaxRuns(value) {
  return Number.isInteger(value) && value >= 1 && value <= MAX_RUNS_LIMIT ? value : DEFAULT_MAX_RUNS;
}

// The "Runs per chart" the user last chose on the Scalars page (settings.js), for the pages that
// keep to the same limit.
export function rememberedMaxRuns() {
  const view = { max_runs: DEFAULT_MAX_RUNS };
  restoreSettings({ max_runs: ["number", DEFAULT_MAX_RUNS] }, ["max_runs"], view);
  return validMaxRuns(view.max_runs);
}

// The note under a chart that draws `drawn` of `chosen` runs: how many, and how to see the rest.
export function leftOutNote(drawn, chosen, settingsName = "the Scalars page's Settings") {
  const fmt = (n) => n.toLocaleString("en-US");
  return `Showing ${fmt(drawn)} of ${fmt(chosen)} selected runs; narrow the run filter or raise “Runs per chart” in ${settingsName}.`;
}
