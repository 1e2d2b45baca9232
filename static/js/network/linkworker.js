// The link canvas's worker. Rasterizing ~400 dashed curves in software takes many
// milliseconds; here it never blocks the page. It redraws at most 30 times a second (every
// other display frame), 5 while training plays (linkdraw.js): the flow still moves, and a
// machine without a GPU keeps its cores for training and the page.
import { createLinkPainter } from "./linkdraw.js";
import { serveCanvas } from "../ui/offscreen.js";

serveCanvas(createLinkPainter);
