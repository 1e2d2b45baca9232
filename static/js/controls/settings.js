// The top bar's menus (learning rate, activation, regularization, its rate, problem type)
// and the output's check boxes: built from the hello registries, set from each config.
import { byId, fillSelect, formatNumber } from "../ui/dom.js";
import { CFG, send } from "../session/protocol.js";

/** "leaky_relu" → "Leaky ReLU", "gelu" → "GELU", "L1" → "L1". */
export function prettyName(name) {
  const text = String(name).replace(/_/g, " ").replace(/-/g, " ");
  return text
    .split(" ")
    .map((word) => {
      if (/^(gelu|relu|elu)$/i.test(word)) return word.toLowerCase() === "gelu" ? "GELU" : "ReLU";
      return word.charAt(0).toUpperCase() + word.slice(1);
    })
    .join(" ");
}

const numberOptions = (values) => values.map((v) => [String(v), formatNumber(v)]);
const nameOptions = (values) => values.map((v) => [String(v), prettyName(v)]);
const labelOf = (item) => (item.label === item.name ? prettyName(item.name) : item.label);
const labelledOptions = (items) => items.map((item) => [item.name, labelOf(item)]);

export function createSettings(store, conn) {
  const selects = {
    [CFG.learningRate]: byId("learning-rate"),
    [CFG.activation]: byId("activation"),
    [CFG.regularization]: byId("regularization"),
    [CFG.regularizationRate]: byId("regularization-rate"),
    [CFG.problem]: byId("problem"),
  };
  const numeric = new Set([CFG.learningRate, CFG.regularizationRate]);
  const checks = { [CFG.showTestData]: byId("show-test"), [CFG.discretize]: byId("discretize") };

  const configure = (key, value) => conn.send(send.configure({ [key]: value }));

  for (const [key, select] of Object.entries(selects)) {
    select.addEventListener("change", () => {
      const raw = select.value;
      configure(key, numeric.has(key) ? Number(raw) : raw);
    });
  }
  for (const [key, box] of Object.entries(checks)) {
    box.addEventListener("change", () => configure(key, box.checked));
  }

  store.on("hello", (hello) => {
    fillSelect(selects[CFG.learningRate], numberOptions(hello.learningRates));
    fillSelect(selects[CFG.activation], labelledOptions(hello.activations));
    fillSelect(selects[CFG.regularization], labelledOptions(hello.regularizations));
    fillSelect(selects[CFG.regularizationRate], numberOptions(hello.regularizationRates));
    fillSelect(selects[CFG.problem], nameOptions(hello.problems));
    if (store.config) showConfig(store.config);
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
        option.textContent = numeric.has(key) ? formatNumber(value) : prettyName(value);
        select.appendChild(option);
        select.value = String(value);
      }
    }
    for (const [key, box] of Object.entries(checks)) box.checked = Boolean(config[key]);
  }

  store.on("config", showConfig);
  // A refused change (a pairing the engine rejects): the menus show what still runs.
  store.on("error", () => store.config && showConfig(store.config));
}
