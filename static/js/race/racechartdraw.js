// Draws the race's overlaid chart on a 2D canvas: every lane's test loss over epochs in its
// colour, the target as a dashed line, the winner's ★ at its epoch with its wall time. Runs
// in the race chart's worker (racechartworker.js), or on the page without OffscreenCanvas
// (racechart.js). While the race plays it redraws ten times a second.
import { sizeCanvas } from "../ui/offscreen.js";

export const LANE_COLORS = ["#7b3294", "#1b7837", "#c51b7d", "#b35806"];
const MAX_POINTS = 2000; // per curve: past it every other point goes (a long race stays light)
const PLAYING_MS = 100 - 4;
const PAD = { left: 4, right: 4, top: 6, bottom: 12 };

/**
 * Add lane `lane`'s test loss at `epoch` to `curves` ([[epoch, loss], …] per lane) in place:
 * an earlier epoch starts that curve over (a reset, a fork), the same epoch is kept once.
 */
export function addLanePoint(curves, [lane, epoch, loss]) {
  const curve = curves[lane];
  if (!curve) return;
  const last = curve.length ? curve[curve.length - 1][0] : -1;
  if (epoch < last) curve.length = 0;
  if (epoch !== last && Number.isFinite(loss)) curve.push([epoch, loss]);
  if (curve.length > MAX_POINTS) curves[lane] = curve.filter((_, k) => k % 2 === 0 || k === curve.length - 1);
}

/** canvas → {receive(message), draw(), minInterval()}: messages {size, ink}, {curves},
 *  {points: [[lane, epoch, loss], …]}, {race: {targetLoss, winner}}, {playing}. */
export function createRaceChartPainter(canvas) {
  const context = canvas.getContext("2d");
  let width = 0;
  let height = 0;
  let ink = "#6b777e";
  let curves = [];
  let race = null;
  let playing = false;
  let stale = false;

  function receive(message) {
    if (message.size) {
      ({ width, height } = message.size);
      sizeCanvas(canvas, context, message.size);
    }
    if (message.ink) ink = message.ink;
    if (message.curves) curves = message.curves.map((curve) => curve.map((p) => [...p])); // a copy: see chartdraw.js
    if (message.points) for (const point of message.points) addLanePoint(curves, point);
    if ("race" in message) race = message.race;
    if ("playing" in message) playing = message.playing;
    stale = true;
  }

  function draw() {
    if (!stale || !width) return;
    stale = false;
    context.clearRect(0, 0, width, height);
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
    const y = (loss) => PAD.top + (1 - (loss - low) / Math.max(1e-9, high - low)) * (height - PAD.top - PAD.bottom);
    context.strokeStyle = ink;
    context.setLineDash([4, 3]);
    line([[0, race.targetLoss], [maxEpoch, race.targetLoss]], x, y, 1);
    context.setLineDash([]);
    curves.forEach((curve, i) => {
      context.strokeStyle = LANE_COLORS[i];
      line(curve, x, y, 2);
    });
    if (race.winner) mark(race.winner, x, y);
    context.fillStyle = ink;
    context.font = "10px system-ui, sans-serif";
    context.textAlign = "left";
    context.fillText(`epochs 0–${maxEpoch}`, PAD.left, height - 1);
  }

  function mark(winner, x, y) {
    context.strokeStyle = context.fillStyle = LANE_COLORS[winner.lane];
    context.beginPath();
    context.arc(x(winner.epoch), y(winner.testLoss), 4, 0, 2 * Math.PI);
    context.fill();
    context.font = "11px system-ui, sans-serif";
    context.textAlign = x(winner.epoch) > width / 2 ? "right" : "left";
    const text = `★ ${winner.epoch} · ${winner.seconds.toFixed(1)} s`;
    context.fillText(text, x(winner.epoch) + (context.textAlign === "left" ? 6 : -6), Math.max(12, y(winner.testLoss) - 6));
  }

  function line(points, x, y, lineWidth) {
    if (!points.length) return;
    context.lineWidth = lineWidth;
    context.beginPath();
    points.forEach(([epoch, loss], i) => (i ? context.lineTo(x(epoch), y(loss)) : context.moveTo(x(epoch), y(loss))));
    context.stroke();
  }

  const minInterval = () => (playing ? PLAYING_MS : 0);
  return { receive, draw, minInterval };
}
