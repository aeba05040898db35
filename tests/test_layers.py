"""nblib.layers.Dense: initialisation, forward pass, shapes, errors."""

import numpy as np
import pytest

from nblib.activations import ACTIVATIONS
from nblib.layers import Dense, initial_weight_scale


def test_weights_come_from_the_given_rng_and_biases_start_at_zero():
    a = Dense(3, 4, "tanh", rng=np.random.default_rng(7))
    b = Dense(3, 4, "tanh", rng=np.random.default_rng(7))
    c = Dense(3, 4, "tanh", rng=np.random.default_rng(8))
    np.testing.assert_array_equal(a.weights, b.weights)
    assert not np.array_equal(a.weights, c.weights)
    assert a.weights.shape == (3, 4) and a.bias.shape == (4,)
    np.testing.assert_array_equal(a.bias, np.zeros(4))


def test_an_int_seed_is_the_same_as_a_generator_from_it():
    np.testing.assert_array_equal(Dense(2, 3, rng=5).weights, Dense(2, 3, rng=np.random.default_rng(5)).weights)


def test_numpy_global_random_state_is_left_alone():
    np.random.seed(0)
    expected = np.random.random()
    np.random.seed(0)
    Dense(50, 50, rng=1)
    assert np.random.random() == expected


def test_initial_scale_depends_on_fan_in_and_activation():
    assert initial_weight_scale(8, "tanh") == pytest.approx(np.sqrt(1 / 8))
    assert initial_weight_scale(8, "relu") == pytest.approx(np.sqrt(2 / 8))
    weights = Dense(400, 300, "relu", rng=0).weights
    assert weights.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert abs(weights.mean()) < 0.01


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_forward_is_f_of_the_weighted_sums(name, rng):
    layer = Dense(3, 5, name, rng=rng)
    layer.bias = rng.normal(size=5)
    X = rng.normal(size=(7, 3))
    expected = ACTIVATIONS[name].function(X @ layer.weights + layer.bias)
    np.testing.assert_allclose(layer.forward(X), expected)
    np.testing.assert_allclose(layer(X), expected)
    assert layer.forward(X).shape == (7, 5)


def test_each_output_is_one_neurons_weighted_sum(rng):
    layer = Dense(4, 3, rng=rng)
    layer.bias = np.array([0.5, -1.0, 2.0])
    X = rng.normal(size=(6, 4))
    Z = layer.weighted_sums(X)
    for sample in range(6):
        for neuron in range(3):
            by_hand = sum(X[sample, i] * layer.weights[i, neuron] for i in range(4)) + layer.bias[neuron]
            assert Z[sample, neuron] == pytest.approx(by_hand)


def test_from_weights_uses_the_given_numbers():
    layer = Dense.from_weights([[1.0, 0.0], [0.0, 2.0]], [0.5, -0.5], "relu")
    np.testing.assert_allclose(layer.forward([[1.0, 1.0], [-3.0, 1.0]]), [[1.5, 1.5], [0.0, 1.5]])
    assert layer.n_inputs == 2 and layer.n_outputs == 2 and layer.n_parameters == 6


def test_from_weights_copies_so_later_changes_do_not_leak():
    weights = np.ones((2, 1))
    layer = Dense.from_weights(weights, [0.0])
    weights[0, 0] = 99
    assert layer.weights[0, 0] == 1


def test_float32_layers_compute_in_float32():
    layer = Dense(3, 2, "sigmoid", rng=0, dtype=np.float32)
    assert layer.weights.dtype == np.float32 and layer.bias.dtype == np.float32
    assert layer.forward(np.ones((4, 3), dtype=np.float32)).dtype == np.float32


def test_n_parameters_and_repr():
    layer = Dense(3, 4, "tanh", rng=0)
    assert layer.n_parameters == 3 * 4 + 4
    assert repr(layer) == "Dense(3 → 4, activation='tanh')"


@pytest.mark.parametrize(
    "X, error, words",
    [
        (np.ones((5, 2)), ValueError, ["X should have 3 feature", "(5, 2)"]),
        (np.ones(3), ValueError, ["2-D", "reshape(1, -1)"]),
        (np.ones((0, 3)), ValueError, ["at least one sample"]),
        (np.array([[1.0, np.nan, 0.0]]), ValueError, ["finite", "nan", "(0, 1)"]),
        (np.array([[1.0, np.inf, 0.0]]), ValueError, ["finite", "inf"]),
        ([["a", "b", "c"]], TypeError, ["X should hold numbers"]),
        (np.array([[1, None, 3]], dtype=object), TypeError, ["X should hold numbers"]),
    ],
)
def test_bad_batches_are_explained(X, error, words):
    layer = Dense(3, 2, rng=0)
    with pytest.raises(error) as raised:
        layer.forward(X)
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize(
    "args, kwargs, error, words",
    [
        ((0, 2), {"rng": 0}, ValueError, ["n_inputs", "at least 1", "got 0"]),
        ((2, 2.5), {"rng": 0}, TypeError, ["n_outputs", "whole number"]),
        ((2, 2), {"rng": None}, TypeError, ["rng", "default_rng"]),
        ((2, 2), {"rng": 0, "activation": "softmax"}, ValueError, ["activation should be one of", "relu"]),
    ],
)
def test_bad_construction_is_explained(args, kwargs, error, words):
    with pytest.raises(error) as raised:
        Dense(*args, **kwargs)
    for word in words:
        assert word in str(raised.value)


def test_rng_is_required():
    with pytest.raises(TypeError, match="rng"):
        Dense(2, 2)


@pytest.mark.parametrize(
    "weights, bias, words",
    [
        ([1.0, 2.0], [0.0], ["weights should be a 2-D", "reshape(-1, 1)"]),
        ([[1.0], [2.0]], [0.0, 1.0], ["bias should have shape (1,)", "(2,)"]),
        ([[np.nan], [2.0]], [0.0], ["weights should hold finite"]),
    ],
)
def test_bad_weights_are_explained(weights, bias, words):
    with pytest.raises(ValueError) as raised:
        Dense.from_weights(weights, bias)
    for word in words:
        assert word in str(raised.value)
