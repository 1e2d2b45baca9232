// The hover card of a link or a bias square: shows its value; a click turns it into a
// number input that sets the weight or bias live (set_weight / set_bias). The keyboard
// (netkeys.js) and a long press (touch.js) open the same card at the element itself.
import { byId, el } from "../ui/dom.js";
import { send } from "../session/protocol.js";
import { maxValueOf } from "../model/facts.js";


function readTarget(node) {
  const d = node.dataset;
  if (node.classList.contains("link-hit")) {
    return { kind: "weight", layer: +d.layer, source: +d.source, target: +d.target };
  }
  if (node.classList.contains("bias")) return { kind: "bias", layer: +d.layer, neuron: +d.neuron };
  return null;
}

const KEYS = ["kind", "layer", "source", "target", "neuron"];
const sameTarget = (a, b) => a && b && KEYS.every((k) => a[k] === b[k]);

export function createCard(run, conn, network) {
  const svgRoot = network.element;
  const card = byId("card");
  let current = null;
  let editing = false;
  let shownValue = "";
  let marked = null; // the bias square the card is about (a link is highlighted on its canvas)
  let returnFocus = null; // the diagram element an edit opened from the keyboard goes back to

  function valueOf(target) {
    const frame = run.frame.get();
    if (!frame || !target) return NaN;
    if (target.kind === "bias") return frame.biases[target.layer]?.[target.neuron] ?? NaN;
    const fanOut = frame.layerSizes[target.layer + 1];
    return frame.weights[target.layer]?.[target.source * fanOut + target.target] ?? NaN;
  }

  const title = (t) => (t.kind === "bias" ? "Bias" : "Weight");

  function place(event) {
    card.style.left = `${Math.min(event.clientX + 14, window.innerWidth - 200)}px`;
    card.style.top = `${Math.max(4, event.clientY - 44)}px`;
  }

  /** Highlight what the card describes: a link (drawn solid) or a bias square. */
  function mark(node) {
    if (marked) marked.classList.remove("hovered");
    marked = null;
    network.highlightLink(-1);
    if (!node) return;
    if (node.classList.contains("link-hit")) {
      network.highlightLink(Array.prototype.indexOf.call(node.parentNode.children, node));
    } else {
      marked = node;
      marked.classList.add("hovered");
    }
  }

  function show(target, event) {
    current = target;
    mark(event.target);
    editing = false;
    card.replaceChildren();
    card.classList.remove("editing");
    el("span", { class: "card-label", text: `${title(target)} is ` }, card);
    el("span", { class: "card-value", text: "" }, card);
    el("span", { class: "card-hint", text: "click to edit or explain" }, card);
    shownValue = "";
    refresh();
    place(event);
    card.hidden = false;
  }

  function refresh() {
    if (!current || editing) return;
    const text = valueOf(current).toFixed(3);
    if (text !== shownValue) card.querySelector(".card-value").textContent = shownValue = text;
  }

  function apply(value) {
    if (!Number.isFinite(value) || Math.abs(value) > maxValueOf(run.hello.get()) || !current) return;
    const t = current;
    if (t.kind === "bias") conn.send(send.setBias(t.layer, t.neuron, value));
    else conn.send(send.setWeight(t.layer, t.source, t.target, value));
  }

  function edit(target, event) {
    show(target, event);
    editing = true;
    card.classList.add("editing");
    card.replaceChildren();
    const label = el("label", { class: "card-label" }, card);
    label.append(`${title(target)}: `);
    const input = el("input", {
      type: "number", step: "0.1", min: -maxValueOf(run.hello.get()), max: maxValueOf(run.hello.get()), class: "card-input",
      "aria-label": `${title(target)} value`,
    }, label);
    input.value = String(Math.round(valueOf(target) * 1000) / 1000);
    input.addEventListener("input", () => input.value !== "" && apply(Number(input.value)));
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        apply(Number(input.value));
        hide();
      } else if (e.key === "Escape") hide();
      e.stopPropagation(); // typing a value never triggers the page's shortcuts
    });
    const symbol = target.kind === "bias" ? "b" : "w";
    const explain = el("button", { type: "button", class: "card-explain", text: `Explain ∂L/∂${symbol}` }, card);
    explain.title = "Open the backprop inspector: the chain rule of this parameter with its numbers";
    explain.addEventListener("mousedown", (e) => e.preventDefault()); // keep the input focused
    explain.addEventListener("click", () => {
      hide();
      run.events.emit("explain", target);
    });
    // Leaving the card (not moving between its input and its button) closes it.
    const leave = (e) => !card.contains(e.relatedTarget) && setTimeout(() => editing && hide(), 0);
    input.addEventListener("blur", leave);
    explain.addEventListener("blur", leave);
    explain.addEventListener("keydown", (e) => {
      if (e.key === "Escape") hide();
      e.stopPropagation();
    });
    input.focus();
    input.select();
  }

  function hide() {
    const back = returnFocus;
    returnFocus = null;
    const inside = card.contains(document.activeElement);
    if (inside) document.activeElement.blur();
    current = null;
    editing = false;
    card.hidden = true;
    mark(null);
    if (inside && back && back.isConnected) back.focus(); // shows its value again
  }

  /** An event-like anchor at the middle of a diagram element (no pointer involved). */
  function at(node) {
    const box = node.getBoundingClientRect();
    return { target: node, clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 };
  }

  /** Show the value of a link or bias element (a focused or long-pressed one). */
  function showFor(node) {
    const target = readTarget(node);
    if (target && !editing) show(target, at(node));
  }

  /** Open the editor of a link or bias element; focus comes back to it when it closes. */
  function editFor(node) {
    const target = readTarget(node);
    if (!target) return;
    edit(target, at(node));
    returnFocus = node;
  }

  // mousemove too: after an edit closes, the card comes back as soon as the pointer moves.
  const hover = (event) => {
    if (editing) return;
    const target = readTarget(event.target);
    if (target && !sameTarget(target, current)) show(target, event);
    else if (target) place(event);
  };
  svgRoot.addEventListener("mouseover", hover);
  svgRoot.addEventListener("mousemove", hover);
  svgRoot.addEventListener("mouseout", (event) => {
    if (!editing && readTarget(event.target)) hide();
  });
  svgRoot.addEventListener("click", (event) => {
    const target = readTarget(event.target);
    if (target) edit(target, event);
  });
  run.config.subscribe(() => editing || hide());

  return { drawFrame: refresh, hide, showFor, editFor, isOpen: () => !card.hidden };
}
