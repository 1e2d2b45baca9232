// The diagram's links, drawn on one canvas under the nodes by a worker (linkworker.js).
// Each frame the page only quantizes every weight to its visible style (one of 31 shades, a
// quarter-pixel width) and the epoch to the flow's dash offset; when any of them changed it
// posts the new state, and the worker redraws. Restyling, repainting and rasterizing ~400
// dashed SVG paths cost the page's thread ~10 ms a frame; this costs it a few microseconds.
// With prefers-reduced-motion the dashes stay still; while playing the worker redraws at a
// lower rate (the state says so): each redraw rasterizes every dash again, flow or not.
import { shadeIndex, shadesThrough } from "../ui/colors.js";
import { el, textClock } from "../ui/dom.js";
import { createLinkPainter } from "./linkdraw.js";
import { linkWidth } from "./netlayout.js";
import { paintedBy } from "../ui/offscreen.js";

const DASH_PERIOD = 12; // the dash pattern "9 3"
// While playing, a new state at most once in this many drawn frames: a machine too busy to
// draw the page at full rate gets fewer link redraws too (each costs ~20 ms without a GPU).
const PLAYING_FRAMES = 10;
const stillMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

export function createLinkLayer(box) {
  const canvas = el("canvas", { class: "link-layer", "aria-hidden": "true" });
  box.prepend(canvas); // under the SVG's hit paths and bias squares
  const post = paintedBy(canvas, new URL("./linkworker.js", import.meta.url), createLinkPainter);
  let links = []; // {layer, index, hit}: the weight each link shows and its SVG hit path
  let shades = new Int8Array(0);
  let widths = new Float32Array(0);
  let offset = NaN;
  let hovered = -1;
  let changed = false;
  let playing = false;
  let scale = 1;
  let framesSincePost = 0;

  /** `list`: [{layer, index, d, hit}] in drawing order; the box is `width × height` CSS px;
   * `widthScale` thickens every link; `mid` ("#rrggbb" or "") recolours the weights near 0. */
  function layout(list, width, height, widthScale = 1, mid = "") {
    const ratio = window.devicePixelRatio || 1;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    links = list.map(({ layer, index, hit }) => ({ layer, index, hit }));
    shades = new Int8Array(links.length).fill(-2); // −2: not drawn yet
    widths = new Float32Array(links.length);
    offset = NaN;
    hovered = -1;
    scale = widthScale;
    const palette = mid ? shadesThrough(mid) : null;
    post({ paths: list.map((link) => link.d), width, height, ratio, palette });
  }

  /** Quantize the frame's weights and flow; post the state only if something visible changed.
   * While playing, only on the read-outs' clock (ten times a second) and PLAYING_FRAMES drawn
   * frames after the last post: the worker redraws at most five times a second then. */
  function draw(frame) {
    framesSincePost += 1;
    if (frame.playing && playing && (!textClock.due || framesSincePost < PLAYING_FRAMES)) return;
    // The flow moves with the epoch (1 px per 3 epochs, like the reference).
    const flow = stillMotion.matches ? 0 : -Math.round(frame.epoch / 3) % DASH_PERIOD;
    if (flow !== offset) {
      offset = flow;
      changed = true;
      if (!frame.playing) canvas.dataset.flow = String(flow); // test hook, never while playing
    }
    if (frame.playing !== playing) {
      playing = frame.playing;
      changed = true;
    }
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      const w = frame.weights[link.layer][link.index];
      const shade = shadeIndex(w);
      const width = linkWidth(w, scale);
      if (shade === shades[i] && width === widths[i]) continue;
      shades[i] = shade;
      widths[i] = width;
      changed = true;
      // What the canvas draws, readable where the link is hovered and clicked.
      link.hit.dataset.shade = String(shade);
      link.hit.dataset.width = String(width);
    }
    flush();
  }

  function flush() {
    if (!changed || !links.length || shades[0] === -2) return;
    changed = false;
    framesSincePost = 0;
    const state = { shades: shades.slice(), widths: widths.slice(), offset, hovered, playing };
    post({ state }, [state.shades.buffer, state.widths.buffer]);
  }

  /** Draw link `index` solid (the one the card describes), or none with −1. */
  function highlight(index) {
    if (index === hovered) return;
    hovered = index;
    changed = true;
    flush();
  }

  return { layout, draw, highlight };
}
