// The backprop inspector (lecture row 8): "Explain" on a link's or a bias's card asks the
// server to `inspect` it; every `inspection` (after each step, edit or reset, once a second
// while playing) redraws the chain rule. The numbers are the last batch's or those of one
// point the user picks on the map.
import { renderChain } from "./chainrule.js";
import { byId, el } from "../ui/dom.js";
import { domainOf } from "../model/facts.js";
import { BATCH, CFG, INSPECT, PROBLEM, send } from "../session/protocol.js";

/** A node's name: layer 0 = the inputs, the last layer = the output. */
export function nodeName(run, layer, neuron) {
  const config = run.config.get();
  const last = config.layerSizes.length - 1;
  if (layer === 0) {
    const key = config.inputNames[neuron];
    const feature = run.hello.get().features.find((f) => f.key === key);
    return `input ${feature ? feature.label : key}`;
  }
  if (layer === last) {
    // counted from 1 like the map's "Showing output k"; the class labels start at 0
    return config.config[CFG.problem] === PROBLEM.multiclass ? `output ${neuron + 1} (class ${neuron})` : "the output";
  }
  return `neuron ${neuron + 1} of hidden layer ${layer}`;
}

const fixed = (v) => (Math.abs(v) < 0.005 ? "0.00" : v.toFixed(2)).replace("-", "−");

/** Mark the inspected link or bias in the diagram (class "inspected"), or none. */
function markInDiagram(target) {
  for (const node of document.querySelectorAll("#network .inspected")) node.classList.remove("inspected");
  if (!target) return;
  const selector = target.kind === INSPECT.bias
    ? `.bias[data-layer="${target.layer}"][data-neuron="${target.neuron}"]`
    : `.link-hit[data-layer="${target.layer}"][data-source="${target.source}"][data-target="${target.target}"]`;
  const node = document.querySelector(`#network ${selector}`);
  if (node) node.classList.add("inspected");
}

export function createInspector(run, conn, lab, network) {
  const empty = byId("inspector-empty");
  const panel = byId("inspector");
  const title = byId("inspector-title");
  const basis = byId("inspector-basis");
  const chain = byId("chain");
  const frameBox = byId("map-frame");
  const map = byId("output-map");
  const radios = [...document.querySelectorAll("input[name=inspect-source]")];
  const marker = el("div", { class: "pick-marker", "aria-hidden": "true", hidden: "" }, frameBox);
  let target = null; // {kind, layer, source, target} or {kind, layer, neuron}
  let point = null; // [x, y] picked on the map, or null
  let mode = "batch";
  let resend = false;

  const ask = () => target && conn.send(send.inspect(target, mode === "point" ? point : null));

  function open(next) {
    target = { ...next };
    panel.hidden = false;
    empty.hidden = true;
    title.textContent = describeTarget();
    chain.replaceChildren();
    basis.textContent = "Asking the server…";
    setMode(mode);
    lab.show("backprop");
    markInDiagram(target);
    ask();
  }

  function stop() {
    target = null;
    markInDiagram(null);
    conn.send(send.stopInspecting());
    panel.hidden = true;
    empty.hidden = false;
    setMode("batch");
  }

  function describeTarget() {
    if (target.kind === INSPECT.bias) return `Bias of ${nodeName(run, target.layer + 1, target.neuron)}`;
    const from = nodeName(run, target.layer, target.source);
    return `Weight from ${from} to ${nodeName(run, target.layer + 1, target.target)}`;
  }

  function setMode(next) {
    mode = next;
    for (const radio of radios) radio.checked = radio.value === mode;
    frameBox.classList.toggle("picking", mode === "point" && target !== null);
    if (mode !== "point") {
      point = null;
      marker.hidden = true;
    }
  }

  /** The inspected parameter still exists in a network of these layer sizes. */
  function exists(sizes) {
    const l = target.layer;
    if (target.kind === INSPECT.bias) return l + 1 < sizes.length && target.neuron < sizes[l + 1];
    return l + 1 < sizes.length && target.source < sizes[l] && target.target < sizes[l + 1];
  }

  function show(inspection) {
    const same = ["kind", "layer", "source", "target", "neuron"].every((k) => target && target[k] === inspection[k]);
    if (!same) return; // a reply about the previous target
    const v = inspection.values;
    const nodeLayer = target.layer + 1;
    const last = run.config.get().layerSizes.length - 1;
    const optimizer = run.hello.get().optimizers.find((o) => o.name === v.optimizer);
    renderChain(chain, inspection, {
      param: target.kind === INSPECT.bias ? "b" : "w",
      source: target.kind === INSPECT.bias ? "" : nodeName(run, target.layer, target.source),
      target: nodeName(run, nodeLayer, target.kind === INSPECT.bias ? target.neuron : target.target),
      next: (k) => `→ ${nodeLayer + 1 === last ? nodeName(run, last, k) : `neuron ${k + 1}`}`,
      output: nodeLayer === last,
      optimizer: optimizer ? optimizer.label : v.optimizer,
    });
    basis.textContent = describeBasis(inspection);
    panel.dataset.epoch = String(inspection.epoch);
    panel.dataset.batch = v.batch;
  }

  function describeBasis({ epoch, values: v }) {
    const points = `${v.nPoints} training point${v.nPoints === 1 ? "" : "s"}`;
    if (v.batch === BATCH.point && point) {
      const label = describeLabel(v.label);
      return `One point (x, y) = (${fixed(point[0])}, ${fixed(point[1])}), ${label} (the nearest data point's), epoch ${epoch}: the update is the one this point alone would make as a batch.`;
    }
    if (v.batch === BATCH.noUpdate) return `Epoch ${epoch}: all ${points}, which never fill a batch of ${v.batchSize}.`;
    if (v.batch === BATCH.nextBatch) return `No update yet: the first batch of the next step (${points}), and the update it will make.`;
    return `The last update of epoch ${epoch}: its batch of ${points}, worked point by point with the weights before the update, then summed as training sums them.`;
  }

  function describeLabel(label) {
    const problem = run.config.get().config[CFG.problem];
    if (problem === PROBLEM.multiclass) return `class ${label}`;
    if (problem === PROBLEM.regression) return `target ${fixed(label)}`;
    return `label ${label > 0 ? "+1" : "−1"}`;
  }

  function placeMarker() {
    if (!point) return;
    const DOMAIN = domainOf(run.hello.get());
    const frame = frameBox.getBoundingClientRect();
    const box = map.getBoundingClientRect();
    marker.style.left = `${box.left - frame.left + ((point[0] + DOMAIN) / (2 * DOMAIN)) * box.width}px`;
    marker.style.top = `${box.top - frame.top + ((DOMAIN - point[1]) / (2 * DOMAIN)) * box.height}px`;
    marker.hidden = false;
  }

  frameBox.addEventListener("click", (event) => {
    if (!target || mode !== "point" || run.draw.get().drawing || !lab.isOpen()) return;
    const box = map.getBoundingClientRect();
    const fx = (event.clientX - box.left) / box.width;
    const fy = (event.clientY - box.top) / box.height;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    const DOMAIN = domainOf(run.hello.get());
    point = [-DOMAIN + 2 * DOMAIN * fx, DOMAIN - 2 * DOMAIN * fy].map((v) => Math.round(v * 100) / 100);
    map.dataset.picked = point.join(",");
    placeMarker();
    ask();
  });
  for (const radio of radios) {
    radio.addEventListener("change", () => {
      setMode(radio.value);
      if (mode === "batch" || point) ask();
      else basis.textContent = "Click a spot on the output map to pick a point.";
    });
  }
  byId("inspector-stop").addEventListener("click", stop);
  run.events.on("explain", open);
  run.events.on("inspection", show);
  run.connection.subscribe(({ state }) => (resend = resend || state !== "open"));
  run.config.subscribe((config) => {
    const again = resend;
    resend = false;
    if (!target) return;
    if (!exists(config.layerSizes)) {
      stop();
      return;
    }
    markInDiagram(target); // the diagram may have been rebuilt
    title.textContent = describeTarget(); // features on or off rename the inputs
    if (again) ask(); // a new session after a reconnect does not know our target
  });
  window.addEventListener("resize", () => setTimeout(placeMarker, 200));
  network.onBuilt(() => markInDiagram(target));

  return { point: () => point };
}
