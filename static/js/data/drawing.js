// Draw mode on the output map: a click adds a point of the chosen class (or value), a drag
// draws a line of them (drawgesture.js), shift-click or right-click removes the nearest one;
// undo and clear. Every edit sends all the points at once (`set_data`), so training uses
// them at once.
import { CLASS_NAMES, labelColor } from "../ui/colors.js";
import { byId, el } from "../ui/dom.js";
import { attachDrawGesture } from "./drawgesture.js";
import { createDrawHistory } from "./drawhistory.js";
import { domainOf, isMulticlass, stalledByBatch } from "../model/facts.js";
import { CLOSED } from "../session/connection.js";
import { CFG, CHANGE, PROBLEM, send } from "../session/protocol.js";
import { inPageWords } from "../session/words.js";

const REMOVE_RADIUS_PX = 24; // a removal click farther than this from every point removes nothing
const DECIMALS = 1e4; // the server keeps points to 4 decimals

const allPoints = (data) => data.train.concat(data.validation, data.test);

export function createDrawing(run, conn, keys) {
  const toggle = byId("draw-toggle");
  const tools = byId("draw-tools");
  const classes = byId("draw-classes");
  const valueBox = byId("draw-value-box");
  const valueInput = byId("draw-value");
  const valueText = byId("draw-value-text");
  const undoButton = byId("draw-undo");
  const clearButton = byId("draw-clear");
  const count = byId("draw-count");
  const surface = byId("map-points");
  const hint = byId("draw-hint");
  const history = createDrawHistory();
  let label = 1; // label of new points
  let keptKind = history.keptKind; // the kind of the history kept over a reload
  const ownSeqs = new Set(); // data changes we asked for (edits, undo, an applied CSV import)
  let editsThisTime = 0; // edits since draw mode was switched on: the hint goes after the first
  let pendingSeq = -1; // the latest set_data sent: its points show until its config arrives

  const setDraw = (drawing, draft) => run.draw.set({ drawing, draft });
  const minPoints = () => (run.hello.get() && run.hello.get().limits.points ? run.hello.get().limits.points[0] : 2);
  const current = () => run.draw.get().draft || (run.config.get() ? allPoints(run.config.get().data) : []);

  /**
   * Make `points` the data. They show at once as the draft (the next click builds on them,
   * even before the server answers); sent when there are enough to train on.
   */
  function apply(points) {
    if (points.length >= minPoints()) {
      const reply = conn.request(send.setData(points));
      reply.catch((error) => refused(reply.seq, error));
      pendingSeq = reply.seq;
      if (pendingSeq < 0) return; // not connected: nothing changes
      ownSeqs.add(pendingSeq);
    }
    setDraw(run.draw.get().drawing, points);
  }

  function edit(points) {
    editsThisTime += 1;
    remember(current());
    apply(points);
  }

  function undo() {
    if (history.length) apply(history.pop());
  }

  const remember = (points) => history.push(points);

  /** Data coordinates of a pointer event: the inverse of how outputmap.js places points. */
  function toData(event) {
    const rect = surface.getBoundingClientRect();
    const fx = (event.clientX - rect.left) / rect.width;
    const fy = (event.clientY - rect.top) / rect.height;
    const domain = domainOf(run.hello.get());
    const round = (v) => Math.round(Math.max(-domain, Math.min(domain, v)) * DECIMALS) / DECIMALS;
    return [round((2 * fx - 1) * domain), round((1 - 2 * fy) * domain), rect.width];
  }

  function removeNearest(event) {
    const [x, y, width] = toData(event);
    const points = current();
    let best = -1;
    let bestDistance = (REMOVE_RADIUS_PX * 2 * domainOf(run.hello.get())) / width; // in data units
    points.forEach(([px, py], i) => {
      const distance = Math.hypot(px - x, py - y);
      if (distance <= bestDistance) [best, bestDistance] = [i, distance];
    });
    if (best >= 0) edit(points.filter((_, i) => i !== best));
  }

  attachDrawGesture(surface, {
    enabled: () => run.draw.get().drawing && Boolean(run.config.get()),
    pointAt: (event) => toData(event).slice(0, 2),
    label: () => label,
    begin: current,
    preview: (points) => setDraw(run.draw.get().drawing, points),
    commit(before, points) {
      editsThisTime += 1;
      remember(before);
      apply(points);
    },
    remove: removeNearest,
  });
  surface.addEventListener("contextmenu", (event) => {
    if (!run.draw.get().drawing) return;
    event.preventDefault();
    removeNearest(event);
  });

  function setDrawing(on) {
    editsThisTime = 0;
    setDraw(on, on ? run.draw.get().draft : null);
    toggle.setAttribute("aria-pressed", String(on));
    tools.hidden = !on; // leaving with too few points drawn: the run keeps its data
  }

  toggle.addEventListener("click", () => setDrawing(!run.draw.get().drawing));
  undoButton.addEventListener("click", undo);
  clearButton.addEventListener("click", () => edit([]));
  valueInput.addEventListener("input", () => {
    label = Number(valueInput.value);
    valueText.textContent = label.toFixed(1);
  });

  keys.bind(
    { keys: ["d", "D"], run: () => setDrawing(!run.draw.get().drawing) },
    { keys: ["Escape"], when: () => run.draw.get().drawing, run: () => setDrawing(false) },
    { keys: ["z"], command: true, when: () => run.draw.get().drawing, run: undo },
  );

  /** The class picker for this problem: ±1 chips, one chip per class, or a value slider. */
  function buildPicker(config) {
    const problem = config.config[CFG.problem];
    classes.replaceChildren();
    valueBox.hidden = problem !== PROBLEM.regression;
    classes.hidden = !valueBox.hidden;
    if (problem === PROBLEM.regression) {
      label = Number(valueInput.value);
      return;
    }
    const multiclass = isMulticlass(config);
    const classOption = (c) => [c, String(c), `Class ${c} (${CLASS_NAMES[c % CLASS_NAMES.length]})`];
    const options = multiclass
      ? Array.from({ length: config.layerSizes.at(-1) }, (_, c) => classOption(c))
      : [[1, "+1", "Blue (+1)"], [-1, "−1", "Orange (−1)"]];
    label = options[0][0];
    for (const [value, text, name] of options) {
      // Up to five classes share the bar with the tools: one round swatch each.
      const chip = el("button", {
        type: "button", class: multiclass ? "class-chip swatch-chip" : "class-chip", role: "radio",
        "aria-checked": String(value === label), "aria-label": name, title: `New points: ${name.toLowerCase()}`,
      }, classes);
      const dot = multiclass ? chip : el("span", { class: "class-dot", "aria-hidden": "true" }, chip);
      dot.style.background = labelColor(value, multiclass);
      el("span", { text, "aria-hidden": "true" }, chip);
      chip.addEventListener("click", () => {
        label = value;
        for (const other of classes.children) other.setAttribute("aria-checked", String(other === chip));
      });
    }
  }

  function showState() {
    const points = current();
    undoButton.disabled = history.length === 0;
    clearButton.disabled = points.length === 0;
    const yours = run.draw.get().draft || (run.config.get() && run.config.get().userData);
    const n = `${points.length.toLocaleString("en")} point${points.length === 1 ? "" : "s"}`;
    count.textContent = yours ? (run.draw.get().drawing ? n : `Your data: ${n}`) : "";
    count.title = yours ? `Your data: ${n}` : "";
    count.dataset.points = String(points.length);
    count.dataset.synced = String(!run.draw.get().draft); // test hook: the map shows the server's data
    // Five classes leave no room for the count on a narrow screen: no half-shown number.
    count.classList.remove("clipped");
    count.classList.toggle("clipped", count.scrollWidth > count.clientWidth);
    const [text, warn] = hintText();
    hint.hidden = !text;
    hint.textContent = text;
    hint.classList.toggle("warn", warn);
  }

  /** [what the note over the map says ("" hides it), whether it is a warning]. */
  function hintText() {
    const config = run.config.get();
    if (run.draw.get().draft && run.draw.get().draft.length < minPoints()) {
      return [`Add at least ${minPoints()} points to train on them`, true];
    }
    // A batch larger than the training set never updates: say so instead of doing nothing.
    const stalled = config && !run.draw.get().draft ? stalledByBatch(config) : null;
    if (stalled) {
      const { train, batch } = stalled;
      return [`${train} training point${train === 1 ? "" : "s"}, fewer than the batch size ${batch}: ` +
        "the weights never change. Lower the batch size.", true];
    }
    if (run.draw.get().drawing && editsThisTime === 0) return ["Click: add a point · Shift-click: remove", false];
    return ["", false];
  }

  run.config.subscribe((config) => {
    const newKind = `${config.config[CFG.problem]}:${config.layerSizes.at(-1)}`;
    // A reload restores the run it had: the undo history kept for it stays.
    const restored = conn.restoring && keptKind === newKind;
    keptKind = null;
    if (newKind !== history.kind) {
      history.kind = newKind;
      if (!restored) history.forget();
      buildPicker(config);
    }
    // Another data change (a dataset, regenerate, a model file): the draft and undo end.
    const ours = ownSeqs.delete(config.seq);
    if (config.change === CHANGE.data && !ours && !restored) {
      history.forget();
      if (run.draw.get().draft) setDraw(run.draw.get().drawing, null);
    } else if (ours && config.seq >= pendingSeq && run.draw.get().draft) {
      setDraw(run.draw.get().drawing, null); // the server has the latest edit: show its split
    }
    showState();
  });
  // An applied CSV import can be undone like an edit.
  run.events.on("csv_report", (report) => {
    if (!report.applied || !run.config.get()) return;
    remember(current());
    ownSeqs.add(report.seq);
  });
  function refused(seq, error) {
    if (!ownSeqs.delete(seq) || error.code === CLOSED) return;
    history.pop(); // the server refused the edit and kept its data: nothing to undo
    if (seq >= pendingSeq) setDraw(run.draw.get().drawing, null);
    run.notify("error", inPageWords(error.message || error.code));
  }
  run.draw.subscribe(showState);

  return { setDrawing };
}
