// A frame packed by the server's own Python code decodes in the page's decoder.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { decodeFrame, thumbnailOf } from "../../static/js/session/frame.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const python = existsSync(`${root}.venv/bin/python`) ? `${root}.venv/bin/python` : "python3";
const packed = JSON.parse(execFileSync(python, [`${root}tests/js/pack_frame.py`], { cwd: root }));
const bytes = Buffer.from(packed.frame, "base64");
const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
const expected = packed.expected;

const close = (a, b) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

test("the header says what the server packed", () => {
  const frame = decodeFrame(buffer);
  assert.equal(frame.id, expected.id);
  assert.equal(frame.lastSeq, expected.lastSeq);
  assert.equal(frame.epoch, expected.epoch);
  assert.deepEqual(frame.layerSizes, expected.layerSizes);
  assert.equal(frame.playing, true);
  assert.equal(frame.multiclass, false);
  assert.equal(frame.focusLayer, -1);
  assert.ok(close(frame.trainLoss, expected.trainLoss));
  assert.ok(close(frame.epochsPerSecond, 12.5));
});

test("weights and biases are the run's, layer by layer, source-major", () => {
  const frame = decodeFrame(buffer);
  assert.equal(frame.weights.length, expected.weights.length);
  frame.weights.forEach((layer, l) => {
    assert.equal(layer.length, expected.weights[l].length);
    layer.forEach((w, i) => assert.ok(close(w, expected.weights[l][i]), `weight ${l}:${i}`));
  });
  frame.biases.forEach((layer, l) => layer.forEach((b, i) => assert.ok(close(b, expected.biases[l][i]))));
});

test("the maps fill the frame exactly: a 100×100 output and a 10×10 thumbnail per neuron", () => {
  const frame = decodeFrame(buffer);
  assert.equal(frame.bigMap.length, 100 * 100);
  const neurons = expected.layerSizes.slice(1).reduce((a, b) => a + b, 0);
  assert.equal(frame.thumbs.length, neurons * 100);
  assert.equal(thumbnailOf(frame, 2, 1).length, 100);
  assert.equal(bytes.length, expected.bytes);
});

test("a frame cut short or not a frame is refused with a reason", () => {
  assert.throws(() => decodeFrame(buffer.slice(0, 20)), /too short/);
  assert.throws(() => decodeFrame(buffer.slice(0, buffer.byteLength - 4)), /does not match/);
  const wrong = new Uint8Array(buffer.slice(0));
  wrong[0] = 0x58;
  assert.throws(() => decodeFrame(wrong.buffer), /bad magic/);
});
