// The neuron thumbnails' worker: paints each frame's thumbnails off the page's main thread.
import { serveCanvas } from "../ui/offscreen.js";
import { createThumbPainter } from "./thumbdraw.js";

serveCanvas(createThumbPainter);
