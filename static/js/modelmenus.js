// The lecture's model choices (row 4 and the optimizers): output activation, loss and
// optimizer menus built from the registries, "Auto" naming what it resolves to, the
// server's refusal of a pairing shown under the control it refused, and "reset to the
// same initial weights".
import { byId, el, fillSelect } from "./dom.js";
import { AUTO, CFG, PROBLEM, PROBABILITY_OUTPUT, send } from "./protocol.js";
import { prettyName } from "./settings.js";

const labelOf = (item) => (item.label === item.name ? prettyName(item.name) : item.label);

/** A two-class run whose output is a probability p (sigmoid, threshold 0.5): the map shows
 * it as 2p − 1, so the boundary is where it is for tanh. */
export function probabilityOutput(message) {
  if (!message) return false;
  const config = message.config;
  const problem = config[CFG.problem];
  return problem !== PROBLEM.multiclass && problem !== PROBLEM.regression && config[CFG.outputActivation] === PROBABILITY_OUTPUT;
}

export function createModelMenus(store, conn) {
  const menus = {
    [CFG.outputActivation]: byId("output-activation"),
    [CFG.loss]: byId("loss"),
    [CFG.optimizer]: byId("optimizer"),
  };
  const errors = {
    [CFG.outputActivation]: byId("output-activation-error"),
    [CFG.loss]: byId("loss-error"),
    [CFG.optimizer]: byId("optimizer-error"),
  };
  const pending = new Map(); // seq of a configure we sent → the key it changed

  for (const [key, select] of Object.entries(menus)) {
    select.addEventListener("change", () => {
      clearError(key);
      const seq = conn.send(send.configure({ [key]: select.value }));
      if (seq > 0) pending.set(seq, key);
    });
  }
  byId("reset-same").addEventListener("click", () => conn.send(send.reset(true)));

  function clearError(key) {
    errors[key].hidden = true;
    errors[key].textContent = "";
    menus[key].removeAttribute("aria-invalid");
  }

  function options(items, resolved) {
    return items.map((item) => {
      if (item.name !== AUTO) return [item.name, labelOf(item)];
      const match = items.find((other) => other.name === resolved);
      return [AUTO, match ? `Auto (${labelOf(match)})` : "Auto"];
    });
  }

  function showConfig(message) {
    if (!store.hello) return;
    const config = message.config;
    const hello = store.hello;
    fillSelect(menus[CFG.outputActivation], options(hello.outputActivations, message.resolvedOutput));
    fillSelect(menus[CFG.loss], options(hello.losses, message.resolvedLoss));
    if (!menus[CFG.optimizer].options.length) fillSelect(menus[CFG.optimizer], options(hello.optimizers, ""));
    for (const [key, select] of Object.entries(menus)) {
      if (config[key] !== undefined) select.value = String(config[key]);
    }
    // Any applied change means the run is in a good state again: old refusals go.
    pending.delete(message.seq);
    for (const key of Object.keys(menus)) clearError(key);
  }

  store.on("config", showConfig);
  store.on("hello", () => store.config && showConfig(store.config));

  // A refused pairing: the engine's reason under the menu, and the menu back to the setting
  // that still runs (the session kept its last good state).
  store.on("error", (error) => {
    const field = String(error.field || "").replace(/^config\./, "");
    const key = pending.get(error.seq) || (field in menus ? field : null);
    pending.delete(error.seq);
    if (!key) return;
    const box = errors[key];
    box.replaceChildren();
    el("strong", { text: "Refused: " }, box);
    box.append(error.message || error.code);
    box.hidden = false;
    menus[key].setAttribute("aria-invalid", "true");
    if (store.config) menus[key].value = String(store.config.config[key]);
    error.handled = true;
  });
}
