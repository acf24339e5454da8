// Tag groups as every tag page shows them: a foldable <details> section per tag prefix (the part
// before the first "/", TensorBoard's rule, as dashboard/scalars/charts.py groups scalars), holding
// a grid of cards, the sections and the cards kept in name order as they appear.

import { el } from "./dom.js";

export function groupName(tag) {
  return tag.includes("/") ? tag.slice(0, tag.indexOf("/")) : tag;
}

// A section for group `name`: {details, grid, charts: Map}. onToggle(open) runs when the user folds
// or unfolds it; dataset names the section (data-group="name", or data-pinned=""); `kind`, when
// given, is a badge beside the name (a custom-scalars layout's categories).
export function groupSection(name, { open = true, dataset = { group: name }, className = "tag-group", kind = null,
  onToggle } = {}) {
  const details = el("details", { className, open, dataset });
  const summary = el("summary", {}, el("span", { className: "group-name" }, name),
    kind ? el("span", { className: "group-kind" }, kind) : null, el("span", { className: "group-count" }));
  const grid = el("div", { className: "chart-grid" });
  details.append(summary, grid);
  if (onToggle) details.addEventListener("toggle", () => onToggle(details.open));
  return { details, grid, charts: new Map() };
}

// The count a section's summary shows.
export function showCount(section, count, noun = "chart") {
  section.details.querySelector(".group-count").textContent = `${count} ${noun}${count === 1 ? "" : "s"}`;
}

// Insert `node` among `parent`'s children before the first whose key is greater than `key`.
export function insertSorted(parent, node, key, keyOf) {
  const after = [...parent.children].find((child) => keyOf(child) !== undefined && keyOf(child) > key);
  parent.insertBefore(node, after || null);
}
