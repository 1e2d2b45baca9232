// The page's state slices: get/set/subscribe, derived slices, one-off events.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createEvents } from "../../static/js/model/events.js";
import { createRun } from "../../static/js/model/run.js";
import { createSlice, derive, onChange, shallowEqual } from "../../static/js/model/slice.js";

test("a listener hears a change with the previous value, and not a set to the same value", () => {
  const slice = createSlice(1);
  const heard = [];
  const stop = slice.subscribe((value, previous) => heard.push([value, previous]));
  slice.set(2);
  slice.set(2);
  stop();
  slice.set(3);
  assert.deepEqual(heard, [[2, 1]]);
  assert.equal(slice.get(), 3);
});

test("an object slice compared shallowly hears only a changed field", () => {
  const slice = createSlice({ drawing: false, draft: null }, shallowEqual);
  let calls = 0;
  slice.subscribe(() => (calls += 1));
  slice.patch({ drawing: false });
  slice.patch({ drawing: true });
  assert.equal(calls, 1);
  assert.deepEqual(slice.get(), { drawing: true, draft: null });
});

test("a derived slice speaks only when what it picks changes", () => {
  const config = createSlice({ learningRate: 0.03, data: [1, 2] });
  const data = derive(config, (c) => ({ data: c.data }));
  const seen = [];
  data.subscribe((value) => seen.push(value.data));
  config.set({ ...config.get(), learningRate: 0.1 });
  config.set({ learningRate: 0.1, data: [3] });
  assert.deepEqual(seen, [[3]]);
  const shapes = [];
  onChange(config, (c) => [String(c.data)], (c) => shapes.push(c.learningRate));
  config.set({ learningRate: 0.3, data: [3] });
  config.set({ learningRate: 0.3, data: [4] });
  assert.deepEqual(shapes, [0.3]);
});

test("events reach the listeners of the moment and are not kept", () => {
  const events = createEvents();
  const heard = [];
  events.emit("notice", "too early");
  const stop = events.on("notice", (detail) => heard.push(detail));
  events.emit("notice", "now");
  events.emit("other", "elsewhere");
  stop();
  events.emit("notice", "too late");
  assert.deepEqual(heard, ["now"]);
});

test("two runs on one page keep their own state", () => {
  const [left, right] = [createRun(), createRun()];
  const notices = [];
  right.events.on("notice", (n) => notices.push(n.text));
  left.playing.set(true);
  left.notify("info", "left only");
  assert.equal(right.playing.get(), false);
  assert.deepEqual(notices, []);
});
