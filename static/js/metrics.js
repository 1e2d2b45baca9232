// Accuracy beside each loss (training, validation, test) and the validation loss, from each
// frame; while playing the text changes at most ten times a second.
import { byId, formatLoss, throttledText } from "./dom.js";

const percent = (value) => `accuracy ${Number.isFinite(value) ? `${(100 * value).toFixed(1)}%` : "–"}`;

export function createMetrics() {
  const validationRow = byId("validation-row");
  const validationCells = [...document.querySelectorAll(".validation-cell")];
  const outputs = {
    train: byId("train-accuracy"),
    validation: byId("validation-accuracy"),
    test: byId("test-accuracy"),
  };
  const texts = Object.fromEntries(Object.entries(outputs).map(([key, node]) => [key, throttledText(node)]));
  const validationLoss = throttledText(byId("validation-loss"));
  const table = validationRow.parentElement;

  function drawFrame(frame) {
    const exact = !frame.playing;
    if (validationRow.hidden === frame.hasValidation) {
      for (const cell of validationCells) cell.hidden = !frame.hasValidation;
    }
    if (table.classList.contains("has-accuracy") !== frame.hasAccuracy) {
      table.classList.toggle("has-accuracy", frame.hasAccuracy);
    }
    if (frame.hasValidation) validationLoss(formatLoss(frame.validationLoss), exact);
    if (!frame.hasAccuracy) return;
    texts.train(percent(frame.trainAccuracy), exact);
    texts.test(percent(frame.testAccuracy), exact);
    if (frame.hasValidation) texts.validation(percent(frame.validationAccuracy), exact);
    for (const [key, node] of Object.entries(outputs)) {
      const value = frame[`${key}Accuracy`];
      if (exact || node.dataset.value === undefined) node.dataset.value = String(value);
    }
  }

  return { drawFrame };
}
