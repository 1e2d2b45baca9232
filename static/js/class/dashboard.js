// The teacher's dashboard page: its websocket (/ws/class, the secret from the link's
// fragment), the gallery, the teacher's tools, and the spotlight, which draws the chosen
// student's network, map and loss chart with the playground's own views and a run's state.
import { download } from "../data/exports.js";
import { createRun } from "../model/run.js";
import { createNetwork } from "../network/network.js";
import { createLegend } from "../output/legend.js";
import { createLossChart } from "../output/losschart.js";
import { createOutputMap } from "../output/outputmap.js";
import { decodeFrame, splitRace } from "../session/frame.js";
import * as P from "../session/protocol.js";
import { createRenderer } from "../session/render.js";
import { byId } from "../ui/dom.js";
import { createGallery } from "./gallery.js";
import { galleryPng } from "./gallerypng.js";
import { createTeachPanel } from "./teachpanel.js";

const app = byId("app");
const code = app.dataset.code;
const secret = new URLSearchParams(location.hash.replace(/^#/, "")).get("key") || "";
const spot = createRun(); // the spotlit student's run, as their own page holds it
let ws = null;
let received = 0; // spotlight frames received: the credit the server counts
let attempt = 0;

const sendTeacher = (message) => {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
};
// The spotlight is read-only: its views' clicks send nothing.
const spotConn = { seq: 0, send: () => -1, ack: () => sendTeacher(P.teach.ack(received)) };
const renderer = createRenderer(spot, spotConn);
let spotViews = null;

const gallery = createGallery(byId("gallery"), { onSpotlight: (id) => sendTeacher(P.teach.spotlight(id)) });
const panel = createTeachPanel({ code, send: sendTeacher, gallery, status: byId("teach-status") });

function status(state, text) {
  byId("connection").dataset.state = state;
  byId("connection-text").textContent = text;
  app.dataset.connection = state;
}

function showSpotlight(id) {
  gallery.spotlight(id);
  byId("spotlight").hidden = !id;
  app.dataset.spotlight = id || "";
  const data = id && gallery.student(id);
  byId("spotlight-name").textContent = data ? data.name : "";
  byId("spotlight-arch").textContent = data ? data.architecture : "";
  if (id && !spotViews) {
    // built once the section is on screen: the views measure the boxes they are given
    const network = createNetwork(spot, spotConn, { onBuild() {} });
    spotViews = [network, createOutputMap(spot), createLossChart(spot)];
    createLegend(spot);
    renderer.add(...spotViews);
  }
}

const handlers = {
  [P.IN.hello](m) {
    spot.hello.set(P.readHello(m));
  },
  [P.IN.classInfo](m) {
    const info = P.readClassInfo(m);
    panel.info(info);
    if ((info.spotlight || null) !== (app.dataset.spotlight || null)) showSpotlight(info.spotlight);
    app.dataset.ready = "true";
  },
  [P.IN.gallery](m) {
    const count = gallery.update(P.readGallery(m));
    byId("class-count").textContent = count === 1 ? "1 student" : `${count} students`;
    app.dataset.students = String(count);
    if (app.dataset.spotlight) showSpotlight(app.dataset.spotlight);
  },
  [P.IN.spotlightConfig](m) {
    const message = m.message || {};
    if (message.type === P.IN.config) {
      const config = P.readConfig(message, spot.config.get());
      spot.display.set(P.readDisplay(config.config));
      spot.config.set(config);
    } else if (message.type === P.IN.state) spot.playing.set(P.readState(message).playing);
  },
  [P.IN.pushed](m) {
    panel.pushed(m);
  },
  [P.IN.exported](m) {
    const file = P.readExported(m);
    download(file.filename, new Blob([file.text], { type: file.mime }));
  },
  [P.IN.error](m) {
    const error = P.readError(m);
    panel.error(error);
    if (error.code === P.ERROR.notTeacher || error.code === P.ERROR.noClass) {
      status("refused", error.code === P.ERROR.noClass ? "This class has ended" : "Not this class's teacher");
    }
  },
};

function receive(data) {
  if (typeof data !== "string") {
    received += 1;
    if (!spot.config.get()) return spotConn.ack();
    const race = splitRace(data); // a racing student: the lane their controls edit
    renderer.receive(decodeFrame(race ? race.frames[Math.min(race.lane, race.frames.length - 1)] : data));
    return;
  }
  const message = JSON.parse(data);
  const handler = handlers[message.type];
  if (handler) handler(message);
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  ws = new WebSocket(`${scheme}//${location.host}${P.CLASS_WS_PATH}`);
  ws.binaryType = "arraybuffer";
  received = 0;
  ws.onopen = () => {
    attempt = 0;
    status("open", "Connected");
    ws.send(JSON.stringify(P.teach.teach(code, secret)));
  };
  ws.onmessage = (event) => receive(event.data);
  ws.onclose = (event) => {
    if (event.code === 1008) return; // refused: no retry
    status("reconnecting", "Reconnecting…");
    attempt += 1;
    setTimeout(connect, Math.min(8, 0.5 * 2 ** attempt) * 1000);
  };
}

byId("spotlight-close").addEventListener("click", () => sendTeacher(P.teach.spotlight(null)));
byId("gallery-sort").addEventListener("change", (event) => gallery.sortBy(event.target.value));
byId("gallery-png").addEventListener("click", async () => {
  download(`class-${code}-gallery.png`, await galleryPng(code, gallery.tiles()));
});
connect();
