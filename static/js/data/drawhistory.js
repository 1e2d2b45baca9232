// Draw mode's undo history: earlier point lists, newest last, kept in this tab's
// sessionStorage so undo goes on after a reload; a new kind of labels (problem and number of
// classes) starts it afresh.

const HISTORY_SIZE = 50; // data states undo can go back to
const HISTORY_KEY = "neural-playground:draw-undo";

/** The history kept over a reload: {kind, states}. */
function load() {
  try {
    const kept = JSON.parse(sessionStorage.getItem(HISTORY_KEY) || "null");
    if (kept && typeof kept.kind === "string" && Array.isArray(kept.states)) return kept;
  } catch {
    // storage disabled or unreadable: start without history
  }
  return { kind: null, states: [] };
}

export function createDrawHistory() {
  const kept = load();
  let states = kept.states;
  let kind = "";

  function save() {
    try {
      sessionStorage.setItem(HISTORY_KEY, JSON.stringify({ kind, states }));
    } catch {
      // storage full or disabled: undo still works until the page reloads
    }
  }

  return {
    /** The kind of labels of the history kept over the reload (once; null after). */
    keptKind: kept.kind,
    get kind() {
      return kind;
    },
    set kind(value) {
      kind = value;
    },
    get length() {
      return states.length;
    },
    push(points) {
      states.push(points);
      if (states.length > HISTORY_SIZE) states.shift();
      save();
    },
    pop() {
      const points = states.pop();
      save();
      return points;
    },
    forget() {
      states = [];
      save();
    },
  };
}
