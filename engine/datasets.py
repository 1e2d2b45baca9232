"""Dataset registries and generators: the reference's six, bit-exact, plus multi-class sets."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.rng import SeedRandom

Dataset = tuple[np.ndarray, np.ndarray]
BinaryGenerator = Callable[[int, float, SeedRandom], Dataset]
MulticlassGenerator = Callable[[int, float, SeedRandom, int], Dataset]

N_SAMPLES = {"classification": 500, "regression": 1200, "multiclass": 500}
MIN_CLASSES = 2
MAX_CLASSES = 5
# Every dataset lives in about [-6, 6]², and the output map, the previews and a CSV's
# rescaling span that square: the one definition (features, csv_data and the hello read it).
DOMAIN = 6.0


def _linear_map(
    value: float, d0: float, d1: float, r0: float, r1: float, clamp: bool = False
) -> float:
    """d3 v3's linear scale, in its arithmetic: t = (v-d0)/(d1-d0), r0*(1-t) + r1*t."""
    t = (value - d0) / (d1 - d0)
    if clamp:
        t = max(0.0, min(1.0, t))
    return r0 * (1 - t) + r1 * t


def _distance(x: float, y: float, cx: float, cy: float) -> float:
    """sqrt(dx*dx + dy*dy), which is not always bit-equal to math.hypot."""
    dx = x - cx
    dy = y - cy
    return math.sqrt(dx * dx + dy * dy)


def _half_count(n_samples: int) -> int:
    """How many i satisfy the reference's `i < n / 2` (n rounded up to even)."""
    return (n_samples + 1) // 2


def _as_arrays(points: list[tuple[float, float]], labels: list[float]) -> Dataset:
    return np.array(points, dtype=np.float64).reshape(-1, 2), np.array(labels, dtype=np.float64)


def circle(n_samples: int, noise: float, rng: SeedRandom) -> Dataset:
    """Blue disc r < 2.5 and orange ring 3.5 <= r < 5; noise moves only the label test."""
    radius = 5
    points, labels = [], []
    for r_low, r_high in ((0, radius * 0.5), (radius * 0.7, radius)):
        for _ in range(_half_count(n_samples)):
            r = rng.uniform(r_low, r_high)
            angle = rng.uniform(0, 2 * math.pi)
            x = r * math.sin(angle)
            y = r * math.cos(angle)
            noise_x = rng.uniform(-radius, radius) * noise
            noise_y = rng.uniform(-radius, radius) * noise
            inside = _distance(x + noise_x, y + noise_y, 0, 0) < radius * 0.5
            points.append((x, y))
            labels.append(1.0 if inside else -1.0)
    return _as_arrays(points, labels)


def xor(n_samples: int, noise: float, rng: SeedRandom) -> Dataset:
    """Four quadrants padded 0.3 away from the axes; blue where (x+nx)(y+ny) >= 0."""
    padding = 0.3
    points, labels = [], []
    for _ in range(n_samples):
        x = rng.uniform(-5, 5)
        x += padding if x > 0 else -padding
        y = rng.uniform(-5, 5)
        y += padding if y > 0 else -padding
        noise_x = rng.uniform(-5, 5) * noise
        noise_y = rng.uniform(-5, 5) * noise
        points.append((x, y))
        labels.append(1.0 if (x + noise_x) * (y + noise_y) >= 0 else -1.0)
    return _as_arrays(points, labels)


def gauss(n_samples: int, noise: float, rng: SeedRandom) -> Dataset:
    """Two Gaussian clouds: blue around (2, 2), orange around (-2, -2)."""
    variance = _linear_map(noise, 0, 0.5, 0.5, 4)
    points, labels = [], []
    for centre, label in ((2, 1.0), (-2, -1.0)):
        for _ in range(_half_count(n_samples)):
            x = rng.normal(centre, variance)
            y = rng.normal(centre, variance)
            points.append((x, y))
            labels.append(label)
    return _as_arrays(points, labels)


def spiral(n_samples: int, noise: float, rng: SeedRandom) -> Dataset:
    """Two interleaved arms of 1.75 turns, the orange one rotated by π."""
    half = n_samples / 2
    points, labels = [], []
    for delta_t, label in ((0.0, 1.0), (math.pi, -1.0)):
        for i in range(_half_count(n_samples)):
            r = i / half * 5  # the reference's order of operations, bit for bit
            t = 1.75 * i / half * 2 * math.pi + delta_t
            x = r * math.sin(t) + rng.uniform(-1, 1) * noise
            y = r * math.cos(t) + rng.uniform(-1, 1) * noise
            points.append((x, y))
            labels.append(label)
    return _as_arrays(points, labels)


def _uniform_noisy(rng: SeedRandom, noise: float) -> tuple[float, float, float, float]:
    """A uniform point in [-6, 6]² and where its label is read: (x, y, x + nx, y + ny),
    drawn in the reference's order x, y, nx, ny with nx, ny ~ U(-6, 6)·noise."""
    x = rng.uniform(-DOMAIN, DOMAIN)
    y = rng.uniform(-DOMAIN, DOMAIN)
    noise_x = rng.uniform(-DOMAIN, DOMAIN) * noise
    noise_y = rng.uniform(-DOMAIN, DOMAIN) * noise
    return x, y, x + noise_x, y + noise_y


def _regression(
    n_samples: int, noise: float, rng: SeedRandom, label_of: Callable[[float, float], float]
) -> Dataset:
    """Uniform points in [-6, 6]²; the label is label_of(x + nx, y + ny)."""
    points, labels = [], []
    for _ in range(n_samples):
        x, y, label_x, label_y = _uniform_noisy(rng, noise)
        points.append((x, y))
        labels.append(label_of(label_x, label_y))
    return _as_arrays(points, labels)


def _plane_label(x: float, y: float) -> float:
    return _linear_map(x + y, -10, 10, -1, 1)


_GAUSS_CENTRES = (
    (-4, 2.5, 1),
    (0, 2.5, -1),
    (4, 2.5, 1),
    (-4, -2.5, -1),
    (0, -2.5, 1),
    (4, -2.5, -1),
)


def _gauss_label(x: float, y: float) -> float:
    """The signed bump (1 at a centre, 0 from distance 2) with the largest magnitude."""
    label = 0
    for cx, cy, sign in _GAUSS_CENTRES:
        value = sign * _linear_map(_distance(x, y, cx, cy), 0, 2, 1, 0, clamp=True)
        if abs(value) > abs(label):
            label = value
    return float(label)


def reg_plane(n_samples: int, noise: float, rng: SeedRandom) -> Dataset:
    """Regression target (x + y) / 10, read at the noisy point."""
    return _regression(n_samples, noise, rng, _plane_label)


def reg_gauss(n_samples: int, noise: float, rng: SeedRandom) -> Dataset:
    """Regression target: six signed cone-shaped bumps."""
    return _regression(n_samples, noise, rng, _gauss_label)


CLASSIFICATION: dict[str, BinaryGenerator] = {
    "circle": circle,
    "xor": xor,
    "gauss": gauss,
    "spiral": spiral,
}
REGRESSION: dict[str, BinaryGenerator] = {"reg-plane": reg_plane, "reg-gauss": reg_gauss}


def _class_sizes(n_samples: int, n_classes: int) -> list[int]:
    """Balanced class sizes summing to n_samples (the first classes take the remainder)."""
    if not isinstance(n_classes, int) or not MIN_CLASSES <= n_classes <= MAX_CLASSES:
        raise ValueError(
            f"n_classes must be an integer in {MIN_CLASSES}..{MAX_CLASSES}, got {n_classes!r}"
        )
    base, remainder = divmod(n_samples, n_classes)
    return [base + (c < remainder) for c in range(n_classes)]


def blobs(n_samples: int, noise: float, rng: SeedRandom, n_classes: int) -> Dataset:
    """k Gaussian blobs on a circle of radius 3.5; variance 0.3 → 2 as noise goes 0 → 0.5.

    A point falling outside [-6, 6]² is drawn again (from the same stream).
    """
    variance = _linear_map(noise, 0, 0.5, 0.3, 2.0)
    points, labels = [], []
    for label, size in enumerate(_class_sizes(n_samples, n_classes)):
        angle = 2 * math.pi * label / n_classes + math.pi / 4
        cx, cy = 3.5 * math.cos(angle), 3.5 * math.sin(angle)
        for _ in range(size):
            x, y = rng.normal(cx, variance), rng.normal(cy, variance)
            while abs(x) > DOMAIN or abs(y) > DOMAIN:
                x, y = rng.normal(cx, variance), rng.normal(cy, variance)
            points.append((x, y))
            labels.append(float(label))
    return _as_arrays(points, labels)


def multi_spiral(n_samples: int, noise: float, rng: SeedRandom, n_classes: int) -> Dataset:
    """k interleaved arms of 1.25 turns out to radius 5, arm c rotated by 2πc/k."""
    points, labels = [], []
    for label, size in enumerate(_class_sizes(n_samples, n_classes)):
        delta_t = 2 * math.pi * label / n_classes
        for i in range(size):
            r = i / size * 5
            t = 1.25 * i / size * 2 * math.pi + delta_t
            x = r * math.sin(t) + rng.uniform(-1, 1) * noise
            y = r * math.cos(t) + rng.uniform(-1, 1) * noise
            points.append((x, y))
            labels.append(float(label))
    return _as_arrays(points, labels)


def quadrants(n_samples: int, noise: float, rng: SeedRandom, n_classes: int) -> Dataset:
    """Uniform points in [-6, 6]² labelled by angular sector: k = 4 gives the four quadrants.

    The k sectors are equal angles counter-clockwise from the positive x axis; the label is
    read at the noisy point (x + nx, y + ny), as the reference does for xor.
    """
    _class_sizes(n_samples, n_classes)  # validates n_classes
    sector = 2 * math.pi / n_classes
    points, labels = [], []
    for _ in range(n_samples):
        x, y, label_x, label_y = _uniform_noisy(rng, noise)
        angle = math.atan2(label_y, label_x) % (2 * math.pi)
        points.append((x, y))
        labels.append(float(min(int(angle // sector), n_classes - 1)))
    return _as_arrays(points, labels)


MULTICLASS: dict[str, MulticlassGenerator] = {
    "blobs": blobs,
    "spiral": multi_spiral,
    "quadrants": quadrants,
}
DATASETS: dict[str, dict[str, Callable[..., Dataset]]] = {
    "classification": CLASSIFICATION,
    "regression": REGRESSION,
    "multiclass": MULTICLASS,
}
# What the page shows for each dataset: the reference's titles for its six.
LABELS: dict[str, dict[str, str]] = {
    "classification": {
        "circle": "Circle",
        "xor": "Exclusive or",
        "gauss": "Gaussian",
        "spiral": "Spiral",
    },
    "regression": {"reg-plane": "Plane", "reg-gauss": "Multi gaussian"},
    "multiclass": {"blobs": "Blobs", "spiral": "Spiral", "quadrants": "Quadrants"},
}


def _lookup(registry: dict, key: str, value: str) -> Any:
    if value not in registry:
        allowed = ", ".join(registry)
        raise ValueError(f"unknown {key} {value!r}; expected one of: {allowed}")
    return registry[value]


def generate(
    problem: str, dataset: str, noise: float, rng: SeedRandom, n_classes: int = 3
) -> Dataset:
    """N_SAMPLES[problem] points of a registered dataset, in generation order (unshuffled).

    noise is already divided by 100 (0..0.5). Returns (points (n, 2), labels (n,)).
    """
    generator = _lookup(_lookup(DATASETS, "problem", problem), "dataset", dataset)
    n_samples = N_SAMPLES[problem]
    if problem == "multiclass":
        return generator(n_samples, noise, rng, n_classes)
    return generator(n_samples, noise, rng)


def shuffle(points: np.ndarray, labels: np.ndarray, rng: SeedRandom) -> Dataset:
    """The reference's Fisher–Yates from the top, applied to both arrays (new arrays)."""
    order = list(range(len(points)))
    counter = len(order)
    while counter > 0:
        index = math.floor(rng.random() * counter)
        counter -= 1
        order[counter], order[index] = order[index], order[counter]
    return points[order], labels[order]


def split_sizes(n: int, perc_train: float, perc_val: float = 0) -> tuple[int, int]:
    """(n_train, n_val): floor(n·perc/100) each; validation follows train, test is the rest."""
    if not 0 <= perc_train <= 100 or not 0 <= perc_val <= 100 - perc_train:
        raise ValueError(
            f"perc_train and perc_val must be in 0..100 with a sum <= 100, "
            f"got {perc_train!r} and {perc_val!r}"
        )
    return math.floor(n * perc_train / 100), math.floor(n * perc_val / 100)
