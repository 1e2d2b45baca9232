// The backprop inspector's body as a worked example (lecture rows 7 and 8): the chain rule
// of one weight or bias, worked point by point for the batch in a table, then the sum and
// the mean training applies, then the update (chainupdate.js). Every printed equation
// holds with the printed numbers; each number also carries its full value in data-value.
// Symbols are written "a_{i−1}" and rendered with <sub>.
import { renderUpdate } from "./chainupdate.js";
import { el } from "../ui/dom.js";

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

/** A number shown in a product: negative ones in parentheses. */
export const signed = (v) => (v < 0 ? `(${formatValue(v)})` : formatValue(v));

/** A labelled result line {symbol = numbers = value}: data-key on the line, data-value on the value. */
export function resultRow(box, key, symbol, value, numbers = "", text = formatValue(value)) {
  const line = el("div", { class: "chain-row", "data-key": key }, box);
  mathText(el("span", { class: "chain-symbol" }, line), symbol);
  const number = el("span", { class: "chain-value", text }, line);
  if (typeof value === "number") number.dataset.value = String(value);
  if (numbers) mathText(el("span", { class: "chain-why" }, line), numbers);
  return line;
}

/** The table's columns for this inspection: [key, heading, where it comes from]. */
function columns(v, names) {
  const a = names.param === "w" ? `the output of ${names.source}, where the link starts` : "1: a bias always multiplies 1";
  const cols = [["aPrev", "a_{i−1}", a]];
  if (v.fusedOutput) {
    cols.push(["h", "h_{i}", "the output"], ["t", "t", "the target"]);
    cols.push(["dLdz", "∂L/∂a_{i}", "h − t: with cross-entropy (or the perceptron rule) φ′ and ∂L/∂h combine"]);
  } else {
    if (v.points.length && v.points[0].dphi !== null) cols.push(["dphi", "φ′(a_{i})", `${v.activation}′ at a_{i}`]);
    const dldh = names.output ? "the derivative of the loss" : "Σ_{k} w_{k} · ∂L/∂a_{k} one layer up";
    cols.push(["dLdh", "∂L/∂h_{i}", dldh]);
    const how = v.points.length && v.points[0].dphi !== null ? "φ′(a_{i}) · ∂L/∂h_{i}" : "the softmax Jacobian applied to ∂L/∂h";
    cols.push(["dLdz", "∂L/∂a_{i}", how]);
  }
  cols.push(["dLdw", `∂L/∂${names.param}`, `a_{i−1} · ∂L/∂a_{i}: this point's ∂L/∂${names.param}`]);
  return cols;
}

function renderTable(box, v, names) {
  const cols = columns(v, names);
  const wrap = el("div", { class: "chain-points" }, box);
  const table = el("table", { class: "chain-table-points" }, wrap);
  const head = el("tr", {}, el("thead", {}, table));
  el("th", { scope: "col", text: "#", title: "the point, in training order" }, head);
  for (const [key, heading, why] of cols) mathText(el("th", { scope: "col", "data-col": key, title: why }, head), heading);
  const body = el("tbody", {}, table);
  v.points.forEach((p, i) => {
    const tr = el("tr", { "data-point": i }, body);
    el("th", { scope: "row", text: String(i + 1) }, tr);
    for (const [key] of cols) {
      const td = el("td", { "data-col": key, text: formatValue(p[key]) }, tr);
      if (typeof p[key] === "number") td.dataset.value = String(p[key]);
    }
  });
  const legend = el("ul", { class: "chain-legend" }, box);
  for (const [, heading, why] of cols) mathText(el("li", {}, legend), `${heading}: ${why}`);
}

function renderTerms(box, v, names) {
  if (!v.terms.length) return;
  const first = v.points.length > 1 ? " for point 1" : "";
  const line = resultRow(box, "dLdh", `∂L/∂h_{i}${first} = Σ_{k} w_{k} · ∂L/∂a_{k}`, v.points[0].dLdh, "computed one layer up:");
  const list = el("ul", { class: "chain-terms" }, line);
  for (const t of v.terms) {
    const item = el("li", { "data-neuron": t.neuron }, list);
    item.append(`${names.next(t.neuron)}: ${formatValue(t.weight)} × ${signed(t.dLdz)} = ${formatValue(t.product)}`);
  }
}

/**
 * Fill `box` with the chain rule of `inspection` (protocol.readInspection).
 * `names`: {param: "w" or "b", source: label of a_{i−1}, target: the neuron's name,
 * next: (k) => the name of neuron k one layer up, output: true in the last layer,
 * optimizer: the optimizer's label}.
 */
export function renderChain(box, inspection, names) {
  const v = inspection.values;
  const p = names.param;
  box.replaceChildren();
  const formula = el("div", { class: "chain-formula" }, box);
  mathText(el("div", {}, formula), `∂L/∂${p} = ∂L/∂h_{i} · φ′(a_{i}) · ∂a_{i}/∂${p}`);
  if (!v.points.length) return;
  renderTable(box, v, names);
  renderTerms(box, v, names);
  const table = el("div", { class: "chain-table" }, box);
  const n = v.points.length;
  if (n > 1) {
    resultRow(table, "sum", `Σ ∂L/∂${p} over the ${n} points`, v.sum, "the last column added in training's order");
  }
  const mean = n > 1 ? `${formatValue(v.sum)} / ${n}` : "";
  resultRow(table, "dLdw", n > 1 ? `∂L/∂${p} = mean = Σ / n` : `∂L/∂${p}`, v.dLdw, mean);
  renderUpdate(table, v, names, n);
}
