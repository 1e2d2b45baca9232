// Dataset thumbnails: the real points of the dataset this page has loaded, and for the
// others the sample the server drew from the real generators (hello.previews).
import { labelColor } from "../ui/colors.js";
import { paintImage } from "../ui/dom.js";

const seen = new Map(); // "problem/dataset" → [[x, y, label], …] from a real config
let samples = {}; // hello.previews: {problem: {dataset: [[x, y, label], …]}}

/** Keep the server's samples of every dataset. */
export function setPreviews(previews) {
  samples = previews || {};
}

/** Remember the real points of the dataset a config carries. */
export function remember(problem, name, points) {
  if (points.length) seen.set(`${problem}/${name}`, points.filter((_, i) => i % 2 === 0));
}

/** Draw dataset `name` (points in [−domain, domain]²) into a square image `size` px wide;
 * false when there is nothing to draw. */
export function drawPreview(img, size, problem, name, multiclass, domain) {
  const points = seen.get(`${problem}/${name}`) || (samples[problem] || {})[name] || null;
  return paintImage(img, size, size, (context) => {
    if (!points) return false;
    const scale = size / (2 * domain);
    const radius = Math.max(1.2, size / 40);
    for (const [x, y, label] of points) {
      context.fillStyle = labelColor(label, multiclass);
      context.beginPath();
      context.arc((x + domain) * scale, (domain - y) * scale, radius, 0, 2 * Math.PI);
      context.fill();
    }
    return true;
  });
}
