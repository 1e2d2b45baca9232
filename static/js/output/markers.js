// Data points are told apart by shape as well as colour, so no viewer depends on colour
// alone: +1 a circle and −1 a square; classes 0–4 a circle, square, triangle, diamond and
// inverted triangle; regression values (a continuous scale) all circles.
import { labelColor } from "../ui/colors.js";

export const CLASS_SHAPES = ["circle", "square", "triangle", "diamond", "triangle-down"];

/** The shape of a point's label: `kind` is "binary", "multiclass" or "regression". */
export function shapeOf(label, kind) {
  if (kind === "multiclass") return CLASS_SHAPES[label % CLASS_SHAPES.length];
  if (kind === "binary") return label > 0 ? "circle" : "square";
  return "circle";
}

/** Trace `shape` of radius r around (x, y) on a 2D context (a path; fill and stroke after). */
export function traceShape(context, shape, x, y, r) {
  context.beginPath();
  if (shape === "square") {
    const s = r * 0.9;
    context.rect(x - s, y - s, 2 * s, 2 * s);
  } else if (shape === "triangle" || shape === "triangle-down") {
    const d = shape === "triangle" ? 1 : -1;
    const s = r * 1.25;
    context.moveTo(x, y - d * s);
    context.lineTo(x + s * 0.95, y + d * s * 0.7);
    context.lineTo(x - s * 0.95, y + d * s * 0.7);
    context.closePath();
  } else if (shape === "diamond") {
    const s = r * 1.3;
    context.moveTo(x, y - s);
    context.lineTo(x + s, y);
    context.lineTo(x, y + s);
    context.lineTo(x - s, y);
    context.closePath();
  } else context.arc(x, y, r, 0, 2 * Math.PI);
}

/** Draw a list of [x, y, label] points: `at` maps data to canvas coordinates. */
export function drawPoints(context, list, { kind, radius, stroke, lineWidth = 1, at }) {
  context.strokeStyle = stroke;
  context.lineWidth = lineWidth;
  const multiclass = kind === "multiclass";
  for (const [x, y, label] of list) {
    const [px, py] = at(x, y);
    traceShape(context, shapeOf(label, kind), px, py, radius);
    context.fillStyle = labelColor(label, multiclass);
    context.fill();
    context.stroke();
  }
}

/** An SVG path `d` of `shape` in a box of side `size` (the legend's and the chips' keys). */
export function shapePath(shape, size) {
  const c = size / 2;
  const r = size * 0.4;
  if (shape === "square") return `M${c - r},${c - r}h${2 * r}v${2 * r}h${-2 * r}z`;
  if (shape === "triangle") return `M${c},${c - r * 1.1}L${c + r * 1.05},${c + r * 0.8}H${c - r * 1.05}z`;
  if (shape === "triangle-down") return `M${c},${c + r * 1.1}L${c + r * 1.05},${c - r * 0.8}H${c - r * 1.05}z`;
  if (shape === "diamond") return `M${c},${c - r * 1.2}L${c + r * 1.2},${c}L${c},${c + r * 1.2}L${c - r * 1.2},${c}z`;
  return `M${c - r},${c}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
}
