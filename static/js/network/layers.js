// Hidden layers: +/− for the number of layers and, above each layer, for its neurons.
import { byId, el } from "../ui/dom.js";
import { CFG, send } from "../session/protocol.js";

const NEW_LAYER_SIZE = 2; // the reference: a new layer starts with 2 neurons
const HEAD_WIDTH = 84; // CSS px of a layer's head (its +/− and "8 neurons") when there is room

export function createLayers(run, conn) {
  const box = byId("network");
  const addLayer = byId("add-layer");
  const removeLayer = byId("remove-layer");
  const count = byId("layers-count");

  const shape = () => (run.config.get() ? [...run.config.get().config[CFG.networkShape]] : []);
  const limit = (name, fallback) => (run.hello.get() && run.hello.get().limits[name]) || fallback;
  const configureShape = (networkShape) => conn.send(send.configure({ [CFG.networkShape]: networkShape }));

  addLayer.addEventListener("click", () => {
    const next = shape();
    if (next.length < limit("hiddenLayers", [0, Infinity])[1]) configureShape([...next, NEW_LAYER_SIZE]);
  });
  removeLayer.addEventListener("click", () => {
    const next = shape();
    if (next.length > 0) configureShape(next.slice(0, -1));
  });

  function changeNeurons(index, delta) {
    const next = shape();
    const [low, high] = limit("neurons", [1, Infinity]);
    const size = next[index] + delta;
    if (size < low || size > high) return;
    next[index] = size;
    configureShape(next);
  }

  /** Called by the network view after each rebuild, with its layout. */
  function onBuild(layout) {
    box.querySelectorAll(".layer-head").forEach((head) => head.remove());
    const [low, high] = limit("neurons", [1, Infinity]);
    const spacing = layout.heads.length > 1 ? layout.heads[1].x - layout.heads[0].x : Infinity;
    box.classList.toggle("compact-heads", spacing < HEAD_WIDTH + 4);
    box.style.setProperty("--head-width", `${Math.max(42, Math.floor(spacing) - 4)}px`);
    for (const head of layout.heads) {
      const index = head.layer - 1;
      const wrap = el("div", { class: "layer-head", "data-layer": head.layer }, box);
      wrap.style.left = `${head.x}px`;
      const plus = el("button", {
        type: "button", class: "mini-button", text: "+",
        "aria-label": `Add a neuron to hidden layer ${head.layer}`,
        disabled: head.size >= high ? "" : null,
      }, wrap);
      const minus = el("button", {
        type: "button", class: "mini-button", text: "−",
        "aria-label": `Remove a neuron from hidden layer ${head.layer}`,
        disabled: head.size <= low ? "" : null,
      }, wrap);
      const size = el("span", { class: "layer-size", text: String(head.size) }, wrap);
      el("span", { class: "layer-size-unit", text: ` neuron${head.size === 1 ? "" : "s"}` }, size);
      plus.addEventListener("click", () => changeNeurons(index, +1));
      minus.addEventListener("click", () => changeNeurons(index, -1));
    }
    const layers = layout.heads.length;
    count.textContent = `${layers} hidden layer${layers === 1 ? "" : "s"}`;
    addLayer.disabled = layers >= limit("hiddenLayers", [0, Infinity])[1];
    removeLayer.disabled = layers <= 0;
  }

  return { onBuild };
}
