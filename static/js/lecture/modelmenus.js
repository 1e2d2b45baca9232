// The lecture's model choices (row 4 and the optimizers): output activation, loss and
// optimizer menus built from the registries, "Auto" naming what it resolves to, the
// server's refusal of a pairing shown under the control it refused, and "reset to the
// same initial weights".
import { byId, el, fillSelect } from "../ui/dom.js";
import { AUTO, CFG, PERCEPTRON_LOSS, send } from "../session/protocol.js";
import { labelOf } from "../model/facts.js";
import { CLOSED } from "../session/connection.js";
import { inPageWords } from "../session/words.js";

export function createModelMenus(run, conn) {
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
  let warnedNoInput = false;
  const pair = el("p", { id: "output-pair", class: "pair-note", "aria-live": "polite" });
  errors[CFG.loss].after(pair);
  const hiddenMenu = byId("activation");
  const hiddenReason = el("span", { id: "activation-reason", class: "field-note", hidden: "" });
  hiddenMenu.after(hiddenReason);

  for (const [key, select] of Object.entries(menus)) {
    select.addEventListener("change", () => {
      clearError(key);
      conn.request(send.configure({ [key]: select.value })).catch((error) => error.code !== CLOSED && refused(key, error));
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
    if (!run.hello.get()) return;
    const config = message.config;
    const hello = run.hello.get();
    fillSelect(menus[CFG.outputActivation], options(hello.outputActivations, message.resolvedOutput));
    fillSelect(menus[CFG.loss], options(hello.losses, message.resolvedLoss));
    if (!menus[CFG.optimizer].options.length) fillSelect(menus[CFG.optimizer], options(hello.optimizers, ""));
    for (const [key, select] of Object.entries(menus)) {
      if (config[key] !== undefined) select.value = String(config[key]);
    }
    // Any applied change means the run is in a good state again: old refusals go.
    for (const key of Object.keys(menus)) clearError(key);
    describePair(message);
    const noInput = message.layerSizes[0] === 0;
    if (noInput && !warnedNoInput) {
      run.notify("notice", "No input feature is on: the network sees nothing, so its output is the same everywhere and training cannot separate the classes. Switch a feature on in the diagram.");
    }
    warnedNoInput = noInput;
    const noHidden = message.layerSizes.length <= 2;
    hiddenMenu.disabled = noHidden;
    hiddenReason.hidden = !noHidden;
    hiddenReason.textContent = noHidden ? "No hidden layer: nothing uses this activation" : "";
    if (noHidden) hiddenMenu.title = "No hidden layer: the hidden activation acts nowhere; add a layer to use it";
    else hiddenMenu.removeAttribute("title");
  }

  /** The output and loss this run trains with, named (what Auto picked, or the choice). */
  function describePair(message) {
    const hello = run.hello.get();
    const output = hello.outputActivations.find((o) => o.name === message.resolvedOutput);
    const loss = hello.losses.find((o) => o.name === message.resolvedLoss);
    if (!output || !loss) return;
    const auto = message.config[CFG.outputActivation] === AUTO && message.config[CFG.loss] === AUTO;
    let text = `This run: ${labelOf(output)} output with ${labelOf(loss)}${auto ? " (Auto's pair for this problem)" : ""}.`;
    if (message.resolvedLoss === PERCEPTRON_LOSS) text += " A step has no gradient: it learns by the perceptron rule w ← w + α(y − ŷ)x.";
    pair.textContent = text;
    pair.dataset.output = output.name;
    pair.dataset.loss = loss.name;
  }

  run.config.subscribe(showConfig);
  run.hello.subscribe(() => run.config.get() && showConfig(run.config.get()));

  // A refused pairing: the engine's reason under the menu, and the menu back to the setting
  // that still runs (the session kept its last good state).
  function refused(key, error) {
    const box = errors[key];
    box.replaceChildren();
    el("strong", { text: "Refused: " }, box);
    box.append(inPageWords(error.message || error.code));
    box.hidden = false;
    menus[key].setAttribute("aria-invalid", "true");
    if (run.config.get()) menus[key].value = String(run.config.get().config[key]);
  }
  // A refusal of another control's change (a hidden layer added under a step output) is
  // shown here too, and also where that control's user looks (the banner).
  run.events.on("refused", (error) => {
    const field = String(error.field || "").replace(/^config\./, "");
    if (field in menus) refused(field, error);
  });
}
