// Every hidden and output neuron's thumbnail on ONE canvas laid over the diagram: the
// frame's thumbnail bytes go through the colour LUT into a small atlas (one putImageData),
// then one smoothed drawImage per neuron. Runs in the thumbnail worker (thumbworker.js), or
// on the page without OffscreenCanvas (thumbs.js).
import { MAP_ALPHA, paint, valueLut } from "../ui/colors.js";
import { sizeCanvas } from "../ui/offscreen.js";

const LUT = valueLut(MAP_ALPHA);
const PLAYING_MS = 1000 / 10 - 4; // while training plays (the page posts ten a second too)
const PROBABILITY_LUT = valueLut(MAP_ALPHA, false, true); // a sigmoid output: p as 2p − 1

/** Whether `tile` (colours) already shows `bytes` through `lut`. */
function sameColours(tile, bytes, lut) {
  for (let i = 0; i < bytes.length; i++) if (tile[i] !== lut[bytes[i]]) return false;
  return true;
}

/**
 * Messages: {slots: [{x, y}] per neuron in frame order, size, width, height, ratio} on each
 * layout (CSS px, the device pixel ratio); {probabilityOutput: bool} when the last neuron
 * is a probability (a sigmoid output, coloured like the big map); {thumbs: Uint8Array,
 * side: T, playing} for each frame (a neuron's tile is painted again only when it looks different).
 */
export function createThumbPainter(canvas) {
  const context = canvas.getContext("2d");
  const atlas = new OffscreenCanvas(1, 1);
  const atlasContext = atlas.getContext("2d");
  let slots = [];
  let image = null;
  let pixels = null;
  let latest = null;
  let probabilityOutput = false;
  let painted = false; // whether the atlas holds what the canvas shows
  let playing = false;

  function receive(message) {
    if (message.probabilityOutput !== undefined) probabilityOutput = message.probabilityOutput;
    if (message.slots) {
      // Each tile on whole device pixels: a tile painted again covers the last one exactly,
      // with no half-covered edge pixel keeping some of the colours before.
      const snap = (v) => Math.round(v * message.ratio) / message.ratio;
      const side = message.size;
      slots = message.slots.map(({ x, y }) => {
        const [left, top] = [snap(x), snap(y)];
        return { x: left, y: top, w: snap(x + side) - left, h: snap(y + side) - top };
      });
      sizeCanvas(canvas, context, message);
      context.imageSmoothingEnabled = true;
      context.fillStyle = "#ffffff";
      latest = null;
    }
    if (message.probabilityOutput !== undefined || message.slots) painted = false;
    if (message.thumbs) {
      latest = message;
      playing = Boolean(message.playing);
    }
  }

  /**
   * The atlas keeps each T×T tile between two copies of its edge rows, so smoothing at a
   * tile's top and bottom never blends in the neighbouring neuron. Returns which tiles look
   * different from what the canvas shows: a tile whose every byte maps to the same shade is
   * left as it is (most of them, most of the time, once training settles).
   */
  function fillAtlas(bytes, T, count) {
    const stride = T + 2;
    const fresh = !image || image.width !== T || image.height !== stride * count;
    if (fresh) {
      atlas.width = T;
      atlas.height = stride * count;
      image = new ImageData(T, stride * count);
      pixels = new Uint32Array(image.data.buffer);
    }
    const changed = [];
    for (let n = 0; n < count; n++) {
      const top = (n * stride + 1) * T;
      const lut = probabilityOutput && n === count - 1 ? PROBABILITY_LUT : LUT;
      const tile = pixels.subarray(top, top + T * T);
      const source = bytes.subarray(n * T * T, (n + 1) * T * T);
      if (!fresh && painted && sameColours(tile, source, lut)) continue;
      paint(null, tile, source, lut);
      pixels.copyWithin(top - T, top, top + T);
      pixels.copyWithin(top + T * T, top + T * T - T, top + T * T);
      changed.push(n);
    }
    if (changed.length) atlasContext.putImageData(image, 0, 0);
    return changed;
  }

  function draw() {
    if (!latest) return;
    const { thumbs, side: T } = latest;
    latest = null;
    const count = Math.min(slots.length, thumbs.length / (T * T));
    if (!count) return;
    const changed = fillAtlas(thumbs, T, count);
    painted = true;
    const stride = T + 2;
    for (const n of changed) {
      const { x, y, w, h } = slots[n];
      context.fillRect(x, y, w, h);
      context.drawImage(atlas, 0, n * stride + 1, T, T, x, y, w, h);
    }
  }

  const minInterval = () => (playing ? PLAYING_MS : 0);

  return { receive, draw, minInterval };
}
