// Files out: the server's exports (data CSV, model JSON, predict.py) downloaded through a
// Blob, a PNG of the output map with its points and axes, and lesson links to copy.
import { labelColor } from "./colors.js";
import { byId, el } from "./dom.js";
import { MAP_DOMAIN, isMulticlass } from "./outputmap.js";
import { CFG, EXPORT, send } from "./protocol.js";

const PNG = { map: 600, left: 40, top: 14, right: 18, bottom: 34, radius: 5 };
const REVOKE_MS = 60_000; // the browser has read the Blob long before

/** Save `blob` as `filename`: an object URL and a temporary <a download>. */
export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: filename, hidden: "" }, document.body);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_MS);
}

/** The points the map shows: the draft while drawing, else train (and test when shown). */
function shownPoints(store) {
  if (store.draft) return [[store.draft, "#ffffff"]];
  const { config, data } = store.config;
  const lists = [[data.train, "#ffffff"]];
  if (config[CFG.showTestData] || store.drawing) lists.push([data.test, "#000000"]);
  return lists;
}

function drawAxes(c) {
  const scale = PNG.map / (2 * MAP_DOMAIN);
  const bottom = PNG.top + PNG.map;
  c.strokeStyle = "#7b878e";
  c.fillStyle = "#5f6b73";
  c.lineWidth = 1;
  c.font = "13px system-ui, sans-serif";
  c.beginPath();
  c.moveTo(PNG.left - 0.5, PNG.top);
  c.lineTo(PNG.left - 0.5, bottom + 0.5);
  c.lineTo(PNG.left + PNG.map, bottom + 0.5);
  for (let v = -MAP_DOMAIN; v <= MAP_DOMAIN; v++) {
    const major = v % 2 === 0;
    const x = Math.round(PNG.left + (v + MAP_DOMAIN) * scale) - 0.5;
    const y = Math.round(PNG.top + (MAP_DOMAIN - v) * scale) + 0.5;
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

/** The output map as the page shows it (heatmap, points, axes), as a PNG Blob. */
export function mapPng(store) {
  const canvas = document.createElement("canvas");
  canvas.width = PNG.left + PNG.map + PNG.right;
  canvas.height = PNG.top + PNG.map + PNG.bottom;
  const c = canvas.getContext("2d");
  c.fillStyle = "#ffffff";
  c.fillRect(0, 0, canvas.width, canvas.height);
  c.imageSmoothingEnabled = true; // like the browser's scaling of the 100×100 map on screen
  c.drawImage(byId("output-map"), PNG.left, PNG.top, PNG.map, PNG.map);
  const multiclass = isMulticlass(store.config);
  const scale = PNG.map / (2 * MAP_DOMAIN);
  const at = (x, y) => [PNG.left + (x + MAP_DOMAIN) * scale, PNG.top + (MAP_DOMAIN - y) * scale];
  c.lineWidth = 1.5;
  for (const [list, stroke] of shownPoints(store)) {
    c.strokeStyle = stroke;
    for (const [x, y, label] of list) {
      c.beginPath();
      c.arc(...at(x, y), PNG.radius, 0, 2 * Math.PI);
      c.fillStyle = labelColor(label, multiclass);
      c.fill();
      c.stroke();
    }
  }
  drawAxes(c);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no Clipboard API (an http page) or no permission: the field is shown
  }
}

export function createExports(store, conn, dialog) {
  const pending = new Map(); // seq → format of the exports the server is preparing

  function request(format, includeWeights = true) {
    const seq = conn.send(send.exportAs(format, includeWeights));
    if (seq >= 0) pending.set(seq, format);
  }

  async function savePng() {
    if (!store.config || !store.frame) return;
    const blob = await mapPng(store);
    if (blob) download(`playground-map-epoch${store.frame.epoch}.png`, blob);
  }

  async function showLink(hash) {
    const url = `${location.origin}${location.pathname}#${hash}`;
    const copied = await copyText(url);
    const points = store.config && store.config.userData ? "its points, " : "";
    dialog.open({
      title: copied ? "Lesson link copied" : "Copy this lesson link",
      build: (body) => {
        const text = copied
          ? `It is on your clipboard. Whoever opens it gets this network: its settings, ${points}and weights.`
          : `Select it and copy it. Whoever opens it gets this network: its settings, ${points}and weights.`;
        el("p", { text }, body);
        const field = el("input", {
          id: "lesson-link", class: "link-field", type: "text", readonly: "", value: url,
          "aria-label": "Lesson link", spellcheck: "false",
        }, body);
        field.addEventListener("focus", () => field.select());
        el("p", { class: "link-size", text: `${url.length.toLocaleString("en")} characters` }, body);
      },
      actions: [{ label: "Close", primary: true }],
    });
    const field = byId("lesson-link");
    field.focus();
    field.select();
  }

  /** The server refused the link: too long (then a lesson file does it), or diverged. */
  function noLink(message) {
    const tooLong = /lesson file/.test(message);
    const advice = "A lesson file holds the same network and data; open it with Import / Export.";
    dialog.open({
      title: tooLong ? "Too much for a link" : "No lesson link",
      kind: "warn",
      build: (body) => {
        el("p", { class: "link-error", text: message }, body);
        if (tooLong) el("p", { text: advice }, body);
      },
      actions: tooLong
        ? [
          { label: "Save lesson file", primary: true, run: () => request(EXPORT.model) },
          { label: "Cancel" },
        ]
        : [{ label: "Close", primary: true }],
    });
  }

  store.on("exported", (file) => {
    if (!pending.delete(file.seq)) return;
    if (file.format === EXPORT.lessonLink) showLink(file.text);
    else download(file.filename, new Blob([file.text], { type: file.mime }));
  });

  store.on("error", (error) => {
    const format = pending.get(error.seq);
    if (!format) return;
    pending.delete(error.seq);
    if (format !== EXPORT.lessonLink) return; // the banner says what went wrong
    error.handled = true;
    noLink(error.message || error.code);
  });

  return { request, savePng };
}
