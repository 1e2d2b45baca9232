// Touch screens have no hover: pressing and holding a neuron shows it on the big map with its
// formula (until the next tap elsewhere), and holding a link or a bias square shows its value,
// which is what hovering them shows with a mouse. A tap stays a click.

const HOLD_MS = 450;
const SLOP_PX = 10; // a finger that moves farther is scrolling, not holding

/**
 * Call `onHold(element)` when a touch rests on an element matching `selector` inside `area`.
 * The click (or context menu) that ends a hold is swallowed.
 */
export function onLongPress(area, selector, onHold) {
  let timer = 0;
  let start = null;
  let held = false;

  const cancel = () => {
    clearTimeout(timer);
    timer = 0;
  };

  area.addEventListener("pointerdown", (event) => {
    cancel();
    held = false;
    if (event.pointerType !== "touch") return;
    const element = event.target.closest(selector);
    if (!element || !area.contains(element)) return;
    start = [event.clientX, event.clientY];
    timer = setTimeout(() => {
      timer = 0;
      held = true;
      onHold(element);
    }, HOLD_MS);
  });
  area.addEventListener("pointermove", (event) => {
    if (timer && Math.hypot(event.clientX - start[0], event.clientY - start[1]) > SLOP_PX) cancel();
  });
  area.addEventListener("pointerup", cancel);
  area.addEventListener("pointercancel", cancel);
  const swallow = (event) => {
    if (!held) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.type === "click") held = false;
  };
  area.addEventListener("click", swallow, true);
  area.addEventListener("contextmenu", swallow, true);
}

/**
 * The diagram by touch: hold a neuron to show it (a tap anywhere else puts the output back),
 * hold a link or a bias square to read its value.
 */
export function createTouchAccess(network, card) {
  const box = network.box;
  let shown = false;
  onLongPress(box, ".node.neuron, .node.output", (node) => {
    shown = true;
    network.setFocus({ layer: Number(node.dataset.layer), neuron: Number(node.dataset.neuron) });
  });
  onLongPress(box, ".link-hit, .bias", (node) => card.showFor(node));
  document.addEventListener("pointerdown", (event) => {
    if (!shown || event.pointerType !== "touch") return;
    if (event.target.closest && event.target.closest(".node.neuron, .node.output")) return;
    shown = false;
    network.setFocus(null);
  });
}
