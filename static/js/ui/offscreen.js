// A canvas drawn by a worker: the page posts messages, the worker (which owns the canvas as
// an OffscreenCanvas) draws on its own animation frame, so rasterizing never takes the page's
// main thread. Without OffscreenCanvas the same painter draws here, at once.

/**
 * @param canvas         the page's canvas
 * @param workerUrl      the worker module's URL (new URL("./x.js", import.meta.url))
 * @param createPainter  canvas → {receive(message), draw()}: takes in what a message says,
 *                       draws the latest state
 * @returns post(message, transfer?)
 */
export function paintedBy(canvas, workerUrl, createPainter) {
  if (canvas.transferControlToOffscreen && window.Worker) {
    const worker = new Worker(workerUrl, { type: "module" });
    const offscreen = canvas.transferControlToOffscreen();
    worker.postMessage({ canvas: offscreen }, [offscreen]);
    return (message, transfer = []) => worker.postMessage(message, transfer);
  }
  const painter = createPainter(canvas);
  return (message) => {
    painter.receive(message);
    painter.draw();
  };
}

/**
 * The worker side: each message goes to the painter at once; it draws the latest state on
 * the next animation frame, at most once per `minIntervalMs`, or per the painter's own
 * `minInterval()` when it has one (a lower rate while training plays: the picture changes
 * a little at every frame, and the cores are the training's).
 */
export function serveCanvas(createPainter, minIntervalMs = 0) {
  let painter = null;
  let scheduled = false;
  let paintedAt = -Infinity;
  const interval = () => (painter.minInterval ? painter.minInterval() : minIntervalMs);
  const frame = (now) => {
    if (now - paintedAt < interval()) {
      requestAnimationFrame(frame);
      return;
    }
    scheduled = false;
    paintedAt = now;
    painter.draw();
  };
  self.onmessage = ({ data }) => {
    if (data.canvas) {
      painter = createPainter(data.canvas);
      return;
    }
    painter.receive(data);
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(frame);
    }
  };
}

/**
 * Size a painter's canvas to `width` × `height` CSS px at the device pixel ratio `ratio`,
 * drawing in CSS px from then on (a resize clears the canvas and resets its context).
 */
export function sizeCanvas(canvas, context, { width, height, ratio }) {
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
}
