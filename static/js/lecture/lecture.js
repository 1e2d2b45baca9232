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
export function createLecture(run, conn, network) {
  const lab = createLab();
  createModelMenus(run, conn);
  createActivationPlot(run);
  createDataOptions(run, conn);
  createInspector(run, conn, lab, network);
  createStages(run, conn, network);
  createLessons();
  return { views: [createGradients(run), createMetrics(), createNeuronFormula(run)] };
}
