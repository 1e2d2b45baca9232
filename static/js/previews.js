// Dataset thumbnails: the real points of every dataset this page has loaded, and for the
// others a small deterministic sketch of the reference generator's shape.
import { labelColor } from "./colors.js";

const seen = new Map(); // "problem/dataset" → [[x, y, label], …] from a real config

/** Remember the real points of the dataset a config carries. */
export function remember(problem, name, points) {
  if (points.length) seen.set(`${problem}/${name}`, points.filter((_, i) => i % 2 === 0));
}

function lcg(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Sketches of the reference's shapes (only used until the real data was seen once). */
const SKETCHES = {
  circle(u) {
    const inner = u() < 0.5;
    const r = inner ? u() * 2.5 : 3.5 + u() * 1.5;
    const a = u() * 2 * Math.PI;
    return [r * Math.sin(a), r * Math.cos(a), inner ? 1 : -1];
  },
  xor(u) {
    const x = u() * 10 - 5 + 0.3 * Math.sign(u() - 0.5);
    const y = u() * 10 - 5;
    return [x, y, x * y >= 0 ? 1 : -1];
  },
  gauss(u) {
    const blue = u() < 0.5;
    const c = blue ? 2 : -2;
    return [c + (u() + u() + u() - 1.5) * 2, c + (u() + u() + u() - 1.5) * 2, blue ? 1 : -1];
  },
  spiral(u) {
    const i = u();
    const blue = u() < 0.5;
    const t = 1.75 * i * 2 * Math.PI + (blue ? 0 : Math.PI);
    return [5 * i * Math.sin(t), 5 * i * Math.cos(t), blue ? 1 : -1];
  },
  "reg-plane"(u) {
    const x = u() * 12 - 6;
    const y = u() * 12 - 6;
    return [x, y, (x + y) / 10];
  },
  "reg-gauss"(u) {
    const x = u() * 12 - 6;
    const y = u() * 12 - 6;
    const centres = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]];
    let best = 0;
    for (const [cx, cy, sign] of centres) {
      const v = sign * Math.max(0, 1 - Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) / 2);
      if (Math.abs(v) > Math.abs(best)) best = v;
    }
    return [x, y, best];
  },
};

function sketch(name, count = 180) {
  const make = SKETCHES[name];
  if (!make) return null;
  const u = lcg(name.length * 7919 + name.charCodeAt(0));
  return Array.from({ length: count }, () => make(u));
}

/** Draw dataset `name` into a square canvas; false when there is nothing to draw. */
export function drawPreview(canvas, problem, name, multiclass = false) {
  // The sketches are of the two-class and regression sets; a multi-class set waits for
  // its real points.
  const points = seen.get(`${problem}/${name}`) || (multiclass ? null : sketch(name));
  const context = canvas.getContext("2d");
  const size = canvas.width;
  context.clearRect(0, 0, size, size);
  if (!points) return false;
  const scale = size / 12;
  const radius = Math.max(1.2, size / 40);
  for (const [x, y, label] of points) {
    context.fillStyle = labelColor(label, multiclass);
    context.beginPath();
    context.arc((x + 6) * scale, (6 - y) * scale, radius, 0, 2 * Math.PI);
    context.fill();
  }
  return true;
}
