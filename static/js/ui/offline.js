// While the connection is down, every control that would send something is disabled, with
// the reason on screen: a change made then could never reach the server (the page would
// drop it, and the restored run would not have it). They come back when it reconnects.
import { byId } from "./dom.js";

const REGIONS = ".controls, .data-column, .network-column, .output-column, #lab-model, #lab-backprop";
const CONTROLS = "button, input, select, textarea";
// Widgets that are not form controls (feature toggles, dataset cards, links and biases):
// inert while offline, so neither a click nor a key reaches them.
const WIDGETS = "#network, #datasets, #draw-tools";
const REASON = "Not connected to the server: the controls are off until it answers again, so no change is lost.";

export function createOffline(run) {
  const app = byId("app");
  let off = [];

  function disable() {
    if (off.length) return;
    for (const region of document.querySelectorAll(REGIONS)) {
      for (const control of region.querySelectorAll(CONTROLS)) {
        if (control.disabled) continue;
        control.disabled = true;
        control.dataset.offline = "true";
        if (!control.title) control.dataset.offlineTitle = "";
        control.title = control.title || REASON;
        off.push(control);
      }
    }
    for (const widget of document.querySelectorAll(WIDGETS)) widget.inert = true;
    app.dataset.offline = "true";
  }

  function enable() {
    for (const control of off) {
      control.disabled = false;
      delete control.dataset.offline;
      if (control.dataset.offlineTitle !== undefined) {
        control.removeAttribute("title");
        delete control.dataset.offlineTitle;
      }
    }
    off = [];
    for (const widget of document.querySelectorAll(WIDGETS)) widget.inert = false;
    delete app.dataset.offline;
  }

  run.connection.subscribe(({ state }) => (state === "open" ? enable() : state !== "connecting" && disable()));
}
