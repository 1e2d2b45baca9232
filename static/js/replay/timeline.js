// The replay timeline under the loss chart: drag back to any kept epoch (the map, the
// weights and every thumbnail as they were then, paused), continue from there, go back to
// now, or replay from the start with the same first weights.
import { byId, textClock } from "../ui/dom.js";
import { send } from "../session/protocol.js";
import { onChange } from "../model/slice.js";

export function createTimeline(run, conn) {
  const slider = byId("replay-slider");
  const shown = byId("replay-epoch");
  const continueButton = byId("replay-continue");
  const nowButton = byId("replay-now");
  const startButton = byId("replay-start");
  let viewing = false;
  let now = 0;
  let inFlight = false; // a scrub is on its way: the next waits for its answer
  let wanted = null; // the epoch the slider asks for meanwhile

  function scrub(epoch) {
    if (inFlight) {
      wanted = epoch;
      return;
    }
    inFlight = conn.send(send.scrub(epoch)) >= 0;
    wanted = null;
  }

  function setViewing(on, epoch) {
    viewing = on;
    continueButton.hidden = nowButton.hidden = !on;
    slider.dataset.viewing = String(on);
    shown.textContent = on ? `epoch ${epoch}` : "now";
  }

  slider.addEventListener("input", () => {
    const epoch = Number(slider.value);
    if (epoch >= now && !viewing) return;
    scrub(epoch);
  });
  continueButton.addEventListener("click", () => conn.send(send.continueHere()));
  nowButton.addEventListener("click", () => conn.send(send.backToNow()));
  startButton.addEventListener("click", () => conn.send(send.reset(true)));

  run.events.on("replay", (replay) => {
    inFlight = false;
    now = replay.now;
    slider.max = String(Math.max(1, now));
    setViewing(replay.viewing, replay.epoch);
    if (replay.viewing && wanted === null) slider.value = String(replay.epoch);
    if (!replay.viewing) slider.value = String(now);
    if (wanted !== null) scrub(wanted);
  });
  onChange(run.config, (config) => [config.history], () => viewing && setViewing(false, 0));

  function drawFrame(frame) {
    if (frame.replay) {
      slider.dataset.shown = String(frame.epoch);
      return;
    }
    if (inFlight) return; // the slider is being dragged: its scrub is on its way
    if (viewing) setViewing(false, 0); // another control returned to now
    now = frame.epoch;
    // the slider follows ten times a second while playing (each change costs a repaint)
    if (frame.playing && !textClock.due) return;
    slider.max = String(Math.max(1, now));
    slider.value = String(now);
  }

  return { drawFrame };
}
