// The Trash page: the trashed runs, each with Restore, and Empty trash (asked twice).

import { getJSON, readOnly, sendJSON, showStatus } from "../api.js";
import { $, el, nameText } from "../dom.js";
import { formatTime } from "../format.js";
import { confirmButton } from "./edit.js";

function fail(error) {
  $("trash-error").textContent = error.message;
  $("trash-error").hidden = false;
}

async function load() {
  const { trash } = await getJSON("/api/manage/trash");
  const rows = trash.map((record) => {
    const restore = el("button", { type: "button", disabled: readOnly(), dataset: { id: record.id } }, "Restore");
    restore.addEventListener("click", async () => {
      try {
        await sendJSON("POST", "/api/manage/restore", { id: record.id });
        showStatus(`Restored ${record.run}`);
        await load();
      } catch (error) {
        fail(error);
      }
    });
    return el("tr", { dataset: { run: record.run } }, el("td", { className: "run-name" }, nameText(record.run)),
      el("td", { className: "num" }, formatTime(record.trashed_at)), el("td", {}, el("code", {}, record.folder)),
      el("td", {}, restore));
  });
  $("trash-table").tBodies[0].replaceChildren(...rows);
  $("trash-empty").hidden = trash.length > 0;
  $("trash-count").textContent = `${trash.length} run${trash.length === 1 ? "" : "s"}`;
  $("empty-trash").disabled = readOnly() || trash.length === 0;
}

confirmButton($("empty-trash"), () => `Confirm: remove ${$("trash-count").textContent} for good`, async () => {
  try {
    const { removed } = await sendJSON("DELETE", "/api/manage/trash");
    showStatus(`Removed ${removed.length} run${removed.length === 1 ? "" : "s"} for good`);
    await load();
  } catch (error) {
    fail(error);
  }
});

load().catch(fail);
