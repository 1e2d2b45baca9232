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
  // The request the last replay answer answered: a live frame the server sent before it
  // (received before the answer, drawn on the next animation frame after it) says nothing
  // of whether the page still views the past.
  let answered = -1;

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

  /** The slider at now (its end), each attribute written only if it differs: a change of
   * max or value costs a layout of the page. */
  function follow() {
    const max = String(Math.max(1, now));
    if (slider.max !== max) slider.max = max;
    if (slider.value !== String(now)) slider.value = String(now);
  }

  // While playing, a slider at its end stays untouched (drawn the same as one at a larger
  // end): it catches up with now as soon as a hand or a key reaches for it.
  for (const type of ["pointerdown", "keydown", "focus"]) {
    slider.addEventListener(type, () => !viewing && !inFlight && follow());
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
    if (Number.isInteger(replay.seq)) answered = replay.seq;
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
    if (frame.lastSeq < answered) return; // sent before the replay answer: stale
    if (viewing) setViewing(false, 0); // another control returned to now
    now = frame.epoch;
    // playing, the slider follows only to reach its end, on the read-outs' clock; paused, exactly
    if (frame.playing && (!textClock.due || (now > 0 && slider.value === slider.max))) return;
    follow();
  }

  return { drawFrame };
}
