// Every wire name of protocol v1 (docs/protocol.md): message types, fields, config keys,
// frame flags. Nothing else in the page spells them; the rest of the page reads the
// camelCase objects the read* functions return and sends the messages built here.

export const PROTOCOL_VERSION = 1;
export const WS_PATH = "/ws";
export const FRAME_MAGIC = "NPF1";
export const RACE_MAGIC = "NPR1"; // a race's container of every lane's frame

/** Frame flag bits (the uint16 at offset 16). */
export const FLAG = {
  playing: 1 << 0,
  diverged: 1 << 1,
  hasAccuracy: 1 << 2,
  multiclass: 1 << 3,
  hasValidation: 1 << 4,
  regression: 1 << 5,
  replay: 1 << 6, // a scrubbed kept epoch, not the run now
};

/** Server → client message types. */
export const IN = {
  hello: "hello",
  config: "config",
  state: "state",
  snapshot: "snapshot",
  inspection: "inspection",
  csvReport: "csv_report",
  exported: "exported",
  error: "error",
  race: "race",
  replay: "replay",
  history: "history",
  layerView: "layer_view",
  classState: "class", // a class: joined, frozen, goal, standing
  classPushed: "class_pushed",
  classLeft: "class_left",
  classInfo: "class_info", // the dashboard's
  gallery: "gallery",
  spotlightConfig: "spotlight_config",
  pushed: "pushed",
};

/** The teacher's dashboard websocket and the class pages. */
export const CLASS_WS_PATH = "/ws/class";
export const classPaths = {
  start: "/class/new",
  dashboard: (code) => `/class/${code}/dashboard`,
  join: (code) => `/class/${code}`,
};

/** `export` formats: data CSV, model (and lesson) file, predict.py, lesson link hash. */
export const EXPORT = { csv: "csv", model: "model", predict: "predict", lessonLink: "lesson_link" };

/** Error codes the page treats specially. */
export const ERROR = {
  serverFull: "server_full", originRefused: "origin_refused", frozen: "frozen", noClass: "no_class",
  classFull: "class_full", notTeacher: "not_teacher",
};

/** Close codes: server full (1013) and origin refused (1008) are not retried quickly. */
export const CLOSE = { serverFull: 1013, policy: 1008 };

/** The engine's configuration keys (the reference's URL-hash names). */
export const CFG = {
  activation: "activation",
  regularization: "regularization",
  regularizationRate: "regularizationRate",
  learningRate: "learningRate",
  problem: "problem",
  dataset: "dataset",
  regDataset: "regDataset",
  percTrainData: "percTrainData",
  noise: "noise",
  batchSize: "batchSize",
  networkShape: "networkShape",
  showTestData: "showTestData",
  discretize: "discretize",
  seed: "seed",
  numClasses: "numClasses",
  outputActivation: "outputActivation",
  loss: "loss",
  optimizer: "optimizer",
  percValData: "percValData",
  standardize: "standardize",
};

/** The "auto" value of the output activation and loss menus, and the loss it means for
 * an output activation (engine/validation.py resolve_output: the config does not say). */
export const AUTO = "auto";

/** Inspector targets (`inspect.kind`) and where its numbers come from (`values.batch`). */
export const INSPECT = { weight: "weight", bias: "bias" };
export const BATCH = { lastUpdate: "last_update", point: "point", nextBatch: "next_batch", noUpdate: "no_update" };

/** The loss whose gradient descent is Rosenblatt's perceptron rule (a step output). */
export const PERCEPTRON_LOSS = "perceptron";


/** "Scale matters": the feature whose scale the page's switch multiplies. */
export const SCALE_FEATURE = "x";

/** `config.change`: what a configuration change did to the run. */
export const CHANGE = { live: "live", rebuild: "rebuild", data: "data" };

/** Problem types the page draws differently (the registry lists them all). */
export const PROBLEM = { regression: "regression", multiclass: "multiclass" };

/** At most this many epochs are replayed after a reload (the server's step limit). */
export const MAX_REPLAY_EPOCHS = 1000;

/** The value of the speed menu that trains as fast as the server can. */
export const MAX_SPEED = "max";

// ---- reading server messages ------------------------------------------------------

const named = (item) => (typeof item === "string" ? { name: item, label: item } : item);

export function readHello(m) {
  const r = m.registries || {};
  const s = m.server || {};
  return {
    protocol: m.protocol,
    version: m.version,
    // [{name, label}] lists; the engine's labels are what the menus show.
    activations: (r.activations || []).map(named),
    regularizations: (r.regularizations || []).map(named),
    problems: (r.problems || []).map(named),
    // {problem: [{name, label}]}: the dataset buttons of each problem, in the engine's order
    datasets: Object.fromEntries(Object.entries(r.datasets || {}).map(([problem, list]) => [problem, list.map(named)])),
    datasetKeys: r.dataset_keys || {},
    previews: m.previews || {}, // {problem: {dataset: [[x, y, label], …]}} from the real generators
    features: (r.features || []).map((f) => ({ key: f.name, label: f.label, scaleKey: f.scale_key })),
    // Menus of the lecture's choices; activations carry their φ/φ′ `curve` {z, value, derivative}.
    outputActivations: (r.output_activations || []).map(named),
    losses: (r.losses || []).map(named),
    optimizers: (r.optimizers || []).map(named),
    learningRates: r.learning_rates || [],
    regularizationRates: r.regularization_rates || [],
    limits: readLimits(r.limits || {}),
    numericKeys: Object.keys(r.limits || {}), // the settings the engine bounds are numbers
    domain: s.domain, // the data and the map span [−domain, domain]²
    maxValue: s.max_value, // the bound on an edited weight or bias
    defaults: m.defaults || r.defaults || {},
    speeds: s.speeds || [1],
    maxFramesInFlight: s.max_frames_in_flight || 2,
    maxMessageBytes: s.max_message_bytes || 1000000,
    snapshotIntervalS: s.snapshot_interval_s || 1,
  };
}

/** The engine's limits ({min, max, step}) as [min, max, step] of the page's sliders/buttons. */
function readLimits(l) {
  const pick = (key) => (l[key] && "max" in l[key] ? [l[key].min ?? 0, l[key].max, l[key].step || 1] : null);
  return {
    hiddenLayers: pick("hiddenLayers"),
    neurons: pick("neurons"),
    batchSize: pick("batchSize"),
    noise: pick("noise"),
    percTrainData: pick("percTrainData"),
    percValData: pick("percValData"),
    numClasses: pick("numClasses"),
    featureScale: pick("featureScale"),
    points: pick("points"),
  };
}

/** The configuration key that names the dataset of `problem`. */
export function datasetKey(hello, problem) {
  return (hello && hello.datasetKeys[problem]) || CFG.dataset;
}

/**
 * A `config` message as the page keeps it. A live change's echo leaves out the data, the
 * loss history and the feature maps, which a live change never touches: they are kept from
 * `previous`, the configuration the page already has.
 */
export function readConfig(m, previous = null) {
  const data = m.data || {};
  const keep = m.change === CHANGE.live && previous && !m.data;
  return {
    seq: m.seq,
    change: m.change,
    config: m.config || {},
    hash: m.hash || "",
    notices: m.notices || [],
    hidden: hiddenIds(m),
    hideText: Boolean(m.hide_text || ((m.config || {}).hidden || {}).text),
    inputNames: m.input_names || [],
    layerSizes: m.layer_sizes || [],
    data: keep
      ? previous.data
      : { train: data.train || [], validation: data.validation || [], test: data.test || [] },
    featureMaps: keep ? previous.featureMaps : m.feature_maps || {},
    // [epoch, train, test(, validation)] loss points, null = not finite
    history: keep ? previous.history : m.history || [],
    userData: Boolean(m.user_data),
    resolvedOutput: (m.resolved || {}).output_activation || "", // what "auto" stands for
    resolvedLoss: (m.resolved || {}).loss || "",
    race: readRace(m), // null unless racing: the lanes come with the edited lane's config
  };
}

/** Controls and features a link hides: the message's list and the config's own groups. */
function hiddenIds(m) {
  const ids = new Set(m.hidden || []);
  const own = (m.config || {}).hidden;
  if (own && typeof own === "object") {
    for (const id of (own.controls || []).concat(own.features || [])) ids.add(id);
  }
  return [...ids];
}

export function readState(m) {
  // `diverged` is false/null, or the engine's account {quantity, epoch, message}.
  const diverged = m.diverged && typeof m.diverged === "object" ? m.diverged : null;
  return {
    playing: Boolean(m.playing),
    epochsPerFrame: m.epochs_per_frame,
    diverged: Boolean(m.diverged),
    reason: diverged && diverged.message ? diverged.message : "",
    // a frozen (saturated) run: explained once, while training goes on
    warning: m.warning && typeof m.warning.message === "string" ? m.warning.message : "",
    // the control message this state answers when no frame follows (nothing drawn changed)
    seq: Number.isInteger(m.seq) ? m.seq : undefined,
  };
}

/** What the output map shows of a configuration: the test points, a discretized map. */
export function readDisplay(config) {
  return { showTestData: Boolean(config[CFG.showTestData]), discretize: Boolean(config[CFG.discretize]) };
}

export function readError(m) {
  return { code: m.code, field: m.field, message: m.message, seq: m.seq };
}

export const readSnapshot = (m) => m.snapshot;

/** The backprop inspector's reply: its target, the epoch, and the engine's `values`:
 * the chain of every point of the batch, their sum, and the update replayed by training's
 * own rule with the optimizer's rows ({key, symbol, formula, value}). */
export function readInspection(m) {
  const v = m.values || {};
  const point = (p) => ({
    aPrev: p.a_prev, z: p.z, h: p.h, t: p.t, dphi: p.dphi, dLdh: p.dL_dh, dLdz: p.dL_dz, dLdw: p.dL_dw, loss: p.loss,
  });
  return {
    kind: m.kind,
    layer: m.layer,
    source: m.source,
    target: m.target,
    neuron: m.neuron,
    point: m.point || null,
    epoch: m.epoch,
    values: {
      aPrev: v.a_prev, z: v.z, h: v.h, dphi: v.dphi, dLdh: v.dL_dh, dLdz: v.dL_dz, dLdw: v.dL_dw,
      points: (v.points || []).map(point), sum: v.sum,
      terms: (v.terms || []).map((t) => ({ neuron: t.neuron, weight: t.weight, dLdz: t.dL_dz, product: t.product })),
      steps: (v.steps || []).map((r) => ({ key: r.key, symbol: r.symbol, formula: r.formula, value: r.value })),
      weight: v.weight, weightAfter: v.weight_after, update: v.update, applies: v.applies !== false,
      learningRate: v.learning_rate, regularization: v.regularization, regularizationRate: v.regularization_rate,
      dead: Boolean(v.dead), killed: Boolean(v.killed), replayed: v.replayed !== false,
      optimizer: v.optimizer, activation: v.activation, loss: v.loss, batchSize: v.batch_size,
      batchPosition: v.batch_position || [0, 0], batchLoss: v.batch_loss,
      fusedOutput: Boolean(v.fused_output), batch: v.batch, nPoints: v.n_points, label: v.label,
    },
  };
}

/** A CSV import's outcome: rows accepted, every rejected row {line, reason}, notes. */
export function readCsvReport(m) {
  return {
    seq: m.seq,
    applied: Boolean(m.applied),
    accepted: m.accepted || 0,
    rejected: (m.rejected || []).map((r) => ({ line: r.line, reason: r.reason })),
    notes: m.notes || [],
  };
}

/** An exported file (or, for a lesson link, the URL hash without "#"). */
export function readExported(m) {
  return { seq: m.seq, format: m.format, filename: m.filename, mime: m.mime, text: m.text || "" };
}

// ---- building client messages ----------------------------------------------------

export const send = {
  loadHash: (hash) => ({ type: "load_hash", hash }),
  configure: (config) => ({ type: "configure", config }),
  play: () => ({ type: "play" }),
  pause: () => ({ type: "pause" }),
  step: (epochs = 1) => ({ type: "step", epochs }),
  stepBatch: () => ({ type: "step_batch" }),
  reset: (sameWeights = false) => ({ type: "reset", same_weights: sameWeights }),
  regenerate: () => ({ type: "regenerate" }),
  speed: (epochsPerFrame) => ({ type: "speed", epochs_per_frame: epochsPerFrame }),
  setWeight: (layer, source, target, value) => ({ type: "set_weight", layer, source, target, value }),
  setBias: (layer, neuron, value) => ({ type: "set_bias", layer, neuron, value }),
  focus: (layer, neuron) =>
    layer === null ? { type: "focus", layer: null } : { type: "focus", layer, neuron },
  restore: (snapshot) => ({ type: "restore", snapshot }),
  /** target: {kind, layer, source, target} or {kind, layer, neuron}; point [x, y] or null. */
  inspect: (target, point = null) => ({ type: "inspect", ...target, point }),
  stopInspecting: () => ({ type: "inspect", kind: null }),
  setData: (points) => ({ type: "set_data", points }),
  importCsv: (text, rescale, applyValid = false) =>
    ({ type: "import_csv", text, rescale, apply_valid: applyValid }),
  importModel: (model) => ({ type: "import_model", model }),
  exportAs: (format, includeWeights = true) => ({ type: "export", format, include_weights: includeWeights }),
  ack: (frame) => ({ type: "ack", frame }),
  raceStart: (config = {}) => ({ type: "race_start", config }),
  raceAdd: (config = {}) => ({ type: "race_add", config }),
  raceLane: (lane) => ({ type: "race_lane", lane }),
  raceRemove: (lane) => ({ type: "race_remove", lane }),
  raceEnd: () => ({ type: "race_end" }),
  raceTarget: (targetLoss) => ({ type: "race_target", target_loss: targetLoss }),
  history: () => ({ type: "history" }),
  scrub: (epoch) => ({ type: "scrub", epoch }),
  continueHere: () => ({ type: "continue_here" }),
  backToNow: () => ({ type: "back_to_now" }),
  viewLayer: (layer, neurons = null) =>
    layer === null ? { type: "view_layer", layer: null } : { type: "view_layer", layer, neurons },
  joinClass: (code, name, student = null) => ({ type: "join_class", code, name, student }),
  leaveClass: () => ({ type: "leave_class" }),
  undoPush: () => ({ type: "undo_push" }),
};

/** The teacher's messages on the dashboard's websocket. */
export const teach = {
  teach: (code, secret) => ({ type: "teach", code, secret }),
  push: (hash, includeData, includeWeights, students = null) =>
    ({ type: "push", hash, include_data: includeData, include_weights: includeWeights, students }),
  freeze: (frozen) => ({ type: "freeze", frozen }),
  spotlight: (student) => ({ type: "spotlight", student }),
  /** goal: {metric: "test_loss" | "test_accuracy", target, maxParameters, maxLayers} or null. */
  setGoal: (goal, onPushedData) => ({
    type: "set_goal", on_pushed_data: onPushedData,
    goal: goal && { metric: goal.metric, target: goal.target, max_parameters: goal.maxParameters,
      max_layers: goal.maxLayers },
  }),
  exportResults: () => ({ type: "export_results", format: "csv" }),
  ack: (frame) => ({ type: "ack", frame }),
};

export const GOAL_METRICS = { testLoss: "test_loss", testAccuracy: "test_accuracy" };

const readGoal = (g) => g && { metric: g.metric, target: g.target, maxParameters: g.max_parameters,
  maxLayers: g.max_layers, data: g.data };

/** A student's class: code, name, id, frozen, the goal and their standing. */
export const readClassState = (m) => ({
  code: m.code, name: m.name, student: m.student, frozen: Boolean(m.frozen), goal: readGoal(m.goal),
  metEpoch: m.standing ? m.standing.met_epoch : null, bestTestLoss: m.standing ? m.standing.best_test_loss : null,
});

/** The dashboard's class: code, join path, frozen, goal, pushed data, spotlit student. */
export const readClassInfo = (m) => ({
  code: m.code, joinPath: m.join_path, frozen: Boolean(m.frozen), goal: readGoal(m.goal), data: m.data,
  spotlight: m.spotlight, seq: m.seq,
});

/** One student's gallery tile. */
export const readStudent = (s) => ({
  student: s.student, name: s.name, epoch: s.epoch, architecture: s.architecture,
  parameters: s.parameters, layers: s.layers, testLoss: s.test_loss, trainLoss: s.train_loss,
  testAccuracy: s.test_accuracy, diverged: Boolean(s.diverged), playing: Boolean(s.playing),
  idle: Boolean(s.idle), frozen: Boolean(s.frozen), multiclass: s.problem === "multiclass",
  resolution: s.resolution, map: s.map, metEpoch: s.met_epoch, bestTestLoss: s.best_test_loss,
});

export const readGallery = (m) => ({ students: (m.students || []).map(readStudent), left: m.left || [], count: m.count });

/** A race: every lane's settings and losses so far, the edited lane, target, winner, link. */
export function readRace(m) {
  const r = m.race;
  if (!r) return null;
  return {
    lanes: (r.lanes || []).map((lane) => ({
      config: lane.config || {},
      layerSizes: lane.layer_sizes || [],
      inputNames: lane.input_names || [],
      history: lane.history || [],
    })),
    lane: r.lane || 0,
    targetLoss: r.target_loss,
    winner: r.winner ? { lane: r.winner.lane, epoch: r.winner.epoch, seconds: r.winner.seconds, testLoss: r.winner.test_loss } : null,
    seconds: r.seconds || [],
    hash: r.hash || "",
  };
}

/** What a scrub shows: viewing a kept epoch (or now), which, and the run's epoch now. */
export const readReplay = (m) => ({ viewing: Boolean(m.viewing), epoch: m.epoch, requested: m.requested, now: m.now, seq: m.seq });

/** Every lane's kept epochs, and the epoch now. */
export const readHistory = (m) => ({ lanes: m.lanes || [], now: m.now });

/** A hidden layer's picture of the plane: uint16 (x, y) pairs over `bounds`. */
export function readLayerView(m) {
  return {
    frame: m.frame, layer: m.layer, neurons: m.neurons || [0, 0], bounds: m.bounds,
    nLines: m.n_lines, nSamples: m.n_samples, lines: m.lines, points: m.points,
    nTrain: m.n_train, labels: m.labels || [],
  };
}

/** Control messages carry a seq; acks do not need one. */
export const isAck = (message) => message.type === "ack";
export const withSeq = (message, seq) => ({ ...message, seq });
