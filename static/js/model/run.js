// A run's state as one object of slices: a page holds one (or two, race lanes), a dashboard
// thirty. Each slice is set by the session (session/connection.js) or by the control that
// owns it, and heard by the views that draw it.
//
// Events (run.events): "notice" {kind, text}, "explain" {kind, layer, …} (open the backprop
// inspector), "inspection", "csv_report", "exported", "refused" (an error of a message sent
// without conn.request: a control may show it where its user looks), "replay", "history",
// "layer_view", "class" (the class this page is in, or null), "class_pushed", "frozen".
import { createEvents } from "./events.js";
import { createSlice, shallowEqual } from "./slice.js";

export function createRun() {
  const events = createEvents();
  return {
    hello: createSlice(null), // readHello(): registries and server limits
    config: createSlice(null), // readConfig(): every config echo (a new object each time)
    frame: createSlice(null), // the latest decoded frame; drawn by session/render.js
    playing: createSlice(false),
    speed: createSlice(1), // epochs per frame, or the "max" speed value
    // connecting | open | reconnecting | full | refused; why the server refused, its words
    connection: createSlice({ state: "connecting", retryInS: 0, serverMessage: "" }, shallowEqual),
    health: createSlice({ diverged: false, reason: "" }, shallowEqual),
    focus: createSlice(null, shallowEqual), // {layer, neuron} hovered, or null
    // draw mode on the output map and its drawn points not sent yet (too few), or null
    draw: createSlice({ drawing: false, draft: null }, shallowEqual),
    // what the output map shows of the data and the map: set at once by the check boxes and
    // by every config echo, so a toggle redraws without waiting for the server
    display: createSlice({ showTestData: false, discretize: false }, shallowEqual),
    race: createSlice(null), // readRace(): the lanes of a race, the edited one, the winner
    laneFrames: createSlice(null), // a race's latest frame of every lane, or null
    events,
    /** A message for the user: kind "notice" (dismissible), "error" (fades) or "info". */
    notify: (kind, text) => events.emit("notice", { kind, text }),
  };
}
