// The run page's editor of what the user keeps about the run: display name, labels, notes, hidden,
// and moving it to the trash. Saved through the API (dashboard/manage), never into the run's file.

import { readOnly, showStatus } from "../api.js";
import { $, el } from "../dom.js";
import { confirmButton, parseLabels, trashRun, updateRun } from "./edit.js";

function say(message, isError = false) {
  const status = $("run-manage-status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

// The title shows the display name first, the run's own name beside it.
function showTitle(run) {
  const title = $("run-title");
  title.replaceChildren(run.display_name || run.name);
  if (run.display_name) title.append(" ", el("span", { className: "run-real-name" }, run.name));
  if (run.hidden) title.append(" ", el("span", { className: "hidden-badge" }, "hidden"));
}

export function bindRunEditor(run) {
  const fields = { name: $("run-display-name"), labels: $("run-labels"), notes: $("run-notes") };
  fields.name.value = run.display_name || "";
  fields.labels.value = (run.labels || []).join(", ");
  fields.notes.value = run.notes || "";
  const hide = $("run-hide");
  hide.textContent = run.hidden ? "Unhide" : "Hide";
  showTitle(run);
  const controls = [fields.name, fields.labels, fields.notes, $("run-save"), hide, $("run-delete")];
  if (readOnly()) {
    for (const control of controls) control.disabled = true;
    say("This server is read-only (--read-only): nothing can be changed.");
    return;
  }
  const save = async (changes, done) => {
    try {
      Object.assign(run, await updateRun(run.name, changes));
      showTitle(run);
      hide.textContent = run.hidden ? "Unhide" : "Hide";
      fields.labels.value = run.labels.join(", ");
      say(done);
    } catch (error) {
      say(error.message, true);
    }
  };
  $("run-save").addEventListener("click", () => save(
    { display_name: fields.name.value, labels: parseLabels(fields.labels.value), notes: fields.notes.value }, "Saved."));
  hide.addEventListener("click", () => save({ hidden: !run.hidden },
    run.hidden ? "Shown again in the run lists." : "Hidden: left out of the run lists unless they show hidden runs."));
  confirmButton($("run-delete"), "Confirm: move to trash", async () => {
    try {
      await trashRun(run.name);
      for (const control of controls) control.disabled = true;
      say("");
      $("run-manage-status").replaceChildren("Moved to the trash. ", el("a", { href: "/trash" }, "Open the trash"),
        " to restore it.");
      showStatus("Run moved to the trash");
    } catch (error) {
      say(error.message, true);
    }
  });
}
