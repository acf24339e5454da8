// Form controls bound once to a page's state: a regex filter box, the tag filter and the live
// refresh switch (templates/_tag_filter.html), radio buttons and the smoothing control
// (templates/_smoothing.html). Each writes what the user chose into the page's state and tells the
// page; the page never reads a control back.

import { poll, settings, showStatus } from "./api.js";

// A regex filter box showing state[key]. onChange(regex or null, initial) runs once at once
// (initial = true) and after every edit that is a valid pattern, which state[key] then holds; an
// invalid one shows its error next to the box and leaves the last valid filter in force (none, for
// an invalid pattern from the URL).
export function regexFilter(input, errorElement, state, key, onChange) {
  const apply = (initial) => {
    let regex = null;
    try {
      regex = input.value ? new RegExp(input.value, "i") : null;
    } catch (error) {
      errorElement.textContent = `Not a regular expression: ${error.message}`;
      errorElement.hidden = false;
      return;
    }
    errorElement.hidden = true;
    state[key] = input.value;
    onChange(regex, initial);
  };
  input.value = state[key];
  state[key] = "";
  apply(true);
  input.addEventListener("input", () => apply(false));
}

// The tag filter box (#tag-filter): its pattern in state.tag_regex, the compiled one in
// state.tagRegex; onChange() runs after each valid edit.
export function bindTagFilter(state, onChange) {
  regexFilter(document.getElementById("tag-filter"), document.getElementById("tag-filter-error"), state, "tag_regex",
    (regex, initial) => {
      state.tagRegex = regex;
      if (!initial) onChange();
    });
}

// The Live refresh checkbox (#live) showing state.live: while it is on, `tick` runs every refresh
// period (api.js poll). Returns start(immediate), which (re)starts polling and then calls onChange().
export function bindLive(state, tick, onChange) {
  let stop = null;
  const start = (immediate = true) => {
    if (stop) stop();
    stop = null;
    if (state.live) stop = poll(settings().refreshSeconds, tick, { immediate });
    else showStatus("live refresh off");
    onChange();
  };
  const box = document.getElementById("live");
  box.checked = state.live;
  box.addEventListener("change", () => {
    state.live = box.checked;
    start();
  });
  return start;
}

export const MAX_SMOOTHING = 0.999;

// A smoothing weight from the URL or a control, in [0, MAX_SMOOTHING]; what is no number is 0.
export function smoothingWeight(value) {
  return Math.min(MAX_SMOOTHING, Math.max(0, Number(value) || 0));
}

// The slider and the number box of templates/_smoothing.html, both showing state.smoothing; either
// one sets it (clamped) and calls onChange().
export function bindSmoothing(state, onChange) {
  const slider = document.getElementById("smoothing");
  const number = document.getElementById("smoothing-value");
  state.smoothing = smoothingWeight(state.smoothing);
  slider.value = number.value = String(state.smoothing);
  const set = (value) => {
    state.smoothing = smoothingWeight(value);
    slider.value = number.value = String(state.smoothing);
    onChange();
  };
  slider.addEventListener("input", () => set(slider.value));
  number.addEventListener("change", () => set(number.value));
}

// The radio buttons named `name`, showing state[key] (else `choices[0]`, for a value from the URL
// that is none of them); choosing one sets state[key] and calls onChange().
export function bindRadios(name, state, key, onChange) {
  const radios = [...document.querySelectorAll(`input[type=radio][name="${name}"]`)];
  if (!radios.some((radio) => radio.value === state[key])) state[key] = radios[0].value;
  for (const radio of radios) {
    radio.checked = radio.value === state[key];
    radio.addEventListener("change", () => {
      state[key] = radio.value;
      onChange();
    });
  }
}
