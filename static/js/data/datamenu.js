// The Import / Export menu beside the output heading, its file pickers, and files dropped
// on the output map.
import { createDialog } from "../ui/dialog.js";
import { byId } from "../ui/dom.js";
import { createExports } from "./exports.js";
import { createImports } from "./imports.js";
import { EXPORT } from "../session/protocol.js";

export function createDataMenu(run, conn) {
  const button = byId("file-menu-button");
  const panel = byId("file-menu");
  const csvInput = byId("csv-file");
  const modelInput = byId("model-file");
  const rescale = byId("csv-rescale");
  const linkWeights = byId("link-weights");
  const frame = byId("map-frame");
  const dialog = createDialog();
  const imports = createImports(run, conn, dialog);
  const exports = createExports(run, conn, dialog);

  const actions = {
    "import-csv": () => csvInput.click(),
    "import-model": () => modelInput.click(),
    csv: () => exports.request(EXPORT.csv),
    model: () => exports.request(EXPORT.model),
    predict: () => exports.request(EXPORT.predict),
    png: () => exports.savePng(),
    "lesson-link": () => exports.request(EXPORT.lessonLink, linkWeights.checked),
  };

  function setOpen(open) {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) panel.querySelector(".menu-item").focus();
  }

  button.addEventListener("click", () => setOpen(panel.hidden));
  panel.addEventListener("click", (event) => {
    const item = event.target.closest("[data-action]");
    if (!item) return; // the option checkboxes keep the menu open
    setOpen(false);
    actions[item.dataset.action]();
  });
  panel.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    setOpen(false);
    button.focus();
    event.stopPropagation();
  });
  document.addEventListener("pointerdown", (event) => {
    if (!panel.hidden && !button.parentElement.contains(event.target)) setOpen(false);
  });

  /** A chosen file, read once; the input is emptied so the same file can be chosen again. */
  function onFile(input, use) {
    input.addEventListener("change", () => {
      const file = input.files[0];
      input.value = "";
      if (file) use(file);
    });
  }
  onFile(csvInput, (file) => imports.importCsvFile(file, rescale.checked));
  onFile(modelInput, (file) => imports.importModelFile(file));

  const carriesFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");
  frame.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    frame.classList.add("drop-target");
  });
  frame.addEventListener("dragleave", () => frame.classList.remove("drop-target"));
  frame.addEventListener("drop", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    frame.classList.remove("drop-target");
    const file = event.dataTransfer.files[0];
    if (file) imports.importFile(file, rescale.checked);
  });
}
