// Geometry of the network diagram.
import assert from "node:assert/strict";
import { test } from "node:test";
import { layoutNetwork, linkWidth, minDiagramWidth, weightIndex } from "../../static/js/network/netlayout.js";

const FEATURES = ["x", "y", "xSquared"].map((key) => ({ key, label: key }));

test("every feature, neuron and link has a place inside the box", () => {
  const layout = layoutNetwork(600, 400, FEATURES, ["x", "y"], [2, 4, 2, 1]);
  assert.equal(layout.nodes.length, 3 + 4 + 2 + 1);
  assert.equal(layout.links.length, 2 * 4 + 4 * 2 + 2 * 1); // the switched-off feature has none
  assert.equal(layout.biases.length, 4 + 2 + 1);
  for (const node of layout.nodes) {
    assert.ok(node.x >= 0 && node.x + layout.node <= 600, `x of ${node.layer}:${node.neuron}`);
    assert.ok(node.y >= 0 && node.y + layout.node <= 400, `y of ${node.layer}:${node.neuron}`);
  }
  assert.equal(layout.nodes.find((n) => n.key === "xSquared").neuron, -1);
});

test("columns go left to right by layer, rows top to bottom by neuron", () => {
  const layout = layoutNetwork(600, 400, FEATURES, ["x", "y"], [2, 4, 2, 1]);
  const at = (layer, neuron) => layout.nodes.find((n) => n.layer === layer && n.neuron === neuron);
  assert.ok(at(0, 0).x < at(1, 0).x && at(1, 0).x < at(2, 0).x && at(2, 0).x < at(3, 0).x);
  assert.ok(at(1, 0).y < at(1, 1).y && at(1, 1).y < at(1, 3).y);
  assert.deepEqual(layout.heads.map((h) => h.size), [4, 2]);
});

test("nodes shrink to fit a crowded layer but never below 22 px", () => {
  const roomy = layoutNetwork(900, 600, FEATURES, ["x"], [1, 2, 1]);
  const crowded = layoutNetwork(900, 300, FEATURES, ["x"], [1, 16, 1]);
  assert.ok(crowded.node < roomy.node);
  assert.ok(layoutNetwork(200, 100, FEATURES, ["x"], [1, 16, 16, 1]).node >= 22);
});

test("weights are source-major and links widen with |w| up to a limit", () => {
  assert.equal(weightIndex(3, 2, 1), 7);
  assert.ok(linkWidth(0) < linkWidth(2));
  assert.equal(linkWidth(5), linkWidth(50));
  assert.ok(minDiagramWidth(8) > minDiagramWidth(3));
});
