// A page of cards, one per tag and run, for one tag kind (the Histograms, Distributions, Images and
// Text pages): the run selector and the tag filter, tag groups that fold, all in the URL; cards that
// load when they scroll into view; live refresh that reloads only the cards whose run logged more of
// their tag since they loaded (their tag's count and step range in /api/runs tell).
//
// A page gives its kind, its own settings (a url_state spec and a function binding their controls)
// and makeCard(tag, run, page), which returns {element, load(), render()}: load() fetches and draws
// the card's data, render() redraws what it holds with the page's current settings.

import { showStatus } from "./api.js";
import { bindLive, bindTagFilter } from "./controls.js";
import { $, el, nameText } from "./dom.js";
import { rememberedMaxRuns } from "./run_cap.js";
import { RunFeed } from "./run_feed.js";
import { RunList } from "./run_list.js";
import { groupName, groupSection, insertSorted, showCount } from "./tag_groups.js";
import { readState, writeState } from "./url_state.js";

const COMMON_SPEC = {
  run: ["list", null],
  run_regex: ["string", ""],
  hidden: ["boolean", false],
  tag_regex: ["string", ""],
  live: ["boolean", true],
  collapsed: ["list", null],
};

const cardKey = (tag, run) => `${tag}\u0001${run}`;

// What of a run's tag says it has more to show: its count and its step range.
function signature(tagInfo) {
  return `${tagInfo.count}:${tagInfo.first_step}:${tagInfo.last_step}`;
}

// A card's frame: its tag, the run's colour and name above `body`.
export function cardElement(tag, run, page, className, ...body) {
  const swatch = el("span", { className: "swatch", style: { background: page.colorOf(run) } });
  return el("figure", { className: `chart-card ${className}` },
    el("figcaption", {}, el("span", { className: "chart-title" }, nameText(tag)), swatch,
      el("span", { className: "run-name" }, nameText(run))),
    ...body);
}

export function startTagPage({ kind, spec = {}, makeCard, bindSettings = () => {}, noun = "card" }) {
  const fullSpec = { ...COMMON_SPEC, ...spec };
  const maxRuns = rememberedMaxRuns(); // cards of one tag at most: the Scalars page's "Runs per chart"
  const state = readState(fullSpec);
  state.collapsed = new Set(state.collapsed || []);
  state.tagRegex = null;

  const root = $("cards");
  const emptyNote = $("cards-empty");
  const sections = new Map(); // group -> section (tag_groups.js), its charts: card key -> card
  const runs = new Map(); // run name -> its /api/runs summary, of the last load

  const save = () => writeState(fullSpec, { ...state, collapsed: state.collapsed.size ? [...state.collapsed] : null });
  const cards = () => [...sections.values()].flatMap((section) => [...section.charts.values()]);
  const page = {
    state,
    save,
    colorOf: (run) => (runs.get(run) && runs.get(run).color) || "#1f77b4",
    tagInfo: (tag, run) => (runs.get(run) && runs.get(run).tags[tag]) || null,
    reportError: (error) => showStatus(error.message, true),
    // Redraw every drawn card with the settings just changed (no fetch).
    renderAll: () => {
      for (const card of cards()) if (card.loaded && !card.element.hidden) card.render();
    },
  };

  const runList = new RunList(document.querySelector("[data-run-list]"), state, () => {
    save();
    update();
  }, () => {
    feed.reset();
    return loadRuns();
  });
  // The cards need each run's tags (which it logged, how much of each).
  const feed = new RunFeed(() => runList.query());

  // A card loads when it first comes near the screen, then whenever its tag has more to show.
  const visibility = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      visibility.unobserve(entry.target);
      entry.target.card.visible = true;
      refresh(entry.target.card);
    }
  }, { rootMargin: "100% 0px" });

  async function refresh(card) {
    const info = page.tagInfo(card.tag, card.run);
    if (!card.visible || card.element.hidden || !info || signature(info) === card.loaded) return;
    const loading = signature(info);
    card.loaded = loading;
    try {
      await card.load();
    } catch (error) {
      card.loaded = null;
      page.reportError(error);
    }
  }

  function addCard(tag, run) {
    const name = groupName(tag);
    let section = sections.get(name);
    if (!section) {
      section = groupSection(name, { open: !state.collapsed.has(name), onToggle: (open) => {
        if (open) state.collapsed.delete(name);
        else state.collapsed.add(name);
        save();
        if (open) update();
      } });
      sections.set(name, section);
      insertSorted(root, section.details, name, (node) => node.dataset.group);
    }
    const key = cardKey(tag, run);
    if (section.charts.has(key)) return;
    const card = makeCard(tag, run, page);
    Object.assign(card, { tag, run, visible: false, loaded: null });
    card.element.card = card;
    card.element.dataset.key = key;
    card.element.dataset.tag = tag;
    card.element.dataset.run = run;
    section.charts.set(key, card);
    insertSorted(section.grid, card.element, key, (node) => node.dataset.key);
    visibility.observe(card.element);
  }

  // Cards for the shown runs of each tag of the kind that the tag filter keeps: the first maxRuns
  // such runs of a tag (a card per run; thousands of cards would stall the tab), and a note in the
  // group of how many were left out. Cards of runs no longer shown are hidden, kept for later.
  function update() {
    const wanted = new Set();
    const perTag = new Map(); // tag -> its shown runs so far
    const leftOut = new Map(); // group -> cards left out
    for (const run of runList.shown()) {
      for (const [tag, info] of Object.entries(run.tags || {})) {
        if (info.kind !== kind || (state.tagRegex && !state.tagRegex.test(tag))) continue;
        const n = (perTag.get(tag) || 0) + 1;
        perTag.set(tag, n);
        if (n > maxRuns) {
          leftOut.set(groupName(tag), (leftOut.get(groupName(tag)) || 0) + 1);
          continue;
        }
        addCard(tag, run.name);
        wanted.add(cardKey(tag, run.name));
      }
    }
    let total = 0;
    for (const [name, section] of sections) {
      let count = 0;
      for (const [key, card] of section.charts) {
        if (!runs.has(card.run) || !page.tagInfo(card.tag, card.run)) {
          visibility.unobserve(card.element);
          card.element.remove();
          section.charts.delete(key);
          continue;
        }
        const show = wanted.has(key);
        card.element.hidden = !show;
        if (!show) continue;
        count += 1;
        if (section.details.open) refresh(card);
      }
      section.details.hidden = count === 0;
      showCount(section, count, noun);
      showLeftOut(section, leftOut.get(name) || 0);
      total += count;
    }
    emptyNote.hidden = total > 0;
  }

  function showLeftOut(section, count) {
    if (!section.capNote) {
      section.capNote = el("p", { className: "chart-cap", hidden: true });
      section.grid.before(section.capNote);
    }
    section.capNote.hidden = count === 0;
    const text = count ? `Showing the first ${maxRuns.toLocaleString("en-US")} selected runs of each tag; `
      + `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"} left out: narrow the run filter or raise `
      + "“Runs per chart” in the Scalars page's Settings." : "";
    if (section.capNote.textContent !== text) section.capNote.textContent = text;
  }

  // Fetch what changed in the run list (a poll with nothing new redraws nothing).
  async function loadRuns() {
    if (!(await feed.load())) return;
    runs.clear();
    for (const run of feed.runs()) runs.set(run.name, run);
    runList.setRuns(feed.runs(), feed.hiddenCount);
    update();
  }

  async function liveTick() {
    await loadRuns();
    const running = feed.runs().filter((run) => run.status === "running").length;
    showStatus(running ? `live: ${running} run${running === 1 ? " is" : "s are"} running`
      : "live: watching for new runs (no run is running)");
  }

  bindTagFilter(state, () => {
    save();
    update();
  });
  const setLive = bindLive(state, liveTick, save);
  bindSettings(page);
  loadRuns()
    .then(() => setLive(false))
    .catch((error) => showStatus(error.message, true));
  return page;
}
