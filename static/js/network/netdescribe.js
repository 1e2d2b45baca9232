// The network in words, for screen readers: its inputs, its layer sizes, its activations and
// how many weights it has. Written on each configuration (never per frame); the focused
// neuron's own formula is the formula card, which each neuron names as its description.
import { byId } from "../ui/dom.js";
import { AUTO, CFG } from "../session/protocol.js";
import { labelIn } from "../model/facts.js";
import { onChange } from "../model/slice.js";

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "The network: 2 inputs (X₁, X₂); 2 hidden layers of 4 and 2 neurons, Tanh; 1 output, Tanh; 25 weights and biases in all." */
export function describeNetwork(hello, config) {
  const sizes = config.layerSizes;
  const labels = config.inputNames.map((key) => labelIn(hello.features.map((f) => ({ name: f.key, label: f.label })), key));
  const hidden = sizes.slice(1, -1);
  const activation = labelIn(hello.activations, config.config[CFG.activation]);
  let output = config.config[CFG.outputActivation];
  if (!output || output === AUTO) output = config.resolvedOutput || output;
  const parts = [`${plural(sizes[0], "input")}${labels.length ? ` (${labels.join(", ")})` : ""}`];
  if (hidden.length) {
    const list = hidden.length === 1 ? String(hidden[0]) : `${hidden.slice(0, -1).join(", ")} and ${hidden.at(-1)}`;
    parts.push(`${plural(hidden.length, "hidden layer")} of ${list} neuron${hidden.at(-1) === 1 && hidden.length === 1 ? "" : "s"}, ${activation}`);
  } else parts.push("no hidden layer");
  parts.push(`${plural(sizes.at(-1), "output")}${output ? `, ${labelIn(hello.outputActivations, output)}` : ""}`);
  let weights = 0;
  for (let l = 1; l < sizes.length; l++) weights += sizes[l - 1] * sizes[l] + sizes[l];
  return `The network: ${parts.join("; ")}; ${weights} weights and biases in all.`;
}

export function createNetworkDescription(run) {
  const node = byId("network-description");
  const wordsOf = (config) => [String(config.inputNames), String(config.layerSizes),
    config.config[CFG.activation], config.config[CFG.outputActivation], config.resolvedOutput];
  onChange(run.config, wordsOf, (config) => {
    if (!run.hello.get()) return;
    const text = describeNetwork(run.hello.get(), config);
    if (node.textContent !== text) node.textContent = text;
  });
}
