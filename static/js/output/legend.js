// The colour legend under the output map: the ramp with its numbers and the colours named
// in words (so it reads without telling orange from blue), the points' shapes, or the
// classes of a multi-class run with their shapes.
import { CLASS_COLORS, CLASS_NAMES, SHADE_HEX, labelColor } from "../ui/colors.js";
import { byId, el, svg } from "../ui/dom.js";
import { CLASS_SHAPES, shapePath } from "./markers.js";
import { CFG, PROBLEM } from "../session/protocol.js";
import { isMulticlass, isRegression } from "../model/facts.js";
import { onChange } from "../model/slice.js";

const BAR_WIDTH = 150;
const BAR_HEIGHT = 10;

function ramp(parent) {
  const bar = svg("svg", {
    class: "legend-ramp", width: BAR_WIDTH + 12, height: BAR_HEIGHT + 16, "aria-hidden": "true",
  }, parent);
  const step = BAR_WIDTH / SHADE_HEX.length;
  SHADE_HEX.forEach((color, i) => {
    svg("rect", { x: 6 + i * step, y: 0, width: step + 0.5, height: BAR_HEIGHT, fill: color }, bar);
  });
  [["−1", 6], ["0", 6 + BAR_WIDTH / 2], ["1", 6 + BAR_WIDTH]].forEach(([text, x]) => {
    svg("text", { x, y: BAR_HEIGHT + 12, "text-anchor": "middle", text }, bar);
  });
}

function swatch(parent, color, text) {
  const item = el("span", { class: "swatch-item" }, parent);
  el("span", { class: "swatch", "aria-hidden": "true" }, item).style.background = color;
  el("span", { text }, item);
}

/** A point's marker (shape and colour) and its meaning. */
function marker(parent, shape, color, text) {
  const item = el("span", { class: "swatch-item", "data-shape": shape }, parent);
  const icon = svg("svg", { class: "marker", width: 13, height: 13, "aria-hidden": "true" }, item);
  svg("path", { d: shapePath(shape, 13), fill: color }, icon);
  el("span", { text }, item);
}

export function createLegend(run) {
  const legend = byId("legend");
  let shown = "";

  onChange(run.config, (config) => [isMulticlass(config), isRegression(config), config.layerSizes.at(-1)], (config) => {
    const multiclass = isMulticlass(config);
    const regression = config.config[CFG.problem] === PROBLEM.regression;
    const classes = multiclass ? config.layerSizes.at(-1) : 0;
    const key = `${multiclass}:${regression}:${classes}`;
    if (key === shown) return;
    shown = key;
    legend.replaceChildren();
    if (multiclass) {
      el("span", { class: "legend-title", text: "Colours show the most likely class:" }, legend);
      const list = el("span", { class: "swatches" }, legend);
      for (let c = 0; c < classes; c++) {
        const k = c % CLASS_COLORS.length;
        marker(list, CLASS_SHAPES[c % CLASS_SHAPES.length], CLASS_COLORS[k], `class ${c} (${CLASS_NAMES[k]})`);
      }
      el("span", { class: "legend-note", text: "Paler = less sure." }, legend);
      return;
    }
    el("span", {
      class: "legend-title explain",
      text: "Colours show data, neuron and weight values.",
    }, legend);
    ramp(legend);
    const words = el("span", { class: "swatches" }, legend);
    swatch(words, SHADE_HEX[0], regression ? "orange: low (−1)" : "orange: −1");
    swatch(words, SHADE_HEX[15], "grey: 0");
    swatch(words, SHADE_HEX[30], regression ? "blue: high (+1)" : "blue: +1");
    if (regression) return;
    const points = el("span", { class: "swatches" }, legend);
    marker(points, "circle", labelColor(1, false), "point +1");
    marker(points, "square", labelColor(-1, false), "point −1");
  });
}
