// One loss chart for the whole race: every lane's test loss over epochs in its colour, the
// target as a dashed line, and the winner marked at its epoch with its wall time. A worker
// draws it (racechartdraw.js), as the loss chart's does: the page posts each lane's new
// points in batches on the read-outs' clock, and writes the winner's sentence.
import { byId, textClock } from "../ui/dom.js";
import { LANE_COLORS, laneName } from "./lanes.js";
import { createRaceChartPainter } from "./racechartdraw.js";
import { paintedBy } from "../ui/offscreen.js";
import { onChange } from "../model/slice.js";

const HEIGHT = 70;

/** [[epoch, test loss], …] of a lane's history points ([epoch, train, test(, validation)]). */
const testCurve = (history) => history.filter((p) => p[2] !== null).map((p) => [p[0], p[2]]);

export function createRaceChart(run) {
  const canvas = byId("race-chart");
  const winnerText = byId("race-winner");
  let post = null; // the canvas goes to its worker on the first race (a hidden canvas has no size)
  let lanes = 0;
  let lastEpochs = []; // per lane: the last epoch sent, so a frame's point goes once
  let pending = [];
  let playing = false;

  function start() {
    post = paintedBy(canvas, new URL("./racechartworker.js", import.meta.url), createRaceChartPainter);
    window.addEventListener("resize", () => run.race.get() && fit());
  }

  const fit = () => post({
    size: { width: canvas.clientWidth || 300, height: canvas.clientHeight || HEIGHT, ratio: window.devicePixelRatio || 1 },
    ink: getComputedStyle(canvas).color,
  });

  function reset(race) {
    lanes = race ? race.lanes.length : 0;
    lastEpochs = [];
    pending = [];
    post({ curves: race ? race.lanes.map((lane) => testCurve(lane.history)) : [], race: summary(race) });
    describeWinner(race);
  }

  const summary = (race) => (race ? { targetLoss: race.targetLoss, winner: race.winner } : null);

  function describeWinner(race) {
    const winner = race && race.winner;
    canvas.dataset.curves = String(lanes);
    winnerText.dataset.winner = winner ? String(winner.lane) : "";
    winnerText.textContent = winner
      ? `Lane ${winner.lane + 1} (${laneName(race, winner.lane)}) reached test loss ${race.targetLoss} first: epoch ${winner.epoch}, ${winner.seconds.toFixed(2)} s of training.`
      : race ? `First lane to a test loss of ${race.targetLoss} wins.` : "";
    if (winner) winnerText.style.setProperty("--lane", LANE_COLORS[winner.lane]);
  }

  function drawFrame() {
    const frames = run.laneFrames.get();
    if (!frames || !run.race.get() || !post) return;
    frames.forEach((frame, i) => {
      if (frame.replay || i >= lanes || lastEpochs[i] === frame.epoch) return;
      lastEpochs[i] = frame.epoch;
      pending.push([i, frame.epoch, frame.testLoss]);
    });
    // Playing, the points go in batches on the text clock (the chart redraws ten times a
    // second anyway); paused, at once.
    if (!pending.length || (frames[0].playing && frames[0].playing === playing && !textClock.due)) return;
    playing = frames[0].playing;
    post({ points: pending, playing });
    pending = [];
  }

  run.race.subscribe((race) => {
    if (race && !post) start();
    if (!post) return;
    if (race) fit();
    if (!race || lanes !== race.lanes.length) reset(race);
    else {
      post({ race: summary(race) });
      describeWinner(race);
    }
  });
  // A new start, new data, a fork (an echo with its own history): the lanes' histories.
  onChange(run.config, (config) => [config.history], () => post && reset(run.race.get()));
  return { drawFrame };
}
