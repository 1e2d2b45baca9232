// The data tools' modal dialog (CSV report, lesson link, file problems): a native <dialog>,
// so focus, Esc and the backdrop come from the browser. Built when opened, never per frame.
import { byId, el } from "./dom.js";

export function createDialog() {
  const dialog = byId("data-dialog");
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });

  /**
   * Show a dialog: `kind` ("info", "warn", "error") colours its edge; `build(body)` fills it;
   * `actions` are buttons [{label, run, primary}] that close it after running.
   */
  function open({ title, kind = "info", build = null, actions = [{ label: "Close" }] }) {
    dialog.replaceChildren();
    dialog.dataset.kind = kind;
    el("h2", { id: "data-dialog-title", class: "dialog-title", text: title }, dialog);
    const body = el("div", { class: "dialog-body" }, dialog);
    if (build) build(body);
    const row = el("div", { class: "dialog-actions" }, dialog);
    const buttons = actions.map(({ label, run, primary }) => {
      const attrs = { type: "button", class: primary ? "text-button primary" : "text-button", text: label };
      const button = el("button", attrs, row);
      button.addEventListener("click", () => {
        dialog.close();
        if (run) run();
      });
      return button;
    });
    if (!dialog.open) dialog.showModal();
    const main = buttons[actions.findIndex((action) => action.primary)] || buttons[0];
    if (main) main.focus();
    return body;
  }

  return { open, close: () => dialog.close(), get isOpen() { return dialog.open; } };
}
