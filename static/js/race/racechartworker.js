// The race chart's worker: strokes every lane's curve off the page's main thread.
import { createRaceChartPainter } from "./racechartdraw.js";
import { serveCanvas } from "../ui/offscreen.js";

serveCanvas(createRaceChartPainter);
