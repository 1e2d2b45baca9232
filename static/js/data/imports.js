// Files in: a CSV of x,y,label rows (`import_csv`, with its report in a dialog: every
// rejected row by line and reason, and the choice to import the valid rows) and a model or
// lesson file (`import_model`).
import { el } from "../ui/dom.js";
import { CLOSED } from "../session/connection.js";
import { send } from "../session/protocol.js";

// JSON escaping grows a file's text a little (each newline becomes "\n"): keep room.
const ROOM = 0.9;

const plural = (n, word) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
const isModelFile = (file) => /\.json$/i.test(file.name) || file.type === "application/json";

export function createImports(run, conn, dialog) {

  const maxBytes = () => Math.floor((run.hello.get() ? run.hello.get().maxMessageBytes : 1e6) * ROOM);
  const minPoints = () => (run.hello.get() && run.hello.get().limits.points ? run.hello.get().limits.points[0] : 2);

  function fileProblem(title, text) {
    dialog.open({ title, kind: "error", build: (body) => el("p", { text }, body) });
  }

  /** The file's text, or null (after saying why) when it is too large to send. */
  async function readText(file) {
    if (file.size > maxBytes()) {
      const size = `${(file.size / 1e6).toFixed(1)} MB`;
      fileProblem(`${file.name} is too large`, `The file has ${size}; the server takes files up to ` +
        `${(maxBytes() / 1e6).toFixed(1)} MB. Save the points you need in a smaller file.`);
      return null;
    }
    return file.text();
  }

  function sendCsv(text, rescale, applyValid, name) {
    conn.request(send.importCsv(text, rescale, applyValid)).then(
      (report) => showReport(report, { text, rescale, name }),
      (error) => error.code !== CLOSED && fileProblem(`${name} could not be imported`, error.message || error.code),
    );
  }

  async function importCsvFile(file, rescale) {
    const text = await readText(file);
    if (text !== null) sendCsv(text, rescale, false, file.name);
  }

  async function importModelFile(file) {
    const text = await readText(file);
    if (text === null) return;
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      fileProblem(`${file.name} is not a model file`, `It is not JSON (${error.message}).`);
      return;
    }
    conn.request(send.importModel(parsed)).then(
      () => run.notify("info", `Opened ${file.name}: its settings, data and weights.`),
      (error) => error.code !== CLOSED && fileProblem(`${file.name} could not be opened`, error.message || error.code),
    );
  }

  /** A dropped file: a model or lesson file by its name, a CSV otherwise. */
  function importFile(file, rescale) {
    return isModelFile(file) ? importModelFile(file) : importCsvFile(file, rescale);
  }

  function showReport(report, request) {
    const rejected = report.rejected.length;
    const canApply = !report.applied && rejected > 0 && report.accepted >= minPoints();
    let title = `Imported ${plural(report.accepted, "point")}`;
    if (!report.applied) {
      title = report.accepted ? `${plural(rejected, "row")} could not be used` : "No row could be used";
    }
    const build = (body) => {
      const summary = `${request.name}: ${plural(report.accepted, "row")} accepted, ${rejected} rejected.`;
      el("p", { class: "report-summary", text: summary }, body);
      if (report.notes.length) {
        const notes = el("ul", { class: "report-notes" }, body);
        for (const note of report.notes) el("li", { text: note }, notes);
      }
      if (rejected) {
        const list = el("ol", { class: "rejected-rows", "aria-label": "Rejected rows", tabindex: "0" }, body);
        for (const { line, reason } of report.rejected) {
          const item = el("li", {}, list);
          el("span", { class: "row-line", text: `Line ${line}` }, item);
          el("span", { class: "row-reason", text: reason }, item);
        }
      }
      if (!report.applied) {
        const why = canApply
          ? "Nothing has changed yet: the import never takes only part of a file unless you choose to."
          : `Nothing has changed: at least ${minPoints()} valid rows are needed.`;
        el("p", { class: "report-advice", text: why }, body);
      }
    };
    const actions = canApply
      ? [
        {
          label: `Import the ${plural(report.accepted, "valid row")}`,
          primary: true,
          run: () => sendCsv(request.text, request.rescale, true, request.name),
        },
        { label: "Cancel" },
      ]
      : [{ label: report.applied ? "OK" : "Close", primary: true }];
    dialog.open({ title, kind: report.applied ? "info" : "warn", build, actions });
  }

  return { importCsvFile, importModelFile, importFile };
}
