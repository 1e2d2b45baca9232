// The reference's colour ramp and the map's lookup tables.
import assert from "node:assert/strict";
import { test } from "node:test";
import { NUM_SHADES, SHADE_HEX, classLut, labelColor, rampHex, shadeIndex, valueLut } from "../../static/js/ui/colors.js";

const rgba = (pixel) => [pixel & 255, (pixel >>> 8) & 255, (pixel >>> 16) & 255, pixel >>> 24];

test("the ramp runs orange at −1, grey at 0, blue at +1, clamped outside", () => {
  assert.equal(rampHex(-1), "#f59322");
  assert.equal(rampHex(0), "#e8eaeb");
  assert.equal(rampHex(1), "#0877bd");
  assert.equal(rampHex(-7), "#f59322");
  assert.equal(rampHex(7), "#0877bd");
});

test("31 shades in equal bins over [−1, 1]; NaN has no shade", () => {
  assert.equal(SHADE_HEX.length, NUM_SHADES);
  assert.equal(shadeIndex(-1), 0);
  assert.equal(shadeIndex(1), NUM_SHADES - 1);
  assert.equal(shadeIndex(0), 15);
  assert.equal(shadeIndex(Number.NaN), -1);
});

test("a value byte maps to its shade; discretized, to the colour of its sign", () => {
  const lut = valueLut(255, false);
  const sign = valueLut(255, true);
  assert.deepEqual(rgba(lut[0]).slice(0, 3), [0xf5, 0x93, 0x22]);
  assert.deepEqual(rgba(lut[255]).slice(0, 3), [0x08, 0x77, 0xbd]);
  assert.deepEqual(rgba(sign[140]), rgba(sign[255])); // v > 0: all blue
  assert.deepEqual(rgba(sign[100]), rgba(sign[0])); // v < 0: all orange
  assert.equal(rgba(lut[0])[3], 255);
});

test("a probability output is drawn on the label scale 2p − 1", () => {
  const probability = valueLut(255, false, true);
  const plain = valueLut(255, false);
  assert.deepEqual(probability[191], plain[127]); // p ≈ 0.5 is the boundary, grey
  assert.deepEqual(probability[128], plain[0]); // p = 0 is orange −1
});

test("a class byte takes its class's colour, paler when unsure; discretized, the full colour", () => {
  const lut = classLut(255, false);
  const argmax = classLut(255, true);
  assert.deepEqual(rgba(lut[49]).slice(0, 3), [0x00, 0x72, 0xb2]); // class 0, p = 1
  assert.deepEqual(rgba(lut[50]).slice(0, 3), [0xe8, 0xea, 0xeb]); // class 1, p = 0: grey
  assert.deepEqual(argmax[50], argmax[99]);
  assert.equal(labelColor(2, true), "#009e73");
  assert.equal(labelColor(1, false), "#0877bd");
});
