// The data column's lecture switches: the number of classes of a multi-class dataset,
// an 80/10/10 train/validation/test split (row 10), and "scale matters" (row 9): feature x
// multiplied by 1000, and standardized features.
import { byId } from "../ui/dom.js";
import { CFG, PROBLEM, SCALE_FEATURE, send } from "../session/protocol.js";
import { onChange } from "../model/slice.js";

const SPLIT_ON = { [CFG.percTrainData]: 80, [CFG.percValData]: 10 };
const BIG_SCALE = 1000;

export function createDataOptions(run, conn) {
  const classesBox = byId("classes-box");
  const classes = byId("num-classes");
  const classesValue = byId("classes-value");
  const validation = byId("validation-split");
  const splitText = byId("split-text");
  const scale = byId("x-scale");
  const standardize = byId("standardize");
  const configure = (config) => conn.send(send.configure(config));
  let trainBefore = 50; // the two-way split to return to when validation is switched off

  const scaleKey = () => {
    const feature = run.hello.get() && run.hello.get().features.find((f) => f.key === SCALE_FEATURE);
    return feature ? feature.scaleKey : null;
  };

  classes.addEventListener("input", () => (classesValue.textContent = classes.value));
  classes.addEventListener("change", () => configure({ [CFG.numClasses]: Number(classes.value) }));
  validation.addEventListener("change", () => {
    const off = { [CFG.percTrainData]: trainBefore, [CFG.percValData]: 0 };
    configure(validation.checked ? SPLIT_ON : off);
  });
  scale.addEventListener("change", () => {
    const key = scaleKey();
    if (key) configure({ [key]: scale.checked ? BIG_SCALE : 1 });
  });
  standardize.addEventListener("change", () => configure({ [CFG.standardize]: standardize.checked }));

  run.hello.subscribe((hello) => {
    const range = hello.limits.numClasses;
    if (range) [classes.min, classes.max] = [range[0], range[1]];
  });

  const shownOf = ({ config, data }) => [data, config[CFG.problem], config[CFG.numClasses], config[CFG.percValData],
    config[CFG.percTrainData], config[scaleKey()], config[CFG.standardize]];
  onChange(run.config, shownOf, ({ config, data }) => {
    const multiclass = config[CFG.problem] === PROBLEM.multiclass;
    classesBox.hidden = !multiclass;
    if (multiclass) {
      classes.value = String(config[CFG.numClasses]);
      classesValue.textContent = String(config[CFG.numClasses]);
    }
    const share = config[CFG.percValData] || 0;
    validation.checked = share > 0;
    const train = config[CFG.percTrainData];
    if (!share) trainBefore = train;
    // The switch names the split it gives, or the one in use (train/validation/test %).
    splitText.textContent = share ? `(${train}/${share}/${100 - train - share})` : "(80/10/10)";
    validation.dataset.points = String(data.validation.length);
    const key = scaleKey();
    scale.checked = Boolean(key && config[key] !== 1);
    standardize.checked = Boolean(config[CFG.standardize]);
  });
}
