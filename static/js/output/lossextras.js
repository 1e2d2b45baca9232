// What the loss chart adds for the lecture: the history a (re)loaded run already has, the
// best-validation epoch (overfitting starts after it; chartdraw.js marks it), and a hover
// read-out of the epoch and every loss under the pointer.
import { bestValidation, xScale } from "./chartdraw.js";
import { byId, el, formatLoss } from "../ui/dom.js";

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

/**
 * `chart()` → {series, width}: what the chart shows; `setHover(x)` tells its painter where
 * the pointer is (CSS px from the left edge, or null).
 */
export function createLossExtras(canvas, chart, setHover) {
  const tip = el("div", { class: "chart-tip", role: "status", hidden: "" }, byId("app"));
  let hoverX = null;

  /** After each change of the series: what the chart holds as data attributes, and the tip. */
  function summarize(series) {
    const best = bestValidation(series);
    const points = String(series.epoch.length);
    const bestEpoch = best >= 0 ? String(series.epoch[best]) : "";
    if (canvas.dataset.points !== points) canvas.dataset.points = points;
    if (canvas.dataset.bestEpoch !== bestEpoch) canvas.dataset.bestEpoch = bestEpoch;
    if (hoverX !== null) showTip(series, best);
  }

  function showTip(series, best) {
    const { width } = chart();
    const { px, hovered: i } = xScale(series, width, hoverX);
    if (i < 0) {
      tip.hidden = true;
      return;
    }
    const parts = [`Epoch ${groupDigits(series.epoch[i])}`, `training ${formatLoss(series.train[i])}`];
    if (Number.isFinite(series.validation[i])) parts.push(`validation ${formatLoss(series.validation[i])}`);
    parts.push(`test ${formatLoss(series.test[i])}`);
    if (i === best) parts.push("best validation");
    const text = parts.join(" · ");
    if (tip.textContent !== text) tip.textContent = text;
    tip.dataset.epoch = String(series.epoch[i]);
    const box = canvas.getBoundingClientRect();
    tip.hidden = false;
    const left = Math.min(box.left + px(series.epoch[i]) + 8, window.innerWidth - tip.offsetWidth - 6);
    tip.style.left = `${Math.max(4, left)}px`;
    tip.style.top = `${box.bottom + 4}px`;
  }

  canvas.addEventListener("mousemove", (event) => {
    hoverX = event.clientX - canvas.getBoundingClientRect().left;
    setHover(hoverX);
    const { series } = chart();
    showTip(series, bestValidation(series));
  });
  canvas.addEventListener("mouseleave", () => {
    hoverX = null;
    tip.hidden = true;
    setHover(null);
  });

  return { summarize };
}
