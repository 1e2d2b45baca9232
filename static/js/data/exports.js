// Files out: the server's exports (data CSV, model JSON, predict.py) downloaded through a
// Blob, a PNG of the output map to keep (pngexport.js), and lesson links to copy (optionally
// opening in presentation mode).
import { presentUrl } from "../ui/display.js";
import { byId, el } from "../ui/dom.js";
import { mapPng } from "../output/pngexport.js";
import { CLOSED } from "../session/connection.js";
import { EXPORT, send } from "../session/protocol.js";
import { inPageWords } from "../session/words.js";

const REVOKE_MS = 60_000; // the browser has read the Blob long before

/** Save `blob` as `filename`: an object URL and a temporary <a download>. */
export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: filename, hidden: "" }, document.body);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_MS);
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no Clipboard API (an http page) or no permission: the field is shown
  }
}

export function createExports(run, conn, dialog) {
  /** Ask the server for a file (or a lesson link) and hand it over when it comes. */
  function request(format, includeWeights = true) {
    conn.request(send.exportAs(format, includeWeights)).then(
      (file) => (format === EXPORT.lessonLink ? showLink(file.text) : download(file.filename, new Blob([file.text], { type: file.mime }))),
      (error) => {
        if (error.code === CLOSED) return;
        if (format === EXPORT.lessonLink) noLink(error.message || error.code);
        else run.notify("error", inPageWords(error.message || error.code));
      },
    );
  }

  async function savePng() {
    if (!run.config.get() || !run.frame.get()) return;
    const blob = await mapPng(run);
    if (blob) download(`playground-map-epoch${run.frame.get().epoch}.png`, blob);
  }

  async function showLink(hash) {
    const url = presentUrl(`${location.origin}${location.pathname}#${hash}`, byId("link-present").checked);
    const copied = await copyText(url);
    const points = run.config.get() && run.config.get().userData ? "its points, " : "";
    dialog.open({
      title: copied ? "Lesson link copied" : "Copy this lesson link",
      build: (body) => {
        const text = copied
          ? `It is on your clipboard. Whoever opens it gets this network: its settings, ${points}and weights.`
          : `Select it and copy it. Whoever opens it gets this network: its settings, ${points}and weights.`;
        el("p", { text }, body);
        const field = el("input", {
          id: "lesson-link", class: "link-field", type: "text", readonly: "", value: url,
          "aria-label": "Lesson link", spellcheck: "false",
        }, body);
        field.addEventListener("focus", () => field.select());
        el("p", { class: "link-size", text: `${url.length.toLocaleString("en")} characters` }, body);
      },
      actions: [{ label: "Close", primary: true }],
    });
    const field = byId("lesson-link");
    field.focus();
    field.select();
  }

  /** The server refused the link: too long (then a lesson file does it), or diverged. */
  function noLink(message) {
    const tooLong = /lesson file/.test(message);
    const advice = "A lesson file holds the same network and data; open it with Import / Export.";
    dialog.open({
      title: tooLong ? "Too much for a link" : "No lesson link",
      kind: "warn",
      build: (body) => {
        el("p", { class: "link-error", text: message }, body);
        if (tooLong) el("p", { text: advice }, body);
      },
      actions: tooLong
        ? [
          { label: "Save lesson file", primary: true, run: () => request(EXPORT.model) },
          { label: "Cancel" },
        ]
        : [{ label: "Close", primary: true }],
    });
  }

  return { request, savePng };
}
