// The websocket session: opening (load_hash or restore), seq numbers, snapshots kept in
// sessionStorage, and automatic reconnect with a growing delay.
import { decodeFrame, splitRace } from "./frame.js";
import * as P from "./protocol.js";
import { inPageWords } from "./words.js";

const SNAPSHOT_KEY = "neural-playground.snapshot";
const BACKOFF_S = [0.25, 0.5, 1, 2, 4, 8];
const FULL_RETRY_S = 15;
const REFUSED_RETRY_S = 60;
const PERSIST_MS = 2000;

/** The page's URL hash without its "#" (as the browser keeps it: maybe percent-encoded). */
export const currentHash = () => location.hash.replace(/^#/, "");

function decoded(hash) {
  try {
    return decodeURIComponent(hash);
  } catch {
    return hash;
  }
}

/** Whether two hashes say the same, whichever characters the browser percent-encoded. */
export const sameHash = (a, b) => a === b || decoded(a) === decoded(b);

function loadSaved() {
  try {
    return JSON.parse(sessionStorage.getItem(SNAPSHOT_KEY) || "null");
  } catch {
    return null;
  }
}

export class Connection {
  /** @param onFrame called with each decoded frame of the current run */
  constructor(store, onFrame) {
    this.store = store;
    this.onFrame = onFrame;
    this.ws = null;
    this.seq = 0;
    this.attempt = 0;
    this.everOpened = false;
    this.saved = loadSaved(); // {hash, snapshot} of the latest snapshot
    this.openingSeq = null; // seq of our load_hash/restore until its reply arrives
    this.openingKind = null;
    this.resume = null; // {playing, speed} to re-apply after a reconnect or a reload
    this.awaitEpoch = null; // after a reload: resume once the replayed run shows this epoch
  }

  start() {
    window.addEventListener("pagehide", () => this.persist());
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

  /** Send a control message; returns its seq, or -1 when the socket is not open. */
  send(message) {
    if (!this.isOpen) return -1;
    this.seq += 1;
    this.ws.send(JSON.stringify(P.withSeq(message, this.seq)));
    this.store.sentSeq = this.seq;
    return this.seq;
  }

  ack(frameId) {
    if (this.isOpen) this.ws.send(JSON.stringify(P.send.ack(frameId)));
  }

  receive(data) {
    if (typeof data !== "string") {
      let frame;
      try {
        // A race: every lane's frame; the page's own views draw the lane its controls edit.
        const race = splitRace(data);
        const lanes = race ? race.frames.map(decodeFrame) : null;
        frame = lanes ? lanes[Math.min(race.lane, lanes.length - 1)] : decodeFrame(data);
        this.store.laneFrames = lanes;
      } catch (error) {
        this.store.notify("error", `Could not read a frame from the server: ${error.message}`);
        return;
      }
      if (this.openingSeq !== null && frame.lastSeq < this.openingSeq) this.ack(frame.id);
      else {
        this.onFrame(frame);
        if (this.awaitEpoch !== null && frame.epoch >= this.awaitEpoch) this.resumeNow();
      }
      return;
    }
    const message = JSON.parse(data);
    const handler = this.handlers[message.type];
    if (handler) handler.call(this, message);
  }

  closed(event) {
    this.ws = null;
    if (this.store.connection === "open") {
      this.resume = { playing: this.store.playing, speed: this.store.speed };
    }
    const full = event.code === P.CLOSE.serverFull || this.store.connection === "full";
    const refused = event.code === P.CLOSE.policy;
    const backoff = BACKOFF_S[Math.min(this.attempt, BACKOFF_S.length - 1)];
    const delay = full ? FULL_RETRY_S : refused ? REFUSED_RETRY_S : backoff;
    this.attempt += 1;
    this.store.setConnection(full ? "full" : refused ? "refused" : "reconnecting", delay);
    setTimeout(() => this.connect(), delay * 1000);
  }

  /** Right after hello: rebuild the run this page had (restore) or its link (load_hash). */
  open() {
    const hash = currentHash();
    const saved = this.saved;
    const reconnect = this.everOpened;
    this.everOpened = true;
    this.attempt = 0;
    this.store.setConnection("open");
    if (saved && (reconnect || sameHash(saved.hash, hash))) {
      if (!reconnect && saved.shown) this.resume = { ...saved.shown };
      this.store.reloaded = reconnect ? null : { playing: Boolean(saved.shown && saved.shown.playing) };
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
    const behind = this.saved && resume.epoch !== undefined ? resume.epoch - this.saved.snapshot.epoch : 0;
    this.store.restoreEpoch = behind > 0 ? resume.epoch : null;
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

  save(snapshot) {
    if (!this.store.config) return;
    this.saved = { hash: this.store.config.hash, snapshot };
    // Serializing a snapshot takes a few ms: at most every PERSIST_MS while playing (and
    // when the page goes away), never inside a frame.
    if (this.persistTimer === undefined) {
      this.persistTimer = setTimeout(() => this.persist(), this.store.playing ? PERSIST_MS : 0);
    }
  }

  persist() {
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    if (!this.saved) return;
    // What the page showed, for a reload: playing or paused, the speed, the epoch on screen.
    const epoch = this.store.frame ? this.store.frame.epoch : this.saved.snapshot.epoch;
    const shown = { playing: this.store.playing, speed: this.store.speed, epoch };
    try {
      sessionStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ ...this.saved, shown }));
    } catch {
      // Storage full or disabled: the snapshot still serves reconnects from memory.
    }
  }

  /** A new link was pasted: forget the old run's snapshot. */
  forget() {
    this.saved = null;
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    try {
      sessionStorage.removeItem(SNAPSHOT_KEY);
    } catch {
      // nothing to forget
    }
  }
}

Connection.prototype.handlers = {
  [P.IN.hello](message) {
    this.store.setHello(P.readHello(message));
    this.open();
  },
  [P.IN.config](message) {
    const config = P.readConfig(message, this.store.config);
    if (this.openingSeq !== null && !(config.seq >= this.openingSeq)) return; // the default run
    const finishing = this.openingSeq !== null;
    if (finishing && this.openingKind === "restore") this.store.restoring = true;
    this.store.race = config.race;
    if (!config.race) this.store.laneFrames = null;
    this.store.setConfig(config);
    this.store.emit("race", config.race);
    if (finishing) this.finishOpening();
  },
  [P.IN.state](message) {
    const state = P.readState(message);
    if (state.reason) this.store.divergeReason = state.reason;
    if (state.diverged !== this.store.diverged) this.store.setDiverged(state.diverged, state.reason);
    if (state.warning && state.warning !== this.lastWarning) this.store.notify("notice", state.warning);
    this.lastWarning = state.warning;
    this.store.setPlaying(state.playing);
    if (state.epochsPerFrame !== undefined) this.store.setSpeed(state.epochsPerFrame);
  },
  [P.IN.snapshot](message) {
    if (this.openingSeq === null) this.save(P.readSnapshot(message));
  },
  [P.IN.error](message) {
    const error = P.readError(message);
    if (error.code === P.ERROR.serverFull) {
      this.store.serverMessage = error.message;
      this.store.setConnection("full", FULL_RETRY_S);
      return;
    }
    if (this.openingSeq !== null && error.seq === this.openingSeq) {
      if (this.openingKind === "restore") {
        this.store.notify("notice", "The saved run could not be restored; opening the link instead.");
        this.forget();
        this.beginOpening("link", P.send.loadHash(currentHash()));
        return;
      }
      this.openingSeq = null;
    }
    // The view that sent the failed message may explain it in place (it sets `handled`).
    this.store.emit("error", error);
    if (!error.handled) this.store.notify("error", inPageWords(error.message || error.code));
  },
  [P.IN.csvReport](message) {
    this.store.emit("csv_report", P.readCsvReport(message));
  },
  [P.IN.exported](message) {
    this.store.emit("exported", P.readExported(message));
  },
  [P.IN.inspection](message) {
    this.store.emit("inspection", P.readInspection(message));
  },
  [P.IN.race](message) {
    this.store.race = P.readRace(message);
    this.store.emit("race", this.store.race);
  },
  [P.IN.replay](message) {
    this.store.emit("replay", P.readReplay(message));
  },
  [P.IN.history](message) {
    this.store.emit("history", P.readHistory(message));
  },
  [P.IN.layerView](message) {
    this.store.emit("layer_view", P.readLayerView(message));
  },
  [P.IN.classState](message) {
    this.store.emit("class", P.readClassState(message));
  },
  [P.IN.classPushed]() {
    this.store.emit("class_pushed");
  },
  [P.IN.classLeft]() {
    this.store.emit("class", null);
  },
};
