// The data column: dataset thumbnails, ratio of training data, noise, batch size, regenerate.
import { byId, el } from "../ui/dom.js";
import { drawPreview, remember, setPreviews } from "./previews.js";
import { CFG, PROBLEM, datasetKey, send } from "../session/protocol.js";
import { domainOf } from "../model/facts.js";
import { onChange } from "../model/slice.js";

const THUMB_PX = 96; // pixels of one dataset thumbnail (shown at 56 CSS px)

/** Slider id, config key, output id, how the value reads, and the reference's range. */
const SLIDERS = [
  ["ratio", CFG.percTrainData, "ratio-value", (v) => `${v}%`, "percTrainData"],
  ["noise", CFG.noise, "noise-value", (v) => String(v), "noise"],
  ["batch-size", CFG.batchSize, "batch-value", (v) => String(v), "batchSize"],
];

export function createDataPanel(run, conn) {
  const grid = byId("datasets");
  let buttons = new Map(); // dataset name → button
  let problem = null;

  for (const [id, key, outputId, format] of SLIDERS) {
    const input = byId(id);
    const output = byId(outputId);
    input.addEventListener("input", () => (output.textContent = format(Number(input.value))));
    input.addEventListener("change", () => conn.send(send.configure({ [key]: Number(input.value) })));
  }
  byId("regenerate").addEventListener("click", () => conn.send(send.regenerate()));

  run.hello.subscribe((hello) => {
    setPreviews(hello.previews);
    for (const [id, , , , limit] of SLIDERS) {
      const range = hello.limits[limit];
      if (!range) continue;
      const input = byId(id);
      [input.min, input.max] = [range[0], range[1]];
      input.step = range[2] || 1;
    }
    problem = null; // rebuild the dataset buttons on the next config
  });

  function buildButtons(items) {
    buttons = new Map();
    grid.replaceChildren();
    for (const { name, label } of items) {
      const button = el("button", {
        type: "button",
        class: "dataset",
        role: "radio",
        "aria-checked": "false",
        "aria-label": `${label} dataset`,
        title: label,
        "data-dataset": name,
      }, grid);
      el("img", { class: "dataset-preview", alt: "", "aria-hidden": "true", draggable: "false" }, button);
      el("span", { class: "dataset-name", text: label }, button);
      const choose = () => {
        const config = run.config.get();
        // Back from the user's own points to the dataset they replaced: new points of it.
        if (config && config.userData && config.config[datasetKey(run.hello.get(), problem)] === name) {
          conn.send(send.regenerate());
        } else {
          conn.send(send.configure({ [datasetKey(run.hello.get(), problem)]: name }));
        }
      };
      button.addEventListener("click", choose);
      buttons.set(name, button);
    }
  }

  // The buttons and sliders show the data and its settings: a live echo changes none.
  const dataOf = (message) => {
    const { config } = message;
    const dataset = config[datasetKey(run.hello.get(), config[CFG.problem])];
    return [message.data, message.userData, config[CFG.problem], dataset, ...SLIDERS.map(([, key]) => config[key])];
  };
  onChange(run.config, dataOf, (message) => {
    const { config, data } = message;
    const items = run.hello.get() ? run.hello.get().datasets[config[CFG.problem]] || [] : [];
    if (config[CFG.problem] !== problem) {
      problem = config[CFG.problem];
      buildButtons(items);
    }
    const current = config[datasetKey(run.hello.get(), problem)];
    if (!message.userData) remember(problem, current, data.train.concat(data.test));
    const multiclass = problem === PROBLEM.multiclass;
    for (const [name, button] of buttons) {
      const active = name === current && !message.userData; // user points are no dataset
      button.setAttribute("aria-checked", String(active));
      button.classList.toggle("selected", active);
      const drawn = drawPreview(button.querySelector("img"), THUMB_PX, problem, name, multiclass, domainOf(run.hello.get()));
      button.classList.toggle("no-preview", !drawn);
    }
    for (const [id, key, outputId, format] of SLIDERS) {
      if (config[key] === undefined) continue;
      byId(id).value = String(config[key]);
      byId(outputId).textContent = format(config[key]);
    }
  });
}
