// φ and φ′ of the chosen hidden activation and of the output layer's, plotted from the
// registries' sampled `curve`, with what the curve means for learning (lecture rows 3 and
// 4). Without a hidden layer the hidden plot is off, with the reason. A flat hidden φ (the
// step) also gets a banner on the main view: nothing below the output can learn.
import { byId, el, svg } from "../ui/dom.js";
import { CFG, PERCEPTRON_LOSS } from "../session/protocol.js";
import { labelOf } from "../model/facts.js";

const HEIGHT = 118;
const PAD = { left: 26, right: 8, top: 8, bottom: 18 };
const FLAT = 1e-12;

/** What the shape of φ′ says, read from the sampled curve itself. */
function describe(curve) {
  const d = curve.derivative;
  const z = curve.z;
  const max = Math.max(...d.map(Math.abs));
  if (max < FLAT) {
    return "φ′(a) = 0 everywhere: the step is flat, so no gradient passes it and the hidden layers cannot learn.";
  }
  if (d.every((v) => Math.abs(v - d[0]) < 1e-9)) {
    return "φ′(a) is constant: the layers stay linear, so stacking them still draws a straight boundary.";
  }
  const edge = Math.max(Math.abs(d[0]), Math.abs(d[d.length - 1]));
  if (edge < 0.1 * max) {
    return "φ′(a) tends to 0 for large |a|: saturated neurons pass almost no gradient, and it shrinks layer after layer (vanishing gradient).";
  }
  const negative = d.filter((_, i) => z[i] < -0.5);
  if (negative.length && negative.every((v) => Math.abs(v) < FLAT)) {
    return "φ′(a) = 1 for a > 0 and 0 for a < 0: a usable gradient, but a neuron stuck at a < 0 stops learning (dead).";
  }
  return "φ′(a) stays away from 0 for a > 0 and small but not zero for a < 0: the gradient keeps flowing.";
}

function draw(plot, item, curve) {
  const width = Math.max(180, plot.parentElement.clientWidth || 260);
  plot.replaceChildren();
  plot.setAttribute("viewBox", `0 0 ${width} ${HEIGHT}`);
  plot.setAttribute("width", width);
  plot.setAttribute("height", HEIGHT);
  const all = curve.value.concat(curve.derivative);
  const low = Math.min(-1, ...all);
  const high = Math.max(1, ...all);
  const z0 = curve.z[0];
  const z1 = curve.z[curve.z.length - 1];
  const px = (z) => PAD.left + ((z - z0) / (z1 - z0)) * (width - PAD.left - PAD.right);
  const py = (v) => PAD.top + ((high - v) / (high - low)) * (HEIGHT - PAD.top - PAD.bottom);
  const axes = svg("g", { class: "phi-axes" }, plot);
  svg("line", { x1: px(z0), x2: px(z1), y1: py(0), y2: py(0) }, axes);
  svg("line", { x1: px(0), x2: px(0), y1: py(high), y2: py(low) }, axes);
  for (const v of [low, high].map((x) => Math.round(x))) {
    svg("text", { x: PAD.left - 4, y: py(v) + 3, "text-anchor": "end", text: String(v) }, axes);
  }
  for (const z of [z0, 0, z1]) {
    svg("text", { x: px(z), y: HEIGHT - 4, "text-anchor": "middle", text: String(z) }, axes);
  }
  const path = (values) => values.map((v, i) => `${i ? "L" : "M"}${px(curve.z[i]).toFixed(1)},${py(v).toFixed(1)}`).join("");
  svg("path", { d: path(curve.value), class: "phi-value" }, plot);
  svg("path", { d: path(curve.derivative), class: "phi-derivative" }, plot);
  plot.setAttribute("aria-label", `${labelOf(item)}: φ(a) solid, φ′(a) dashed, for a from ${z0} to ${z1}`);
  plot.dataset.activation = item.name;
}

/** The output layer's plot, added under the hidden one. */
function createOutputPlot() {
  const note = byId("phi-note");
  const heading = el("h3", { class: "lab-heading", text: "Output layer " });
  const name = el("span", { id: "phi-output-name", class: "lab-heading-value" }, heading);
  const box = el("div", { class: "phi-box" });
  const plot = svg("svg", { id: "phi-output-plot", class: "phi-plot", role: "img", "aria-label": "The output activation φ and φ′" }, box);
  const text = el("p", { id: "phi-output-note", class: "lab-note" });
  note.after(heading, box, text);
  return { name, plot, text };
}

function outputNote(item, message) {
  if (!item.curve) return "Softmax is not elementwise: h_k = e^{a_k} / Σ_j e^{a_j}, one probability per class; with categorical cross-entropy ∂L/∂a = h − t.";
  if (message.resolvedLoss === PERCEPTRON_LOSS) {
    return "The step's φ′ is 0: no gradient passes it, so the perceptron trains by Rosenblatt's rule w ← w + α(y − ŷ)x instead.";
  }
  return describe(item.curve);
}

export function createActivationPlot(run) {
  const plot = byId("phi-plot");
  const name = byId("phi-name");
  const note = byId("phi-note");
  const output = createOutputPlot();
  let shown = "";
  let stepBanner = null;

  function updateBanner(config, curve) {
    const flat = Math.max(...curve.derivative.map(Math.abs)) < FLAT;
    const hiddenLayers = config.layerSizes.length - 2;
    if (!(flat && hiddenLayers > 0)) {
      if (stepBanner) stepBanner.remove();
      stepBanner = null;
      return;
    }
    if (stepBanner) return;
    stepBanner = el("div", { class: "banner banner-notice banner-lecture", role: "status" }, byId("banners"));
    el("span", {
      class: "banner-text",
      text:
        "Nothing learns in the hidden layers: the step activation is flat, so φ′(a) = 0 and " +
        "∂L/∂w = ∂L/∂h · φ′(a) · aᵢ₋₁ = 0 for every weight into a hidden neuron. " +
        "Only the output neuron's weights move. Pick tanh, sigmoid or ReLU to learn.",
    }, stepBanner);
    const close = el("button", { type: "button", class: "banner-close", "aria-label": "Dismiss", text: "×" }, stepBanner);
    close.addEventListener("click", () => stepBanner && stepBanner.remove());
  }

  function update(message) {
    if (!run.hello.get()) return;
    const hidden = run.hello.get().activations.find((a) => a.name === message.config[CFG.activation]);
    const out = run.hello.get().outputActivations.find((a) => a.name === message.resolvedOutput);
    if (!hidden || !hidden.curve || !out) return;
    const noHidden = message.layerSizes.length <= 2;
    updateBanner(message, hidden.curve);
    const key = [hidden.name, out.name, message.resolvedLoss, noHidden, plot.parentElement.clientWidth].join(":");
    if (key === shown) return;
    shown = key;
    draw(plot, hidden, hidden.curve);
    name.textContent = `${labelOf(hidden)} (hidden layers)`;
    plot.classList.toggle("phi-off", noHidden);
    plot.dataset.off = String(noHidden);
    note.textContent = noHidden
      ? "No hidden layer: the hidden activation acts nowhere (add a layer to use it). The output's φ is below."
      : describe(hidden.curve);
    output.name.textContent = labelOf(out);
    output.plot.replaceChildren();
    output.plot.dataset.activation = out.name;
    if (out.curve) draw(output.plot, out, out.curve);
    output.plot.hidden = !out.curve;
    output.text.textContent = outputNote(out, message);
  }

  run.config.subscribe(update);
  window.addEventListener("resize", () => run.config.get() && update(run.config.get()));
}
