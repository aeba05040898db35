"""nblib.datasets: deterministic shapes and classes, splitting, scaling, one-hot."""

import numpy as np
import pytest

from nblib.datasets import DATASETS, blobs, make_dataset, one_hot, spiral, standardize, train_test_split, xor


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_data_set_is_deterministic_balanced_and_two_dimensional(name):
    X, y = make_dataset(name, n_samples=120, noise=0.1, seed=3)
    X2, y2 = make_dataset(name, n_samples=120, noise=0.1, seed=3)
    X3, _ = make_dataset(name, n_samples=120, noise=0.1, seed=4)
    assert X.shape == (120, 2) and y.shape == (120,) and y.dtype.kind == "i"
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, X3)
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    assert np.isfinite(X).all() and np.abs(X).max() < 4


def test_xor_classes_follow_the_signs():
    X, y = xor(200, noise=0.0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))


def test_spiral_and_blobs_have_the_requested_classes():
    assert set(spiral(90, n_classes=3)[1]) == {0, 1, 2}
    assert set(blobs(100, n_classes=4)[1]) == {0, 1, 2, 3}


def test_data_sets_leave_numpys_global_state_alone():
    np.random.seed(1)
    expected = np.random.random()
    np.random.seed(1)
    make_dataset("moons")
    assert np.random.random() == expected


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: make_dataset("swirl"), ["one of xor, moons"]),
        (lambda: xor(n_samples=1), ["n_samples", "at least 2"]),
        (lambda: xor(noise=-1), ["noise should be a number of 0 or more"]),
        (lambda: xor(noise="high"), ["noise"]),
        (lambda: spiral(n_classes=1), ["n_classes", "at least 2"]),
        (lambda: xor(seed="a"), ["seed should be"]),
    ],
)
def test_bad_arguments_are_explained(call, words):
    with pytest.raises((ValueError, TypeError)) as raised:
        call()
    for word in words:
        assert word in str(raised.value)


def test_split_keeps_pairs_together_and_is_deterministic():
    X = np.arange(40, dtype=float).reshape(20, 2)
    y = np.arange(20)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction=0.25, seed=1)
    assert len(X_test) == 5 and len(X_train) == 15
    np.testing.assert_array_equal(X_train[:, 0] / 2, y_train)
    assert sorted(np.concatenate([y_train, y_test])) == list(range(20))
    again = train_test_split(X, y, test_fraction=0.25, seed=1)
    np.testing.assert_array_equal(again[3], y_test)


@pytest.mark.parametrize(
    "args, words",
    [
        ((np.ones((4, 2)), np.ones(3)), ["same number of samples", "X has 4, y has 3"]),
        ((np.ones((4, 2)), np.ones(4), 1.5), ["test_fraction should be a number between 0 and 1"]),
        ((np.ones((2, 2)), np.ones(2), 0.1), ["leaves 0 for testing"]),
    ],
)
def test_bad_splits_are_explained(args, words):
    with pytest.raises(ValueError) as raised:
        train_test_split(*args)
    for word in words:
        assert word in str(raised.value)


def test_standardize_uses_the_training_statistics_for_everything():
    train = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 10.0]])
    test = np.array([[3.0, 11.0]])
    train_scaled, test_scaled = standardize(train, test)
    np.testing.assert_allclose(train_scaled.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(train_scaled[:, 0].std(), 1)
    np.testing.assert_allclose(train_scaled[:, 1], 0)  # a constant feature stays 0
    np.testing.assert_allclose(test_scaled, [[0.0, 1.0]])
    assert standardize(train).shape == (3, 2)


def test_one_hot():
    np.testing.assert_array_equal(one_hot([0, 2, 1]), [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert one_hot(np.array([1.0, 0.0]), n_classes=4).shape == (2, 4)
    with pytest.raises(ValueError, match="labels should be from 0 to 1"):
        one_hot([0, 2], n_classes=2)
    with pytest.raises(ValueError, match="whole numbers"):
        one_hot([0.5, 1.0])
