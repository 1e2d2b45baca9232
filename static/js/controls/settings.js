// The top bar's menus (learning rate, activation, regularization, its rate, problem type)
// and the output's check boxes: built from the hello registries, set from each config.
import { isNumericSetting, labelOf } from "../model/facts.js";
import { byId, fillSelect, formatNumber } from "../ui/dom.js";
import { CFG, readDisplay, send } from "../session/protocol.js";

const numberOptions = (values) => values.map((v) => [String(v), formatNumber(v)]);
const labelledOptions = (items) => items.map((item) => [item.name, labelOf(item)]);

export function createSettings(run, conn) {
  const selects = {
    [CFG.learningRate]: byId("learning-rate"),
    [CFG.activation]: byId("activation"),
    [CFG.regularization]: byId("regularization"),
    [CFG.regularizationRate]: byId("regularization-rate"),
    [CFG.problem]: byId("problem"),
  };
  const numeric = (key) => isNumericSetting(run.hello.get(), key);
  const checks = { [CFG.showTestData]: byId("show-test"), [CFG.discretize]: byId("discretize") };

  const configure = (key, value) => conn.send(send.configure({ [key]: value }));

  for (const [key, select] of Object.entries(selects)) {
    select.addEventListener("change", () => {
      const raw = select.value;
      configure(key, numeric(key) ? Number(raw) : raw);
    });
  }
  for (const [key, box] of Object.entries(checks)) {
    // The map redraws at once (it has the points and the map); the server keeps the setting
    // (the link carries it).
    box.addEventListener("change", () => {
      run.display.patch({ [key]: box.checked });
      configure(key, box.checked);
    });
  }

  run.hello.subscribe((hello) => {
    fillSelect(selects[CFG.learningRate], numberOptions(hello.learningRates));
    fillSelect(selects[CFG.activation], labelledOptions(hello.activations));
    fillSelect(selects[CFG.regularization], labelledOptions(hello.regularizations));
    fillSelect(selects[CFG.regularizationRate], numberOptions(hello.regularizationRates));
    fillSelect(selects[CFG.problem], labelledOptions(hello.problems));
    if (run.config.get()) showConfig(run.config.get());
  });

  function showConfig({ config }) {
    for (const [key, select] of Object.entries(selects)) {
      const value = config[key];
      if (value === undefined) continue;
      select.value = String(value);
      // A value the menu lacks (an unusual link) still shows, rather than a blank menu.
      if (select.value !== String(value)) {
        const option = document.createElement("option");
        option.value = String(value);
        option.textContent = numeric(key) ? formatNumber(value) : String(value);
        select.appendChild(option);
        select.value = String(value);
      }
    }
    for (const [key, box] of Object.entries(checks)) box.checked = Boolean(config[key]);
  }

  run.config.subscribe(showConfig);
  // A refused change (a pairing the engine rejects): the menus show what still runs.
  run.events.on("refused", () => {
    const config = run.config.get();
    if (!config) return;
    showConfig(config);
    run.display.set(readDisplay(config.config));
  });
}
