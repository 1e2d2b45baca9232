// The link canvas's worker. Rasterizing ~400 dashed curves in software takes many
// milliseconds; here it never blocks the page. It redraws at most 30 times a second (every
// other display frame): the flow still moves smoothly, and a machine without a GPU keeps a
// core for training and the page.
import { createLinkPainter } from "./linkdraw.js";
import { serveCanvas } from "./offscreen.js";

serveCanvas(createLinkPainter, 1000 / 30 - 4); // a little slack for the display's jitter
