// A slice of the page's state: one value with get/set/subscribe. A listener hears only a
// change (by the slice's equality), with the new value and the previous one.

/** Same keys with the same values (arrays element by element), one level deep. */
export function shallowEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (!a || !b || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && Object.is(a[key], b[key]));
}

export function createSlice(initial, equal = Object.is) {
  let value = initial;
  const listeners = new Set();
  return {
    get: () => value,
    set(next) {
      if (equal(next, value)) return;
      const previous = value;
      value = next;
      for (const listener of [...listeners]) listener(value, previous);
    },
    /** For an object value: set it with `partial`'s fields changed. */
    patch(partial) {
      this.set({ ...value, ...partial });
    },
    /** @returns a function that unsubscribes */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * A read-only slice computed from others: `pick(...their values)`, heard only when the
 * pick changes (shallowly by default). A view subscribes to what it draws, so a learning-rate
 * echo does not redraw the points.
 */
export function derive(sources, pick, equal = shallowEqual) {
  const list = Array.isArray(sources) ? sources : [sources];
  const compute = () => pick(...list.map((source) => source.get()));
  const slice = createSlice(compute(), equal);
  for (const source of list) source.subscribe(() => slice.set(compute()));
  return { get: slice.get, subscribe: slice.subscribe };
}

/** Call `listener(value)` when `keyOf(value)` changes (a list compared element by element),
 * not at every set: a view that draws the network's shape hears only a new shape. */
export function onChange(source, keyOf, listener) {
  const key = (value) => (value === null || value === undefined ? null : keyOf(value));
  return derive(source, key).subscribe(() => listener(source.get()));
}
