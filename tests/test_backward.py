"""Backward passes against central finite differences: every activation, every loss, Dense, whole networks."""

import numpy as np
import pytest

from nblib.activations import ACTIVATIONS
from nblib.gradcheck import check_network_gradients, gradient_check
from nblib.layers import Dense
from nblib.network import Network

SMOOTH_OR_SAFE = list(ACTIVATIONS)


def random_network(sizes, activation, output_activation, rng):
    network = Network.from_sizes(sizes, activation=activation, output_activation=output_activation, rng=rng)
    for layer in network.layers:
        layer.bias = rng.normal(size=layer.n_outputs) * 0.5
    return network


@pytest.mark.parametrize("name", SMOOTH_OR_SAFE)
def test_dense_backward_for_every_activation(name, rng):
    layer = Dense(3, 4, name, rng=rng)
    layer.bias = rng.normal(size=4)
    X = rng.normal(size=(6, 3))
    upstream = rng.normal(size=(6, 4))  # the loss L = Σ upstream · output has dL/doutput = upstream

    def loss_of():
        return float(np.sum(upstream * layer.forward(X)))

    layer.forward(X)
    grad_X = layer.backward(upstream)
    report = gradient_check(loss_of, {"W": layer.weights, "b": layer.bias, "X": X},
                            {"W": layer.grad_weights, "b": layer.grad_bias, "X": grad_X})
    if name == "binary_step":  # flat everywhere: every gradient is 0, and finite differences agree
        assert np.all(layer.grad_weights == 0)
    assert report.passed, str(report)


@pytest.mark.parametrize(
    "sizes, activation, output_activation, loss",
    [
        ([2, 1], "linear", "sigmoid", "binary_cross_entropy"),
        ([2, 3, 1], "tanh", "sigmoid", "binary_cross_entropy"),
        ([3, 5, 4, 1], "sigmoid", "sigmoid", "binary_cross_entropy"),
        ([2, 6, 6, 6, 3], "relu", "linear", "softmax_cross_entropy"),
        ([4, 8, 2], "leaky_relu", "linear", "softmax_cross_entropy"),
        ([2, 7, 2], "arctan", "tanh", "mse"),
        ([3, 4, 4, 2], "tanh", "linear", "mse"),
        ([2, 16, 16, 1], "relu", "sigmoid", "mse"),
    ],
)
def test_whole_networks_of_several_depths_and_widths(sizes, activation, output_activation, loss):
    rng = np.random.default_rng(sum(sizes))
    network = random_network(sizes, activation, output_activation, rng)
    X = rng.normal(size=(10, sizes[0]))
    if loss == "softmax_cross_entropy":
        y = rng.integers(0, sizes[-1], size=10)
    elif loss == "binary_cross_entropy":
        y = rng.integers(0, 2, size=10)
    else:
        y = rng.normal(size=(10, sizes[-1]))
    report = check_network_gradients(network, X, y, loss)
    assert report.passed, str(report)
    assert max(report.errors.values()) <= 1e-6
    assert len(report.errors) == 2 * len(network.layers)


def test_network_backward_returns_the_gradient_of_the_input(rng):
    network = random_network([3, 4, 2], "tanh", "linear", rng)
    X = rng.normal(size=(5, 3))
    upstream = rng.normal(size=(5, 2))
    network.forward(X)
    grad_X = network.backward(upstream)
    report = gradient_check(lambda: float(np.sum(upstream * network.forward(X))), {"X": X}, {"X": grad_X})
    assert report.passed


def test_backward_needs_a_forward_pass_and_the_right_shape(rng):
    layer = Dense(2, 3, rng=rng)
    with pytest.raises(RuntimeError, match="forward pass first"):
        layer.backward(np.ones((4, 3)))
    layer.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"shape of the layer's last output, \(4, 3\)"):
        layer.backward(np.ones((4, 2)))


def test_a_loss_that_does_not_fit_the_output_layer_is_explained(rng):
    network = Network.from_sizes([2, 3, 1], output_activation="tanh", rng=rng)
    with pytest.raises(ValueError, match="needs an output layer with the sigmoid activation; .* uses tanh"):
        network.loss_and_gradients(np.ones((2, 2)), [0, 1], "binary_cross_entropy")
    wide = Network.from_sizes([2, 3, 2], output_activation="sigmoid", rng=rng)
    with pytest.raises(ValueError, match="needs one output neuron"):
        wide.loss_and_gradients(np.ones((2, 2)), [0, 1], "binary_cross_entropy")


def test_parameters_pair_every_array_with_its_gradient_and_copies_restore(rng):
    network = random_network([2, 3, 1], "tanh", "sigmoid", rng)
    network.loss_and_gradients(rng.normal(size=(4, 2)), [0, 1, 1, 0], "binary_cross_entropy")
    pairs = network.parameters()
    assert len(pairs) == 4
    assert all(p.shape == g.shape for p, g in pairs)
    saved = network.copy_parameters()
    network.layers[0].weights += 1.0
    network.set_parameters(saved)
    np.testing.assert_array_equal(network.layers[0].weights, saved[0])
