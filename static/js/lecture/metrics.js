// Accuracy beside each loss (training, validation, test) and the validation loss, from each
// frame; while playing the text changes at most ten times a second.
import { byId, formatLoss, readout, setText, textClock } from "../ui/dom.js";

const SPLITS = ["train", "validation", "test"];

const percent = (value) => `accuracy ${Number.isFinite(value) ? `${(100 * value).toFixed(1)}%` : "–"}`;

export function createMetrics() {
  const validationRow = byId("validation-row");
  const validationCells = [...document.querySelectorAll(".validation-cell")];
  const accuracy = Object.fromEntries(SPLITS.map((split) => [split, byId(`${split}-accuracy`)]));
  const validationLoss = byId("validation-loss");

  /** Text (in its readout box) and data-value (the exact figure, for tests and tools) of
   * one read-out, each only when it changed. */
  function write(node, text, value) {
    setText(readout(node), text);
    if (node.dataset.value !== String(value)) node.dataset.value = String(value);
  }

  function drawFrame(frame) {
    if (frame.playing && !textClock.due) return;
    if (validationRow.hidden === frame.hasValidation) {
      for (const cell of validationCells) cell.hidden = !frame.hasValidation;
    }
    if (frame.hasValidation) write(validationLoss, formatLoss(frame.validationLoss), frame.validationLoss);
    for (const split of SPLITS) {
      const value = frame[`${split}Accuracy`];
      if (frame.hasAccuracy) write(accuracy[split], percent(value), value);
      else if (accuracy[split].textContent) write(accuracy[split], "", NaN);
    }
  }

  return { drawFrame };
}
