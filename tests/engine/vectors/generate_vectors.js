// Regenerate reference_vectors.json (from the repository root; needs only node and npm):
//   mkdir -p /tmp/npgen && (cd /tmp/npgen && npm install seedrandom@2.4.4 d3@3.5.17) &&
//   NODE_PATH=/tmp/npgen/node_modules node tests/engine/vectors/generate_vectors.js \
//     > tests/engine/vectors/reference_vectors.json
//
// Reference vectors for engine/rng.py and engine/datasets.py, made with the real npm
// seedrandom 2.4.x and d3 3.5.x that TensorFlow Playground ships. Like the reference
// page, it replaces Math.random with the seeded stream, generates a dataset, shuffles it,
// then draws a network's first weights from the same continuing stream, and finally the
// seed a Regenerate would pick (Math.random().toFixed(5)).
"use strict";

const seedrandom = require("seedrandom");
const d3 = require("d3");

// ---- the reference's formulas (dataset generators, shuffle, weight draws) ----

function randUniform(a, b) {
  return Math.random() * (b - a) + a;
}

function normalRandom(mean, variance) {
  let v1, v2, s;
  do {
    v1 = 2 * Math.random() - 1;
    v2 = 2 * Math.random() - 1;
    s = v1 * v1 + v2 * v2;
  } while (s > 1);
  const result = Math.sqrt((-2 * Math.log(s)) / s) * v1;
  return mean + Math.sqrt(variance) * result;
}

function dist(ax, ay, bx, by) {
  const dx = ax - bx;
  const dy = ay - by;
  return Math.sqrt(dx * dx + dy * dy);
}

function circle(numSamples, noise) {
  const points = [];
  const radius = 5;
  const bands = [[0, radius * 0.5], [radius * 0.7, radius]];
  for (const [low, high] of bands) {
    for (let i = 0; i < numSamples / 2; i++) {
      const r = randUniform(low, high);
      const angle = randUniform(0, 2 * Math.PI);
      const x = r * Math.sin(angle);
      const y = r * Math.cos(angle);
      const noiseX = randUniform(-radius, radius) * noise;
      const noiseY = randUniform(-radius, radius) * noise;
      const label = dist(x + noiseX, y + noiseY, 0, 0) < radius * 0.5 ? 1 : -1;
      points.push({ x, y, label });
    }
  }
  return points;
}

function xor(numSamples, noise) {
  const points = [];
  for (let i = 0; i < numSamples; i++) {
    let x = randUniform(-5, 5);
    const padding = 0.3;
    x += x > 0 ? padding : -padding;
    let y = randUniform(-5, 5);
    y += y > 0 ? padding : -padding;
    const noiseX = randUniform(-5, 5) * noise;
    const noiseY = randUniform(-5, 5) * noise;
    const label = (x + noiseX) * (y + noiseY) >= 0 ? 1 : -1;
    points.push({ x, y, label });
  }
  return points;
}

function gauss(numSamples, noise) {
  const points = [];
  const variance = d3.scale.linear().domain([0, 0.5]).range([0.5, 4])(noise);
  for (const [c, label] of [[2, 1], [-2, -1]]) {
    for (let i = 0; i < numSamples / 2; i++) {
      const x = normalRandom(c, variance);
      const y = normalRandom(c, variance);
      points.push({ x, y, label });
    }
  }
  return points;
}

function spiral(numSamples, noise) {
  const points = [];
  const n = numSamples / 2;
  for (const [deltaT, label] of [[0, 1], [Math.PI, -1]]) {
    for (let i = 0; i < n; i++) {
      const r = (i / n) * 5;
      const t = ((((1.75 * i) / n) * 2) * Math.PI) + deltaT;
      const x = r * Math.sin(t) + randUniform(-1, 1) * noise;
      const y = r * Math.cos(t) + randUniform(-1, 1) * noise;
      points.push({ x, y, label });
    }
  }
  return points;
}

function regression(numSamples, noise, getLabel) {
  const points = [];
  const radius = 6;
  for (let i = 0; i < numSamples; i++) {
    const x = randUniform(-radius, radius);
    const y = randUniform(-radius, radius);
    const noiseX = randUniform(-radius, radius) * noise;
    const noiseY = randUniform(-radius, radius) * noise;
    points.push({ x, y, label: getLabel(x + noiseX, y + noiseY) });
  }
  return points;
}

function regPlane(numSamples, noise) {
  const labelScale = d3.scale.linear().domain([-10, 10]).range([-1, 1]);
  return regression(numSamples, noise, (x, y) => labelScale(x + y));
}

function regGauss(numSamples, noise) {
  const labelScale = d3.scale.linear().domain([0, 2]).range([1, 0]).clamp(true);
  const centres = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]];
  return regression(numSamples, noise, (x, y) => {
    let label = 0;
    for (const [cx, cy, sign] of centres) {
      const value = sign * labelScale(dist(x, y, cx, cy));
      if (Math.abs(value) > Math.abs(label)) label = value;
    }
    return label;
  });
}

function shuffle(array) {
  let counter = array.length;
  while (counter > 0) {
    const index = Math.floor(Math.random() * counter);
    counter--;
    const temp = array[counter];
    array[counter] = array[index];
    array[index] = temp;
  }
}

// weights[l][i][j]: source i -> destination j; drawn destination by destination, source by source.
function drawWeights(layerSizes) {
  const weights = [];
  for (let l = 1; l < layerSizes.length; l++) {
    const fanIn = layerSizes[l - 1];
    const fanOut = layerSizes[l];
    const matrix = Array.from({ length: fanIn }, () => new Array(fanOut));
    for (let j = 0; j < fanOut; j++) {
      for (let i = 0; i < fanIn; i++) matrix[i][j] = Math.random() - 0.5;
    }
    weights.push(matrix);
  }
  return weights;
}

// ---- the cases ----

const GENERATORS = {
  classification: { circle, xor, gauss, spiral },
  regression: { "reg-plane": regPlane, "reg-gauss": regGauss },
};
const N_SAMPLES = { classification: 500, regression: 1200 };
const ALL_FEATURES = ["x", "y", "xTimesY", "xSquared", "ySquared", "sinX", "sinY"];
const NETWORKS = [
  { features: ["x", "y"], hidden: [4, 2] },
  { features: ALL_FEATURES, hidden: [8, 8] },
];
const DATASET_SEEDS = ["0.59704", "1", "abc", "0.12345"];
const NOISES = [0, 25, 50];
const PERC_TRAIN = [50, 30, 70, 90, 10];

function openLink(seed, problem, dataset, noise) {
  Math.random = seedrandom(seed);
  const data = GENERATORS[problem][dataset](N_SAMPLES[problem], noise / 100);
  shuffle(data);
  return data;
}

function makeCase(seed, problem, dataset, noise, percTrain) {
  const data = openLink(seed, problem, dataset, noise);
  const networks = NETWORKS.map(({ features, hidden }) => {
    openLink(seed, problem, dataset, noise); // the same data again; the stream continues
    const weights = drawWeights([features.length, ...hidden, 1]);
    return { features, hidden, weights, regenerate_seed: Math.random().toFixed(5) };
  });
  return {
    seed, problem, dataset, noise, perc_train: percTrain, n_samples: data.length,
    points: data.map((p) => [p.x, p.y]), labels: data.map((p) => p.label), networks,
  };
}

function datasetCases() {
  const cases = [];
  const names = [];
  for (const problem of Object.keys(GENERATORS)) {
    for (const dataset of Object.keys(GENERATORS[problem])) names.push([problem, dataset]);
  }
  DATASET_SEEDS.forEach((seed, s) => {
    names.forEach(([problem, dataset], d) => {
      const noises = s === 0 ? NOISES : [NOISES[(s + d) % NOISES.length]];
      for (const noise of noises) {
        const percTrain = PERC_TRAIN[cases.length % PERC_TRAIN.length];
        cases.push(makeCase(seed, problem, dataset, noise, percTrain));
      }
    });
  });
  return cases;
}

function randomStreams() {
  const longSeed = "long seed that needs mixing ".repeat(11); // 308 chars > 256
  const seeds = ["hello.", ...DATASET_SEEDS, "", "h\u00e9llo \u2603 \ud83d\ude00", longSeed];
  return seeds.map((seed) => {
    const random = seedrandom(seed);
    const values = Array.from({ length: 1000 }, () => random());
    return { seed, values, to_fixed_5: values.slice(0, 50).map((v) => v.toFixed(5)) };
  });
}

// Shuffle orders: where each slot of a shuffled 0..n-1 came from.
function shuffleOrders() {
  return [["0.59704", 10], ["1", 1], ["abc", 2], ["0.12345", 500]].map(([seed, n]) => {
    Math.random = seedrandom(seed);
    const order = Array.from({ length: n }, (_, k) => k);
    shuffle(order);
    return { seed, n, order };
  });
}

function toFixedCases() {
  const cases = [];
  const add = (value, digits) => cases.push({ value, digits, text: value.toFixed(digits) });
  for (let m = 1; m <= 12; m++) {
    for (let j = 1; j < Math.min(2 ** m, 64); j += 2) {
      add(j / 2 ** m, m - 1); // an exact binary tie at m - 1 decimals
      add(-j / 2 ** m, m - 1);
      add(3 + j / 2 ** m, m - 1);
    }
  }
  const random = seedrandom("toFixed");
  for (let e = -8; e <= 22; e++) {
    for (let k = 0; k < 8; k++) {
      add((random() - 0.5) * 10 ** e, Math.floor(random() * 21));
    }
  }
  for (const [value, digits] of [[0.1, 20], [1.005, 2], [1.45, 1], [2.5, 0], [0.5, 0],
    [-0.5, 0], [1e21, 2], [-1.5e21, 3], [123.456, 30], [1e-10, 50], [0.3, 100],
    [-1e-7, 2], [0, 5], [999.9999995, 6], [4.35, 1], [1.255, 2], [8.345, 2]]) {
    add(value, digits);
  }
  return cases;
}

process.stdout.write(JSON.stringify({
  generator: {
    script: "tests/engine/vectors/generate_vectors.js",
    seedrandom: require("seedrandom/package.json").version,
    d3: d3.version,
    node: process.version,
  },
  random: randomStreams(),
  to_fixed: toFixedCases(),
  shuffles: shuffleOrders(),
  cases: datasetCases(),
}) + "\n");
