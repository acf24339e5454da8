// The colour theme: "system" (follows prefers-color-scheme), "light" or "dark", chosen in the top
// bar (templates/base.html) and remembered (settings.js). The stylesheet draws the page from
// <html data-theme> with light-dark(); charts read currentTheme() through plot_config.js and redraw
// on the THEME_EVENT this module sends whenever the theme in force changes.

import { rememberSettings, restoreSettings } from "./settings.js";
import { readState } from "./url_state.js";

export const THEMES = ["system", "light", "dark"];
export const THEME_EVENT = "liteboard:theme";

const SPEC = { theme: ["string", "system"] };
const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
const state = readState(SPEC);
restoreSettings(SPEC, ["theme"], state);
if (!THEMES.includes(state.theme)) state.theme = "system";

// The theme in force: "light" or "dark".
export function currentTheme() {
  if (state.theme !== "system") return state.theme;
  return systemDark.matches ? "dark" : "light";
}

function apply() {
  document.documentElement.dataset.theme = state.theme;
  document.dispatchEvent(new CustomEvent(THEME_EVENT, { detail: currentTheme() }));
}

export function setTheme(theme) {
  state.theme = THEMES.includes(theme) ? theme : "system";
  rememberSettings(["theme"], state);
  const choice = document.getElementById("theme-choice");
  if (choice) choice.value = state.theme;
  apply();
}

systemDark.addEventListener("change", () => {
  if (state.theme === "system") apply();
});

const choice = document.getElementById("theme-choice");
if (choice) {
  choice.value = state.theme;
  choice.addEventListener("change", () => setTheme(choice.value));
}
document.documentElement.dataset.theme = state.theme;
