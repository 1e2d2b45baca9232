// The update part of the inspector's worked example (lecture row 7): the optimizer's own
// rows (plain step, velocity, Adam's moments and bias correction) and the penalty, as the
// engine replayed them with training's one update rule, then w and the new w. A row's
// formula names other rows in braces ({g}, {alpha}); they are printed as those rows show
// them, so each line is an equation that holds with the numbers on the screen.
import { formatValue, resultRow, signed } from "./chainrule.js";
import { el } from "../ui/dom.js";
import { PERCEPTRON_LOSS } from "../session/protocol.js";

/** Significant digits that show a change of size `step` on a value of size `value`. */
function digitsFor(value, step) {
  if (!step || !value) return 4;
  return Math.min(15, Math.max(4, Math.ceil(Math.log10(Math.abs(value) / Math.abs(step))) + 4));
}

const withDigits = (v, digits) => (v === 0 ? "0" : String(Number(v.toPrecision(digits))));

function fill(formula, shown) {
  return formula.replace(/\{(\w+)\}/g, (_, key) => (key in shown ? shown[key] : key));
}

function note(box, text) {
  el("p", { class: "chain-note", text }, box);
}

export function renderUpdate(table, v, names, n) {
  const p = names.param;
  if (!v.applies) {
    note(table, `No update: the ${n} training points are fewer than the batch size ${v.batchSize}, so a batch never fills and training never changes ${p} (as in the reference). Lower the batch size to train.`);
    return;
  }
  if (v.loss === PERCEPTRON_LOSS) {
    note(table, `The perceptron rule: ${p} ← ${p} + α(y − ŷ)x. Here ∂L/∂a = ŷ − y (0 for a point on its side), so ${p} − α·mean((ŷ − y)x) is exactly Rosenblatt's step.`);
  }
  if (v.dead) {
    resultRow(table, "weight", `${p} (dead)`, v.weight);
    note(table, "This link is dead (L1 pushed it to 0): it takes no gradient.");
    return;
  }
  const shown = { sum: formatValue(v.sum), n: String(n), alpha: formatValue(v.learningRate) };
  resultRow(table, "learningRate", "α (learning rate)", v.learningRate);
  for (const row of v.steps) {
    const text = formatValue(row.value);
    const numbers = row.formula ? `= ${fill(row.formula, shown)}` : "";
    resultRow(table, row.key, row.symbol, row.value, numbers, text);
    shown[row.key] = row.value < 0 ? `(${text})` : text;
  }
  if (!v.steps.length) {
    note(table, `${names.optimizer || "The optimizer"}'s state before this update was not kept (the run was restored): the change it made is w − new w.`);
  }
  const penaltyRow = v.steps.find((r) => r.key === "penalty");
  const penalty = penaltyRow ? penaltyRow.value : 0;
  const digits = digitsFor(v.weight, v.update || v.weightAfter - v.weight);
  const w = withDigits(v.weight, digits);
  resultRow(table, "weight", `${p} before the update`, v.weight, "", w);
  const step = shown.step || signed(v.weight - v.weightAfter);
  const numbers = `= ${w} − ${step}${penaltyRow ? ` − ${shown.penalty}` : ""}`;
  const rule = penaltyRow ? `new ${p} = ${p} − step − penalty` : `new ${p} = ${p} − step`;
  resultRow(table, "weightAfter", rule, v.weightAfter, numbers, withDigits(v.weightAfter, digits));
  resultRow(table, "change", `change of ${p}`, v.weightAfter - v.weight, "", withDigits(v.weightAfter - v.weight, 4));
  if (v.killed || (penalty && v.weightAfter === 0 && v.weight !== 0)) {
    note(table, "The L1 penalty crossed zero: the link is set to 0 and dies.");
  }
}
