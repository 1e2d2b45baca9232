// The page's one keyboard handler: shortcuts are bound here by the parts that own them (space
// play/pause, → step, r reset, ? help, p presentation, d draw mode…), and the help overlay.
import { byId } from "./dom.js";

const TYPING = new Set(["INPUT", "SELECT", "TEXTAREA"]);

/**
 * A binding: {keys: ["d", "D"], command?: ctrl or ⌘ held (otherwise no modifier may be),
 * overHelp?: also while the help is open, overDialog?: also while a dialog is open,
 * when?(event): whether it applies now, run(event), keepDefault?: the browser's action stays}.
 * Whether the help or a dialog is open is read once, before any binding runs, so one key
 * that closes the help does not also act beneath it.
 */
export function createKeys() {
  const help = byId("help");
  const openButton = byId("help-button");
  const closeButton = byId("help-close");
  const bindings = [];
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

  function applies(binding, event, open) {
    const command = event.ctrlKey || event.metaKey;
    const plain = !command && !event.altKey;
    if (!binding.keys.includes(event.key) || !(binding.command ? command : plain)) return false;
    if ((open.help && !binding.overHelp) || (open.dialog && !binding.overDialog)) return false;
    return !binding.when || binding.when(event);
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (TYPING.has(target.tagName) || target.isContentEditable) return;
    const open = { help: !help.hidden, dialog: Boolean(document.querySelector("dialog[open]")) };
    const due = bindings.filter((binding) => applies(binding, event, open));
    for (const binding of due) binding.run(event);
    if (due.some((binding) => !binding.keepDefault)) event.preventDefault();
  });

  const bind = (...more) => bindings.push(...more);
  const shown = (id) => !byId(id).hidden;

  /** The toolbar's shortcuts and the ones that close things (help, the hover card). */
  function bindControls(toolbar, card) {
    bind(
      {
        keys: ["Escape"], overHelp: true, overDialog: true, keepDefault: true,
        run: () => (setHelp(false), card.hide()),
      },
      { keys: ["?"], overHelp: true, overDialog: true, run: () => setHelp(help.hidden) },
      // Space on a focused button already clicks it; do not toggle twice.
      {
        keys: [" "], overDialog: true, run: toolbar.actions.togglePlay,
        when: (event) => event.target.tagName !== "BUTTON" && shown("play-button"),
      },
      { keys: ["ArrowRight"], overDialog: true, when: () => shown("step-button"), run: toolbar.actions.step },
      { keys: ["r", "R"], overDialog: true, when: () => shown("reset-button"), run: toolbar.actions.reset },
    );
  }

  return { bind, bindControls };
}
