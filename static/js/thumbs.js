// Every hidden and output neuron's live thumbnail, drawn on ONE canvas laid over the
// diagram: the frame's thumbnail bytes go through the colour LUT into a small atlas (one
// putImageData), then one smoothed drawImage per neuron. One canvas to repaint per frame
// instead of one per neuron keeps the browser's paint and commit work small.
import { MAP_ALPHA, paint, valueLut } from "./colors.js";
import { el } from "./dom.js";

const LUT = valueLut(MAP_ALPHA);

export function createThumbLayer(box) {
  const canvas = el("canvas", { class: "thumb-layer", "aria-hidden": "true" }, box);
  const context = canvas.getContext("2d");
  const atlas = document.createElement("canvas");
  const atlasContext = atlas.getContext("2d");
  let slots = []; // {x, y} of each neuron, in the frame's thumbnail order
  let size = 0;
  let side = 0; // T of the current atlas
  let image = null;
  let pixels = null;

  /** Place the thumbnails: `nodes` are the hidden and output nodes in frame order. */
  function layout(nodes, nodeSize, width, height) {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.imageSmoothingEnabled = true;
    context.fillStyle = "#ffffff";
    slots = nodes.map((node) => ({ x: node.x + 1, y: node.y + 1 }));
    size = nodeSize - 2; // inside the node's 1 px border
    side = 0;
  }

  /**
   * The atlas keeps each T×T tile between two copies of its edge rows, so smoothing at a
   * tile's top and bottom never blends in the neighbouring neuron.
   */
  function fillAtlas(bytes, T, count) {
    const stride = T + 2;
    if (side !== T || !image || image.height !== stride * count) {
      side = T;
      atlas.width = T;
      atlas.height = stride * count;
      image = new ImageData(T, stride * count);
      pixels = new Uint32Array(image.data.buffer);
    }
    for (let n = 0; n < count; n++) {
      const tile = bytes.subarray(n * T * T, (n + 1) * T * T);
      const top = (n * stride + 1) * T;
      paint(null, pixels.subarray(top, top + T * T), tile, LUT);
      pixels.copyWithin(top - T, top, top + T);
      pixels.copyWithin(top + T * T, top + T * T - T, top + T * T);
    }
    atlasContext.putImageData(image, 0, 0);
  }

  function draw(frame) {
    const T = frame.thumbSize;
    const count = Math.min(slots.length, frame.thumbs.length / (T * T));
    if (!count) return;
    fillAtlas(frame.thumbs, T, count);
    const stride = T + 2;
    for (let n = 0; n < count; n++) {
      const { x, y } = slots[n];
      context.fillRect(x, y, size, size);
      context.drawImage(atlas, 0, n * stride + 1, T, T, x, y, size, size);
    }
  }

  return { layout, draw };
}
