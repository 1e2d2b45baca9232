// The dashboard's gallery: one tile per student (their output map, 20×20, name,
// architecture, epoch, test loss and accuracy, marks for a diverged or idle run, the epoch
// they met the goal at), sorted by the challenge, test loss, name or parameter count.
// A click spotlights the student; the check box selects them for a push.
import { MAP_ALPHA, base64Bytes, classLut, makeImage, paint, valueLut } from "../ui/colors.js";
import { el, formatLoss } from "../ui/dom.js";

const LUTS = { value: valueLut(MAP_ALPHA, false), class: classLut(MAP_ALPHA, false) };
const byLoss = (a, b) => (a.testLoss ?? Infinity) - (b.testLoss ?? Infinity);
const byName = (a, b) => String(a.name).localeCompare(String(b.name));
export const ORDERS = {
  goal: (a, b) => (a.metEpoch == null) - (b.metEpoch == null) || (a.metEpoch ?? 0) - (b.metEpoch ?? 0)
    || (a.bestTestLoss ?? Infinity) - (b.bestTestLoss ?? Infinity) || byName(a, b),
  loss: (a, b) => byLoss(a, b) || byName(a, b),
  name: byName,
  parameters: (a, b) => a.parameters - b.parameters || byName(a, b),
};

// A tile's map comes as base64 of its deflated differences (server/classroom/member.py
// packed_map: each byte minus the one above, then minus the one to its left, mod 256).
export function unfilter(bytes, R) {
  const out = new Uint8Array(R * R);
  for (let r = 0; r < R; r++) {
    let sum = 0;
    for (let c = 0; c < R; c++) {
      const i = r * R + c;
      sum = (sum + bytes[i]) & 255;
      out[i] = r ? (sum + out[i - R]) & 255 : sum;
    }
  }
  return out;
}

export async function unpackMap(text, R) {
  const stream = new Blob([base64Bytes(text)]).stream().pipeThrough(new DecompressionStream("deflate"));
  return unfilter(new Uint8Array(await new Response(stream).arrayBuffer()), R);
}

export function createGallery(list, { onSpotlight }) {
  const students = new Map(); // id → {data, tile, parts}
  const selected = new Set();
  let order = "goal";
  let spotlit = null;

  function build(id) {
    const tile = el("li", { class: "tile", "data-student": id });
    const button = el("button", { type: "button", class: "tile-main", title: "Spotlight this student" }, tile);
    const canvas = el("canvas", { class: "tile-map", width: "20", height: "20" }, button);
    const name = el("span", { class: "tile-name" }, button);
    const arch = el("span", { class: "tile-arch" }, button);
    const figures = el("span", { class: "tile-figures" }, button);
    const marks = el("span", { class: "tile-marks" }, button);
    const pick = el("label", { class: "tile-pick" }, tile);
    const box = el("input", { type: "checkbox", "aria-label": "Select for a push" }, pick);
    box.addEventListener("change", () => (box.checked ? selected.add(id) : selected.delete(id)));
    button.addEventListener("click", () => onSpotlight(id));
    const image = makeImage(20, 20);
    return { tile, parts: { canvas, context: canvas.getContext("2d"), image, name, arch, figures, marks } };
  }

  function render(entry) {
    const { data, parts, tile } = entry;
    const R = data.resolution;
    if (parts.canvas.width !== R) {
      parts.canvas.width = parts.canvas.height = R;
      parts.image = makeImage(R, R);
    }
    const lut = data.multiclass ? LUTS.class : LUTS.value;
    const drawn = (entry.maps = (entry.maps || 0) + 1); // a later summary's map wins
    unpackMap(data.map, R).then((bytes) => {
      if (entry.maps === drawn) parts.context.putImageData(paint(parts.image.image, parts.image.pixels, bytes, lut), 0, 0);
    });
    parts.name.textContent = data.name;
    parts.arch.textContent = `${data.architecture} · ${data.parameters} parameters`;
    const accuracy = data.testAccuracy == null ? "" : ` · ${Math.round(data.testAccuracy * 100)} %`;
    parts.figures.textContent = `epoch ${data.epoch} · test ${formatLoss(data.testLoss)}${accuracy}`;
    const marks = [data.metEpoch != null && `✓ met at epoch ${data.metEpoch}`, data.diverged && "diverged",
      data.idle && "idle", data.frozen && "frozen"].filter(Boolean);
    parts.marks.textContent = marks.join(" · ");
    tile.dataset.met = String(data.metEpoch != null);
    tile.dataset.diverged = String(data.diverged);
    tile.dataset.idle = String(data.idle);
    tile.dataset.epoch = String(data.epoch);
    tile.classList.toggle("is-spotlit", data.student === spotlit);
  }

  function arrange() {
    const sorted = [...students.values()].sort((a, b) => ORDERS[order](a.data, b.data));
    sorted.forEach((entry, index) => {
      entry.tile.dataset.rank = String(index + 1);
      if (list.children[index] !== entry.tile) list.insertBefore(entry.tile, list.children[index] || null);
    });
  }

  return {
    update(gallery) {
      for (const id of gallery.left) {
        const entry = students.get(id);
        if (entry) entry.tile.remove();
        students.delete(id);
        selected.delete(id);
      }
      for (const data of gallery.students) {
        let entry = students.get(data.student);
        if (!entry) {
          entry = build(data.student);
          students.set(data.student, entry);
          list.append(entry.tile);
        }
        entry.data = data;
        render(entry);
      }
      arrange();
      return students.size;
    },
    sortBy(name) {
      order = ORDERS[name] ? name : "goal";
      arrange();
    },
    spotlight(id) {
      spotlit = id;
      for (const entry of students.values()) entry.tile.classList.toggle("is-spotlit", entry.data.student === id);
    },
    student: (id) => students.get(id)?.data,
    selected: () => [...selected].filter((id) => students.has(id)),
    /** Tiles in their order, for the PNG: [{data, canvas}]. */
    tiles: () => [...list.children].map((tile) => students.get(tile.dataset.student)).filter(Boolean)
      .map((entry) => ({ data: entry.data, canvas: entry.parts.canvas })),
  };
}
