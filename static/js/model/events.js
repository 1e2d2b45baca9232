// One-off events (a notice for the user, "explain this weight", a CSV report): heard by
// whoever listens at the time, never kept as state.

export function createEvents() {
  const listeners = new Map(); // type → Set of listeners
  return {
    /** @returns a function that stops listening */
    on(type, listener) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(listener);
      return () => listeners.get(type).delete(listener);
    },
    emit(type, detail) {
      for (const listener of [...(listeners.get(type) || [])]) listener(detail);
    },
  };
}
