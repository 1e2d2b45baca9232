// Every hidden and output neuron's thumbnail on ONE canvas laid over the diagram: the
// frame's thumbnail bytes go through the colour LUT into a small atlas (one putImageData),
// then one smoothed drawImage per neuron. Runs in the thumbnail worker (thumbworker.js), or
// on the page without OffscreenCanvas (thumbs.js).
import { MAP_ALPHA, paint, valueLut } from "../ui/colors.js";
import { sizeCanvas } from "../ui/offscreen.js";

const LUT = valueLut(MAP_ALPHA);
const PLAYING_MS = 1000 / 10 - 4; // while training plays (the page posts ten a second too)
const PROBABILITY_LUT = valueLut(MAP_ALPHA, false, true); // a sigmoid output: p as 2p − 1

/**
 * Messages: {slots: [{x, y}] per neuron in frame order, size, width, height, ratio} on each
 * layout (CSS px, the device pixel ratio); {probabilityOutput: bool} when the last neuron
 * is a probability (a sigmoid output, coloured like the big map); {thumbs: Uint8Array,
 * side: T, playing} for each frame (identical bytes are not painted again).
 */
export function createThumbPainter(canvas) {
  const context = canvas.getContext("2d");
  const atlas = new OffscreenCanvas(1, 1);
  const atlasContext = atlas.getContext("2d");
  let slots = [];
  let size = 0;
  let image = null;
  let pixels = null;
  let latest = null;
  let probabilityOutput = false;
  let painted = null; // the bytes on the canvas
  let playing = false;

  function receive(message) {
    if (message.probabilityOutput !== undefined) probabilityOutput = message.probabilityOutput;
    if (message.slots) {
      ({ slots, size } = message);
      sizeCanvas(canvas, context, message);
      context.imageSmoothingEnabled = true;
      context.fillStyle = "#ffffff";
      latest = null;
      painted = null;
    }
    if (message.probabilityOutput !== undefined || message.slots) painted = null;
    if (message.thumbs) {
      latest = message;
      playing = Boolean(message.playing);
    }
  }

  const same = (a, b) => {
    if (!a || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };

  /**
   * The atlas keeps each T×T tile between two copies of its edge rows, so smoothing at a
   * tile's top and bottom never blends in the neighbouring neuron.
   */
  function fillAtlas(bytes, T, count) {
    const stride = T + 2;
    if (!image || image.width !== T || image.height !== stride * count) {
      atlas.width = T;
      atlas.height = stride * count;
      image = new ImageData(T, stride * count);
      pixels = new Uint32Array(image.data.buffer);
    }
    for (let n = 0; n < count; n++) {
      const top = (n * stride + 1) * T;
      const lut = probabilityOutput && n === count - 1 ? PROBABILITY_LUT : LUT;
      paint(null, pixels.subarray(top, top + T * T), bytes.subarray(n * T * T, (n + 1) * T * T), lut);
      pixels.copyWithin(top - T, top, top + T);
      pixels.copyWithin(top + T * T, top + T * T - T, top + T * T);
    }
    atlasContext.putImageData(image, 0, 0);
  }

  function draw() {
    if (!latest) return;
    const { thumbs, side: T } = latest;
    latest = null;
    if (same(painted, thumbs)) return;
    painted = thumbs;
    const count = Math.min(slots.length, thumbs.length / (T * T));
    if (!count) return;
    fillAtlas(thumbs, T, count);
    const stride = T + 2;
    for (let n = 0; n < count; n++) {
      const { x, y } = slots[n];
      context.fillRect(x, y, size, size);
      context.drawImage(atlas, 0, n * stride + 1, T, T, x, y, size, size);
    }
  }

  const minInterval = () => (playing ? PLAYING_MS : 0);

  return { receive, draw, minInterval };
}
