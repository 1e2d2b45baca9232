// Race mode: "Race this" copies the run into a second lane (then anything changed in the
// controls changes the copy), lanes are added or removed, the target test loss is set, and
// the race section shows while a race is on. The race's link is the page's hash.
import { byId } from "../ui/dom.js";
import { send } from "../session/protocol.js";
import { createLanes } from "./lanes.js";
import { createRaceChart } from "./racechart.js";

const MAX_LANES = 4;

export function createRace(run, conn) {
  const section = byId("race");
  const raceThis = byId("race-this");
  const add = byId("race-add");
  const end = byId("race-end");
  const target = byId("race-target");
  const lanes = createLanes(run, conn);
  const chart = createRaceChart(run);

  raceThis.addEventListener("click", () => conn.send(run.race.get() ? send.raceAdd() : send.raceStart()));
  add.addEventListener("click", () => conn.send(send.raceAdd()));
  end.addEventListener("click", () => conn.send(send.raceEnd()));
  target.addEventListener("change", () => {
    const value = Number(target.value);
    if (value > 0 && value < 10) conn.send(send.raceTarget(value));
  });

  run.race.subscribe((race) => {
    const racing = Boolean(race);
    if (section.hidden === racing) {
      section.hidden = !racing;
      document.body.classList.toggle("racing", racing);
      window.dispatchEvent(new Event("resize")); // the map takes the room the lanes leave
    }
    const full = racing && race.lanes.length >= MAX_LANES;
    raceThis.textContent = racing ? "Race another" : "Race this";
    raceThis.disabled = add.disabled = full;
    section.dataset.lanes = racing ? String(race.lanes.length) : "0";
    if (racing && document.activeElement !== target) target.value = String(race.targetLoss);
  });

  return { views: [lanes, chart] };
}
