// One requestAnimationFrame pass per displayed frame: every view draws the latest frame,
// the time it took goes into a ring buffer, then the frames received are acknowledged (one
// ack of the latest returns the credit of every frame up to it).
import { byId, textClock } from "../ui/dom.js";

const RING_SIZE = 600;
const ring = new Float64Array(RING_SIZE);
let measured = 0;

/** Main-thread milliseconds of the latest drawn frames (oldest first), for bench/browser.py. */
export function renderTimes() {
  const n = Math.min(measured, RING_SIZE);
  const out = [];
  for (let i = measured - n; i < measured; i++) out.push(ring[i % RING_SIZE]);
  return out;
}

export function createRenderer(store, conn) {
  const app = byId("app");
  const views = [];
  let toAck = null; // id of the latest frame received and not acknowledged yet
  let scheduled = false;
  let drawn = 0;

  function draw() {
    scheduled = false;
    const frame = store.frame;
    if (frame && store.config) drawViews(frame);
    if (toAck !== null) conn.ack(toAck);
    toAck = null;
  }

  function drawViews(frame) {
    const start = performance.now();
    textClock.tick(start);
    for (const view of views) view.drawFrame(frame);
    ring[measured % RING_SIZE] = performance.now() - start;
    measured += 1;
    drawn += 1;
    app.dataset.frames = String(drawn);
    // Test hook: the page is settled when the drawn frame reflects every command sent.
    app.dataset.lastSeq = String(frame.lastSeq);
    app.dataset.seq = String(store.sentSeq);
    if (app.dataset.ready !== "true") app.dataset.ready = "true";
    if (store.restoring && !(store.restoreEpoch > frame.epoch)) {
      store.restoring = false;
      store.restoreEpoch = null;
      app.dataset.restoredEpoch = String(frame.epoch);
      const reloaded = store.reloaded;
      store.reloaded = null;
      if (reloaded) store.notify("info", `Restored: epoch ${frame.epoch}, ${reloaded.playing ? "playing" : "paused"} as it was.`);
      else if (drawn > 1) store.notify("info", `Reconnected: the network continues from epoch ${frame.epoch}.`);
    }
  }

  return {
    /** Views with a drawFrame(frame) method, drawn in this order. */
    add(...more) {
      views.push(...more);
    },
    /** A decoded frame arrived: keep it and draw it on the next animation frame. */
    receive(frame) {
      store.setFrame(frame);
      toAck = frame.id;
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(draw);
      }
    },
  };
}
