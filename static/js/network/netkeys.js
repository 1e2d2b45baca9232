// The diagram by keyboard. Two tab stops, each a roving group: the neurons (arrow keys move
// up and down a layer and across layers; a focused neuron shows on the big map with its
// formula, as a hovered one does) and the weights and biases (arrow keys walk them layer by
// layer, Page Up / Down jump a layer, Enter or Space opens the editor a click opens).
import { nodeName } from "../lecture/inspector.js";

const NEXT = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };

/**
 * @param run  the page's run (names come from its config)
 * @param box    the diagram's box (#network), root its SVG
 * @param hooks  {focusNeuron({layer, neuron} | null), showValue(node), edit(node)}
 */
export function createNetworkKeys(run, box, root, hooks) {
  let params = []; // link hit paths and bias squares, layer by layer
  let neurons = []; // [layer][neuron] → node element (hidden and output layers)
  let paramAt = 0;
  let neuronAt = [1, 0];

  /** Make `item` the group's one tab stop. */
  function rove(items, item) {
    for (const other of items) other.tabIndex = other === item ? 0 : -1;
  }

  function paramLabel(node) {
    const d = node.dataset;
    const layer = Number(d.layer);
    if (node.classList.contains("bias")) {
      return `Bias of ${nodeName(run, layer + 1, Number(d.neuron))}`;
    }
    return `Weight from ${nodeName(run, layer, Number(d.source))} to ${nodeName(run, layer + 1, Number(d.target))}`;
  }

  /** After each rebuild of the diagram: the items, their names, their roving tab stops. */
  function built() {
    const byLayer = (a, b) => Number(a.dataset.layer) - Number(b.dataset.layer);
    params = [...root.querySelectorAll(".link-hit, .bias")].sort(byLayer); // a stable sort
    params.forEach((node) => {
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", paramLabel(node));
      node.setAttribute("focusable", "true");
    });
    paramAt = Math.min(paramAt, params.length - 1);
    rove(params, params[paramAt]);
    neurons = [];
    for (const node of box.querySelectorAll(".node.neuron, .node.output")) {
      const layer = Number(node.dataset.layer);
      const neuron = Number(node.dataset.neuron);
      (neurons[layer] ||= [])[neuron] = node;
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", `${nodeName(run, layer, neuron).replace(/^./, (c) => c.toUpperCase())}: show it on the map`);
      node.setAttribute("aria-describedby", "formula-card");
    }
    const layers = neurons.length - 1;
    neuronAt = [Math.min(Math.max(1, neuronAt[0]), layers), 0];
    rove(box.querySelectorAll(".node.neuron, .node.output"), neuronNode());
  }

  const neuronNode = () => neurons[neuronAt[0]]?.[neuronAt[1]] || null;

  function moveNeuron(key) {
    let [layer, neuron] = neuronAt;
    if (key === "ArrowDown") neuron += 1;
    else if (key === "ArrowUp") neuron -= 1;
    else if (key === "ArrowRight") layer += 1;
    else if (key === "ArrowLeft") layer -= 1;
    layer = Math.max(1, Math.min(neurons.length - 1, layer));
    neuron = Math.max(0, Math.min(neurons[layer].length - 1, neuron));
    neuronAt = [layer, neuron];
    const node = neuronNode();
    rove(box.querySelectorAll(".node.neuron, .node.output"), node);
    node.focus();
  }

  function moveParam(key) {
    let next = paramAt + (NEXT[key] || 0);
    if (key === "Home") next = 0;
    else if (key === "End") next = params.length - 1;
    else if (key === "PageDown" || key === "PageUp") {
      const layer = Number(params[paramAt].dataset.layer) + (key === "PageDown" ? 1 : -1);
      const first = params.findIndex((node) => Number(node.dataset.layer) === layer);
      next = first >= 0 ? first : paramAt;
    }
    paramAt = Math.max(0, Math.min(params.length - 1, next));
    rove(params, params[paramAt]);
    params[paramAt].focus();
  }

  const PARAM_KEYS = new Set([...Object.keys(NEXT), "Home", "End", "PageDown", "PageUp"]);

  root.addEventListener("keydown", (event) => {
    const node = event.target;
    if (!params.includes(node)) return;
    if (event.key === "Enter" || event.key === " ") hooks.edit(node);
    else if (PARAM_KEYS.has(event.key)) moveParam(event.key);
    else return;
    event.preventDefault();
    event.stopPropagation(); // arrows here never step the training
  });
  root.addEventListener("focusin", (event) => {
    const at = params.indexOf(event.target);
    if (at < 0) return;
    paramAt = at;
    rove(params, event.target);
    hooks.showValue(event.target);
  });

  box.addEventListener("keydown", (event) => {
    const node = event.target.closest(".node.neuron, .node.output");
    if (!node || !NEXT[event.key]) return;
    moveNeuron(event.key);
    event.preventDefault();
    event.stopPropagation();
  });
  box.addEventListener("focusin", (event) => {
    const node = event.target.closest(".node.neuron, .node.output");
    if (!node) return;
    neuronAt = [Number(node.dataset.layer), Number(node.dataset.neuron)];
    hooks.focusNeuron({ layer: neuronAt[0], neuron: neuronAt[1] });
  });
  box.addEventListener("focusout", (event) => {
    if (event.target.closest(".node.neuron, .node.output")) hooks.focusNeuron(null);
  });

  return { built };
}
