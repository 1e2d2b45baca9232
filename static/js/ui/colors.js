// The reference's colour ramp (#f59322 → #e8eaeb → #0877bd over [-1, 1]), its 31 shades,
// and 256-entry RGBA lookup tables from a map byte to a pixel.

const STOPS = [
  [0xf5, 0x93, 0x22],
  [0xe8, 0xea, 0xeb],
  [0x08, 0x77, 0xbd],
];
export const NUM_SHADES = 31;
export const MAP_ALPHA = 160;

/** Okabe–Ito colours: distinguishable with every common colour-vision deficiency. */
export const CLASS_COLORS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9"];
export const CLASS_NAMES = ["blue", "orange", "green", "pink", "sky blue"];

/** [r, g, b] of the ramp at v ∈ [-1, 1] (clamped), interpolated like d3's linear scale. */
export function rampRgb(v) {
  const t = Math.max(0, Math.min(1, (v + 1) / 2));
  const [a, b, u] = t <= 0.5 ? [STOPS[0], STOPS[1], t / 0.5] : [STOPS[1], STOPS[2], (t - 0.5) / 0.5];
  return [0, 1, 2].map((i) => Math.round(a[i] * (1 - u) + b[i] * u));
}

const hex = (rgb) => "#" + rgb.map((c) => c.toString(16).padStart(2, "0")).join("");

/** The 31 shades (index 0 = orange −1, 30 = blue +1). */
export const SHADES = Array.from({ length: NUM_SHADES }, (_, i) => rampRgb((2 * i) / (NUM_SHADES - 1) - 1));
export const SHADE_HEX = SHADES.map(hex);

/** The 31 shades with another middle colour (the links on a dark page: `mid` "#rrggbb"). */
export function shadesThrough(mid) {
  const m = [1, 3, 5].map((i) => parseInt(mid.slice(i, i + 2), 16));
  return Array.from({ length: NUM_SHADES }, (_, i) => {
    const t = i / (NUM_SHADES - 1);
    const [a, b, u] = t <= 0.5 ? [STOPS[0], m, t / 0.5] : [m, STOPS[2], (t - 0.5) / 0.5];
    return hex([0, 1, 2].map((k) => Math.round(a[k] * (1 - u) + b[k] * u)));
  });
}

/** d3's quantize over [-1, 1] into 31 equal bins. */
export function shadeIndex(v) {
  if (!(v === v)) return -1; // NaN: drawn grey
  const i = Math.floor(((v + 1) * NUM_SHADES) / 2);
  return i < 0 ? 0 : i >= NUM_SHADES ? NUM_SHADES - 1 : i;
}

export const NAN_HEX = "#9e9e9e";
export const shadeHex = (v) => (v === v ? SHADE_HEX[shadeIndex(v)] : NAN_HEX);
export const rampHex = (v) => hex(rampRgb(v));

const pack = (r, g, b, a) => ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const packPixel = LITTLE_ENDIAN ? pack : (r, g, b, a) => ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;

/** Value-encoded byte b (v = b/127.5 − 1) → packed RGBA; `discretize` maps v to its sign;
 * `probability` shows v = p ∈ [0, 1] (a sigmoid output) on the label scale 2p − 1. */
export function valueLut(alpha = MAP_ALPHA, discretize = false, probability = false) {
  const lut = new Uint32Array(256);
  for (let b = 0; b < 256; b++) {
    let v = b / 127.5 - 1;
    if (probability) v = 2 * v - 1;
    if (discretize) v = v >= 0 ? 1 : -1;
    const [r, g, bl] = SHADES[shadeIndex(v)];
    lut[b] = packPixel(r, g, bl, alpha);
  }
  return lut;
}

function hexRgb(h) {
  return [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
}

/** Class-encoded byte (b = 50c + round(49p)) → the class colour, paler when p is low. */
export function classLut(alpha = MAP_ALPHA, discretize = false) {
  const lut = new Uint32Array(256);
  const grey = STOPS[1];
  for (let b = 0; b < 256; b++) {
    const c = Math.min(Math.floor(b / 50), CLASS_COLORS.length - 1);
    const p = discretize ? 1 : (b % 50) / 49;
    const rgb = hexRgb(CLASS_COLORS[c]).map((ch, i) => Math.round(grey[i] + (ch - grey[i]) * p));
    lut[b] = packPixel(rgb[0], rgb[1], rgb[2], alpha);
  }
  return lut;
}

/** A value-encoded probability p of class c (one softmax output, focused) → class c's
 * colour, paler when p is low, as in the class map: grey at p = 0. */
export function classProbabilityLut(c, alpha = MAP_ALPHA) {
  const lut = new Uint32Array(256);
  const classes = classLut(alpha, false);
  for (let b = 0; b < 256; b++) {
    const p = Math.min(1, Math.max(0, b / 127.5 - 1));
    lut[b] = classes[Math.min(c, CLASS_COLORS.length - 1) * 50 + Math.round(49 * p)];
  }
  return lut;
}

/** Paint `bytes` through `lut` into `image` (an ImageData of the same pixel count). */
export function paint(image, pixels32, bytes, lut) {
  for (let i = 0; i < bytes.length; i++) pixels32[i] = lut[bytes[i]];
  return image;
}

/** An ImageData with a Uint32Array view over its pixels, reused frame after frame. */
export function makeImage(width, height) {
  const image = new ImageData(width, height);
  return { image, pixels: new Uint32Array(image.data.buffer) };
}

/** Base64 (feature maps in `config`) → bytes. */
export function base64Bytes(text) {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Colour of a data point's label: ±1 / regression values on the ramp, classes by index. */
export function labelColor(label, multiclass) {
  if (multiclass) return CLASS_COLORS[label % CLASS_COLORS.length];
  return rampHex(label);
}
