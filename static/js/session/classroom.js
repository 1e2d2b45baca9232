// The URL hash holds the canonical configuration: written after every config, read when a
// new link is pasted. `_hide` keys hide controls and `hideText` hides explanations.
import { currentHash, sameHash } from "./hash.js";
import { send } from "./protocol.js";

export function createClassroom(run, conn) {
  run.config.subscribe((config) => {
    if (config.hash && !sameHash(currentHash(), config.hash)) {
      history.replaceState(null, "", `${location.pathname}${location.search}#${config.hash}`);
    }
    const hidden = new Set(config.hidden);
    for (const node of document.querySelectorAll("[data-hide]")) node.hidden = hidden.has(node.dataset.hide);
    document.body.classList.toggle("hide-text", config.hideText);
  });

  // Our own replaceState never fires hashchange: this is the user pasting or editing a link.
  window.addEventListener("hashchange", () => {
    if (run.config.get() && sameHash(currentHash(), run.config.get().hash)) return;
    conn.forget();
    conn.send(send.loadHash(currentHash()));
  });
}
