// Per-layer gradient magnitude, live: the frame's mean |∂L/∂w| of each weight layer at the
// last update, as bars on a log scale, so a class sees the gradient vanish layer by layer
// (sigmoid in a deep net) or be exactly zero (step).
import { byId, el, readout, setText, textClock } from "../ui/dom.js";
import { onChange } from "../model/slice.js";

const DECADES = 7; // the bars span 10⁻⁷ … 1
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/** 0.015, 3.2 × 10⁻⁶, or 0 (no gradient at all). */
export function formatMagnitude(value) {
  if (!Number.isFinite(value)) return "–";
  if (value === 0) return "0";
  if (value >= 0.01) return value.toPrecision(2);
  const [mantissa, exponent] = value.toExponential(1).split("e");
  const power = String(Number(exponent)).replace(/./g, (c) => SUPERSCRIPT[c]);
  return `${mantissa} × 10${power}`;
}

const barShare = (g) => (g > 0 ? Math.max(0.02, Math.min(1, (Math.log10(g) + DECADES) / DECADES)) : 0);

function layerName(l, nWeightLayers) {
  return l === nWeightLayers - 1 ? "→ output" : `→ hidden ${l + 1}`;
}

export function createGradients(run) {
  const box = byId("gradients");
  const note = byId("gradients-note");
  let rows = []; // {bar, value, text}
  let shownNote = null;

  function build(config) {
    const n = Math.max(0, config.layerSizes.length - 1);
    if (rows.length === n) return;
    box.replaceChildren();
    rows = [];
    for (let l = 0; l < n; l++) {
      const row = el("div", { class: "gradient-row", "data-layer": l }, box);
      el("span", { class: "gradient-name", text: layerName(l, n) }, row);
      const track = el("span", { class: "gradient-track", "aria-hidden": "true" }, row);
      const bar = el("span", { class: "gradient-bar" }, track);
      const value = readout(el("span", { class: "gradient-value", text: "–" }, row));
      rows.push({ row, bar, value, text: "" });
    }
  }

  function explain(grads) {
    const n = grads.length;
    if (!n || grads.every((g) => g === 0)) {
      return "Mean |∂L/∂w| of each layer at the last update: press Step or Play.";
    }
    const out = grads[n - 1];
    if (grads.slice(0, -1).some((g) => g === 0) && out > 0) {
      return "0 = no gradient reaches these layers (a flat φ or dead neurons): their weights never change.";
    }
    const first = grads[0];
    if (n > 2 && first > 0 && out / first >= 100) {
      const ratio = (10 ** Math.floor(Math.log10(out / first))).toLocaleString("en-US");
      return `The gradient is over ${ratio}× smaller in the first layer than at the output: the first layers learn slowly (vanishing gradient).`;
    }
    return "Log scale: an empty bar is 10⁻⁷ or less, a full one 1.";
  }

  function drawFrame(frame) {
    if (frame.playing && !textClock.due) return;
    if (rows.length !== frame.gradMeans.length) return; // a frame of the previous network
    const grads = Array.from(frame.gradMeans);
    const updated = grads.some((g) => g !== 0); // all zero: no update yet
    grads.forEach((g, l) => {
      const item = rows[l];
      const text = formatMagnitude(g);
      const key = `${text}:${updated}`;
      if (key === item.text) return;
      item.text = key;
      setText(item.value, text);
      item.row.dataset.value = String(g);
      item.row.classList.toggle("zero", g === 0 && updated);
      item.bar.style.width = `${(100 * barShare(g)).toFixed(1)}%`;
    });
    const text = explain(grads);
    if (text !== shownNote) note.textContent = shownNote = text;
  }

  onChange(run.config, (config) => [config.layerSizes.length], build);
  return { drawFrame };
}
