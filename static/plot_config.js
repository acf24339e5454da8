// The one plotly config every chart uses. liteboard is local-first: no control may send a chart
// or its data off the machine, so the cloud and Chart Studio buttons are off and the mode bar
// holds only what users reach for (zoom, pan, reset, download).

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
