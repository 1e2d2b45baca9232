"""Datasets: the reference six against npm vectors, the multi-class sets by their properties."""

from __future__ import annotations

import numpy as np
import pytest

from engine.datasets import (
    CLASSIFICATION,
    DATASETS,
    MAX_CLASSES,
    MIN_CLASSES,
    MULTICLASS,
    N_SAMPLES,
    REGRESSION,
    generate,
    shuffle,
    split_sizes,
)
from engine.rng import SeedRandom, to_fixed
from tests.engine.reference_vectors import assert_points_match, case_id, load

CASES = load()["cases"]
BINARY = [("classification", name) for name in CLASSIFICATION] + [
    ("regression", name) for name in REGRESSION
]
MULTI = [(name, k) for name in MULTICLASS for k in range(MIN_CLASSES, MAX_CLASSES + 1)]


def _shuffled(case):
    rng = SeedRandom(case["seed"])
    points, labels = generate(case["problem"], case["dataset"], case["noise"] / 100, rng)
    return shuffle(points, labels, rng)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_reference_dataset_equals_npm_vectors(case):
    points, labels = _shuffled(case)
    np.testing.assert_array_equal(labels, np.array(case["labels"]))
    assert_points_match(case["dataset"], points, np.array(case["points"]))


@pytest.mark.parametrize(("problem", "dataset"), BINARY)
def test_every_reference_dataset_has_vectors_at_every_noise(problem, dataset):
    noises = {c["noise"] for c in CASES if (c["problem"], c["dataset"]) == (problem, dataset)}
    assert noises == {0, 25, 50}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_stream_continues_into_first_weights_and_regenerate_seed(case):
    """After the shuffle, the same stream gives U(-0.5, 0.5) weights, then the next seed."""
    for network in case["networks"]:
        rng = SeedRandom(case["seed"])
        shuffle(*generate(case["problem"], case["dataset"], case["noise"] / 100, rng), rng)
        sizes = [len(network["features"]), *network["hidden"], 1]
        assert len(network["weights"]) == len(sizes) - 1
        for fan_in, fan_out, expected in zip(sizes, sizes[1:], network["weights"], strict=False):
            drawn = [[rng.random() - 0.5 for _ in range(fan_in)] for _ in range(fan_out)]
            np.testing.assert_array_equal(np.array(drawn).T, np.array(expected))
        assert to_fixed(rng.random(), 5) == network["regenerate_seed"]


@pytest.mark.parametrize("order", load()["shuffles"], ids=lambda o: f"{o['seed']}-{o['n']}")
def test_shuffle_order_equals_reference(order):
    n = order["n"]
    points = np.arange(2.0 * n).reshape(n, 2)
    labels = np.arange(float(n))
    shuffled_points, shuffled_labels = shuffle(points, labels, SeedRandom(order["seed"]))
    assert shuffled_labels.tolist() == order["order"]
    np.testing.assert_array_equal(shuffled_points, points[order["order"]])
    np.testing.assert_array_equal(labels, np.arange(float(n)))  # the input is left alone


@pytest.mark.parametrize(("problem", "dataset"), BINARY)
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_binary_dataset_shape_labels_and_determinism(problem, dataset, noise):
    points, labels = generate(problem, dataset, noise, SeedRandom("shape"))
    n = N_SAMPLES[problem]
    assert points.shape == (n, 2) and labels.shape == (n,)
    assert points.dtype == labels.dtype == np.float64
    assert np.isfinite(points).all() and np.isfinite(labels).all()
    if problem == "classification":
        assert set(np.unique(labels)) == {-1.0, 1.0}
    again = generate(problem, dataset, noise, SeedRandom("shape"))
    np.testing.assert_array_equal(points, again[0])
    np.testing.assert_array_equal(labels, again[1])


@pytest.mark.parametrize(("dataset", "n_classes"), MULTI)
@pytest.mark.parametrize("noise", [0.0, 0.25, 0.5])
def test_multiclass_shape_balance_and_domain(dataset, n_classes, noise):
    points, labels = generate("multiclass", dataset, noise, SeedRandom("0.59704"), n_classes)
    n = N_SAMPLES["multiclass"]
    assert points.shape == (n, 2) and labels.shape == (n,)
    assert points.dtype == labels.dtype == np.float64
    counts = np.bincount(labels.astype(int), minlength=n_classes)
    assert np.array_equal(labels, labels.astype(int)) and len(counts) == n_classes
    assert counts.min() >= 0.5 * n / n_classes, counts
    assert np.abs(points).max() <= 6.5


@pytest.mark.parametrize(("dataset", "n_classes"), MULTI)
def test_multiclass_deterministic_under_a_seed(dataset, n_classes):
    first = generate("multiclass", dataset, 0.25, SeedRandom("abc"), n_classes)
    second = generate("multiclass", dataset, 0.25, SeedRandom("abc"), n_classes)
    other = generate("multiclass", dataset, 0.25, SeedRandom("abd"), n_classes)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[0], other[0])


def _nearest_neighbour_accuracy(points, labels, k=5):
    """Leave-one-out k-NN accuracy: a model-free check that the classes are learnable."""
    squared = ((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(squared, np.inf)
    neighbours = labels[np.argsort(squared, axis=1)[:, :k]].astype(int)
    votes = np.apply_along_axis(np.bincount, 1, neighbours, minlength=int(labels.max()) + 1)
    return float((votes.argmax(axis=1) == labels).mean())


@pytest.mark.parametrize(("dataset", "n_classes"), MULTI)
def test_multiclass_is_learnable_without_noise(dataset, n_classes):
    points, labels = generate("multiclass", dataset, 0.0, SeedRandom("1"), n_classes)
    assert _nearest_neighbour_accuracy(points, labels) >= 0.9


@pytest.mark.parametrize("dataset", list(MULTICLASS))
def test_multiclass_datasets_differ_from_each_other(dataset):
    mine = generate("multiclass", dataset, 0.0, SeedRandom("1"), 3)[0]
    for other in MULTICLASS:
        if other != dataset:
            assert not np.allclose(mine, generate("multiclass", other, 0.0, SeedRandom("1"), 3)[0])


@pytest.mark.parametrize("dataset", list(MULTICLASS))
@pytest.mark.parametrize("n_classes", [1, 6, 2.0])
def test_multiclass_rejects_bad_class_count(dataset, n_classes):
    with pytest.raises(ValueError, match="n_classes"):
        generate("multiclass", dataset, 0.0, SeedRandom("1"), n_classes)


def test_registry_lists_every_problem():
    assert set(DATASETS) == set(N_SAMPLES) == {"classification", "regression", "multiclass"}
    assert {"circle", "xor", "gauss", "spiral"} <= set(CLASSIFICATION)
    assert {"reg-plane", "reg-gauss"} <= set(REGRESSION)
    assert {"blobs", "spiral", "quadrants"} <= set(MULTICLASS)


@pytest.mark.parametrize(
    ("problem", "dataset", "bad"),
    [("clasification", "circle", "clasification"), ("classification", "reg-plane", "reg-plane")],
)
def test_unknown_names_raise_with_the_name_and_choices(problem, dataset, bad):
    with pytest.raises(ValueError) as error:
        generate(problem, dataset, 0.0, SeedRandom("1"))
    message = str(error.value)
    assert repr(bad) in message
    expected = DATASETS if bad == problem else DATASETS[problem]
    assert all(name in message for name in expected)


@pytest.mark.parametrize(
    ("n", "perc_train", "perc_val", "sizes"),
    [
        (500, 50, 0, (250, 0)),
        (500, 30, 20, (150, 100)),
        (1200, 70, 0, (840, 0)),
        (7, 50, 0, (3, 0)),
        (500, 90, 10, (450, 50)),
        (500, 10, 0, (50, 0)),
    ],
)
def test_split_sizes(n, perc_train, perc_val, sizes):
    assert split_sizes(n, perc_train, perc_val) == sizes


@pytest.mark.parametrize(("perc_train", "perc_val"), [(-10, 0), (110, 0), (80, 30), (50, -1)])
def test_split_sizes_rejects_bad_percentages(perc_train, perc_val):
    with pytest.raises(ValueError, match="perc_train"):
        split_sizes(500, perc_train, perc_val)
