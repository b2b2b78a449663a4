// Writing to the charts' SVG only what changed. Chromium lays an SVG element out again when one of its
// attributes is set, even to the value it has, and setting a text to the text it holds replaces the text
// node (shaped and laid out again): a redraw that re-set every tick label of ten charts cost a live run's
// page ~10 ms of layout a generation.

/** Sets the attributes whose values differ from the element's. */
export function setAttrs(el: Element, attrs: Readonly<Record<string, string | number>>): void {
  for (const name in attrs) {
    const value = String(attrs[name]);
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }
}

/** Sets the element's text if it differs. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
