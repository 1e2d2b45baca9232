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

export function createRenderer(run, conn) {
  const app = byId("app");
  const views = [];
  let toAck = null; // id of the latest frame received and not acknowledged yet
  let scheduled = false;
  let drawn = 0;
  let settledSeq = 0; // the latest seq answered without a frame (its state said so)

  /** Test hook: the page is settled when what it shows reflects every command sent. */
  function markSeq(frameSeq) {
    app.dataset.lastSeq = String(Math.max(frameSeq, settledSeq));
    app.dataset.seq = String(conn.seq);
  }

  function draw() {
    scheduled = false;
    const frame = run.frame.get();
    if (frame && run.config.get()) drawViews(frame);
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
    markSeq(frame.lastSeq);
    if (app.dataset.ready !== "true") app.dataset.ready = "true";
    if (conn.restoring && !(conn.restoreEpoch > frame.epoch)) {
      conn.restoring = false;
      conn.restoreEpoch = null;
      app.dataset.restoredEpoch = String(frame.epoch);
      const reloaded = conn.reloaded;
      conn.reloaded = null;
      if (reloaded) run.notify("info", `Restored: epoch ${frame.epoch}, ${reloaded.playing ? "playing" : "paused"} as it was.`);
      else if (drawn > 1) run.notify("info", `Reconnected: the network continues from epoch ${frame.epoch}.`);
    }
  }

  return {
    /** Views with a drawFrame(frame) method, drawn in this order. */
    add(...more) {
      views.push(...more);
    },
    /** A decoded frame arrived: keep it and draw it on the next animation frame. */
    receive(frame) {
      run.frame.set(frame);
      toAck = frame.id;
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(draw);
      }
    },
    /** Test hook: a control message went out, so the page is not settled until it is shown. */
    sent(seq) {
      if (drawn > 0) app.dataset.seq = String(seq);
    },
    /** The server answered `seq` with no frame: the frame on screen (or the one about to be
     * drawn) reflects it. */
    settle(seq) {
      settledSeq = Math.max(settledSeq, seq);
      if (!scheduled && drawn > 0) markSeq(Number(app.dataset.lastSeq));
    },
  };
}
