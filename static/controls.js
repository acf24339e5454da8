// Form controls bound once to a page's state: a regex filter box and the smoothing control
// (templates/_smoothing.html). Each writes what the user chose into the page's state and tells the
// page; the page never reads a control back.

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
