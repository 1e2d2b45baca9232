// Play/pause, step, reset, the epoch counter, the measured speed and the speed menu.
import { byId, fillSelect, formatEpoch, throttledText } from "../ui/dom.js";
import { MAX_SPEED, send } from "../session/protocol.js";

const speedLabel = (speed) =>
  speed === MAX_SPEED ? "As fast as possible" : `${speed} epoch${speed === 1 ? "" : "s"}/frame`;
const groupDigits = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const parseSpeed = (value) => (value === MAX_SPEED ? MAX_SPEED : Number(value));

export function createToolbar(run, conn) {
  const play = byId("play-button");
  const epoch = byId("epoch");
  const eps = byId("eps");
  const speed = byId("speed");
  const epochText = throttledText(epoch);
  const epsText = throttledText(eps, 2);
  let shownEpoch = -1;

  const actions = {
    togglePlay() {
      conn.send(run.playing.get() ? send.pause() : send.play());
    },
    step() {
      conn.send(send.step(1));
    },
    reset() {
      conn.send(send.reset(false));
    },
  };

  play.addEventListener("click", actions.togglePlay);
  byId("step-button").addEventListener("click", actions.step);
  byId("reset-button").addEventListener("click", actions.reset);
  speed.addEventListener("change", () => {
    const value = parseSpeed(speed.value);
    run.speed.set(value);
    conn.send(send.speed(value));
  });

  run.hello.subscribe((hello) => {
    fillSelect(speed, hello.speeds.map((s) => [String(s), speedLabel(s)]));
    speed.value = String(run.speed.get());
  });
  run.speed.subscribe((value) => {
    speed.value = String(value);
  });
  run.playing.subscribe((playing) => {
    play.setAttribute("aria-label", playing ? "Pause" : "Play");
    play.classList.toggle("is-playing", playing);
    byId("app").dataset.playing = String(playing);
  });

  /** Per frame: while playing, the text at most 10 times a second; paused, every change. */
  function drawFrame(frame) {
    const exact = !frame.playing;
    if (frame.epoch !== shownEpoch) {
      shownEpoch = frame.epoch;
      epoch.dataset.epoch = String(frame.epoch);
    }
    epochText(formatEpoch(frame.epoch), exact);
    const measured = Number.isFinite(frame.epochsPerSecond) ? Math.round(frame.epochsPerSecond) : 0;
    const rate = frame.playing ? measured : 0;
    const text = frame.playing ? `${groupDigits(rate)} epochs/s` : "paused";
    epsText(text, exact);
    if (eps.dataset.eps !== String(rate)) eps.dataset.eps = String(rate);
  }

  return { drawFrame, actions };
}
