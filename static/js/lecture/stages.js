// The backprop loop one stage at a time (lecture row 5): "Step one batch" beside "Step one
// epoch", and a stage view that walks forward → loss → backward → update for the batch
// just trained, marking in the diagram the layer each stage is in, with the numbers of the
// inspected weight (the inspector's, so they are training's own).
import { formatValue } from "./chainrule.js";
import { byId, el } from "../ui/dom.js";
import { BATCH, INSPECT, send } from "../session/protocol.js";

const STAGES = [
  { key: "forward", label: "1 Forward" },
  { key: "loss", label: "2 Loss" },
  { key: "backward", label: "3 Backward" },
  { key: "update", label: "4 Update" },
];

/** The layers (diagram columns: 0 = inputs) that a stage is in. */
function layersOf(stage, target, last) {
  const into = target.layer + 1; // the inspected parameter's neuron
  if (stage === "forward") return Array.from({ length: into + 1 }, (_, l) => l);
  if (stage === "loss") return [last];
  if (stage === "backward") return Array.from({ length: last - into + 1 }, (_, i) => last - i);
  return [into];
}

function describe(stage, v, p) {
  const first = v.points[0] || {};
  const n = v.points.length;
  const at = n > 1 ? " (point 1 of the batch)" : "";
  if (stage === "forward") {
    const each = n === 1 ? "the batch's one point goes" : `each of the ${n} points goes`;
    return `Forward: ${each} through the network, layer by layer: a = Σ w·a_prev + b, h = φ(a). At this neuron${at}: a = ${formatValue(first.z)}, h = ${formatValue(first.h)}.`;
  }
  if (stage === "loss") {
    return `Loss: the outputs are compared with the targets; the batch's loss is the mean over its ${n} point${n === 1 ? "" : "s"}, L = ${formatValue(v.batchLoss)}${n > 1 ? `, point 1's ${formatValue(first.loss)}` : ""}.`;
  }
  if (stage === "backward") {
    const dldh = first.dLdh === null || first.dLdh === undefined ? "" : `∂L/∂h = ${formatValue(first.dLdh)}, `;
    return `Backward: from the loss back to this layer, by the chain rule${at}: ${dldh}∂L/∂a = ${formatValue(first.dLdz)}, ∂L/∂${p} = ${formatValue(first.dLdw)}; summed over the batch Σ = ${formatValue(v.sum)}, mean ${formatValue(v.dLdw)}.`;
  }
  if (!v.applies) return `Update: none, the training points never fill a batch of ${v.batchSize}.`;
  return `Update: ${p} ← ${p} − step = ${formatValue(v.weight)} − ${formatValue(v.update)} → ${formatValue(v.weightAfter)} (the ${v.optimizer} step, with α = ${formatValue(v.learningRate)}).`;
}

export function createStages(run, conn, network) {
  const panel = byId("lab-backprop");
  const box = el("section", { id: "stages", class: "stages", "aria-label": "The backprop loop" });
  panel.prepend(box);
  el("h3", { class: "lab-heading", text: "The backprop loop" }, box);
  const steps = el("div", { class: "stage-steps" }, box);
  const batchButton = el("button", { type: "button", class: "text-button", text: "Step one batch" }, steps);
  const epochButton = el("button", { type: "button", class: "text-button", text: "Step one epoch" }, steps);
  const position = el("p", { id: "stage-position", class: "lab-note" }, box);
  const row = el("div", { class: "stage-buttons", role: "group", "aria-label": "Stage" }, box);
  const buttons = STAGES.map((s) => el("button", { type: "button", class: "stage-button", "data-stage": s.key, "aria-pressed": "false", text: s.label }, row));
  const next = el("button", { type: "button", class: "text-button", text: "Next stage" }, row);
  const text = el("p", { id: "stage-text", class: "stage-text", "aria-live": "polite" }, box);
  let current = 0;
  let inspection = null;

  function mark(layers) {
    for (const node of document.querySelectorAll("#network .stage-layer")) node.classList.remove("stage-layer");
    for (const l of layers) {
      for (const node of document.querySelectorAll(`#network .node[data-layer="${l}"]:not(.disabled)`)) node.classList.add("stage-layer");
    }
  }

  function show(index) {
    current = index;
    const stage = STAGES[index].key;
    box.dataset.stage = stage;
    buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(i === index)));
    if (!inspection || !run.config.get()) {
      text.textContent = "Click a link and Explain it, then step one batch: each stage shows that weight's numbers.";
      mark([]);
      return;
    }
    const v = inspection.values;
    const p = inspection.kind === INSPECT.bias ? "b" : "w";
    const layers = layersOf(stage, inspection, run.config.get().layerSizes.length - 1);
    box.dataset.layers = layers.join(",");
    mark(layers);
    text.textContent = describe(stage, v, p);
  }

  batchButton.addEventListener("click", () => conn.send(send.stepBatch()));
  epochButton.addEventListener("click", () => conn.send(send.step(1)));
  buttons.forEach((b, i) => b.addEventListener("click", () => show(i)));
  next.addEventListener("click", () => show((current + 1) % STAGES.length));
  run.events.on("inspection", (reply) => {
    const fresh = !inspection || inspection.epoch !== reply.epoch || String(inspection.values.batchPosition) !== String(reply.values.batchPosition);
    inspection = reply;
    const [done, total] = reply.values.batchPosition || [0, 0];
    const last = reply.values.batch === BATCH.lastUpdate;
    position.textContent = total ? `Epoch ${reply.epoch}, ${done} of ${total} batches trained in this epoch${last ? "; the stages replay the last one" : ""}.` : "";
    show(fresh ? 0 : current);
  });
  // The marked layers are the diagram's: again whenever it is built anew (new layers, or
  // a new size: opening this drawer narrows it, and a slow page rebuilds it after a step).
  network.onBuilt(() => show(current));
  show(0);
}
