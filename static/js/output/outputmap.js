// The big output heatmap: a 100×100 canvas (the output, or the hovered neuron), the data
// points on a canvas above it (redrawn on config only), axes from −6 to 6, a caption.
import { MAP_ALPHA, classLut, classProbabilityLut, makeImage, paint, valueLut } from "../ui/colors.js";
import { byId, fitCanvas, svg } from "../ui/dom.js";
import { drawPoints as drawMarkers } from "./markers.js";
import { domainOf, isMulticlass, labelKind, probabilityOutput } from "../model/facts.js";
import { derive } from "../model/slice.js";

const AXIS_LEFT = 24;
const AXIS_BOTTOM = 18;
const AXIS_TOP = 7; // room for the top tick label inside the (paint-contained) frame
const classMaps = []; // per class: its output neuron's probability in the class's colour
const LUTS = {
  value: valueLut(MAP_ALPHA, false),
  valueSign: valueLut(MAP_ALPHA, true),
  probability: valueLut(MAP_ALPHA, false, true),
  probabilitySign: valueLut(MAP_ALPHA, true, true),
  class: classLut(MAP_ALPHA, false),
  classArgmax: classLut(MAP_ALPHA, true),
};

export function createOutputMap(run) {
  const frameBox = byId("map-frame");
  const axes = byId("map-axes");
  const map = byId("output-map");
  const points = byId("map-points");
  const caption = byId("map-caption");
  const mapContext = map.getContext("2d");
  let image = makeImage(100, 100);
  let size = 0;
  let shownFocus = "";

  function layoutBox() {
    frameBox.style.flex = ""; // measure the room the stylesheet gives, then take only the map's
    const width = frameBox.clientWidth;
    const height = frameBox.clientHeight;
    size = Math.max(100, Math.floor(Math.min(width - AXIS_LEFT - 2, height - AXIS_TOP - AXIS_BOTTOM)));
    frameBox.style.flex = `0 0 ${size + AXIS_TOP + AXIS_BOTTOM}px`;
    for (const canvas of [map, points]) {
      canvas.style.left = `${AXIS_LEFT}px`;
      canvas.style.top = `${AXIS_TOP}px`;
      canvas.style.width = canvas.style.height = `${size}px`;
    }
    drawAxes();
    drawPoints();
  }

  function drawAxes() {
    axes.replaceChildren();
    axes.setAttribute("width", AXIS_LEFT + size + 2);
    axes.setAttribute("height", size + AXIS_TOP + AXIS_BOTTOM);
    const DOMAIN = domainOf(run.hello.get());
    const scale = size / (2 * DOMAIN);
    const bottom = svg("g", { class: "axis", transform: `translate(${AXIS_LEFT},${AXIS_TOP + size})` }, axes);
    const left = svg("g", { class: "axis", transform: `translate(${AXIS_LEFT},${AXIS_TOP})` }, axes);
    svg("line", { x1: 0, x2: size, y1: 0, y2: 0 }, bottom);
    svg("line", { x1: 0, x2: 0, y1: 0, y2: size }, left);
    for (let v = -DOMAIN; v <= DOMAIN; v++) {
      const x = (v + DOMAIN) * scale;
      const y = (DOMAIN - v) * scale;
      const major = v % 2 === 0;
      svg("line", { x1: x, x2: x, y1: 0, y2: major ? 5 : 3 }, bottom);
      svg("line", { x1: 0, x2: major ? -5 : -3, y1: y, y2: y }, left);
      if (!major) continue;
      svg("text", { x, y: 15, "text-anchor": "middle", text: String(v) }, bottom);
      svg("text", { x: -7, y: y + 3.5, "text-anchor": "end", text: String(v) }, left);
    }
  }

  function drawPoints() {
    const config = run.config.get();
    if (!config || !size) return;
    const context = fitCanvas(points, size, size);
    context.clearRect(0, 0, size, size);
    const kind = labelKind(config);
    const DOMAIN = domainOf(run.hello.get());
    const scale = size / (2 * DOMAIN);
    const at = (x, y) => [(x + DOMAIN) * scale, (DOMAIN - y) * scale];
    const radius = size > 420 ? 3.5 : 3;
    const draw = (list, stroke) => drawMarkers(context, list, { kind, radius, stroke, at });
    if (run.draw.get().draft) {
      draw(run.draw.get().draft, "#ffffff"); // drawn points not sent yet: too few to train on
      points.dataset.points = points.dataset.shown = String(run.draw.get().draft.length);
      return;
    }
    draw(config.data.train, "#ffffff");
    // While drawing every point shows (test ones outlined black), so each can be removed.
    const showTest = run.display.get().showTestData || run.draw.get().drawing;
    if (showTest) draw(config.data.test, "#000000");
    points.dataset.points = String(config.data.train.length);
    points.dataset.shown = String(config.data.train.length + (showTest ? config.data.test.length : 0));
    // which points these are, whatever size the map has: the same data and split give the same
    points.dataset.digest = `${digest(config.data.train)}-${digest(config.data.test)}`;
  }

  function describeFocus(frame) {
    if (frame.focusLayer < 0) return "";
    const config = run.config.get();
    if (frame.focusLayer === 0) {
      const key = config.inputNames[frame.focusNeuron];
      const feature = run.hello.get().features.find((f) => f.key === key);
      return `Showing input feature ${feature ? feature.label : key}`;
    }
    if (frame.focusLayer === frame.layerSizes.length - 1) return `Showing output ${frame.focusNeuron + 1}`;
    return `Showing neuron ${frame.focusNeuron + 1} of hidden layer ${frame.focusLayer}`;
  }

  function drawFrame(frame) {
    const R = frame.resolution;
    if (map.width !== R) {
      map.width = map.height = R;
      image = makeImage(R, R);
    }
    const discretize = run.display.get().discretize;
    const output = frame.focusLayer < 0;
    let lut = LUTS.value;
    if (output && frame.multiclass) lut = discretize ? LUTS.classArgmax : LUTS.class;
    else if (output && probabilityOutput(run.config.get(), run.hello.get())) {
      lut = discretize ? LUTS.probabilitySign : LUTS.probability;
    }
    else if (output && discretize) lut = LUTS.valueSign;
    else if (frame.multiclass && frame.focusLayer === frame.layerSizes.length - 1) {
      lut = classMaps[frame.focusNeuron] || (classMaps[frame.focusNeuron] = classProbabilityLut(frame.focusNeuron));
    }
    mapContext.putImageData(paint(image.image, image.pixels, frame.bigMap, lut), 0, 0);
    const focusKey = `${frame.focusLayer}:${frame.focusNeuron}`;
    if (focusKey !== shownFocus) {
      shownFocus = focusKey;
      const text = describeFocus(frame);
      caption.textContent = text;
      caption.hidden = !text;
      map.dataset.focus = output ? "output" : focusKey;
    }
  }

  // The points redraw when the points shown change, not on every echo (a learning rate).
  derive([run.config, run.display, run.draw], (config, display, draw) => ({
    data: config && config.data,
    kind: config && labelKind(config),
    showTest: display.showTestData || draw.drawing,
    draft: draw.draft,
  })).subscribe(drawPoints);
  run.draw.subscribe(({ drawing }) => frameBox.classList.toggle("drawing", drawing));
  // Discretize is the page's own choice of colours: the frame it has, drawn again.
  derive(run.display, (display) => display.discretize).subscribe(() => run.frame.get() && drawFrame(run.frame.get()));
  let resizeTimer = 0;
  const relayout = () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(layoutBox, 120);
  };
  window.addEventListener("resize", relayout);
  // The map takes the room its neighbours leave: again when the legend (built on config) or
  // the check boxes (a lesson may hide them) change their size.
  let heights = "";
  const neighbours = [byId("legend"), frameBox.parentElement.querySelector(".checks")];
  const watcher = new ResizeObserver(() => {
    const now = neighbours.map((node) => node.offsetHeight).join(",");
    if (now !== heights) {
      heights = now;
      relayout();
    }
  });
  neighbours.forEach((node) => watcher.observe(node));
  layoutBox();
  return { drawFrame };
}

/** A short fingerprint of a list of [x, y, label] points (FNV-1a over their numbers). */
function digest(list) {
  let hash = 2166136261;
  for (const point of list) {
    for (const value of point) {
      hash = Math.imul(hash ^ Math.round(Number(value) * 1000), 16777619);
    }
  }
  return (hash >>> 0).toString(16);
}
