// The one plotly config every chart uses. liteboard is local-first: no control may send a chart
// or its data off the machine, so the cloud and Chart Studio buttons are off and the mode bar
// holds only what users reach for (zoom, pan, reset, download). themed() gives every chart the
// colours of the theme in force (theme.js), so charts follow the light or dark page.

import { THEME_EVENT, currentTheme } from "./theme.js";

const LOCAL_ONLY = {
  displaylogo: false,
  showLink: false,
  showSendToCloud: false,
  showEditInChartStudio: false,
  responsive: true,
};

// Buttons for charts liteboard draws itself (2-D cartesian).
export const CHART_BUTTONS = ["zoom2d", "pan2d", "resetScale2d", "toImage"];

// A chart of liteboard's own; `buttons` narrows the mode bar further (a parcoords chart has no zoom).
export function plotConfig(buttons = CHART_BUTTONS) {
  return { ...LOCAL_ONLY, modeBarButtons: [buttons] };
}

// A figure the user logged with add_figure: any trace type, so plotly keeps the buttons that fit
// it, less the ones that select points.
export function figureConfig() {
  return { ...LOCAL_ONLY, modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud"] };
}

// The chart colours of each theme, matching static/style.css (--panel, --ink, --line).
const PALETTES = {
  light: { plot: "#ffffff", ink: "#1d2330", grid: "#e6e9ee", line: "#c4cad3" },
  dark: { plot: "#1b1f27", ink: "#e2e6ec", grid: "#2f3541", line: "#4a5263" },
};

// `layout` with the theme's colours over its own: a transparent paper (the card shows through),
// the plot background, the font and the axes' grid and lines.
export function themed(layout) {
  const palette = PALETTES[currentTheme()];
  const axis = { gridcolor: palette.grid, linecolor: palette.line, zerolinecolor: palette.line };
  const out = { ...layout, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: palette.plot,
    font: { ...(layout.font || {}), color: palette.ink } };
  for (const key of ["xaxis", "yaxis"]) out[key] = { ...(layout[key] || {}), ...axis };
  return out;
}

// Draw `plot` in the theme's colours and keep it in them: how every themed chart draws.
export function drawThemed(plot, traces, layout, config = plotConfig()) {
  followTheme(plot, config);
  return window.Plotly.react(plot, traces, themed(layout), config);
}

// Redraw `plot` (drawn with `config`) in the new theme's colours whenever the theme changes, for
// as long as it is in the page. Once per plot; a chart that redraws itself may also call it.
export function followTheme(plot, config) {
  if (plot.followsTheme) return;
  plot.followsTheme = true;
  const redraw = () => {
    if (!plot.isConnected) document.removeEventListener(THEME_EVENT, redraw);
    else if (plot.data) window.Plotly.react(plot, plot.data, themed(plot.layout), config);
  };
  document.addEventListener(THEME_EVENT, redraw);
}
