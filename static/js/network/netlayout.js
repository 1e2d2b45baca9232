// Geometry of the network diagram: where each node, link and bias square goes.

export const BIAS_SIZE = 9;
const PAD_LEFT = 40; // room for the feature labels
const PAD_RIGHT = 6;
const TOP = 40; // room for each layer's +/− buttons

/**
 * @param width, height   the diagram's box in CSS pixels
 * @param features        [{key, label}] the visible input features, in order
 * @param inputNames      the enabled features (the network's input layer), in order
 * @param layerSizes      [inputs, hidden…, outputs]
 * @param maxNode         the largest node side in CSS px (bigger on big screens)
 * @returns {node, columns, nodes: [{layer, neuron, x, y, key?}], links, biases}
 */
export function layoutNetwork(width, height, features, inputNames, layerSizes, maxNode = 46) {
  const hidden = layerSizes.slice(1, -1);
  const maxRows = Math.max(features.length, ...layerSizes.slice(1), 1);
  const columnGap = (width - PAD_LEFT - PAD_RIGHT) / (hidden.length + 1.5);
  const fit = Math.min(maxNode, (height - TOP - 4) / (maxRows * 1.3), columnGap * 0.5);
  const node = Math.max(22, Math.floor(fit));
  const gap = maxRows > 1 ? Math.min(node * 1.4, (height - TOP - node - 4) / (maxRows - 1)) : 0;
  const nColumns = hidden.length + 2;
  const span = Math.max(0, width - PAD_LEFT - PAD_RIGHT - node);
  const columnX = (c) => PAD_LEFT + (c * span) / (nColumns - 1);
  const rowY = (j) => TOP + j * gap;

  const nodes = [];
  const byLayer = layerSizes.map(() => []);
  features.forEach((feature, row) => {
    const neuron = inputNames.indexOf(feature.key);
    const item = { layer: 0, neuron, key: feature.key, label: feature.label, x: columnX(0), y: rowY(row) };
    nodes.push(item);
    if (neuron >= 0) byLayer[0][neuron] = item;
  });
  for (let l = 1; l < layerSizes.length; l++) {
    for (let j = 0; j < layerSizes[l]; j++) {
      const item = { layer: l, neuron: j, x: columnX(l), y: rowY(j) };
      nodes.push(item);
      byLayer[l][j] = item;
    }
  }

  const links = [];
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    for (let s = 0; s < layerSizes[l]; s++) {
      const a = byLayer[l][s];
      if (!a) continue;
      for (let t = 0; t < layerSizes[l + 1]; t++) {
        const b = byLayer[l + 1][t];
        links.push({ layer: l, source: s, target: t, d: linkPath(a, b, node) });
      }
    }
  }
  const biases = nodes
    .filter((n) => n.layer > 0)
    .map((n) => ({
      layer: n.layer - 1,
      neuron: n.neuron,
      x: n.x - BIAS_SIZE + 2,
      y: n.y + node - BIAS_SIZE + 2,
    }));
  const heads = hidden.map((size, i) => ({ layer: i + 1, size, x: columnX(i + 1) + node / 2 }));
  return { node, nodes, links, biases, heads };
}

/** A horizontal S-curve from the right edge of `a` to the left edge of `b`. */
function linkPath(a, b, node) {
  const x1 = a.x + node;
  const y1 = a.y + node / 2;
  const x2 = b.x;
  const y2 = b.y + node / 2;
  const [left, top, mid, right, bottom] = [x1, y1, (x1 + x2) / 2, x2, y2].map((v) => v.toFixed(1));
  return `M${left},${top}C${mid},${top} ${mid},${bottom} ${right},${bottom}`;
}

/** Offset of weight (source, target) in a source-major weight array. */
export const weightIndex = (fanOut, source, target) => source * fanOut + target;

/** Width 1..10 px for |w| 0..5 (clamped), in quarter pixels so unchanged widths compare equal;
 * `scale` thickens every link (presentation mode, high contrast). */
export function linkWidth(weight, scale = 1) {
  const w = Number.isFinite(weight) ? Math.min(Math.abs(weight), 5) : 0;
  return Math.round((1 + (9 * w) / 5) * scale * 4) / 4;
}

/** Narrowest diagram (CSS px) that keeps `nColumns` layers apart, for a phone to scroll. */
export const minDiagramWidth = (nColumns) => 60 + nColumns * 64;
