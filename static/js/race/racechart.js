// One loss chart for the whole race: every lane's test loss over epochs in its colour, the
// target as a dashed line, and the winner marked at its epoch with its wall time.
import { byId, fitCanvas, textClock } from "../ui/dom.js";
import { LANE_COLORS, laneName } from "./lanes.js";
import { onChange } from "../model/slice.js";

const HEIGHT = 70;
const MAX_POINTS = 2000; // per curve: past it every other point goes (a long race stays light)
const PAD = { left: 4, right: 4, top: 6, bottom: 12 };

/** [[epoch, test loss], …] of a lane's history points ([epoch, train, test(, validation)]). */
const testCurve = (history) => history.filter((p) => p[2] !== null).map((p) => [p[0], p[2]]);

export function createRaceChart(run) {
  const canvas = byId("race-chart");
  const winnerText = byId("race-winner");
  let curves = []; // per lane: [[epoch, test loss], …]
  let dirty = true;
  let context = null; // sized on the first paint and on resize (a resize reallocates it)
  let width = 0;
  let ink = "";
  const fit = () => {
    width = canvas.clientWidth || 300;
    context = fitCanvas(canvas, width, HEIGHT);
    ink = getComputedStyle(canvas).color;
  };

  function reset(race) {
    curves = race ? race.lanes.map((lane) => testCurve(lane.history)) : [];
    dirty = true;
    describeWinner(race);
  }

  function describeWinner(race) {
    const winner = race && race.winner;
    canvas.dataset.curves = String(curves.length);
    winnerText.dataset.winner = winner ? String(winner.lane) : "";
    winnerText.textContent = winner
      ? `Lane ${winner.lane + 1} (${laneName(race, winner.lane)}) reached test loss ${race.targetLoss} first: epoch ${winner.epoch}, ${winner.seconds.toFixed(2)} s of training.`
      : race ? `First lane to a test loss of ${race.targetLoss} wins.` : "";
    if (winner) winnerText.style.setProperty("--lane", LANE_COLORS[winner.lane]);
  }

  function add(frames) {
    frames.forEach((frame, i) => {
      if (frame.replay || !curves[i]) return;
      const curve = curves[i];
      const last = curve.length ? curve[curve.length - 1][0] : -1;
      if (frame.epoch < last) curve.length = 0; // a reset, or a fork from an earlier epoch
      if (frame.epoch !== last && Number.isFinite(frame.testLoss)) curve.push([frame.epoch, frame.testLoss]);
      if (curve.length > MAX_POINTS) curves[i] = curve.filter((_, k) => k % 2 === 0 || k === curve.length - 1);
      dirty = true;
    });
  }

  function paint() {
    const race = run.race.get();
    if (!context || !width) fit();
    context.clearRect(0, 0, width, HEIGHT);
    if (!race || !curves.some((curve) => curve.length)) return;
    let maxEpoch = 1;
    let low = race.targetLoss;
    let high = race.targetLoss;
    for (const curve of curves) {
      for (const [epoch, loss] of curve) {
        if (epoch > maxEpoch) maxEpoch = epoch;
        if (loss < low) low = loss;
        if (loss > high) high = loss;
      }
    }
    const x = (epoch) => PAD.left + (epoch / maxEpoch) * (width - PAD.left - PAD.right);
    const y = (loss) => PAD.top + (1 - (loss - low) / Math.max(1e-9, high - low)) * (HEIGHT - PAD.top - PAD.bottom);
    context.strokeStyle = ink;
    context.setLineDash([4, 3]);
    line(context, [[0, race.targetLoss], [maxEpoch, race.targetLoss]], x, y, 1);
    context.setLineDash([]);
    curves.forEach((curve, i) => {
      context.strokeStyle = LANE_COLORS[i];
      line(context, curve, x, y, 2);
    });
    const winner = race.winner;
    if (winner) {
      context.strokeStyle = context.fillStyle = LANE_COLORS[winner.lane];
      context.beginPath();
      context.arc(x(winner.epoch), y(winner.testLoss), 4, 0, 2 * Math.PI);
      context.fill();
      context.font = "11px system-ui, sans-serif";
      context.textAlign = x(winner.epoch) > width / 2 ? "right" : "left";
      const text = `★ ${winner.epoch} · ${winner.seconds.toFixed(1)} s`;
      context.fillText(text, x(winner.epoch) + (context.textAlign === "left" ? 6 : -6), Math.max(12, y(winner.testLoss) - 6));
    }
    context.fillStyle = ink;
    context.font = "10px system-ui, sans-serif";
    context.textAlign = "left";
    context.fillText(`epochs 0–${maxEpoch}`, PAD.left, HEIGHT - 1);
  }

  function drawFrame() {
    const frames = run.laneFrames.get();
    if (!frames || !run.race.get()) return;
    add(frames);
    if (dirty && (textClock.due || !frames[0].playing)) {
      paint();
      dirty = false;
    }
  }

  run.race.subscribe((race) => {
    if (!race || curves.length !== race.lanes.length) reset(race);
    else describeWinner(race);
    paint();
  });
  // A new start, new data, a fork (an echo with its own history): the lanes' histories.
  onChange(run.config, (config) => [config.history], () => reset(run.race.get()));
  window.addEventListener("resize", () => {
    if (!run.race.get()) return;
    fit();
    paint();
  });
  return { drawFrame };
}

function line(context, points, x, y, width) {
  if (!points.length) return;
  context.lineWidth = width;
  context.beginPath();
  points.forEach(([epoch, loss], i) => (i ? context.lineTo(x(epoch), y(loss)) : context.moveTo(x(epoch), y(loss))));
  context.stroke();
}
