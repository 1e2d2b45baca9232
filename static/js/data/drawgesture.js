// The pointer on the map in draw mode, mouse, pen and finger alike: a press adds a point, a
// drag adds one every few pixels along the way (shown at once, sent once when the pointer
// lifts, undone in one step), a shift-press removes the nearest point.

const SPACING_PX = 14; // a drag adds a point each time it has moved this far

/**
 * @param surface  the map's top canvas
 * @param hooks    {enabled(), pointAt(event) → [x, y], label(), begin() → the points before,
 *                  preview(points), commit(before, points), remove(event)}
 */
export function attachDrawGesture(surface, hooks) {
  let stroke = null; // {before, points, last: [clientX, clientY], id}

  surface.addEventListener("pointerdown", (event) => {
    if (!hooks.enabled() || event.button !== 0) return; // right-click: the context menu removes
    event.preventDefault();
    if (event.shiftKey) {
      hooks.remove(event);
      return;
    }
    surface.setPointerCapture(event.pointerId);
    const before = hooks.begin();
    stroke = { before, points: before.concat([[...hooks.pointAt(event), hooks.label()]]), id: event.pointerId };
    stroke.last = [event.clientX, event.clientY];
    hooks.preview(stroke.points);
  });

  surface.addEventListener("pointermove", (event) => {
    if (!stroke || event.pointerId !== stroke.id) return;
    const [x, y] = stroke.last;
    if (Math.hypot(event.clientX - x, event.clientY - y) < SPACING_PX) return;
    stroke.last = [event.clientX, event.clientY];
    stroke.points = stroke.points.concat([[...hooks.pointAt(event), hooks.label()]]);
    hooks.preview(stroke.points);
  });

  const finish = (event) => {
    if (!stroke || event.pointerId !== stroke.id) return;
    const { before, points } = stroke;
    stroke = null;
    hooks.commit(before, points);
  };
  surface.addEventListener("pointerup", finish);
  surface.addEventListener("pointercancel", finish);
}
