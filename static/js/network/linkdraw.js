// Draws the diagram's links on a 2D canvas: a stroke per link in its weight's shade and
// width, dashed "9 3" and shifted by the flow offset (the hovered link solid). Runs in the
// link worker (linkworker.js), or on the page without OffscreenCanvas (links.js).
import { NAN_HEX, SHADE_HEX } from "../ui/colors.js";

const DASH = [9, 3];
const PAUSED_MS = 1000 / 30 - 4; // a little slack for the display's jitter
// While training plays: five redraws a second. Each one rasterizes ~5,000 dashes (~20 ms of a
// core without a GPU), and the flow still reads as motion: at B's ~60 epochs a second the
// dashes step 4 px of their 12 px pattern, always forward.
const PLAYING_MS = 1000 / 5 - 4;

/**
 * Messages: {paths: [SVG path data per link], width, height, ratio, palette} on each layout
 * (the box in CSS px, the device pixel ratio, the 31 shades or null for the reference's); {state: {shades: Int8Array (−1 = NaN, drawn grey),
 * widths: Float32Array (CSS px), offset: the dash offset, hovered: the solid link or −1,
 * playing: whether training plays (then it redraws less often)}}.
 */
export function createLinkPainter(canvas) {
  const context = canvas.getContext("2d");
  let paths = [];
  let ratio = 1;
  let palette = SHADE_HEX;
  let state = null;
  let stale = false;
  let shownHovered = -1; // the link drawn solid

  function receive(message) {
    if (message.paths) {
      paths = message.paths.map((d) => new Path2D(d));
      ratio = message.ratio;
      palette = message.palette || SHADE_HEX;
      canvas.width = Math.round(message.width * ratio);
      canvas.height = Math.round(message.height * ratio);
      state = null;
    }
    if (message.state) state = message.state;
    stale = true;
  }

  function draw() {
    if (!stale || !state || state.shades.length !== paths.length) return;
    stale = false;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineDashOffset = state.offset;
    context.setLineDash(DASH);
    const { shades, widths, hovered } = state;
    shownHovered = hovered;
    for (let i = 0; i < paths.length; i++) {
      const shade = shades[i];
      context.strokeStyle = shade < 0 ? NAN_HEX : palette[shade];
      context.lineWidth = widths[i];
      if (i === hovered) context.setLineDash([]);
      context.stroke(paths[i]);
      if (i === hovered) context.setLineDash(DASH);
    }
  }

  // A hovered link turns solid at once, even while training plays.
  const minInterval = () => (state && state.playing && state.hovered === shownHovered ? PLAYING_MS : PAUSED_MS);

  return { receive, draw, minInterval };
}
