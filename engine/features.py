"""Input features of a 2-D point (x, y, x², …), their scaling and standardization."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine import exact
from engine.datasets import DOMAIN

Array = np.ndarray


@dataclass(frozen=True)
class Feature:
    name: str
    label: str
    function: Callable[[Array, Array], Array]


# The reference's order: x, y, x², y², xy, sin x, sin y.
FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        Feature("x", "x", lambda x, y: x),
        Feature("y", "y", lambda x, y: y),
        Feature("xSquared", "x²", lambda x, y: x * x),
        Feature("ySquared", "y²", lambda x, y: y * y),
        Feature("xTimesY", "xy", lambda x, y: x * y),
        Feature("sinX", "sin x", lambda x, y: exact.sin(x)),
        Feature("sinY", "sin y", lambda x, y: exact.sin(y)),
    )
}
SCALE_KEYS: dict[str, str] = {name: f"{name}Scale" for name in FEATURES}


def raw_features(points: Array, names: list[str]) -> Array:
    """The named features of points (n, 2) as columns, shape (n, len(names))."""
    x, y = points[:, 0], points[:, 1]
    out = np.empty((len(points), len(names)), dtype=points.dtype)
    for column, name in enumerate(names):
        out[:, column] = FEATURES[name].function(x, y)
    return out


def grid_points(resolution: int) -> Array:
    """The picture grid as points (R·R, 2) over the data's domain with both ends included,
    row-major: row 0 is y = +6, x = -6 + 12i/(R-1)."""
    axis = np.linspace(-DOMAIN, DOMAIN, resolution)
    xs, ys = np.meshgrid(axis, axis[::-1])
    return np.column_stack([xs.ravel(), ys.ravel()])


def feature_grid(resolution: int = 100) -> Array:
    """All seven raw features on the grid, shape (7, R, R), in FEATURES order."""
    values = raw_features(grid_points(resolution), list(FEATURES))
    return values.T.reshape(len(FEATURES), resolution, resolution)


class InputTransform:
    """Raw points → network inputs: enabled features × their scale, then optionally
    standardized with the training set's mean and standard deviation."""

    def __init__(self, names: list[str], scales: list[float], mean: Array, std: Array) -> None:
        self.names = list(names)
        self.scales = np.asarray(scales, dtype=np.float64)
        self.mean = np.asarray(mean, dtype=np.float64)
        self.std = np.asarray(std, dtype=np.float64)

    @classmethod
    def fit(cls, config: dict, train_points: Array) -> InputTransform:
        names = enabled_features(config)
        scales = [float(config[SCALE_KEYS[name]]) for name in names]
        mean, std = np.zeros(len(names)), np.ones(len(names))
        if config["standardize"] and len(train_points):
            scaled = raw_features(train_points, names) * scales
            n = len(scaled)
            mean = exact.ordered_sum(scaled) / n  # sums in point order: the same everywhere
            spread = np.sqrt(exact.ordered_sum((scaled - mean) ** 2) / n)
            std = np.where(spread > 0, spread, 1.0)  # a constant feature stays centred
        return cls(names, scales, mean, std)

    @property
    def is_identity(self) -> bool:
        return bool(np.all(self.scales == 1) and np.all(self.mean == 0) and np.all(self.std == 1))

    def apply(self, points: Array) -> Array:
        """Network inputs for points (n, 2): shape (n, len(names)), float64."""
        values = raw_features(np.asarray(points, dtype=np.float64), self.names)
        if self.is_identity:
            return values
        return (values * self.scales - self.mean) / self.std


def enabled_features(config: dict) -> list[str]:
    """The enabled feature names of a configuration, in the network's input order."""
    return [name for name in FEATURES if config[name]]
