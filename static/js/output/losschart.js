// The loss chart (training grey, validation blue, test black, y from the running min to max
// since reset) and the "Test loss" / "Training loss" read-outs with 3 decimals. A worker
// draws the chart (chartdraw.js): the page posts each frame's losses; the hover read-out and
// the run's history come from lossextras.js.
import { addPoint, createChartPainter, emptySeries } from "./chartdraw.js";
import { byId, formatLoss, textClock, throttledText } from "../ui/dom.js";
import { createLossExtras, seriesFromHistory } from "./lossextras.js";
import { paintedBy } from "../ui/offscreen.js";
import { onChange } from "../model/slice.js";

export function createLossChart(run) {
  const canvas = byId("loss-chart");
  const testOut = byId("test-loss");
  const trainOut = byId("train-loss");
  const post = paintedBy(canvas, new URL("./chartworker.js", import.meta.url), createChartPainter);
  let width = 0;
  let series = emptySeries();
  const testText = throttledText(testOut);
  const trainText = throttledText(trainOut);
  const extras = createLossExtras(canvas, () => ({ series, width }), (hoverX) => post({ hoverX }));
  let playing = false;
  let pending = []; // points not sent to the painter yet
  let behind = false; // the painter lacks points (the chart was hidden by a race)

  /** The box the stylesheet gives the chart, and the theme's colours for its curves. */
  function fit() {
    width = canvas.clientWidth || canvas.parentElement.clientWidth;
    const height = canvas.clientHeight || 56;
    const style = getComputedStyle(canvas);
    const color = (name) => style.getPropertyValue(`--chart-${name}`).trim();
    const colors = { train: color("train"), test: color("test"), validation: color("validation"), text: color("text") };
    post({ size: { width, height, ratio: window.devicePixelRatio || 1 }, colors });
  }

  function readouts(frame) {
    testText(formatLoss(frame.testLoss), !frame.playing);
    trainText(formatLoss(frame.trainLoss), !frame.playing);
  }

  function drawFrame(frame) {
    if (frame.replay) return readouts(frame); // a scrubbed epoch: the curve stays as it is
    const point = {
      epoch: frame.epoch,
      train: frame.trainLoss,
      test: frame.testLoss,
      validation: frame.hasValidation ? frame.validationLoss : NaN,
    };
    addPoint(series, point);
    extras.summarize(series);
    readouts(frame);
    // Racing, the race chart stands for this one (hidden): its worker rests, and the whole
    // series goes once it shows again.
    if (run.race.get()) {
      pending = [];
      behind = true;
      return;
    }
    if (behind) {
      behind = false;
      pending = [];
      playing = frame.playing;
      return post({ series, playing });
    }
    pending.push(point);
    // While playing, the points go to the painter in batches on the read-outs' clock (it
    // redraws ten times a second anyway); paused, each at once.
    if (frame.playing && frame.playing === playing && !textClock.due) return;
    playing = frame.playing;
    post({ points: pending, playing });
    pending = [];
  }

  // A rebuilt, reloaded or restored run: its own history (a live echo keeps the curve's).
  onChange(run.config, (config) => [config.history], (config) => {
    series = seriesFromHistory(config.history);
    pending = [];
    post({ series });
    extras.summarize(series);
  });
  window.addEventListener("resize", fit);
  fit();
  return { drawFrame };
}
