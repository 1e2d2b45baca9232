// Keyboard shortcuts (space play/pause, → step, r reset, ? help) and the help overlay.
import { byId } from "./dom.js";

const TYPING = new Set(["INPUT", "SELECT", "TEXTAREA"]);

export function createKeys(toolbar, card) {
  const help = byId("help");
  const openButton = byId("help-button");
  const closeButton = byId("help-close");
  let returnFocus = null;

  function setHelp(open) {
    if (open === !help.hidden) return;
    help.hidden = !open;
    openButton.setAttribute("aria-expanded", String(open));
    if (open) {
      returnFocus = document.activeElement;
      closeButton.focus();
    } else if (returnFocus && returnFocus.focus) {
      returnFocus.focus();
    }
  }

  openButton.addEventListener("click", () => setHelp(help.hidden));
  closeButton.addEventListener("click", () => setHelp(false));
  help.addEventListener("click", (event) => event.target === help && setHelp(false));

  const hiddenControl = (id) => byId(id).hidden;

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (TYPING.has(target.tagName) || target.isContentEditable) return;
    if (event.key === "Escape") {
      setHelp(false);
      card.hide();
      return;
    }
    if (event.key === "?") {
      setHelp(help.hidden);
      event.preventDefault();
      return;
    }
    if (!help.hidden) return;
    // Space on a focused button already clicks it; do not toggle twice.
    if (event.key === " " && target.tagName !== "BUTTON" && !hiddenControl("play-button")) {
      toolbar.actions.togglePlay();
      event.preventDefault();
    } else if (event.key === "ArrowRight" && !hiddenControl("step-button")) {
      toolbar.actions.step();
      event.preventDefault();
    } else if ((event.key === "r" || event.key === "R") && !hiddenControl("reset-button")) {
      toolbar.actions.reset();
      event.preventDefault();
    }
  });
}
