// Small DOM helpers shared by the views.

const SVG_NS = "http://www.w3.org/2000/svg";

export const byId = (id) => document.getElementById(id);

/** An HTML element with attributes (a `text` key sets its text). */
export function el(tag, attrs = {}, parent = null) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  if (parent) parent.appendChild(node);
  return node;
}

/** An SVG element with attributes. */
export function svg(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  if (parent) parent.appendChild(node);
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
  }
}

/** Replace a select's options; `options` is a list of [value, label]. */
export function fillSelect(select, options) {
  select.replaceChildren(...options.map(([value, label]) => el("option", { value, text: label })));
}

/** "000,123": the epoch zero-padded to six digits, with thousands separators. */
export function formatEpoch(epoch) {
  const digits = String(epoch).padStart(6, "0");
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A loss or value with 3 decimals; "–" when absent, "NaN" when diverged. */
export function formatLoss(value) {
  if (value === null || value === undefined) return "–";
  if (Number.isNaN(value)) return "NaN";
  return value.toFixed(3);
}

/** A number the way the reference's menus show it (0.00001, 0.03, 10). */
export function formatNumber(value) {
  if (typeof value !== "number") return String(value);
  return value < 1e-6 && value > 0 ? value.toExponential() : String(value);
}

/**
 * The box inside a live read-out that its text goes into (made on first use, keeping the
 * text there): a `.readout` (playground.css) is laid out on its own, so a changing number
 * re-lays out that box, not the page. Containment on the read-out itself does not do this
 * when it is a flex or grid item: Chromium never starts a layout at such an item.
 */
export function readout(node) {
  const first = node.firstElementChild;
  if (first && first.classList.contains("readout")) return first;
  const box = el("span", { class: "readout", text: node.textContent });
  node.replaceChildren(box);
  return box;
}

/**
 * Put `text` in a read-out's box if it changed. The box keeps its one text node and only
 * that node's data changes: a new node would cost a style pass as well as the layout.
 */
export function setText(box, text) {
  const node = box.firstChild;
  if (!node || node.nodeType !== Node.TEXT_NODE || node.nextSibling) box.replaceChildren(document.createTextNode(text));
  else if (node.data !== text) node.data = text;
}

const TEXT_MS = 100;

/**
 * One clock for every live read-out: the render pass ticks it, and it is `due` on the first
 * pass of each TEXT_MS slot. Read-outs that change only on due passes change together, so
 * the browser lays text out (and hit-tests the pointer again) once per slot, not once per
 * read-out. Nobody reads numbers faster than ten a second.
 */
export const textClock = {
  due: true,
  ticks: 0, // due passes so far
  slot: -1,
  tick(now = performance.now()) {
    const slot = Math.floor(now / TEXT_MS);
    this.due = slot !== this.slot;
    this.slot = slot;
    if (this.due) this.ticks += 1;
  },
};

/**
 * A text setter for a read-out (into its `readout` box) that writes only on textClock's due
 * passes, at most every `every` of them, unless forced (each text change costs the browser
 * a layout pass of that box).
 */
export function throttledText(node, every = 1) {
  node = readout(node);
  let shown = node.textContent;
  let written = -Infinity;
  return (text, force = false) => {
    if (text === shown) return;
    if (!force && !(textClock.due && textClock.ticks - written >= every)) return;
    written = textClock.ticks;
    shown = text;
    setText(node, text);
  };
}

/**
 * Paint a still picture: `draw(context)` on a scratch `width × height` canvas, shown by `img`.
 * A canvas on the page costs the browser a new compositor resource every frame even when it
 * did not change; an image does not. Returns what `draw` returns.
 */
export function paintImage(img, width, height, draw) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const result = draw(canvas.getContext("2d"));
  const url = canvas.toDataURL();
  if (img.getAttribute("src") !== url) img.src = url;
  return result;
}

/** A canvas sized for the screen's pixel ratio, drawn in CSS pixels. */
export function fitCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}
