// Changing what the user keeps about runs (dashboard/manage): one run's fields, several runs'
// labels or hidden flag, the trash. Each call is one request per run through sendJSON.

import { sendJSON } from "../api.js";

export function updateRun(run, fields) {
  return sendJSON("PUT", "/api/manage/run", { run, ...fields });
}

export function trashRun(run) {
  return sendJSON("POST", "/api/manage/trash", { run });
}

// Labels typed as "a, b c" (commas or spaces between them), each trimmed, none empty.
export function parseLabels(text) {
  return [...new Set(text.split(/[,\s]+/).map((label) => label.trim()).filter(Boolean))];
}

// Add (or remove) `label` on each run (summaries as /api/runs gives them), one after another;
// each summary's labels are then those the server keeps, for the next change made from it.
export async function changeLabel(runs, label, add) {
  for (const run of runs) {
    const labels = new Set(run.labels || []);
    if (add) labels.add(label);
    else labels.delete(label);
    await updateRun(run.name, { labels: [...labels] });
    run.labels = [...labels];
  }
}

// A button that asks once more before it acts: the first click arms it ("Confirm: ..."), the
// second runs `action`; leaving it (blur) disarms it. No browser dialog is used.
export function confirmButton(button, confirmText, action) {
  const label = button.textContent;
  let armed = false;
  const disarm = () => {
    armed = false;
    button.textContent = label;
    button.classList.remove("armed");
  };
  button.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      button.textContent = typeof confirmText === "function" ? confirmText() : confirmText;
      button.classList.add("armed");
      return;
    }
    disarm();
    await action();
  });
  button.addEventListener("blur", disarm);
}
