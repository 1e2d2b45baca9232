// Facts about a run that several views need, derived only from what the server resolved:
// the config echo (its problem, its resolved output and loss, the user's data), the hello's
// registries (labels, limits, the data's domain) and the frame's flags. Pure functions: no
// DOM, no state; tests/js/facts.test.mjs runs them in Node.
import { CFG, PROBLEM } from "../session/protocol.js";

const DEFAULT_DOMAIN = 6; // until the hello says: every dataset lives in [−6, 6]²
const DEFAULT_MAX_VALUE = 1000;

/** The square [−domain, domain]² that the data, the map and the previews span. */
export const domainOf = (hello) => (hello && hello.domain) || DEFAULT_DOMAIN;

/** The largest |value| a weight or a bias may be set to (the protocol's bound). */
export const maxValueOf = (hello) => (hello && hello.maxValue) || DEFAULT_MAX_VALUE;

export const problemOf = (config) => config.config[CFG.problem];
export const isMulticlass = (config) => problemOf(config) === PROBLEM.multiclass;
export const isRegression = (config) => problemOf(config) === PROBLEM.regression;

/** How a data point's label is drawn: "multiclass" (a class), "regression" (a value), "binary". */
export function labelKind(config) {
  if (isMulticlass(config)) return "multiclass";
  return isRegression(config) ? "regression" : "binary";
}

/** A two-class run whose resolved output lies in [0, 1] (a sigmoid's p or a step's 0/1: the
 * registry's `low` is 0): the map shows it as 2p − 1, so the boundary is where it is for tanh. */
export function probabilityOutput(config, hello) {
  if (!config || !hello) return false;
  const item = hello.outputActivations.find((o) => o.name === config.resolvedOutput);
  return !isMulticlass(config) && !isRegression(config) && Boolean(item) && item.low === 0;
}

/** A registry entry's label: every registry the page shows labels its entries in the engine. */
export const labelOf = (item) => item.label;

/** The label of `name` in a registry list of {name, label}; a name the list lacks (a value
 * from an unusual link, before the engine refuses it) shows as it is. */
export function labelIn(items, name) {
  const item = (items || []).find((entry) => entry.name === name);
  return item ? item.label : String(name);
}

/** Whether a setting takes a number: the engine gives it limits. */
export const isNumericSetting = (hello, key) => Boolean(hello && hello.numericKeys.includes(key));

/** The reference updates after every batchSize points of an epoch, so a batch larger than
 * the user's training set never updates (semantics §5): {train, batch} then, else null. */
export function stalledByBatch(config) {
  const train = config.data.train.length;
  const batch = config.config[CFG.batchSize];
  return config.userData && train < batch ? { train, batch } : null;
}
