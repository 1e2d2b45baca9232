// The neuron thumbnails' canvas over the diagram, painted by a worker (thumbdraw.js says
// how): the page posts where the neurons are, then each frame's thumbnail bytes.
import { el, textClock } from "../ui/dom.js";
import { paintedBy } from "../ui/offscreen.js";
import { createThumbPainter } from "./thumbdraw.js";

export function createThumbLayer(box) {
  const canvas = el("canvas", { class: "thumb-layer", "aria-hidden": "true" }, box);
  const post = paintedBy(canvas, new URL("./thumbworker.js", import.meta.url), createThumbPainter);

  /** Place the thumbnails: `nodes` are the hidden and output nodes in frame order. */
  function layout(nodes, nodeSize, width, height) {
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const slots = nodes.map((node) => ({ x: node.x + 1, y: node.y + 1 })); // inside the 1 px border
    post({ slots, size: nodeSize - 2, width, height, ratio: window.devicePixelRatio || 1 });
  }

  /** While playing, on the read-outs' clock only (the worker paints at most 15 a second). */
  function draw(frame) {
    if (frame.playing && !textClock.due) return;
    const thumbs = frame.thumbs.slice(); // its own buffer, handed over to the worker
    post({ thumbs, side: frame.thumbSize, playing: frame.playing }, [thumbs.buffer]);
  }

  /** Whether the output neuron is a probability (a sigmoid output): coloured as 2p − 1. */
  function probability(yes) {
    post({ probabilityOutput: yes });
  }

  return { layout, draw, probability };
}
