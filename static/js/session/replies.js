// What the server says, by message type: each handler runs with `this` the Connection and
// sets its run's slices, settles requests of their seq, or emits the run's events.
import * as P from "./protocol.js";
import { currentHash } from "./hash.js";
import { inPageWords } from "./words.js";

/** Seconds before a page the server found full tries again. */
export const FULL_RETRY_S = 15;

export const replyHandlers = {
  [P.IN.hello](message) {
    this.run.hello.set(P.readHello(message));
    this.open();
  },
  [P.IN.config](message) {
    const config = P.readConfig(message, this.run.config.get());
    if (this.openingSeq !== null && !(config.seq >= this.openingSeq)) return; // the default run
    const finishing = this.openingSeq !== null;
    if (finishing && this.openingKind === "restore") this.restoring = true;
    this.run.race.set(config.race || null);
    if (!config.race) this.run.laneFrames.set(null);
    this.run.display.set(P.readDisplay(config.config));
    this.run.config.set(config);
    // A live change of a run: the server sends no new snapshot when only its config changed.
    if (config.change === P.CHANGE.live && this.openingSeq === null && !config.race) {
      this.saved.reconfigure(config.hash, message.config, this.run.playing.get());
    }
    if (finishing) this.finishOpening();
    this.answer(config.seq, config);
  },
  [P.IN.state](message) {
    const state = P.readState(message);
    if (state.diverged !== this.run.health.get().diverged || state.reason) this.setDiverged(state.diverged, state.reason);
    if (state.warning && state.warning !== this.lastWarning) this.run.notify("notice", state.warning);
    this.lastWarning = state.warning;
    this.run.playing.set(state.playing);
    if (state.epochsPerFrame !== undefined) this.run.speed.set(state.epochsPerFrame);
    if (state.seq !== undefined) {
      this.onSettled(state.seq);
      this.answer(state.seq, state);
    }
  },
  [P.IN.snapshot](message) {
    const config = this.run.config.get();
    if (this.openingSeq === null && config) {
      this.saved.save(config.hash, P.readSnapshot(message), this.run.playing.get());
    }
  },
  [P.IN.error](message) {
    const error = P.readError(message);
    if (error.code === P.ERROR.serverFull) {
      this.run.connection.patch({ state: "full", retryInS: FULL_RETRY_S, serverMessage: error.message });
      return;
    }
    if (error.code === P.ERROR.frozen) {
      this.run.events.emit("frozen", error); // the class is frozen: its page locks the controls
      if (Number.isInteger(error.seq)) this.onSettled(error.seq);
      this.answer(error.seq, error, true);
      return;
    }
    if (this.openingSeq !== null && error.seq === this.openingSeq) {
      if (this.openingKind === "restore") {
        this.run.notify("notice", "The saved run could not be restored; opening the link instead.");
        this.forget();
        this.beginOpening("link", P.send.loadHash(currentHash()));
        return;
      }
      this.openingSeq = null;
    }
    if (Number.isInteger(error.seq)) this.onSettled(error.seq); // refused: the run is as it was
    if (this.answer(error.seq, error, true)) return; // the control that asked explains it
    this.run.events.emit("refused", error);
    this.run.notify("error", inPageWords(error.message || error.code));
  },
  [P.IN.csvReport](message) {
    const report = P.readCsvReport(message);
    this.run.events.emit("csv_report", report);
    this.answer(report.seq, report);
  },
  [P.IN.exported](message) {
    const file = P.readExported(message);
    if (!this.answer(file.seq, file)) this.run.events.emit("exported", file);
  },
  [P.IN.inspection](message) {
    this.run.events.emit("inspection", P.readInspection(message));
  },
  [P.IN.race](message) {
    this.run.race.set(P.readRace(message));
  },
  [P.IN.replay](message) {
    this.run.events.emit("replay", P.readReplay(message));
  },
  [P.IN.history](message) {
    this.run.events.emit("history", P.readHistory(message));
  },
  [P.IN.layerView](message) {
    this.run.events.emit("layer_view", P.readLayerView(message));
  },
  [P.IN.classState](message) {
    this.run.events.emit("class", P.readClassState(message));
  },
  [P.IN.classPushed]() {
    this.run.events.emit("class_pushed");
  },
  [P.IN.classLeft]() {
    this.run.events.emit("class", null);
  },
};
