// The Images page: per tag, a card per run showing one step's image (the latest, until the slider
// picks another), fit to the card or at its actual size, with the page's brightness and contrast.
// An add_images batch is one PNG of every sample tiled (dashboard/images/http_api.md), shown whole.

import { apiUrl, getJSON } from "../api.js";
import { bindRadios } from "../controls.js";
import { $, el } from "../dom.js";
import { formatTime } from "../format.js";
import { cardElement, startTagPage } from "../tag_page.js";

class ImageCard {
  constructor(tag, run, page) {
    this.page = page;
    this.images = [];
    this.index = -1; // into images; -1 follows the latest
    this.slider = el("input", { type: "range", className: "step-slider", min: 0, max: 0, step: 1, value: 0,
      ariaLabel: `Step of ${tag} in ${run}` });
    this.label = el("span", { className: "step-label" });
    this.image = el("img", { className: "logged-image", alt: `${tag} in ${run}` });
    this.note = el("p", { className: "chart-note" });
    this.element = cardElement(tag, run, page, "image-card",
      el("div", { className: "slider-row" }, this.slider, this.label),
      el("div", { className: "image-frame" }, this.image), this.note);
    this.slider.addEventListener("input", () => {
      const index = Number(this.slider.value);
      this.index = index === this.images.length - 1 ? -1 : index;
      this.render();
    });
  }

  async load() {
    const answer = await getJSON("/api/images", { run: this.run, tag: this.tag });
    const chosen = this.index >= 0 ? this.images[this.index].step : null;
    this.images = answer.runs[0].images;
    const kept = this.images.findIndex((image) => image.step === chosen);
    this.index = chosen === null ? -1 : kept;
    this.render();
  }

  render() {
    const { state } = this.page;
    const n = this.images.length;
    if (!n) return;
    const index = this.index < 0 ? n - 1 : this.index;
    const image = this.images[index];
    this.slider.max = String(n - 1);
    this.slider.value = String(index);
    this.slider.disabled = n < 2;
    this.label.textContent = `step ${image.step}`;
    const src = apiUrl(image.url); // a path from the server's root, put under --path_prefix
    if (this.image.getAttribute("src") !== src) this.image.src = src;
    this.image.dataset.step = String(image.step);
    this.image.classList.toggle("actual-size", state.size === "actual");
    this.image.style.filter = `brightness(${state.brightness}) contrast(${state.contrast})`;
    const samples = image.samples > 1 ? `${image.samples} samples, ` : "";
    this.note.textContent = `${samples}${image.width}×${image.height} px · ${index + 1} of ${n} steps · ${formatTime(image.wall_time)}`;
  }
}

function bindSlider(page, key) {
  const slider = $(key);
  const shown = $(`${key}-value`);
  const show = () => {
    slider.value = String(page.state[key]);
    shown.textContent = String(page.state[key]);
  };
  page.state[key] = Math.min(3, Math.max(0, Number(page.state[key])));
  show();
  slider.addEventListener("input", () => {
    page.state[key] = Number(slider.value);
    show();
    page.save();
    page.renderAll();
  });
  return show;
}

startTagPage({
  kind: "image",
  noun: "image",
  spec: { size: ["string", "fit"], brightness: ["number", 1], contrast: ["number", 1] },
  makeCard: (tag, run, page) => new ImageCard(tag, run, page),
  bindSettings(page) {
    bindRadios("size", page.state, "size", () => {
      page.save();
      page.renderAll();
    });
    const shows = ["brightness", "contrast"].map((key) => bindSlider(page, key));
    $("image-reset").addEventListener("click", () => {
      page.state.brightness = page.state.contrast = 1;
      for (const show of shows) show();
      page.save();
      page.renderAll();
    });
  },
});
