// The horizontal axis a chart over steps offers (Scalars, Distributions): by step, by time since the
// series began (in s, min or h, as its span needs), or by wall-clock time on a date axis.

export const X_MODES = ["step", "relative", "wall"];
const TIME_UNITS = [[120, 1, "s"], [2 * 3600, 60, "min"], [Infinity, 3600, "h"]];

// Local wall-clock milliseconds on plotly's (UTC) date axis.
export function localMs(seconds) {
  const ms = seconds * 1000;
  return ms - new Date(ms).getTimezoneOffset() * 60000;
}

// The unit relative time reads in, for series spanning up to `span` seconds: {seconds, label}.
export function timeUnit(span) {
  const [, seconds, label] = TIME_UNITS.find(([limit]) => span < limit);
  return { seconds, label };
}

// The x values of a series (its steps and wall times) in `mode`; relative time counts from `origin`.
export function xValues(mode, steps, walls, unit, origin = walls[0]) {
  if (mode === "step") return steps;
  if (mode === "wall") return walls.map(localMs);
  return walls.map((w) => (w - origin) / unit.seconds);
}

// The axis' layout in `mode`: its title and type.
export function xAxis(mode, unit) {
  const text = { step: "step", relative: `relative time (${unit.label})`, wall: "wall time" }[mode];
  return { title: { text }, type: mode === "wall" ? "date" : "linear" };
}
