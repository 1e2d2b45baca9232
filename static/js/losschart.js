// The loss chart (training grey, validation blue, test black, y from the running min to max
// since reset) and the "Test loss" / "Training loss" read-outs with 3 decimals; hover, the
// best-validation mark and the run's history come from lossextras.js.
import { byId, fitCanvas, formatLoss, throttledText } from "./dom.js";
import { createLossExtras, seriesFromHistory } from "./lossextras.js";
import { CHANGE } from "./protocol.js";

const MAX_POINTS = 2400; // then every other point is dropped, so long runs stay cheap
const TRAIN_COLOR = "#9aa0a6";
const TEST_COLOR = "#1b1b1b";
const VALIDATION_COLOR = "#0877bd";

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

export function createLossChart(store) {
  const canvas = byId("loss-chart");
  const testOut = byId("test-loss");
  const trainOut = byId("train-loss");
  let context = null;
  let width = 0;
  let height = 0;
  let series = { epoch: [], train: [], test: [], validation: [] };
  let lastEpoch = -1;
  const testText = throttledText(testOut);
  const trainText = throttledText(trainOut);
  const extras = createLossExtras(canvas, () => draw());

  function fit() {
    width = canvas.parentElement.clientWidth;
    height = canvas.clientHeight || 56;
    context = fitCanvas(canvas, width, height);
    draw();
  }

  function clear() {
    series = { epoch: [], train: [], test: [], validation: [] };
    lastEpoch = -1;
  }

  function add(frame) {
    if (frame.epoch < lastEpoch) clear();
    if (frame.epoch === lastEpoch) {
      // Same epoch (a weight edit, a focus change): replace the last point.
      for (const key of ["epoch", "train", "test", "validation"]) series[key].pop();
    }
    lastEpoch = frame.epoch;
    series.epoch.push(frame.epoch);
    series.train.push(frame.trainLoss);
    series.test.push(frame.testLoss);
    series.validation.push(frame.hasValidation ? frame.validationLoss : NaN);
    if (series.epoch.length >= MAX_POINTS) {
      for (const key of Object.keys(series)) series[key] = series[key].filter((_, i) => i % 2 === 0);
    }
  }

  function draw() {
    if (!context) return;
    context.clearRect(0, 0, width, height);
    extras.summarize(series);
    const n = series.epoch.length;
    if (n < 2) {
      context.fillStyle = "#8d999f";
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
    const x0 = series.epoch[0];
    const xSpan = Math.max(1, series.epoch[n - 1] - x0);
    const px = (e) => ((e - x0) / xSpan) * (width - 2) + 1;
    const py = (v) => height - 2 - ((v - low) / (high - low)) * (height - 4);
    const line = (values, color) => {
      context.strokeStyle = color;
      context.lineWidth = 1.5;
      context.beginPath();
      traceColumns(context, series.epoch, values, px, py);
      context.stroke();
    };
    line(series.train, TRAIN_COLOR);
    line(series.validation, VALIDATION_COLOR);
    line(series.test, TEST_COLOR);
    extras.decorate(context, series, px, py, { x0, xSpan, width, height });
  }

  function readouts(frame) {
    testText(formatLoss(frame.testLoss), !frame.playing);
    trainText(formatLoss(frame.trainLoss), !frame.playing);
  }

  function drawFrame(frame) {
    add(frame);
    draw();
    readouts(frame);
  }

  store.on("config", (config) => {
    // A rebuilt, reloaded or restored run: its own history (live changes keep the curve).
    if (config.change === CHANGE.live) return;
    series = seriesFromHistory(config.history);
    lastEpoch = series.epoch.length ? series.epoch.at(-1) : -1;
    draw();
  });
  window.addEventListener("resize", fit);
  fit();
  return { drawFrame };
}
