// The websocket session of one run: opening (load_hash or restore), seq numbers, requests
// answered for their own seq, the kept snapshot (saved.js), and automatic reconnect with a
// growing delay. Its replies (replies.js) set the run's slices (model/run.js).
import { decodeFrame, splitRace } from "./frame.js";
import { currentHash, sameHash } from "./hash.js";
import * as P from "./protocol.js";
import { FULL_RETRY_S, replyHandlers } from "./replies.js";
import { createSavedRun } from "./saved.js";

const BACKOFF_S = [0.25, 0.5, 1, 2, 4, 8];
const REFUSED_RETRY_S = 60;
/** The code of a request's rejection when the connection closed before its answer. */
export const CLOSED = "closed";

export class Connection {
  /**
   * @param run      the run's slices (model/run.js)
   * @param onFrame  called with each decoded frame of the current run
   * @param onSettled called with a seq the server answered without a frame (nothing drawn
   *                 changed), so the page's last frame reflects it
   * @param onSent   called with the seq of each control message sent
   */
  constructor(run, { onFrame, onSettled = () => {}, onSent = () => {} }) {
    this.run = run;
    this.onFrame = onFrame;
    this.onSettled = onSettled;
    this.onSent = onSent;
    this.ws = null;
    this.seq = 0; // seq of the latest control message sent
    this.attempt = 0;
    this.everOpened = false;
    this.requests = new Map(); // seq → {resolve, reject} of conn.request's promises
    this.saved = createSavedRun((snapshot) => {
      const frame = run.frame.get();
      return { playing: run.playing.get(), speed: run.speed.get(), epoch: frame ? frame.epoch : snapshot.epoch };
    });
    this.openingSeq = null; // seq of our load_hash/restore until its reply arrives
    this.openingKind = null;
    this.resume = null; // {playing, speed} to re-apply after a reconnect or a reload
    this.awaitEpoch = null; // after a reload: resume once the replayed run shows this epoch
    this.restoring = false; // a restore was applied; its first frame is not drawn yet
    this.restoreEpoch = null; // a reload replays up to this epoch before it says "Restored"
    this.reloaded = null; // {playing} of the run a reload restores, until it is on screen
  }

  start() {
    window.addEventListener("pagehide", () => this.saved.persist());
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}${P.WS_PATH}`);
    ws.binaryType = "arraybuffer";
    ws.onmessage = (event) => this.receive(event.data);
    ws.onclose = (event) => this.closed(event);
    this.ws = ws;
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  /** Send a control message; returns its seq, or -1 when the socket is not open. A refusal
   * of it is a page-wide "refused" event and a banner. */
  send(message) {
    if (!this.isOpen) return -1;
    this.seq += 1;
    this.ws.send(JSON.stringify(P.withSeq(message, this.seq)));
    this.onSent(this.seq);
    return this.seq;
  }

  /**
   * Send a control message and hear its own answer: resolves with the first reply of its
   * seq (a config echo, a CSV report, an export, a state) or the frame that reflects it;
   * rejects with the server's error for it ({code, field, message, seq}), which reaches
   * only this caller, or with {code: CLOSED} when the socket is or goes down first.
   * The promise's `seq` is the message's (-1 when not sent).
   */
  request(message) {
    const seq = this.send(message);
    const promise = new Promise((resolve, reject) => {
      if (seq < 0) reject({ code: CLOSED, message: "not connected", seq });
      else this.requests.set(seq, { resolve, reject });
    });
    promise.seq = seq;
    return promise;
  }

  answer(seq, reply, failed = false) {
    const pending = this.requests.get(seq);
    if (!pending) return false;
    this.requests.delete(seq);
    (failed ? pending.reject : pending.resolve)(reply);
    return true;
  }

  ack(frameId) {
    if (this.isOpen) this.ws.send(JSON.stringify(P.send.ack(frameId)));
  }

  receive(data) {
    if (typeof data !== "string") {
      this.receiveFrame(data);
      return;
    }
    const message = JSON.parse(data);
    const handler = this.handlers[message.type];
    if (handler) handler.call(this, message);
  }

  receiveFrame(data) {
    let frame;
    try {
      // A race: every lane's frame; the page's own views draw the lane its controls edit.
      const race = splitRace(data);
      const lanes = race ? race.frames.map(decodeFrame) : null;
      frame = lanes ? lanes[Math.min(race.lane, lanes.length - 1)] : decodeFrame(data);
      this.run.laneFrames.set(lanes);
    } catch (error) {
      this.run.notify("error", `Could not read a frame from the server: ${error.message}`);
      return;
    }
    if (this.openingSeq !== null && frame.lastSeq < this.openingSeq) {
      this.ack(frame.id);
      return;
    }
    this.onFrame(frame);
    if (frame.diverged !== this.run.health.get().diverged) this.setDiverged(frame.diverged);
    for (const seq of [...this.requests.keys()]) if (seq <= frame.lastSeq) this.answer(seq, frame);
    if (this.awaitEpoch !== null && frame.epoch >= this.awaitEpoch) this.resumeNow();
  }

  setDiverged(diverged, reason = "") {
    const known = this.run.health.get().reason;
    this.run.health.set({ diverged, reason: diverged ? reason || known : "" });
  }

  closed(event) {
    this.ws = null;
    const { state } = this.run.connection.get();
    if (state === "open") this.resume = { playing: this.run.playing.get(), speed: this.run.speed.get() };
    for (const seq of [...this.requests.keys()]) {
      this.answer(seq, { code: CLOSED, message: "the connection closed before the answer", seq }, true);
    }
    const full = event.code === P.CLOSE.serverFull || state === "full";
    const refused = event.code === P.CLOSE.policy;
    const backoff = BACKOFF_S[Math.min(this.attempt, BACKOFF_S.length - 1)];
    const delay = full ? FULL_RETRY_S : refused ? REFUSED_RETRY_S : backoff;
    this.attempt += 1;
    this.run.connection.patch({ state: full ? "full" : refused ? "refused" : "reconnecting", retryInS: delay });
    setTimeout(() => this.connect(), delay * 1000);
  }

  /** Right after hello: rebuild the run this page had (restore) or its link (load_hash). */
  open() {
    const hash = currentHash();
    const saved = this.saved.get();
    const reconnect = this.everOpened;
    this.everOpened = true;
    this.attempt = 0;
    this.run.connection.patch({ state: "open", retryInS: 0 });
    if (saved && (reconnect || sameHash(saved.hash, hash))) {
      if (!reconnect && saved.shown) this.resume = { ...saved.shown };
      this.reloaded = reconnect ? null : { playing: Boolean(saved.shown && saved.shown.playing) };
      this.beginOpening("restore", P.send.restore(saved.snapshot));
    }
    else if (hash || reconnect) this.beginOpening("link", P.send.loadHash(hash));
    else this.openingSeq = null;
  }

  beginOpening(kind, message) {
    this.openingKind = kind;
    this.openingSeq = this.send(message);
  }

  finishOpening() {
    this.openingSeq = null;
    const resume = this.resume;
    if (!resume) return;
    this.send(P.send.speed(resume.speed));
    // A reload: the snapshot may be up to a second older than the epoch the page showed;
    // training is deterministic, so stepping the difference gives that very state back.
    const saved = this.saved.get();
    const behind = saved && resume.epoch !== undefined ? resume.epoch - saved.snapshot.epoch : 0;
    this.restoreEpoch = behind > 0 ? resume.epoch : null;
    if (behind > 0 && behind <= P.MAX_REPLAY_EPOCHS) {
      this.awaitEpoch = resume.epoch;
      this.send(P.send.step(behind));
      return;
    }
    this.resumeNow();
  }

  resumeNow() {
    const resume = this.resume;
    this.resume = null;
    this.awaitEpoch = null;
    if (resume && resume.playing) this.send(P.send.play());
  }

  /** A new link was pasted: forget the old run's snapshot. */
  forget() {
    this.saved.forget();
  }
}

Connection.prototype.handlers = replyHandlers;
