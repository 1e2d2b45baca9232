// Hidden layers: +/− for the number of layers and, above each layer, for its neurons.
import { byId, el } from "./dom.js";
import { CFG, send } from "./protocol.js";

const NEW_LAYER_SIZE = 2; // the reference: a new layer starts with 2 neurons

export function createLayers(store, conn) {
  const box = byId("network");
  const addLayer = byId("add-layer");
  const removeLayer = byId("remove-layer");
  const count = byId("layers-count");

  const shape = () => (store.config ? [...store.config.config[CFG.networkShape]] : []);
  const limit = (name, fallback) => (store.hello && store.hello.limits[name]) || fallback;
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
      el("span", { class: "layer-size", text: `${head.size} neuron${head.size === 1 ? "" : "s"}` }, wrap);
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
