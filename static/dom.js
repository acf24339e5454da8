// The two DOM helpers every page uses: `$` finds an element by id, `el` builds one.

export const $ = (id) => document.getElementById(id);

// el("td", {className: "x", title: "y"}, "text or", childNode). Text is always text, never markup.
export function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(element.dataset, value);
    else if (key === "style") Object.assign(element.style, value);
    else element[key] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// A run, tag or hparam name that may wrap only after "/", "_" or "-" (a <wbr> there), never
// inside a token; its full text is its title, for where a cell clips it.
export function nameText(name) {
  const text = String(name);
  const span = el("span", { className: "name-text", title: text });
  for (const part of text.split(/(?<=[/_-])/)) {
    if (span.childNodes.length) span.append(el("wbr"));
    span.append(document.createTextNode(part));
  }
  return span;
}
