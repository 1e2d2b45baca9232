// The network diagram: feature thumbnails (images) and neuron thumbnails (a canvas painted by
// a worker) over an SVG, links (a canvas drawn by a worker, with invisible SVG hit paths) and
// bias squares coloured by the bias, as in the reference. Built on `config` (or a resize); each
// frame hands the weights and the thumbnails to the workers, and recolours a bias square only
// when its shade changed, on the read-outs' 100 ms clock while playing (a style recalculation
// of every square costs more than a frame's whole budget share).
import {
  MAP_ALPHA, NAN_HEX, SHADE_HEX, base64Bytes, makeImage, paint, shadeIndex, valueLut,
} from "../ui/colors.js";
import { byId, el, paintImage, svg, textClock } from "../ui/dom.js";
import { createLinkLayer } from "./links.js";
import { probabilityOutput, problemOf } from "../model/facts.js";
import { onChange } from "../model/slice.js";
import { BIAS_SIZE, layoutNetwork, minDiagramWidth, weightIndex } from "./netlayout.js";
import { send } from "../session/protocol.js";
import { createThumbLayer } from "./thumbs.js";

const THUMB_LUT = valueLut(MAP_ALPHA);
const sameSizes = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

export function createNetwork(run, conn, hooks) {
  const box = byId("network");
  const root = byId("network-svg");
  let structure = "";
  let layerSizes = [];
  let biases = []; // {el, layer, neuron, shade}
  let nodeEls = new Map(); // "layer:neuron" → node element
  const linkLayer = createLinkLayer(box);
  const thumbLayer = createThumbLayer(box);
  let focused = null;
  const builtListeners = []; // called after each rebuild (keyboard and touch access)

  /** What the stylesheet asks of the diagram: the node size cap, the links' thickness. */
  function styleOptions() {
    const style = getComputedStyle(box);
    const number = (name, fallback) => Number(style.getPropertyValue(name)) || fallback;
    const linkMid = style.getPropertyValue("--link-mid").trim(); // a dark theme's middle shade
    return { maxNode: number("--node-max", 46), linkScale: number("--link-scale", 1), linkMid };
  }

  function visibleFeatures(config) {
    const hidden = new Set(config.hidden);
    return run.hello.get().features.filter((f) => !hidden.has(f.key));
  }

  function build(config) {
    const features = visibleFeatures(config);
    // A phone scrolls a deep network sideways rather than squeezing its layers together.
    box.parentElement.style.setProperty("--net-min-width", `${minDiagramWidth(config.layerSizes.length)}px`);
    const width = box.clientWidth;
    const height = box.clientHeight;
    const { maxNode, linkScale, linkMid } = styleOptions();
    const look = [maxNode, linkScale, linkMid];
    const key = JSON.stringify([width, height, look, features, config.inputNames, config.layerSizes]);
    if (key === structure) return false;
    structure = key;
    layerSizes = config.layerSizes;
    const layout = layoutNetwork(width, height, features, config.inputNames, layerSizes, maxNode);
    root.setAttribute("viewBox", `0 0 ${width} ${height}`);
    root.setAttribute("width", width);
    root.setAttribute("height", height);
    root.replaceChildren();
    box.querySelectorAll(".node").forEach((node) => node.remove());
    const hits = svg("g", { class: "link-hits" }, root);
    const biasGroup = svg("g", { class: "biases" }, root);
    linkLayer.layout(layout.links.map((link) => {
      const attrs = { "data-layer": link.layer, "data-source": link.source, "data-target": link.target };
      const hit = svg("path", { d: link.d, class: "link-hit", ...attrs }, hits);
      const index = weightIndex(layerSizes[link.layer + 1], link.source, link.target);
      return { layer: link.layer, index, d: link.d, hit };
    }), width, height, linkScale, linkMid);
    biases = layout.biases.map((b) => {
      const rect = svg("rect", {
        x: b.x, y: b.y, width: BIAS_SIZE, height: BIAS_SIZE, class: "bias",
        "data-layer": b.layer, "data-neuron": b.neuron,
      }, biasGroup);
      return { el: rect, layer: b.layer, neuron: b.neuron, shade: -2 };
    });
    nodeEls = new Map();
    for (const node of layout.nodes) buildNode(node, layout.node, config);
    thumbLayer.layout(layout.nodes.filter((n) => n.layer > 0), layout.node, width, height);
    hooks.onBuild(layout);
    for (const listener of builtListeners) listener(layout);
    return true;
  }

  function buildNode(node, size, config) {
    const isFeature = node.key !== undefined;
    const element = el(isFeature ? "button" : "div", {
      class: `node ${isFeature ? "feature" : node.layer === layerSizes.length - 1 ? "output" : "neuron"}`,
      "data-layer": node.layer,
      "data-neuron": node.neuron,
    }, box);
    element.style.left = `${node.x}px`;
    element.style.top = `${node.y}px`;
    element.style.width = element.style.height = `${size}px`;
    if (isFeature) {
      const picture = el("img", { alt: "", "aria-hidden": "true", draggable: "false" }, element);
      const enabled = node.neuron >= 0;
      element.type = "button";
      element.dataset.feature = node.key;
      element.setAttribute("aria-pressed", String(enabled));
      element.setAttribute("aria-label", `Feature ${node.label}`);
      element.title = `${node.label}: click to ${enabled ? "remove" : "add"}`;
      element.classList.toggle("disabled", !enabled);
      el("span", { class: "feature-label", text: node.label, "aria-hidden": "true" }, element);
      element.addEventListener("click", () => conn.send(send.configure({ [node.key]: !enabled })));
      drawFeature(picture, config.featureMaps[node.key]);
    }
    if (node.neuron >= 0) {
      nodeEls.set(`${node.layer}:${node.neuron}`, element);
      element.addEventListener("mouseenter", () => setFocus({ layer: node.layer, neuron: node.neuron }));
      element.addEventListener("mouseleave", () => setFocus(null));
    }
  }

  function drawFeature(picture, encoded) {
    if (!encoded) return;
    const bytes = base64Bytes(encoded);
    const side = Math.round(Math.sqrt(bytes.length));
    const { image, pixels } = makeImage(side, side);
    paintImage(picture, side, side, (context) => context.putImageData(paint(image, pixels, bytes, THUMB_LUT), 0, 0));
  }

  function setFocus(focus) {
    if (focused) nodeEls.get(`${focused.layer}:${focused.neuron}`)?.classList.remove("focused");
    focused = focus;
    if (focus) nodeEls.get(`${focus.layer}:${focus.neuron}`)?.classList.add("focused");
    run.focus.set(focus);
    conn.send(focus ? send.focus(focus.layer, focus.neuron) : send.focus(null));
  }

  function colourBiases(frame) {
    for (const bias of biases) {
      const shade = shadeIndex(frame.biases[bias.layer][bias.neuron]);
      if (shade !== bias.shade) {
        bias.shade = shade;
        bias.el.setAttribute("fill", shade < 0 ? NAN_HEX : SHADE_HEX[shade]);
      }
    }
  }

  function drawFrame(frame) {
    if (!sameSizes(frame.layerSizes, layerSizes)) return; // a frame of the previous network
    linkLayer.draw(frame);
    if (!frame.playing || textClock.due) colourBiases(frame);
    thumbLayer.draw(frame);
  }

  // The diagram's shape: its inputs, layers, hidden features, and how the output is drawn.
  const shapeOf = (config) =>
    [String(config.inputNames), String(config.layerSizes), String(config.hidden), config.resolvedOutput, problemOf(config)];
  onChange(run.config, shapeOf, (config) => {
    if (build(config) && focused) setFocus(null);
    thumbLayer.probability(probabilityOutput(config, run.hello.get()));
  });
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (run.config.get() && build(run.config.get()) && run.frame.get()) drawFrame(run.frame.get());
    }, 120);
  });

  return {
    drawFrame,
    element: root,
    box,
    highlightLink: linkLayer.highlight,
    layerSizes: () => layerSizes,
    setFocus,
    onBuilt: (listener) => builtListeners.push(listener),
  };
}
