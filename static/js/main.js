// Entry point: the keyboard, one store, one connection, the views of each part of the page
// (folders: session, model, controls, network, output, data, lecture, ui), the frame renderer.
import { createSettings } from "./controls/settings.js";
import { createToolbar } from "./controls/toolbar.js";
import { createDataMenu } from "./data/datamenu.js";
import { createDataPanel } from "./data/datapanel.js";
import { createDrawing } from "./data/drawing.js";
import { createLecture } from "./lecture/lecture.js";
import { Store } from "./model/store.js";
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
const store = new Store();
let renderer = null;
const conn = new Connection(store, (frame) => renderer.receive(frame));
renderer = createRenderer(store, conn);

const toolbar = createToolbar(store, conn);
createSettings(store, conn);
createDataPanel(store, conn);
createClassroom(store, conn);
const layers = createLayers(store, conn);
const network = createNetwork(store, conn, layers);
const card = createCard(store, conn, network);
const netKeys = createNetworkKeys(store, network.box, network.element, {
  focusNeuron: network.setFocus,
  showValue: card.showFor,
  edit: card.editFor,
});
network.onBuilt(netKeys.built);
createTouchAccess(network, card);
createNetworkDescription(store);
const outputMap = createOutputMap(store);
const lossChart = createLossChart(store);
createLegend(store);
createDrawing(store, conn, keys);
createDataMenu(store, conn);
createBanners(store, toolbar);
createOffline(store);
keys.bindControls(toolbar, card);
const lecture = createLecture(store, conn, network);
const race = createRace(store, conn);
const timeline = createTimeline(store, conn);
createLayerView(store, conn);
createStudentClass(store, conn);

renderer.add(toolbar, network, outputMap, lossChart, card, ...lecture.views, ...race.views, timeline);
conn.start();
