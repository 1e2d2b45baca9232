// The backprop inspector's body: the lecture's chain rule for one weight or bias, each
// factor with its current value and where it comes from (lecture rows 7 and 8).
// Symbols are written "a_{i−1}" and rendered with <sub>; every value carries data-value.
import { el } from "./dom.js";

/** Append `text` to `parent`, turning "x_{sub}" into x<sub>sub</sub>. */
export function mathText(parent, text) {
  const parts = text.split(/_\{([^}]*)\}/);
  parts.forEach((part, i) => {
    if (i % 2) el("sub", { text: part }, parent);
    else if (part) parent.append(part);
  });
  return parent;
}

/** Four significant digits, or an exponent for the very small and very large. */
export function formatValue(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size >= 1e-3 && size < 1e5) return String(Number(value.toPrecision(4)));
  return value.toExponential(2);
}

const signed = (v) => (v < 0 ? `(${formatValue(v)})` : formatValue(v));

/**
 * Fill `box` with the chain rule of `inspection` (protocol.readInspection).
 * `names`: {param: "w" or "b", source: label of a_{i−1}, target: the neuron's name,
 * next: (k) => the name of neuron k one layer up, output: true in the last layer,
 * optimizer: the optimizer's label}.
 */
export function renderChain(box, inspection, names) {
  const v = inspection.values;
  const weight = names.param === "w";
  const p = names.param;
  box.replaceChildren();
  const formula = el("div", { class: "chain-formula" }, box);
  mathText(el("div", {}, formula), `∂L/∂${p} = ∂L/∂h_{i} · φ′(a_{i}) · ∂a_{i}/∂${p}`);
  if (v.nPoints === 1 && !v.fusedOutput) {
    const numbers = `= ${signed(v.dLdh)} × ${signed(v.dphi)} × ${signed(v.aPrev)} = ${formatValue(v.dLdw)}`;
    el("div", { class: "chain-numbers", text: numbers }, formula);
  }
  const table = el("div", { class: "chain-table" }, box);

  const row = (key, symbol, value, why) => {
    const line = el("div", { class: "chain-row", "data-key": key }, table);
    mathText(el("span", { class: "chain-symbol" }, line), symbol);
    const number = el("span", { class: "chain-value", text: formatValue(value) }, line);
    if (typeof value === "number") number.dataset.value = String(value);
    if (why) mathText(el("span", { class: "chain-why" }, line), why);
    return line;
  };

  row("aPrev", `∂a_{i}/∂${p} = a_{i−1}`, v.aPrev,
    weight ? `the output of ${names.source}, where the link starts` : "a bias always multiplies 1");
  row("z", "a_{i} = Σ w·a_{i−1} + b", v.z, `the input sum of ${names.target}`);
  if (v.fusedOutput) {
    row("dphi", "φ′(a_{i})", null, "softmax with cross-entropy: φ′ and ∂L/∂h combine into ∂L/∂a_{i} = h − t");
  } else {
    row("dphi", "∂h_{i}/∂a_{i} = φ′(a_{i})", v.dphi, `${v.activation}′ at a_{i}`);
  }
  const dldh = row("dLdh", "∂L/∂h_{i}", v.dLdh,
    names.output ? "the derivative of the loss (last layer)" : "Σ_{k} w_{i+1,k} · ∂L/∂a_{i+1,k}, computed one layer up:");
  if (v.terms.length) {
    const list = el("ul", { class: "chain-terms" }, dldh);
    for (const t of v.terms) {
      const item = el("li", { "data-neuron": t.neuron }, list);
      item.append(`${names.next(t.neuron)}: ${formatValue(t.weight)} × ${signed(t.dLdz)} = ${formatValue(t.product)}`);
    }
  }
  row("dLdz", "∂L/∂a_{i} = φ′(a_{i}) · ∂L/∂h_{i}", v.dLdz, null);
  const basis = v.nPoints > 1 ? `mean over the ${v.nPoints} points of a_{i−1} · ∂L/∂a_{i}` : "a_{i−1} · ∂L/∂a_{i}";
  row("dLdw", `∂L/∂${p}`, v.dLdw, basis);
  renderUpdate(table, row, v, p, names.optimizer);
}

function renderUpdate(table, row, v, p, optimizer) {
  row("learningRate", "α (learning rate)", v.learningRate, null);
  row("update", `α · ∂L/∂${p}`, v.update, `${formatValue(v.learningRate)} × ${signed(v.dLdw)}`);
  const penalty = v.regularization ? v.learningRate * v.regularization : 0;
  if (penalty) {
    row("regularization", "λ · R′(w)", v.regularization, `rate ${formatValue(v.regularizationRate)} × the penalty's slope`);
  }
  row("weight", `${p} before the update`, v.weight, null);
  const rule = penalty ? `new ${p} = ${p} − α(∂L/∂${p} + λR′)` : `new ${p} = ${p} − α · ∂L/∂${p}`;
  const after = row("weightAfter", rule, v.weightAfter, null);
  if (v.dead) {
    el("span", { class: "chain-note", text: "This link is dead (L1 pushed it to 0): it takes no gradient." }, after);
    return;
  }
  if (penalty && v.weightAfter === 0 && v.weight !== 0) {
    el("span", { class: "chain-note", text: "The L1 penalty crossed zero: the link is set to 0 and dies." }, after);
    return;
  }
  // What plain gradient descent would give; momentum and Adam step differently.
  const expected = v.weight - v.update - penalty;
  if (Math.abs(expected - v.weightAfter) > 1e-9 * Math.max(1, Math.abs(v.weight))) {
    const text = `${optimizer || "The optimizer"} does not step by α·∂L/∂${p}: it follows running averages of past gradients (applied change ${formatValue(v.weightAfter - v.weight)}).`;
    el("span", { class: "chain-note", text }, after);
  }
}
