// A race's lane cards: each lane's output map, a compact network (links coloured by their
// weight's sign, as thick as its size) and its losses, drawn from that lane's frame. The
// page's own views show the lane the controls edit; "Edit" picks another.
import { MAP_ALPHA, NAN_HEX, SHADE_HEX, classLut, makeImage, paint, shadeIndex, valueLut } from "../ui/colors.js";
import { byId, el, fitCanvas, formatLoss, readout, setText, textClock } from "../ui/dom.js";
import { send } from "../session/protocol.js";
import { LANE_COLORS } from "./racechartdraw.js";

export { LANE_COLORS };
const MAP_LUT = valueLut(MAP_ALPHA, false);
const CLASS_LUT = classLut(MAP_ALPHA, false);
const NET_WIDTH = 132;
const NET_HEIGHT = 26;
const NET_EVERY = 3; // text-clock ticks between two drawings of a playing lane's diagram (~3/s)

/** What a lane is, in a few words: what differs from the first lane, or its activation. */
export function laneName(race, index) {
  const config = race.lanes[index].config;
  const first = race.lanes[0].config;
  const words = [];
  for (const key of ["activation", "optimizer", "learningRate", "networkShape", "batchSize", "regularization", "standardize"]) {
    if (index > 0 && JSON.stringify(config[key]) !== JSON.stringify(first[key])) words.push(describe(key, config[key]));
  }
  if (!words.length) words.push(describe("activation", config.activation));
  return words.join(", ");
}

function describe(key, value) {
  if (key === "networkShape") return `layers ${value.join("-") || "none"}`;
  if (key === "learningRate") return `rate ${value}`;
  if (key === "batchSize") return `batch ${value}`;
  if (key === "standardize") return value ? "standardized" : "raw inputs";
  return String(value);
}

export function createLanes(run, conn) {
  const box = byId("race-lanes");
  let cards = [];
  let shape = "";

  function build(race) {
    const key = race ? `${race.lanes.length}:${race.lane}:${race.lanes.map((l) => JSON.stringify(l.config)).join("|")}` : "";
    if (key === shape) return;
    shape = key;
    box.replaceChildren();
    cards = race ? race.lanes.map((_, i) => card(race, i)) : [];
    box.dataset.lanes = String(cards.length);
  }

  function card(race, index) {
    const node = el("div", { class: "race-lane", "data-lane": index }, box);
    node.style.setProperty("--lane", LANE_COLORS[index]); // CSSOM: the page's CSP allows no style attributes
    if (index === race.lane) node.classList.add("editing");
    const head = el("div", { class: "race-lane-head" }, node);
    el("span", { class: "race-lane-swatch", "aria-hidden": "true" }, head);
    el("span", { class: "race-lane-name", text: `${index + 1}. ${laneName(race, index)}` }, head);
    const edit = el("button", { type: "button", class: "tool-button icon-only race-lane-edit", text: "✎",
      "aria-pressed": String(index === race.lane), "aria-label": `Edit lane ${index + 1}`,
      title: "The controls change this lane" }, head);
    edit.addEventListener("click", () => conn.send(send.raceLane(index)));
    const remove = el("button", { type: "button", class: "tool-button icon-only race-lane-remove", text: "×",
      "aria-label": `Remove lane ${index + 1}`, title: "Remove this lane" }, head);
    remove.addEventListener("click", () => conn.send(send.raceRemove(index)));
    const map = el("canvas", { class: "race-lane-map", width: 100, height: 100, role: "img", "aria-label": `Output map of lane ${index + 1}` }, node);
    const net = el("canvas", { class: "race-lane-net", "aria-hidden": "true" }, node);
    const netContext = fitCanvas(net, NET_WIDTH, NET_HEIGHT); // sized once: a resize reallocates it
    const numbers = el("div", { class: "race-lane-numbers" }, node);
    const text = (className, initial) => readout(el("span", { class: className, text: initial }, numbers));
    const epoch = text("race-lane-epoch", "epoch 0");
    const losses = text("race-lane-losses", "");
    const train = text("race-lane-losses", "");
    return { node, map, context: map.getContext("2d"), net, netContext, ink: "", epoch, losses, train, image: makeImage(100, 100) };
  }

  function drawMap(lane, frame) {
    const R = frame.resolution;
    if (lane.map.width !== R) {
      lane.map.width = lane.map.height = R;
      lane.image = makeImage(R, R);
    }
    const lut = frame.multiclass ? CLASS_LUT : MAP_LUT;
    lane.context.putImageData(paint(lane.image.image, lane.image.pixels, frame.bigMap, lut), 0, 0);
  }

  /** Every neuron a dot, every link a line: its weight's colour and |w| its width. Links of
   * one shade and width (to a quarter pixel) share one path: a few dozen strokes, not ~400. */
  function drawNet(lane, frame) {
    const context = lane.netContext;
    context.clearRect(0, 0, NET_WIDTH, NET_HEIGHT);
    const sizes = frame.layerSizes;
    const x = (l) => 6 + (l * (NET_WIDTH - 12)) / Math.max(1, sizes.length - 1);
    const y = (l, n) => NET_HEIGHT / 2 + (n - (sizes[l] - 1) / 2) * Math.min(7, (NET_HEIGHT - 8) / Math.max(1, sizes[l] - 1));
    const groups = new Map(); // (shade + 1) × 16 + quarter pixels of width → [x0, y0, x1, y1, …]
    for (let l = 0; l + 1 < sizes.length; l++) {
      const w = frame.weights[l];
      for (let i = 0; i < sizes[l]; i++) {
        for (let j = 0; j < sizes[l + 1]; j++) {
          const value = w[i * sizes[l + 1] + j];
          const key = value === value ? (shadeIndex(value) + 1) * 16 + Math.round(4 * Math.min(2.5, 0.3 + Math.abs(value))) : 4;
          if (!groups.has(key)) groups.set(key, []);
          groups.get(key).push(x(l), y(l, i), x(l + 1), y(l + 1, j));
        }
      }
    }
    for (const [key, ends] of groups) {
      const shade = Math.floor(key / 16) - 1;
      context.strokeStyle = shade < 0 ? NAN_HEX : SHADE_HEX[shade];
      context.lineWidth = (key % 16) / 4;
      context.beginPath();
      for (let k = 0; k < ends.length; k += 4) {
        context.moveTo(ends[k], ends[k + 1]);
        context.lineTo(ends[k + 2], ends[k + 3]);
      }
      context.stroke();
    }
    if (!lane.ink) lane.ink = getComputedStyle(lane.net).color || "#333"; // read once: it costs a style pass
    context.fillStyle = lane.ink;
    sizes.forEach((size, l) => {
      for (let n = 0; n < size; n++) context.fillRect(x(l) - 1.5, y(l, n) - 1.5, 3, 3);
    });
  }

  function drawFrame() {
    const frames = run.laneFrames.get();
    const race = run.race.get();
    if (!frames || !race) return;
    build(race);
    const paused = !frames[0].playing;
    frames.forEach((frame, i) => {
      const lane = cards[i];
      if (!lane) return;
      // the edited lane is on the big map every frame: its small copy follows on the text clock
      if (i !== race.lane || paused || textClock.due) drawMap(lane, frame);
      // numbers and the small diagrams ten times a second (every frame while paused)
      if (!(paused || textClock.due)) return;
      if (paused || textClock.ticks % NET_EVERY === 0) drawNet(lane, frame);
      setText(lane.epoch, `epoch ${frame.epoch}`);
      setText(lane.losses, `test ${formatLoss(frame.testLoss)}`);
      setText(lane.train, `train ${formatLoss(frame.trainLoss)}`);
      if (lane.node.dataset.epoch !== String(frame.epoch)) lane.node.dataset.epoch = String(frame.epoch);
    });
  }

  run.race.subscribe(build);
  return { drawFrame, build };
}
