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
