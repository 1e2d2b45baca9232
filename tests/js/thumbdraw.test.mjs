// The neuron thumbnails' painter: a neuron's tile is painted again only when it looks different.
import assert from "node:assert/strict";
import { test } from "node:test";

// What the painter needs of a canvas, with the tiles it draws recorded.
class FakeContext {
  constructor() {
    this.drawn = [];
  }
  setTransform() {}
  fillRect() {}
  putImageData() {}
  drawImage(image, sx, sy, sw, sh, x, y) {
    this.drawn.push([x, y]);
  }
}
class FakeCanvas {
  constructor() {
    this.context = new FakeContext();
  }
  getContext() {
    return this.context;
  }
}
globalThis.OffscreenCanvas = FakeCanvas;
globalThis.ImageData = class {
  constructor(width, height) {
    Object.assign(this, { width, height, data: new Uint8ClampedArray(width * height * 4) });
  }
};
const { createThumbPainter } = await import("../../static/js/network/thumbdraw.js");

const T = 2;
const SLOTS = [{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 100, y: 0 }];

function painter() {
  const canvas = new FakeCanvas();
  const thumbs = createThumbPainter(canvas);
  thumbs.receive({ slots: SLOTS, size: 30, width: 200, height: 60, ratio: 1 });
  const paint = (bytes) => {
    canvas.context.drawn = [];
    thumbs.receive({ thumbs: Uint8Array.from(bytes), side: T, playing: true });
    thumbs.draw();
    return canvas.context.drawn.map(([x]) => SLOTS.findIndex((slot) => slot.x === x));
  };
  return { thumbs, paint };
}

// Value bytes: 0 is −1 (orange), 255 is +1 (blue), 127 and 128 both fall in the middle shade.
const FIRST = [0, 0, 0, 0, 127, 127, 127, 127, 255, 255, 255, 255];

test("every tile is painted the first time", () => {
  assert.deepEqual(painter().paint(FIRST), [0, 1, 2]);
});

test("a tile whose bytes change within the same shades is left as it is", () => {
  const { paint } = painter();
  paint(FIRST);
  const next = [...FIRST];
  next[4] = 128; // the middle neuron: same shade
  next[9] = 0; // the last one: blue to orange
  assert.deepEqual(paint(next), [2]);
  assert.deepEqual(paint(next), []);
});

test("a new layout or colour scale paints every tile again", () => {
  const { thumbs, paint } = painter();
  paint(FIRST);
  thumbs.receive({ slots: SLOTS, size: 30, width: 200, height: 60, ratio: 1 });
  assert.deepEqual(paint(FIRST), [0, 1, 2]);
  thumbs.receive({ probabilityOutput: true }); // the last neuron coloured as a probability
  assert.deepEqual(paint(FIRST), [0, 1, 2]);
});
