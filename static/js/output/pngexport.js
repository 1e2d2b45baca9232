// The output map as a PNG to keep (a slide, a worksheet): a title (dataset and network), the
// epoch and the losses, the map with its points and axes, and the legend under it. The same
// words go into the file's Title and Description text chunks.
import { CLASS_COLORS, CLASS_NAMES, SHADE_HEX, labelColor } from "../ui/colors.js";
import { formatEpoch, formatLoss } from "../ui/dom.js";
import { CLASS_SHAPES, drawPoints, traceShape } from "./markers.js";
import { domainOf, labelIn, labelKind } from "../model/facts.js";
import { CFG, datasetKey } from "../session/protocol.js";

/** Where things go, in PNG pixels: the map is `map` square at (left, top). */
export const PNG = { map: 600, left: 40, top: 70, right: 18, axes: 34, legend: 74, radius: 5 };
const FONT = "system-ui, sans-serif";
const INK = "#1f2a30";
const MUTED = "#4f5b63";

/** "Spiral · hidden layers 8, 8 · Tanh": what the picture shows. */
function titleText(run) {
  const { config, layerSizes, userData } = run.config.get();
  const problem = config[CFG.problem];
  const hello = run.hello.get();
  const dataset = config[datasetKey(hello, problem)];
  const data = userData ? "Your data" : dataset ? labelIn(hello.datasets[problem], dataset) : labelIn(hello.problems, problem);
  const hidden = layerSizes.slice(1, -1);
  const network = hidden.length ? `hidden layers ${hidden.join(", ")}` : "no hidden layer";
  return `${data} · ${network} · ${labelIn(hello.activations, config[CFG.activation])}`;
}

/** "Epoch 001,234 · training loss 0.123 · test loss 0.234". */
function statsText(frame) {
  const parts = [`Epoch ${formatEpoch(frame.epoch)}`, `training loss ${formatLoss(frame.trainLoss)}`];
  if (frame.hasValidation) parts.push(`validation loss ${formatLoss(frame.validationLoss)}`);
  parts.push(`test loss ${formatLoss(frame.testLoss)}`);
  if (frame.hasAccuracy) parts.push(`test accuracy ${(100 * frame.testAccuracy).toFixed(1)}%`);
  return parts.join(" · ");
}

/** The points the map shows: the draft while drawing, else train (and test when shown). */
function shownPoints(run) {
  if (run.draw.get().draft) return [[run.draw.get().draft, "#ffffff"]];
  const { config, data } = run.config.get();
  const lists = [[data.train, "#ffffff"]];
  if (run.display.get().showTestData || run.draw.get().drawing) lists.push([data.test, "#000000"]);
  return lists;
}

function drawAxes(c, domain) {
  const scale = PNG.map / (2 * domain);
  const bottom = PNG.top + PNG.map;
  c.strokeStyle = "#6f7c84";
  c.fillStyle = MUTED;
  c.lineWidth = 1;
  c.font = `13px ${FONT}`;
  c.beginPath();
  c.moveTo(PNG.left - 0.5, PNG.top);
  c.lineTo(PNG.left - 0.5, bottom + 0.5);
  c.lineTo(PNG.left + PNG.map, bottom + 0.5);
  for (let v = -domain; v <= domain; v++) {
    const major = v % 2 === 0;
    const x = Math.round(PNG.left + (v + domain) * scale) - 0.5;
    const y = Math.round(PNG.top + (domain - v) * scale) + 0.5;
    c.moveTo(x, bottom);
    c.lineTo(x, bottom + (major ? 7 : 4));
    c.moveTo(PNG.left, y);
    c.lineTo(PNG.left - (major ? 7 : 4), y);
    if (!major) continue;
    c.textAlign = "center";
    c.fillText(String(v), x, bottom + 22);
    c.textAlign = "right";
    c.fillText(String(v), PNG.left - 10, y + 4.5);
  }
  c.stroke();
}

/** Legend items left to right on one line: [shape or null (a colour square), colour, text]. */
function legendRow(c, items, y) {
  let x = PNG.left;
  c.font = `14px ${FONT}`;
  c.textAlign = "left";
  c.strokeStyle = "rgba(0, 0, 0, 0.4)";
  for (const [shape, color, text] of items) {
    c.fillStyle = color;
    if (shape) traceShape(c, shape, x + 6, y - 5, 5.5);
    else {
      c.beginPath();
      c.rect(x, y - 11, 12, 12);
    }
    c.fill();
    c.stroke();
    c.fillStyle = INK;
    c.fillText(text, x + 17, y);
    x += 17 + c.measureText(text).width + 18;
  }
}

function drawLegend(c, run, kind) {
  const top = PNG.top + PNG.map + PNG.axes;
  if (kind === "multiclass") {
    const n = run.config.get().layerSizes.at(-1);
    const items = Array.from({ length: n }, (_, k) => [CLASS_SHAPES[k % 5], CLASS_COLORS[k % 5], `class ${k} (${CLASS_NAMES[k % 5]})`]);
    legendRow(c, items, top + 22);
  } else {
    const width = 240;
    SHADE_HEX.forEach((color, i) => {
      c.fillStyle = color;
      c.fillRect(PNG.left + (i * width) / SHADE_HEX.length, top + 8, width / SHADE_HEX.length + 0.5, 12);
    });
    c.fillStyle = MUTED;
    c.font = `12px ${FONT}`;
    c.textAlign = "center";
    [["−1", 0], ["0", width / 2], ["1", width]].forEach(([text, x]) => c.fillText(text, PNG.left + x, top + 34));
    c.textAlign = "left";
    c.fillStyle = INK;
    c.font = `14px ${FONT}`;
    const low = kind === "regression" ? "orange: low (−1)" : "orange: −1";
    c.fillText(`${low} · grey: 0 · blue: ${kind === "regression" ? "high (+1)" : "+1"}`, PNG.left + width + 20, top + 19);
    if (kind === "binary") legendRow(c, [["circle", labelColor(1, false), "point +1"], ["square", labelColor(-1, false), "point −1"]], top + 60);
  }
  const outlines = shownPoints(run).length > 1 ? "white outline: training point · black outline: test point" : "";
  c.fillStyle = MUTED;
  c.font = `13px ${FONT}`;
  c.textAlign = "right";
  if (outlines) c.fillText(outlines, PNG.left + PNG.map, top + (kind === "multiclass" ? 52 : 60));
}

/** The picture on a canvas, and its title and description. */
export function drawPicture(run) {
  const canvas = document.createElement("canvas");
  canvas.width = PNG.left + PNG.map + PNG.right;
  canvas.height = PNG.top + PNG.map + PNG.axes + PNG.legend;
  const c = canvas.getContext("2d");
  c.fillStyle = "#ffffff";
  c.fillRect(0, 0, canvas.width, canvas.height);
  const title = titleText(run);
  const stats = statsText(run.frame.get());
  c.fillStyle = INK;
  c.font = `600 19px ${FONT}`;
  c.fillText(title, PNG.left, 28);
  c.font = `15px ${FONT}`;
  c.fillStyle = MUTED;
  c.fillText(stats, PNG.left, 54);
  c.imageSmoothingEnabled = true; // like the browser's scaling of the 100×100 map on screen
  c.drawImage(document.getElementById("output-map"), PNG.left, PNG.top, PNG.map, PNG.map);
  const kind = labelKind(run.config.get());
  const domain = domainOf(run.hello.get());
  const scale = PNG.map / (2 * domain);
  const at = (x, y) => [PNG.left + (x + domain) * scale, PNG.top + (domain - y) * scale];
  for (const [list, stroke] of shownPoints(run)) {
    drawPoints(c, list, { kind, radius: PNG.radius, stroke, lineWidth: 1.5, at });
  }
  drawAxes(c, domain);
  drawLegend(c, run, kind);
  return { canvas, title: `Neural Playground: ${title}`, description: stats };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG tEXt chunk (keyword, NUL, Latin-1 text; other characters become "?"). */
function textChunk(keyword, text) {
  const latin = [...`${keyword}\0${text}`].map((ch) => (ch.charCodeAt(0) < 256 ? ch.charCodeAt(0) : 63));
  const chunk = new Uint8Array(12 + latin.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, latin.length);
  chunk.set([0x74, 0x45, 0x58, 0x74], 4); // "tEXt"
  chunk.set(latin, 8);
  view.setUint32(8 + latin.length, crc32(chunk.subarray(4, 8 + latin.length)));
  return chunk;
}

/** The picture as a PNG Blob with Title, Description and Software text chunks after IHDR. */
export async function mapPng(run) {
  const { canvas, title, description } = drawPicture(run);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  if (!blob) return null;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const IHDR_END = 8 + 25; // the signature, then IHDR's length, type, 13 bytes and CRC
  const chunks = [textChunk("Title", title), textChunk("Description", description), textChunk("Software", "Neural Playground")];
  return new Blob([bytes.subarray(0, IHDR_END), ...chunks, bytes.subarray(IHDR_END)], { type: "image/png" });
}
