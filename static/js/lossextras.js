// What the loss chart adds for the lecture: the history a (re)loaded run already has, the
// best-validation epoch marked (overfitting starts after it), and a hover read-out of the
// epoch and every loss under the pointer.
import { byId, el, formatLoss } from "./dom.js";

const BEST_COLOR = "#0877bd";
const GUIDE_COLOR = "rgba(24, 61, 78, 0.55)";

const groupDigits = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** `config.history` rows [epoch, train, test(, validation)] (null = not finite) as series. */
export function seriesFromHistory(history) {
  const series = { epoch: [], train: [], test: [], validation: [] };
  const value = (v) => (v === null || v === undefined ? NaN : v);
  for (const row of history) {
    series.epoch.push(row[0]);
    series.train.push(value(row[1]));
    series.test.push(value(row[2]));
    series.validation.push(row.length > 3 ? value(row[3]) : NaN);
  }
  return series;
}

/** Index of the lowest finite validation loss, or −1 without validation. */
export function bestValidation(series) {
  let best = -1;
  series.validation.forEach((v, i) => {
    if (Number.isFinite(v) && (best < 0 || v < series.validation[best])) best = i;
  });
  return best;
}

/** Index of the point whose epoch is nearest `epoch` (epochs increase). */
function nearest(epochs, epoch) {
  let low = 0;
  let high = epochs.length - 1;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (epochs[mid] < epoch) low = mid;
    else high = mid;
  }
  return Math.abs(epochs[low] - epoch) <= Math.abs(epochs[high] - epoch) ? low : high;
}

export function createLossExtras(canvas, redraw) {
  const tip = el("div", { class: "chart-tip", role: "status", hidden: "" }, byId("app"));
  let hoverX = null; // CSS px from the canvas's left edge, or null

  let best = -1;

  /** Called at the start of each chart draw: what the chart holds, as data attributes. */
  function summarize(series) {
    best = bestValidation(series);
    const points = String(series.epoch.length);
    const bestEpoch = best >= 0 ? String(series.epoch[best]) : "";
    if (canvas.dataset.points !== points) canvas.dataset.points = points;
    if (canvas.dataset.bestEpoch !== bestEpoch) canvas.dataset.bestEpoch = bestEpoch;
  }

  /** Called at the end of each chart draw with its scales. */
  function decorate(context, series, px, py, scale) {
    const n = series.epoch.length;
    if (best >= 0 && n > 1) {
      const x = px(series.epoch[best]);
      context.strokeStyle = BEST_COLOR;
      context.setLineDash([2, 2]);
      context.lineWidth = 1;
      context.beginPath();
      context.moveTo(x, 0);
      context.lineTo(x, scale.height);
      context.stroke();
      context.setLineDash([]);
      context.fillStyle = BEST_COLOR;
      context.beginPath();
      context.arc(x, py(series.validation[best]), 3, 0, 2 * Math.PI);
      context.fill();
    }
    if (hoverX !== null && n > 1) hover(context, series, px, scale);
  }

  function hover(context, series, px, scale) {
    const epoch = scale.x0 + ((hoverX - 1) / (scale.width - 2)) * scale.xSpan;
    const i = nearest(series.epoch, epoch);
    const x = px(series.epoch[i]);
    context.strokeStyle = GUIDE_COLOR;
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(x, 0);
    context.lineTo(x, scale.height);
    context.stroke();
    const parts = [`Epoch ${groupDigits(series.epoch[i])}`, `training ${formatLoss(series.train[i])}`];
    if (Number.isFinite(series.validation[i])) parts.push(`validation ${formatLoss(series.validation[i])}`);
    parts.push(`test ${formatLoss(series.test[i])}`);
    if (i === best) parts.push("best validation");
    const text = parts.join(" · ");
    if (tip.textContent !== text) tip.textContent = text;
    tip.dataset.epoch = String(series.epoch[i]);
    const box = canvas.getBoundingClientRect();
    tip.hidden = false;
    const left = Math.min(box.left + x + 8, window.innerWidth - tip.offsetWidth - 6);
    tip.style.left = `${Math.max(4, left)}px`;
    tip.style.top = `${box.bottom + 4}px`;
  }

  canvas.addEventListener("mousemove", (event) => {
    hoverX = event.clientX - canvas.getBoundingClientRect().left;
    redraw();
  });
  canvas.addEventListener("mouseleave", () => {
    hoverX = null;
    tip.hidden = true;
    redraw();
  });

  return { summarize, decorate };
}
