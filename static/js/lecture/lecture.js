// The lecture's tools (issue 6), wired in one place: the "Under the hood" drawer (model
// menus, φ and φ′, gradients, backprop inspector), the neuron formula, accuracy and
// validation read-outs, the data column's split and scale switches, and the lessons menu.
import { createActivationPlot } from "./activationplot.js";
import { createDataOptions } from "./dataoptions.js";
import { createGradients } from "./gradients.js";
import { createInspector } from "./inspector.js";
import { createLab } from "./lab.js";
import { createLessons } from "./lessons.js";
import { createMetrics } from "./metrics.js";
import { createModelMenus } from "./modelmenus.js";
import { createNeuronFormula } from "./neuronformula.js";
import { createStages } from "./stages.js";

/** Returns the views that draw each frame. */
export function createLecture(store, conn, network) {
  const lab = createLab();
  createModelMenus(store, conn);
  createActivationPlot(store);
  createDataOptions(store, conn);
  createInspector(store, conn, lab, network);
  createStages(store, conn);
  createLessons();
  return { views: [createGradients(store), createMetrics(), createNeuronFormula(store)] };
}
