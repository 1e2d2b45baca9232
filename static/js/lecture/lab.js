// "Under the hood": the drawer beside the output with two tabs, the model's menus, φ and
// the gradients ("model"), and the backprop inspector ("backprop"). Opening it takes a
// grid column from the diagram, so the views that size themselves re-measure.
import { byId } from "../ui/dom.js";

const OPEN_KEY = "neural-playground.lab";

export function createLab() {
  const lab = byId("lab");
  const columns = lab.parentElement;
  const toggle = byId("lab-toggle");
  const tabs = [...lab.querySelectorAll("[role=tab]")];
  let relayoutTimer = 0;

  /** The diagram, the map and the chart measure their boxes on a window resize. */
  function relayout() {
    clearTimeout(relayoutTimer);
    relayoutTimer = setTimeout(() => window.dispatchEvent(new Event("resize")), 0);
  }

  function setOpen(open) {
    if (open === !lab.hidden) return;
    lab.hidden = !open;
    columns.classList.toggle("with-lab", open);
    toggle.setAttribute("aria-expanded", String(open));
    toggle.classList.toggle("is-open", open);
    try {
      sessionStorage.setItem(OPEN_KEY, open ? "1" : "");
    } catch {
      // storage disabled: the drawer simply starts closed next time
    }
    relayout();
  }

  function select(name) {
    for (const tab of tabs) {
      const chosen = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(chosen));
      tab.tabIndex = chosen ? 0 : -1;
      byId(tab.getAttribute("aria-controls")).hidden = !chosen;
    }
    lab.dataset.tab = name;
  }

  /** Open the drawer on one tab ("model" or "backprop"). */
  function show(name) {
    select(name);
    setOpen(true);
  }

  toggle.addEventListener("click", () => setOpen(lab.hidden));
  byId("lab-close").addEventListener("click", () => setOpen(false));
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab.dataset.tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      select(next.dataset.tab);
      next.focus();
      event.preventDefault();
    });
  });

  select("model");
  let remembered = "";
  try {
    remembered = sessionStorage.getItem(OPEN_KEY) || "";
  } catch {
    remembered = "";
  }
  if (remembered) setOpen(true);

  return { show, isOpen: () => !lab.hidden, tab: () => lab.dataset.tab };
}
