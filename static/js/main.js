// Entry point: the keyboard, one run's state (model/run.js), its connection, the views of each part of the page
// (folders: session, model, controls, network, output, data, lecture, ui), the frame renderer.
import { createSettings } from "./controls/settings.js";
import { createToolbar } from "./controls/toolbar.js";
import { createDataMenu } from "./data/datamenu.js";
import { createDataPanel } from "./data/datapanel.js";
import { createDrawing } from "./data/drawing.js";
import { createLecture } from "./lecture/lecture.js";
import { createRun } from "./model/run.js";
import { createCard } from "./network/card.js";
import { createLayers } from "./network/layers.js";
import { createNetworkDescription } from "./network/netdescribe.js";
import { createNetworkKeys } from "./network/netkeys.js";
import { createNetwork } from "./network/network.js";
import { createTouchAccess } from "./network/touch.js";
import { createLegend } from "./output/legend.js";
import { createLossChart } from "./output/losschart.js";
import { createOutputMap } from "./output/outputmap.js";
import { createRace } from "./race/race.js";
import { createLayerView } from "./replay/layerview.js";
import { createTimeline } from "./replay/timeline.js";
import { createStudentClass } from "./class/student.js";
import { createClassroom } from "./session/classroom.js";
import { Connection } from "./session/connection.js";
import { createRenderer } from "./session/render.js";
import { createBanners } from "./ui/banners.js";
import { createDisplay } from "./ui/display.js";
import { createKeys } from "./ui/keys.js";
import { createOffline } from "./ui/offline.js";

const keys = createKeys();
createDisplay(keys); // presentation mode and contrast first: the views measure the boxes they give
const run = createRun();
let renderer = null;
const conn = new Connection(run, {
  onFrame: (frame) => renderer.receive(frame),
  onSettled: (seq) => renderer.settle(seq),
  onSent: (seq) => renderer.sent(seq),
});
renderer = createRenderer(run, conn);

const toolbar = createToolbar(run, conn);
createSettings(run, conn);
createDataPanel(run, conn);
createClassroom(run, conn);
const layers = createLayers(run, conn);
const network = createNetwork(run, conn, layers);
const card = createCard(run, conn, network);
const netKeys = createNetworkKeys(run, network.box, network.element, {
  focusNeuron: network.setFocus,
  showValue: card.showFor,
  edit: card.editFor,
});
network.onBuilt(netKeys.built);
createTouchAccess(network, card);
createNetworkDescription(run);
const outputMap = createOutputMap(run);
const lossChart = createLossChart(run);
createLegend(run);
createDrawing(run, conn, keys);
createDataMenu(run, conn);
createBanners(run, toolbar);
createOffline(run);
keys.bindControls(toolbar, card);
const lecture = createLecture(run, conn, network);
const race = createRace(run, conn);
const timeline = createTimeline(run, conn);
createLayerView(run, conn);
createStudentClass(run, conn);

renderer.add(toolbar, network, outputMap, lossChart, card, ...lecture.views, ...race.views, timeline);
conn.start();
