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
 * a little at every frame, and the cores are the training's). Until a drawing is due the
 * worker waits on a timer, not frame after frame: a worker that asks for every animation
 * frame is woken, and sent a frame by the compositor, sixty times a second for nothing.
 */
export function serveCanvas(createPainter, minIntervalMs = 0) {
  let painter = null;
  let pending = "none"; // "none", "timer" (waiting until `due`), "frame" (asked for one)
  let timer = 0;
  let due = 0;
  let paintedAt = -Infinity;
  const interval = () => (painter.minInterval ? painter.minInterval() : minIntervalMs);
  const frame = (now) => {
    pending = "none";
    if (now - paintedAt < interval()) return schedule(now);
    paintedAt = now;
    painter.draw();
  };
  function schedule(now) {
    const when = paintedAt + interval();
    if (pending === "frame" || (pending === "timer" && due <= when)) return;
    clearTimeout(timer);
    if (when <= now) {
      pending = "frame";
      requestAnimationFrame(frame);
      return;
    }
    pending = "timer";
    due = when;
    timer = setTimeout(() => {
      pending = "frame";
      requestAnimationFrame(frame);
    }, when - now);
  }
  self.onmessage = ({ data }) => {
    if (data.canvas) {
      painter = createPainter(data.canvas);
      return;
    }
    painter.receive(data);
    schedule(performance.now()); // sooner, if this message shortened the interval
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
