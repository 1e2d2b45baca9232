// The run this tab keeps for a reload or a reconnect: the latest snapshot and the hash it
// belongs to, in memory and in sessionStorage (with what the page showed: playing or
// paused, the speed, the epoch on screen).

const SNAPSHOT_KEY = "neural-playground.snapshot";
const PERSIST_MS = 2000;

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(SNAPSHOT_KEY) || "null");
  } catch {
    return null;
  }
}

/** @param shown () => {playing, speed, epoch} of what the page shows now */
export function createSavedRun(shown) {
  let saved = load(); // {hash, snapshot, shown?}
  let timer;

  function persist() {
    clearTimeout(timer);
    timer = undefined;
    if (!saved) return;
    try {
      sessionStorage.setItem(SNAPSHOT_KEY, JSON.stringify({ ...saved, shown: shown(saved.snapshot) }));
    } catch {
      // Storage full or disabled: the snapshot still serves reconnects from memory.
    }
  }

  return {
    get: () => saved,
    /** Keep `snapshot` of the run whose hash is `hash`; written out at most every
     * PERSIST_MS while playing (serializing takes a few ms; never inside a frame). */
    save(hash, snapshot, playing) {
      saved = { hash, snapshot };
      if (timer === undefined) timer = setTimeout(persist, playing ? PERSIST_MS : 0);
    },
    /** A live change (learning rate, a display toggle) changed only the configuration: the
     * server sends no new snapshot, so the kept one takes the echo's configuration. */
    reconfigure(hash, config, playing) {
      if (saved) this.save(hash, { ...saved.snapshot, config }, playing);
    },
    persist,
    /** A new link was pasted, or the saved run could not be restored: forget it. */
    forget() {
      saved = null;
      clearTimeout(timer);
      timer = undefined;
      try {
        sessionStorage.removeItem(SNAPSHOT_KEY);
      } catch {
        // nothing to forget
      }
    },
  };
}
