// Hovering a neuron shows its own formula h = φ(Σ w·x + b) with the frame's current weights
// and bias (lecture row 2); inputs stay symbolic (features by name, hidden outputs as h).
import { mathText } from "./chainrule.js";
import { byId, el, textClock } from "../ui/dom.js";
import { AUTO, CFG } from "../session/protocol.js";
import { nodeName } from "./inspector.js";

const MAX_TERMS = 8; // a 16-input neuron would not fit on one card

const number = (v) => (Number.isFinite(v) ? Math.abs(v).toFixed(2) : "NaN");

export function createNeuronFormula(run) {
  const card = byId("formula-card");
  const head = el("div", { class: "formula-title" }, card);
  const activation = el("div", { class: "formula-line" }, card);
  const sum = el("div", { class: "formula-line formula-sum" }, card);
  let focus = null;
  let shown = "";

  function activationLabel(layer) {
    const config = run.config.get().config;
    const output = layer === run.config.get().layerSizes.length - 1;
    const hello = run.hello.get();
    let name = output ? config[CFG.outputActivation] : config[CFG.activation];
    if (output && name === AUTO) name = run.config.get().resolvedOutput || name;
    const list = output ? hello.outputActivations : hello.activations;
    const item = list.find((a) => a.name === name);
    return item ? item.label : name;
  }

  /** h = φ(a) for an elementwise φ; softmax is one function of all the outputs' a. */
  function formulaOf({ layer, neuron }) {
    const sizes = run.config.get().layerSizes;
    const output = layer === sizes.length - 1;
    const item = output && run.hello.get().outputActivations.find((a) => a.name === run.config.get().resolvedOutput);
    if (item && !item.curve) {
      const k = neuron + 1;
      return `h_{${k}} = exp(a_{${k}}) / Σ_{j} exp(a_{j}): ${item.label} over the ${sizes[layer]} outputs, each a = Σ w·x + b`;
    }
    return `h = φ(Σ w·x + b) = ${activationLabel(layer)}(a)`;
  }

  function inputName(layer, k) {
    if (layer === 1) {
      const key = run.config.get().inputNames[k];
      const feature = run.hello.get().features.find((f) => f.key === key);
      return feature ? feature.label : key;
    }
    return `h_{${layer - 1},${k + 1}}`;
  }

  /** "a = 0.52·x − 1.30·y + 0.11" from the frame's weights into the neuron and its bias. */
  function sumText(frame) {
    const { layer, neuron } = focus;
    const fanIn = frame.layerSizes[layer - 1];
    const fanOut = frame.layerSizes[layer];
    const weights = frame.weights[layer - 1];
    let text = "a = ";
    const terms = Math.min(fanIn, MAX_TERMS);
    for (let k = 0; k < terms; k++) {
      const w = weights[k * fanOut + neuron];
      const sign = k === 0 ? (w < 0 ? "−" : "") : w < 0 ? " − " : " + ";
      text += `${sign}${number(w)}·${inputName(layer, k)}`;
    }
    if (fanIn > terms) text += ` + … (${fanIn - terms} more)`;
    const b = frame.biases[layer - 1][neuron];
    return `${text}${b < 0 ? " − " : " + "}${number(b)}`;
  }

  function render(frame) {
    const text = sumText(frame);
    if (text === shown) return;
    shown = text;
    sum.replaceChildren();
    mathText(sum, text);
  }

  function place() {
    const node = document.querySelector(`#network .node[data-layer="${focus.layer}"][data-neuron="${focus.neuron}"]`);
    if (!node) return false;
    const box = node.getBoundingClientRect();
    const width = card.offsetWidth || 260;
    const right = box.right + 12 + width <= window.innerWidth;
    card.style.left = `${right ? box.right + 12 : Math.max(4, box.left - 12 - width)}px`;
    card.style.top = `${Math.max(4, Math.min(box.top, window.innerHeight - card.offsetHeight - 8))}px`;
    return true;
  }

  run.focus.subscribe((next) => {
    focus = next && next.layer > 0 && run.config.get() && run.frame.get() ? next : null;
    if (!focus) {
      card.hidden = true;
      return;
    }
    head.textContent = nodeName(run, focus.layer, focus.neuron).replace(/^./, (c) => c.toUpperCase());
    activation.replaceChildren();
    mathText(activation, formulaOf(focus));
    shown = "";
    render(run.frame.get());
    card.hidden = false;
    card.dataset.layer = String(focus.layer);
    card.dataset.neuron = String(focus.neuron);
    if (!place()) card.hidden = true;
  });

  function drawFrame(frame) {
    if (!focus || card.hidden) return;
    if (frame.layerSizes.length <= focus.layer || frame.layerSizes[focus.layer] <= focus.neuron) return;
    if (frame.playing && !textClock.due) return;
    render(frame);
  }

  return { drawFrame };
}
