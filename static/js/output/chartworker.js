// The loss chart's worker: strokes the curves (thousands of anti-aliased segments in
// software) off the page's main thread.
import { createChartPainter } from "./chartdraw.js";
import { serveCanvas } from "../ui/offscreen.js";

serveCanvas(createChartPainter);
