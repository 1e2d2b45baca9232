// Entry point: one store, one connection, the views, and the frame renderer.
import { createBanners } from "./banners.js";
import { createCard } from "./card.js";
import { createClassroom } from "./classroom.js";
import { Connection } from "./connection.js";
import { createDataMenu } from "./datamenu.js";
import { createDataPanel } from "./datapanel.js";
import { createDisplay } from "./display.js";
import { createDrawing } from "./drawing.js";
import { createKeys } from "./keys.js";
import { createLayers } from "./layers.js";
import { createLecture } from "./lecture.js";
import { createLegend } from "./legend.js";
import { createLossChart } from "./losschart.js";
import { createNetworkDescription } from "./netdescribe.js";
import { createNetworkKeys } from "./netkeys.js";
import { createNetwork } from "./network.js";
import { createOffline } from "./offline.js";
import { createOutputMap } from "./outputmap.js";
import { createRenderer } from "./render.js";
import { createSettings } from "./settings.js";
import { Store } from "./store.js";
import { createToolbar } from "./toolbar.js";
import { createTouchAccess } from "./touch.js";

createDisplay(); // presentation mode and contrast first: the views measure the boxes they give
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
createDrawing(store, conn);
createDataMenu(store, conn);
createBanners(store, toolbar);
createOffline(store);
createKeys(toolbar, card);
const lecture = createLecture(store, conn, network);

renderer.add(toolbar, network, outputMap, lossChart, card, ...lecture.views);
conn.start();
