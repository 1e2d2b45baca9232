"""Every option list, default and limit of a configuration: the one source the page's menus use."""

from __future__ import annotations

from typing import Any

from engine import activations, datasets, regularization
from engine.features import FEATURES, SCALE_KEYS
from engine.losses import LOSSES
from engine.optimizers import OPTIMIZERS
from engine.regularization import REGULARIZATIONS

PROBLEMS = ["classification", "regression", "multiclass"]
PROBLEM_LABELS = {
    "classification": "Classification",
    "regression": "Regression",
    "multiclass": "Multi-class",
}
# Which configuration key names the dataset of each problem.
DATASET_KEYS = {"classification": "dataset", "regression": "regDataset", "multiclass": "mcDataset"}
LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]
REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10]
# "auto" resolves by problem: the reference's tanh/linear, softmax for several classes.
AUTO_OUTPUT = {"classification": "tanh", "regression": "linear", "multiclass": "softmax"}
# "auto" loss by output (lecture row 4): a probability gets its cross-entropy, the step
# its perceptron rule, anything else the reference's squared error.
AUTO_LOSS = {"softmax": "softmax_ce", "step": "perceptron"}
AUTO_LOSS_CLASSIFICATION = {"sigmoid": "bce"}


def auto_loss(problem: str, output: str) -> str:
    """The loss "auto" stands for with this problem and output activation."""
    if problem == "classification" and output in AUTO_LOSS_CLASSIFICATION:
        return AUTO_LOSS_CLASSIFICATION[output]
    return AUTO_LOSS.get(output, "square")


HIDABLE_CONTROLS = [
    "showTestData",
    "discretize",
    "playButton",
    "stepButton",
    "resetButton",
    "learningRate",
    "activation",
    "regularization",
    "regularizationRate",
    "problem",
    "dataset",
    "percTrainData",
    "noise",
    "batchSize",
    "numHiddenLayers",
]

LIMITS: dict[str, dict[str, Any]] = {
    "hiddenLayers": {"min": 0, "max": 8},
    "neurons": {"min": 1, "max": 16},
    # min/max are the page's controls; a reference link may carry more (link*), as the
    # reference accepts it: a batch larger than the training set never updates, a huge
    # learning rate diverges at once (and the run stops with its explanation)
    "batchSize": {"min": 1, "max": 100, "linkMax": 5000},
    "learningRate": {"min": 0, "max": 10, "minExclusive": True, "linkMax": 1e6},
    "regularizationRate": {"min": 0, "max": 10},
    # The slider stops at 50; reference links may carry up to 80 (above 80 becomes 50).
    "noise": {"min": 0, "max": 50, "step": 5, "linkMax": 80},
    "percTrainData": {"min": 10, "max": 90, "step": 10, "linkMin": 1, "linkMax": 99},
    "percValData": {"min": 0, "max": 30, "step": 5},
    "percTrainPlusVal": {"max": 90},
    "numClasses": {"min": datasets.MIN_CLASSES, "max": datasets.MAX_CLASSES},
    "featureScale": {"min": 0.001, "max": 1000},
    "points": {"min": 2, "max": 5000},
    "seedLength": {"min": 1, "max": 1000},  # seedrandom mixes every character in
    # A run's epoch (a frame carries it as uint32); files and snapshots beyond it are refused.
    "epoch": {"min": 0, "max": 1_000_000_000},
}

DEFAULTS: dict[str, Any] = {
    "activation": "tanh",
    "regularization": "none",
    "regularizationRate": 0.0,
    "learningRate": 0.03,
    "batchSize": 10,
    "problem": "classification",
    "dataset": "circle",
    "regDataset": "reg-plane",
    "noise": 0,
    "percTrainData": 50,
    "networkShape": [4, 2],
    "seed": None,  # None: drawn at random, like a link without a seed
    "initZero": False,
    "showTestData": False,
    "discretize": False,
    **{name: name in ("x", "y") for name in FEATURES},
    "mcDataset": "blobs",
    "numClasses": 3,
    "outputActivation": "auto",
    "loss": "auto",
    "optimizer": "sgd",
    "percValData": 0,
    "standardize": False,
    **{key: 1.0 for key in SCALE_KEYS.values()},
    "hidden": {"controls": [], "features": [], "text": False, "tutorial": None},
}

# Keys that apply between steps without a rebuild; DATA_KEYS need new data; any other
# change rebuilds the network with new weights from the continuing random stream.
LIVE_KEYS = frozenset(
    {
        "learningRate",
        "regularizationRate",
        "regularization",
        "optimizer",
        "showTestData",
        "discretize",
        "hidden",
    }
)
DATA_KEYS = frozenset(
    {
        "problem",
        "dataset",
        "regDataset",
        "mcDataset",
        "numClasses",
        "noise",
        "percTrainData",
        "percValData",
        "seed",
    }
)


def _named(registry: dict) -> list[dict[str, str]]:
    return [{"name": name, "label": item.label} for name, item in registry.items()]


def _labelled(names, labels: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "label": labels[name]} for name in names]


def registries() -> dict[str, Any]:
    """Every option list as JSON-able data: the server sends it and the page builds menus."""
    return {
        "activations": [
            {"name": name, "label": act.label, "curve": activations.curve(name)}
            for name, act in activations.HIDDEN_ACTIVATIONS.items()
        ],
        # an output's `low` is the value of the orange class (its threshold is halfway to 1)
        "output_activations": [{"name": "auto", "label": "Auto"}]
        + [
            {"name": name, "label": act.label, "curve": activations.curve(name), "low": act.low}
            for name, act in activations.OUTPUT_ACTIVATIONS.items()
        ],
        "auto_output": dict(AUTO_OUTPUT),
        "losses": [{"name": "auto", "label": "Auto"}] + _named(LOSSES),
        "optimizers": _named(OPTIMIZERS),
        "regularizations": _labelled(REGULARIZATIONS, regularization.LABELS),
        "problems": _labelled(PROBLEMS, PROBLEM_LABELS),
        "datasets": {
            problem: _labelled(datasets.DATASETS[problem], datasets.LABELS[problem])
            for problem in PROBLEMS
        },
        "dataset_keys": dict(DATASET_KEYS),
        "features": [
            {"name": f.name, "label": f.label, "scale_key": SCALE_KEYS[f.name]}
            for f in FEATURES.values()
        ],
        "learning_rates": list(LEARNING_RATES),
        "regularization_rates": list(REGULARIZATION_RATES),
        "hidable_controls": list(HIDABLE_CONTROLS),
        "limits": {key: dict(value) for key, value in LIMITS.items()},
        "defaults": {key: _copy(value) for key, value in DEFAULTS.items()},
        "live_keys": sorted(LIVE_KEYS),
        "data_keys": sorted(DATA_KEYS),
    }


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return list(value)
    return value
