// The gallery as one PNG: every tile's map with the student's name, architecture and test
// loss, in the gallery's order (drawn on a canvas: names are text, never markup).
import { formatLoss } from "../ui/dom.js";

const TILE = 180;
const MAP = 150;
const COLUMNS = 6;

export function galleryPng(code, tiles) {
  const rows = Math.max(1, Math.ceil(tiles.length / COLUMNS));
  const canvas = document.createElement("canvas");
  canvas.width = COLUMNS * TILE;
  canvas.height = 40 + rows * (TILE + 40);
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = "#1f2a30";
  context.font = "bold 18px sans-serif";
  context.fillText(`Class ${code}`, 12, 26);
  context.imageSmoothingEnabled = true;
  tiles.forEach(({ data, canvas: map }, index) => {
    const x = (index % COLUMNS) * TILE + 15;
    const y = 40 + Math.floor(index / COLUMNS) * (TILE + 40);
    context.drawImage(map, x, y, MAP, MAP);
    context.font = "bold 13px sans-serif";
    context.fillText(String(data.name).slice(0, 22), x, y + MAP + 16);
    context.font = "12px sans-serif";
    const met = data.metEpoch != null ? ` ✓${data.metEpoch}` : "";
    context.fillText(`${data.architecture} · ${formatLoss(data.testLoss)}${met}`, x, y + MAP + 32);
  });
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}
