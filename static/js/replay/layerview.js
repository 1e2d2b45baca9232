// The hidden-layer view, over the map: the plane's grid lines carried through the network
// and drawn in a layer's coordinates (two of its neurons), with the data points, live while
// training — a class watches the spiral being unrolled layer by layer.
import { base64Bytes, labelColor } from "../ui/colors.js";
import { byId, fillSelect, fitCanvas } from "../ui/dom.js";
import { send } from "../session/protocol.js";
import { isMulticlass } from "../model/facts.js";
import { onChange } from "../model/slice.js";

const GRID_COLOR = "rgba(90, 90, 90, 0.55)";
const AXIS_COLOR = "rgba(20, 20, 20, 0.9)";

/** uint16 (x, y) pairs of `text` (base64) as canvas coordinates in a size × size box. */
function coordinates(text, size) {
  const bytes = base64Bytes(text);
  const values = new Uint16Array(bytes.buffer, 0, bytes.length / 2);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i += 2) {
    out[i] = (values[i] / 65535) * size;
    out[i + 1] = (1 - values[i + 1] / 65535) * size;
  }
  return out;
}

export function createLayerView(run, conn) {
  const toggle = byId("layer-view-toggle");
  const canvas = byId("layer-view-canvas");
  const tools = byId("layer-view-tools");
  const layerSelect = byId("layer-view-layer");
  const xSelect = byId("layer-view-x");
  const ySelect = byId("layer-view-y");
  const map = byId("output-map");
  let open = false;
  let latest = null;

  function ask() {
    if (!open) return;
    const layer = Number(layerSelect.value);
    conn.send(send.viewLayer(layer, [Number(xSelect.value), Number(ySelect.value)]));
  }

  function fillNeurons(keep = true) {
    const sizes = run.config.get() ? run.config.get().layerSizes : [];
    const width = sizes[Number(layerSelect.value)] || 1;
    const options = Array.from({ length: width }, (_, n) => [String(n), `neuron ${n + 1}`]);
    const [x, y] = [xSelect.value, ySelect.value];
    fillSelect(xSelect, options);
    fillSelect(ySelect, options);
    const fits = (value) => keep && value !== "" && Number(value) < width;
    xSelect.value = fits(x) ? x : "0";
    ySelect.value = fits(y) ? y : String(Math.min(1, width - 1));
  }

  function fillLayers() {
    const config = run.config.get();
    if (!config) return;
    const sizes = config.layerSizes;
    const chosen = layerSelect.value;
    const options = sizes.slice(0, -1).map((_, l) => [String(l), l === 0 ? "inputs" : `hidden ${l}`]);
    fillSelect(layerSelect, options);
    const hidden = sizes.length > 2 ? "1" : "0";
    layerSelect.value = Number(chosen) < sizes.length - 1 && chosen !== "" ? chosen : hidden;
    fillNeurons();
  }

  function setOpen(on) {
    open = on;
    toggle.setAttribute("aria-pressed", String(on));
    canvas.hidden = tools.hidden = !on;
    byId("map-frame").classList.toggle("layer-view", on); // the map's −6…6 axes do not apply
    if (on) {
      fillLayers();
      ask();
    } else conn.send(send.viewLayer(null));
  }

  function draw(view) {
    latest = view;
    if (!open) return;
    const size = map.clientWidth || 300;
    for (const prop of ["left", "top", "width", "height"]) canvas.style[prop] = map.style[prop];
    const context = fitCanvas(canvas, size, size);
    context.fillStyle = getComputedStyle(canvas).backgroundColor;
    context.fillRect(0, 0, size, size);
    const lines = coordinates(view.lines, size);
    context.lineWidth = 1;
    for (let line = 0; line < view.nLines; line++) {
      // the plane's axes (x = 0, y = 0: each direction's middle line) stand out
      const middle = line % (view.nLines / 2) === (view.nLines / 2 - 1) / 2;
      context.strokeStyle = middle ? AXIS_COLOR : GRID_COLOR;
      context.lineWidth = middle ? 1.6 : 1;
      context.beginPath();
      for (let s = 0; s < view.nSamples; s++) {
        const i = 2 * (line * view.nSamples + s);
        if (s) context.lineTo(lines[i], lines[i + 1]);
        else context.moveTo(lines[i], lines[i + 1]);
      }
      context.stroke();
    }
    const points = coordinates(view.points, size);
    const multiclass = Boolean(run.config.get()) && isMulticlass(run.config.get());
    for (let p = 0; p < view.labels.length; p++) {
      context.fillStyle = labelColor(view.labels[p], multiclass);
      context.strokeStyle = p < view.nTrain ? "#ffffff" : "#000000";
      context.beginPath();
      context.arc(points[2 * p], points[2 * p + 1], 2.6, 0, 2 * Math.PI);
      context.fill();
      context.stroke();
    }
    canvas.dataset.layer = String(view.layer);
    canvas.dataset.frame = String(view.frame);
  }

  toggle.addEventListener("click", () => setOpen(!open));
  layerSelect.addEventListener("change", () => {
    fillNeurons(false);
    ask();
  });
  xSelect.addEventListener("change", ask);
  ySelect.addEventListener("change", ask);
  run.events.on("layer_view", draw);
  onChange(run.config, (config) => [config.history], () => {
    if (!open) return;
    fillLayers();
    ask();
  });
  window.addEventListener("resize", () => latest && draw(latest));
  return {};
}
