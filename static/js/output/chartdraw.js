// Draws the loss chart on a 2D canvas: training a thin grey line, validation a blue dashed
// one, test a thick dark one (they differ in more than colour), y from the series' min to
// max, the best-validation epoch marked, the hovered epoch's guide line. The theme's colours
// come from the page. Runs in the chart worker (chartworker.js), or on the page without
// OffscreenCanvas (losschart.js). The page and the painter keep the same series: each adds
// the same points with addPoint. While training plays it redraws ten times a second.
import { sizeCanvas } from "../ui/offscreen.js";

const MAX_POINTS = 2400; // then every other point is dropped, so long runs stay cheap
const PLAYING_MS = 100 - 4;
const LIGHT = { train: "#80878d", test: "#1b1b1b", validation: "#0877bd", text: "#6b777e" };

export const emptySeries = () => ({ epoch: [], train: [], test: [], validation: [] });

/**
 * Append `point` {epoch, train, test, validation} to `series` in place: an earlier epoch
 * starts the series over (a reset), the same epoch (a weight edit, a focus change) replaces
 * the last point; past MAX_POINTS every other point is dropped.
 */
export function addPoint(series, point) {
  const last = series.epoch.length ? series.epoch[series.epoch.length - 1] : -1;
  if (point.epoch < last) Object.assign(series, emptySeries());
  if (point.epoch === last) for (const key of ["epoch", "train", "test", "validation"]) series[key].pop();
  series.epoch.push(point.epoch);
  series.train.push(point.train);
  series.test.push(point.test);
  series.validation.push(point.validation);
  if (series.epoch.length >= MAX_POINTS) {
    for (const key of Object.keys(series)) series[key] = series[key].filter((_, i) => i % 2 === 0);
  }
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

/** The series' x scale on a chart `width` CSS px wide, and the point under `hoverX` (or −1). */
export function xScale(series, width, hoverX = null) {
  const n = series.epoch.length;
  const x0 = series.epoch[0];
  const xSpan = Math.max(1, series.epoch[n - 1] - x0);
  const px = (e) => ((e - x0) / xSpan) * (width - 2) + 1;
  const hovered = hoverX === null || n < 2 ? -1 : nearest(series.epoch, x0 + ((hoverX - 1) / (width - 2)) * xSpan);
  return { px, hovered };
}

/**
 * The polyline through (px(epoch), py(value)), gaps at non-finite values, with at most its
 * lowest, highest and last point per pixel column: thousands of points drawn into a few
 * hundred pixels look exactly the same, and the canvas strokes a few hundred vertices.
 */
function traceColumns(context, epochs, values, px, py) {
  let column = NaN; // the pixel column of the pending points, NaN = pen up
  let x = 0;
  let low = 0;
  let high = 0;
  let last = 0;
  let count = 0;
  const flush = () => {
    if (count > 2) {
      context.lineTo(x, low);
      context.lineTo(x, high);
    }
    if (count > 1) context.lineTo(x, last);
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      flush();
      column = NaN;
      continue;
    }
    const xi = px(epochs[i]);
    const y = py(v);
    if (Math.floor(xi) === column) {
      x = xi;
      low = Math.min(low, y);
      high = Math.max(high, y);
      last = y;
      count += 1;
      continue;
    }
    if (column === column) {
      flush();
      context.lineTo(xi, y);
    } else context.moveTo(xi, y);
    column = Math.floor(xi);
    x = xi;
    low = high = last = y;
    count = 1;
  }
  flush();
}

/**
 * Messages: {size: {width, height, ratio}} (CSS px, the device pixel ratio); {colors: {train,
 * test, validation, text}}; {series} (a whole history); {point} or {points} (addPoint's, in
 * order); {playing};
 * {hoverX: CSS px from the left edge, or null}.
 */
export function createChartPainter(canvas) {
  const context = canvas.getContext("2d");
  let width = 0;
  let height = 0;
  let series = emptySeries();
  let hoverX = null;
  let stale = false;
  let colors = LIGHT;
  let playing = false;

  function receive(message) {
    if (message.size) {
      ({ width, height } = message.size);
      sizeCanvas(canvas, context, message.size);
    }
    // A copy: without a worker the page's own series arrives here, and both add each point.
    if (message.series) series = Object.fromEntries(Object.entries(message.series).map(([k, v]) => [k, [...v]]));
    if (message.point) addPoint(series, message.point);
    if (message.points) for (const point of message.points) addPoint(series, point);
    if ("hoverX" in message) hoverX = message.hoverX;
    if (message.colors) colors = message.colors;
    if ("playing" in message) playing = message.playing;
    stale = true;
  }

  function draw() {
    if (!stale || !width) return;
    stale = false;
    context.clearRect(0, 0, width, height);
    const n = series.epoch.length;
    if (n < 2) {
      context.fillStyle = colors.text;
      context.font = "12px system-ui, sans-serif";
      context.fillText("Loss curve: press play", 2, height / 2 + 4);
      return;
    }
    let low = Infinity;
    let high = -Infinity;
    for (const key of ["train", "test", "validation"]) {
      for (const v of series[key]) {
        if (Number.isFinite(v)) {
          if (v < low) low = v;
          if (v > high) high = v;
        }
      }
    }
    if (!(high >= low)) return;
    if (high - low < 1e-9) high = low + 1e-9;
    const { px, hovered } = xScale(series, width, hoverX);
    const py = (v) => height - 2 - ((v - low) / (high - low)) * (height - 4);
    const thin = height > 150 ? 2 : 1.5; // a tall chart is read from farther away
    const line = (values, color, lineWidth, dash) => {
      context.strokeStyle = color;
      context.lineWidth = lineWidth;
      context.setLineDash(dash);
      context.beginPath();
      traceColumns(context, series.epoch, values, px, py);
      context.stroke();
      context.setLineDash([]);
    };
    line(series.train, colors.train, thin, []);
    line(series.validation, colors.validation, thin, [6, 3]);
    line(series.test, colors.test, thin + 1, []);
    const best = bestValidation(series);
    if (best >= 0) {
      vertical(px(series.epoch[best]), colors.validation, [2, 2]);
      context.fillStyle = colors.validation;
      context.beginPath();
      context.arc(px(series.epoch[best]), py(series.validation[best]), 3, 0, 2 * Math.PI);
      context.fill();
    }
    if (hovered >= 0) vertical(px(series.epoch[hovered]), colors.text, []);
  }

  function vertical(x, color, dash) {
    context.strokeStyle = color;
    context.setLineDash(dash);
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(x, 0);
    context.lineTo(x, height);
    context.stroke();
    context.setLineDash([]);
  }

  const minInterval = () => (playing ? PLAYING_MS : 0);

  return { receive, draw, minInterval };
}
