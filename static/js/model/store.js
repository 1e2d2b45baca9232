// The page's single state store: views read from it and listen to its change events.
//
// Events: "hello", "config", "frame", "playing", "speed", "connection", "notice",
// "error", "diverged", "focus", "drawing", "csv_report", "exported", "explain" (open the
// backprop inspector on {kind, layer, …}), "inspection". Frames are stored
// but drawn by render.js in one requestAnimationFrame pass, never from a "frame" listener
// doing DOM work.

export class Store extends EventTarget {
  constructor() {
    super();
    this.hello = null; // readHello(): registries and server limits
    this.config = null; // readConfig(): the current run's configuration, data, hash
    this.frame = null; // the latest decoded frame
    this.playing = false;
    this.speed = 1; // epochs per frame, or the "max" speed value
    this.connection = "connecting"; // connecting | open | reconnecting | full | refused
    this.retryInS = 0;
    this.serverMessage = ""; // why the server refused us (server full), in its words
    this.diverged = false;
    this.divergeReason = "";
    this.focus = null; // {layer, neuron} hovered, or null
    this.restoring = false; // a restore was applied; its first frame is not drawn yet
    this.restoreEpoch = null; // a reload replays up to this epoch before it says "Restored"
    this.reloaded = null; // {playing} of the run a reload restores, until it is on screen
    this.sentSeq = 0; // seq of the latest control message sent
    this.drawing = false; // draw mode on the output map
    this.draft = null; // drawn points not sent yet (fewer than the engine's minimum), or null
  }

  on(type, listener) {
    this.addEventListener(type, (event) => listener(event.detail));
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  setHello(hello) {
    this.hello = hello;
    this.emit("hello", hello);
  }

  setConfig(config) {
    this.config = config;
    this.emit("config", config);
  }

  /** Playing/paused comes from `state` messages only: a frame sent just before a pause
   * still says "playing" and must not flip the button back. */
  setFrame(frame) {
    this.frame = frame;
    this.emit("frame", frame);
    if (frame.diverged !== this.diverged) this.setDiverged(frame.diverged, this.divergeReason);
  }

  setPlaying(playing) {
    if (playing === this.playing) return;
    this.playing = playing;
    this.emit("playing", playing);
  }

  setSpeed(speed) {
    this.speed = speed;
    this.emit("speed", speed);
  }

  setConnection(connection, retryInS = 0) {
    this.connection = connection;
    this.retryInS = retryInS;
    this.emit("connection", connection);
  }

  setDiverged(diverged, reason = "") {
    this.diverged = diverged;
    this.divergeReason = diverged ? reason || this.divergeReason : "";
    this.emit("diverged", diverged);
  }

  /** Draw mode and its unsent points: the map shows every point (test ones too) or the draft. */
  setDrawing(drawing, draft = null) {
    this.drawing = drawing;
    this.draft = draft;
    this.emit("drawing", { drawing, draft });
  }

  setFocus(focus) {
    this.focus = focus;
    this.emit("focus", focus);
  }

  /** A message for the user: kind "notice" (dismissible), "error" (fades) or "info". */
  notify(kind, text) {
    this.emit("notice", { kind, text });
  }
}
