// Facts derived from what the server resolved: the config echo, the hello's registries.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  domainOf, isMulticlass, isNumericSetting, labelIn, labelKind, labelOf, maxValueOf, probabilityOutput,
  stalledByBatch,
} from "../../static/js/model/facts.js";
import { readConfig, readHello } from "../../static/js/session/protocol.js";

const hello = readHello({
  registries: {
    output_activations: [{ name: "auto", label: "Auto" }, { name: "tanh", label: "Tanh", low: -1 },
      { name: "sigmoid", label: "Sigmoid", low: 0 }, { name: "softmax", label: "Softmax", low: 0 }],
    activations: [{ name: "leaky_relu", label: "Leaky ReLU" }],
    regularizations: [{ name: "none", label: "None" }, { name: "L1", label: "L1" }],
    problems: [{ name: "regression", label: "Regression" }],
    datasets: { regression: [{ name: "reg-plane", label: "Plane" }] },
    limits: { learningRate: { min: 0, max: 10 }, batchSize: { min: 1, max: 100 } },
  },
  server: { domain: 6, max_value: 1000 },
});

const echo = (config, extra = {}) => readConfig({
  type: "config", change: "rebuild", config: { problem: "classification", batchSize: 10, ...config },
  layer_sizes: [2, 4, 1], data: { train: [[1, 1, 1]], validation: [], test: [] }, ...extra,
});

test("multi-class is what the configuration says, not a guess from the layer sizes", () => {
  assert.equal(isMulticlass(echo({ problem: "multiclass" })), true);
  assert.equal(isMulticlass(echo({}, { layer_sizes: [2, 3, 3] })), false);
  assert.equal(labelKind(echo({ problem: "multiclass" })), "multiclass");
  assert.equal(labelKind(echo({ problem: "regression" })), "regression");
  assert.equal(labelKind(echo({})), "binary");
});

test("a probability output is the resolved output whose registry entry starts at 0", () => {
  const resolved = (name, problem = "classification") =>
    echo({ problem, outputActivation: "auto" }, { resolved: { output_activation: name, loss: "bce" } });
  assert.equal(probabilityOutput(resolved("sigmoid"), hello), true);
  assert.equal(probabilityOutput(resolved("tanh"), hello), false);
  assert.equal(probabilityOutput(resolved("softmax", "multiclass"), hello), false);
  assert.equal(probabilityOutput(resolved("sigmoid"), null), false);
});

test("labels are the engine's, never made up from a name", () => {
  assert.equal(labelIn(hello.activations, "leaky_relu"), "Leaky ReLU");
  assert.equal(labelOf(hello.regularizations[0]), "None");
  assert.equal(labelOf(hello.regularizations[1]), "L1");
  assert.equal(labelIn(hello.problems, "regression"), "Regression");
  assert.equal(labelIn(hello.datasets.regression, "reg-plane"), "Plane");
  assert.equal(labelIn(hello.activations, "unknown_one"), "unknown_one"); // not listed: as it is
});

test("numbers, bounds and the domain come from the hello", () => {
  assert.equal(isNumericSetting(hello, "learningRate"), true);
  assert.equal(isNumericSetting(hello, "activation"), false);
  assert.equal(domainOf(hello), 6);
  assert.equal(maxValueOf(hello), 1000);
  assert.equal(domainOf(null), 6);
});

test("a batch larger than the user's training points never trains", () => {
  assert.deepEqual(stalledByBatch(echo({ batchSize: 10 }, { user_data: true })), { train: 1, batch: 10 });
  assert.equal(stalledByBatch(echo({ batchSize: 1 }, { user_data: true })), null);
  assert.equal(stalledByBatch(echo({ batchSize: 10 })), null); // a dataset: the server says
});

test("a live echo keeps the data it does not carry", () => {
  const first = echo({});
  const live = readConfig({ type: "config", change: "live", config: { problem: "classification" } }, first);
  assert.equal(live.data, first.data);
});
