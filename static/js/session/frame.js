// Decodes one binary frame (docs/protocol.md, "Frames") into typed-array views.
import { FLAG, FRAME_MAGIC, RACE_MAGIC } from "./protocol.js";

const HEADER_BYTES = 52;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Float32 values at any byte offset: a copy when unaligned (or on a big-endian host). */
function floats(buffer, view, offset, count) {
  if (LITTLE_ENDIAN && offset % 4 === 0) return new Float32Array(buffer, offset, count);
  if (LITTLE_ENDIAN) return new Float32Array(buffer.slice(offset, offset + 4 * count));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, true);
  return out;
}

function checkMagic(view) {
  for (let i = 0; i < 4; i++) {
    if (view.getUint8(i) !== FRAME_MAGIC.charCodeAt(i)) throw new Error("not a frame (bad magic)");
  }
}

/** The bytes of a frame of these layers, map resolution R and thumbnail side T. */
function frameBytes(layerSizes, R, T) {
  const L = layerSizes.length;
  let params = 0;
  for (let l = 1; l < L; l++) params += layerSizes[l - 1] * layerSizes[l] + layerSizes[l];
  const neurons = layerSizes.slice(1).reduce((a, b) => a + b, 0);
  return HEADER_BYTES + L + 4 * (L - 1) + R * R + neurons * T * T + 4 * params;
}

/**
 * @param {ArrayBuffer} buffer one binary websocket message
 * @returns the frame: header fields, losses, layer sizes, maps (Uint8Array views) and
 *          per-layer weights (source-major, fan_in × fan_out) and biases (Float32Array)
 */
export function decodeFrame(buffer) {
  if (buffer.byteLength < HEADER_BYTES) throw new Error("frame too short");
  const view = new DataView(buffer);
  checkMagic(view);
  const flags = view.getUint16(16, true);
  const L = view.getUint8(18);
  const R = view.getUint8(19);
  const T = view.getUint8(20);
  const stats = [];
  for (let i = 0; i < 7; i++) stats.push(view.getFloat32(24 + 4 * i, true));
  if (buffer.byteLength < HEADER_BYTES + L) throw new Error("frame too short for its layers");
  let offset = HEADER_BYTES;
  const layerSizes = Array.from(new Uint8Array(buffer, offset, L));
  offset += L;
  const size = frameBytes(layerSizes, R, T);
  if (size !== buffer.byteLength) {
    throw new Error(`frame size ${buffer.byteLength} does not match its layout (${size})`);
  }
  const gradMeans = floats(buffer, view, offset, L - 1);
  offset += 4 * (L - 1);
  const bigMap = new Uint8Array(buffer, offset, R * R);
  offset += R * R;
  const nNeurons = layerSizes.slice(1).reduce((a, b) => a + b, 0);
  const thumbs = new Uint8Array(buffer, offset, nNeurons * T * T);
  offset += nNeurons * T * T;
  const weights = [];
  for (let l = 0; l + 1 < L; l++) {
    const count = layerSizes[l] * layerSizes[l + 1];
    weights.push(floats(buffer, view, offset, count));
    offset += 4 * count;
  }
  const biases = [];
  for (let l = 1; l < L; l++) {
    biases.push(floats(buffer, view, offset, layerSizes[l]));
    offset += 4 * layerSizes[l];
  }
  return {
    id: view.getUint32(4, true),
    lastSeq: view.getUint32(8, true),
    epoch: view.getUint32(12, true),
    flags,
    playing: Boolean(flags & FLAG.playing),
    diverged: Boolean(flags & FLAG.diverged),
    hasAccuracy: Boolean(flags & FLAG.hasAccuracy),
    multiclass: Boolean(flags & FLAG.multiclass),
    hasValidation: Boolean(flags & FLAG.hasValidation),
    regression: Boolean(flags & FLAG.regression),
    replay: Boolean(flags & FLAG.replay),
    resolution: R,
    thumbSize: T,
    focusLayer: view.getInt8(21),
    focusNeuron: view.getUint8(22),
    trainLoss: stats[0],
    validationLoss: stats[1],
    testLoss: stats[2],
    trainAccuracy: stats[3],
    validationAccuracy: stats[4],
    testAccuracy: stats[5],
    epochsPerSecond: stats[6],
    layerSizes,
    gradMeans,
    bigMap,
    thumbs,
    weights,
    biases,
  };
}

/** A race container (`NPR1`): {lane: the edited one, frames: each lane's ArrayBuffer}, or
 * null for a single run's frame. */
export function splitRace(buffer) {
  if (buffer.byteLength < 8) return null;
  const view = new DataView(buffer);
  for (let i = 0; i < 4; i++) if (view.getUint8(i) !== RACE_MAGIC.charCodeAt(i)) return null;
  const count = view.getUint8(4);
  let offset = 8 + 4 * count;
  const frames = [];
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(8 + 4 * i, true);
    frames.push(buffer.slice(offset, offset + length));
    offset += length;
  }
  return { lane: view.getUint8(5), frames };
}

/** The T×T thumbnail of neuron `n` of layer `layer` (1 = first hidden … L−1 = output). */
export function thumbnailOf(frame, layer, n) {
  const size = frame.thumbSize * frame.thumbSize;
  let index = n;
  for (let l = 1; l < layer; l++) index += frame.layerSizes[l];
  return frame.thumbs.subarray(index * size, (index + 1) * size);
}
