// The replay timeline: a click while playing shows the epoch it went back to, and keeps
// showing it when a live frame the server sent before its answer is drawn after it (frames
// wait for the next animation frame, answers do not).
import assert from "node:assert/strict";
import { test } from "node:test";

class FakeElement {
  constructor() {
    this.hidden = false;
    this.dataset = {};
    this.textContent = "";
    this.max = "1";
    this.value = "0";
    this.listeners = {};
  }
  addEventListener(type, listener) {
    (this.listeners[type] ||= []).push(listener);
  }
  fire(type) {
    for (const listener of this.listeners[type] || []) listener();
  }
}

const elements = new Map();
globalThis.document = {
  getElementById(id) {
    if (!elements.has(id)) elements.set(id, new FakeElement());
    return elements.get(id);
  },
};

const { createRun } = await import("../../static/js/model/run.js");
const { createTimeline } = await import("../../static/js/replay/timeline.js");

function playingPage() {
  elements.clear(); // a page of its own: no listeners of another test's timeline
  const run = createRun();
  const sent = [];
  const conn = { seq: 0, send(message) { this.seq += 1; sent.push({ ...message, seq: this.seq }); return this.seq; } };
  const timeline = createTimeline(run, conn);
  const liveFrame = (epoch, lastSeq) => ({ epoch, lastSeq, playing: true, replay: false });
  for (let epoch = 1; epoch <= 400; epoch++) timeline.drawFrame(liveFrame(epoch, 0));
  return { run, sent, timeline, liveFrame };
}

function clickMiddle(page) {
  const slider = document.getElementById("replay-slider");
  slider.fire("pointerdown");
  slider.value = String(Math.round(Number(slider.max) / 2));
  slider.fire("input");
  return page.sent.at(-1);
}

test("a live frame sent before the scrub's answer, drawn after it, leaves the past shown", () => {
  const page = playingPage();
  const scrub = clickMiddle(page);
  assert.equal(scrub.type, "scrub");
  page.timeline.drawFrame(page.liveFrame(401, 0)); // drawn while the scrub is on its way
  page.run.events.emit("replay", { viewing: true, epoch: scrub.epoch, now: 402, seq: scrub.seq });
  const shown = document.getElementById("replay-epoch");
  assert.equal(shown.textContent, `epoch ${scrub.epoch}`);
  page.timeline.drawFrame(page.liveFrame(402, scrub.seq - 1)); // sent before the answer
  assert.equal(shown.textContent, `epoch ${scrub.epoch}`);
  assert.equal(document.getElementById("replay-now").hidden, false);
  page.timeline.drawFrame({ epoch: scrub.epoch, lastSeq: scrub.seq, playing: false, replay: true });
  assert.equal(shown.textContent, `epoch ${scrub.epoch}`);
});

test("a live frame after the answer (another control went back to now) shows now", () => {
  const page = playingPage();
  const scrub = clickMiddle(page);
  page.run.events.emit("replay", { viewing: true, epoch: scrub.epoch, now: 401, seq: scrub.seq });
  page.timeline.drawFrame(page.liveFrame(402, scrub.seq + 1));
  assert.equal(document.getElementById("replay-epoch").textContent, "now");
  assert.equal(document.getElementById("replay-now").hidden, true);
});
