"""The layer protocol: Dense and Dropout as layers of one kind, networks of any such layers, save and load."""

import json

import numpy as np
import pytest

from nblib.convolution import Conv1D, Flatten, GlobalPool1D, MaxPool1D
from nblib.gradcheck import check_network_gradients, gradient_check
from nblib.layers import Dense, Dropout
from nblib.network import LAYER_KINDS, Network
from nblib.training import fit


class Scale:
    """A toy protocol layer made for these tests: y = x · s with one learned vector s (per feature)."""

    def __init__(self, n, rng):
        self.scale = 1.0 + 0.1 * np.random.default_rng(rng).standard_normal(n)
        self.grad_scale = np.zeros(n)

    def forward(self, X, training=False):
        self.inputs = X
        return X * self.scale

    def backward(self, grad_output, input_gradient=True):
        self.grad_scale = np.sum(grad_output * self.inputs, axis=0)
        return grad_output * self.scale if input_gradient else None

    def parameters(self):
        return [(self.scale, self.grad_scale)]

    @property
    def n_parameters(self):
        return self.scale.size

    def output_shape(self, input_shape):
        if tuple(input_shape) != self.scale.shape:
            raise ValueError(f"Scale takes shape {self.scale.shape}")
        return tuple(input_shape)

    def config(self):
        return {"n": self.scale.size}

    def state(self):
        return {"scale": self.scale}

    @classmethod
    def from_state(cls, config, arrays):
        layer = cls(config["n"], 0)
        layer.scale = arrays["scale"].copy()
        return layer


class Flat(Scale):
    """A toy protocol layer made for these tests: (n, a, b) → (n, a·b), no parameters."""

    def __init__(self):
        self.scale = np.zeros(0)

    def forward(self, X, training=False):
        self.shape = X.shape
        return X.reshape(len(X), -1)

    def backward(self, grad_output, input_gradient=True):
        return grad_output.reshape(self.shape) if input_gradient else None

    def parameters(self):
        return []

    def output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)


def data(n=12, features=4, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, features)), rng.integers(0, classes, n)


def dropout_network(seed=0):
    return Network([Dense(4, 6, "tanh", rng=seed), Dropout(0.4, rng=seed), Dense(6, 3, rng=seed + 1)])


# ---------- Dropout on its own ----------

def test_dropout_passes_input_unchanged_in_evaluation():
    X, _ = data()
    layer = Dropout(0.5, rng=0)
    assert layer.forward(X) is X
    np.testing.assert_array_equal(layer.backward(np.ones_like(X)), np.ones_like(X))


def test_dropout_in_training_drops_about_rate_and_keeps_the_mean():
    X = np.ones((400, 50))
    output = Dropout(0.3, rng=1).forward(X, training=True)
    dropped = np.mean(output == 0)
    assert 0.28 < dropped < 0.32
    np.testing.assert_allclose(output[output != 0], 1 / 0.7)
    assert abs(output.mean() - 1.0) < 0.02


def test_dropout_draws_a_new_mask_every_call_from_its_rng():
    X = np.ones((5, 8))
    layer = Dropout(0.5, rng=3)
    first, second = layer.forward(X, training=True), layer.forward(X, training=True)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(Dropout(0.5, rng=3).forward(X, training=True), first)


def test_dropout_backward_uses_the_same_mask_as_forward():
    X = np.arange(1.0, 13.0).reshape(3, 4)
    layer = Dropout(0.5, rng=2)
    output = layer.forward(X, training=True)
    grad = layer.backward(np.ones_like(X))
    np.testing.assert_array_equal(grad == 0, output == 0)
    np.testing.assert_allclose(grad[grad != 0], 2.0)
    assert layer.backward(np.ones_like(X), input_gradient=False) is None


def test_dropout_gradient_with_a_fixed_mask_agrees_with_finite_differences():
    rng = np.random.default_rng(4)
    X, weights = rng.normal(size=(6, 5)), rng.normal(size=5)
    layer = Dropout(0.4, rng=0)

    def loss_of():
        layer.rng = np.random.default_rng(11)  # the same mask at every call
        return float(np.sum(np.tanh(layer.forward(X, training=True)) * weights))

    loss_of()
    grad_output = (1 - np.tanh(X * layer.mask) ** 2) * weights  # dL/d(output) for the mask just drawn
    grad_X = layer.backward(grad_output)
    report = gradient_check(loss_of, {"X": X}, {"X": grad_X})
    assert report.passed, str(report)


@pytest.mark.parametrize("rate, error, words", [
    (1.0, ValueError, ["rate", "below 1", "got 1.0"]),
    (-0.1, ValueError, ["rate", "got -0.1"]),
    ("half", TypeError, ["rate", "str"]),
    (True, TypeError, ["rate", "bool"]),
])
def test_bad_dropout_rates_are_explained(rate, error, words):
    with pytest.raises(error) as raised:
        Dropout(rate, rng=0)
    for word in words:
        assert word in str(raised.value)


# ---------- Dense speaks the protocol ----------

def test_dense_parameters_are_the_arrays_and_their_gradients():
    layer = Dense(3, 2, "relu", rng=0)
    X = np.random.default_rng(1).normal(size=(4, 3))
    layer.forward(X, training=True)
    layer.backward(np.ones((4, 2)))
    (weights, grad_weights), (bias, grad_bias) = layer.parameters()
    assert weights is layer.weights and bias is layer.bias
    assert grad_weights is layer.grad_weights and grad_bias is layer.grad_bias
    assert layer.n_parameters == 8


def test_dense_output_shape_and_its_error():
    layer = Dense(3, 2, rng=0)
    assert layer.output_shape((3,)) == (2,)
    with pytest.raises(ValueError, match=r"takes 3 inputs per sample.*got per-sample shape \(3, 4\)"):
        layer.output_shape((3, 4))


def test_every_layer_kind_rebuilds_from_config_and_state():
    for layer in [Dense(3, 2, "tanh", rng=0), Dropout(0.25, rng=0)]:
        config = json.loads(json.dumps(layer.config()))  # plain values only
        back = type(layer).from_state(config, {name: array.copy() for name, array in layer.state().items()})
        assert repr(back) == repr(layer)
        for (a, _), (b, _) in zip(layer.parameters(), back.parameters(), strict=True):
            np.testing.assert_array_equal(a, b)


# ---------- networks of protocol layers ----------

def test_a_network_infers_its_input_shape_and_the_shape_after_each_layer():
    network = dropout_network()
    assert network.input_shape == (4,)
    assert network.shapes == [(6,), (6,), (3,)]
    assert network.sizes == [4, 6, 3]
    assert network.n_parameters == 4 * 6 + 6 + 6 * 3 + 3
    assert Network([Dropout(0.1, rng=0), Dense(4, 2, rng=0)]).input_shape == (4,)


def test_dropout_changes_nothing_in_evaluation():
    network = dropout_network()
    X, _ = data()
    without = Network([network.layers[0], network.layers[2]])
    np.testing.assert_array_equal(network.forward(X), without.forward(X))
    np.testing.assert_array_equal(network.predict(X), without.predict(X))
    assert not np.array_equal(network.forward(X, training=True), network.forward(X))


def test_network_gradients_with_dropout_in_training_agree_with_finite_differences():
    network = dropout_network(seed=2)
    X, y = data()
    dropout = network.layers[1]
    dropout.rng = np.random.default_rng(5)
    network.loss_and_gradients(X, y, "softmax_cross_entropy", training=True)
    names = ["W1", "b1", "W2", "b2"]
    parameters = {name: array for name, (array, _) in zip(names, network.parameters())}
    gradients = {name: gradient.copy() for name, (_, gradient) in zip(names, network.parameters())}
    assert np.any(dropout.mask == 0)

    def loss_of():
        dropout.rng = np.random.default_rng(5)  # fixed mask
        return network.loss_and_gradients(X, y, "softmax_cross_entropy", training=True)

    report = gradient_check(loss_of, parameters, gradients)
    assert report.passed, str(report)


def test_any_protocol_layer_works_in_a_network_with_gradients_checked():
    network = Network([Scale(4, 0), Dense(4, 5, "tanh", rng=1), Dense(5, 3, rng=2)], input_shape=(4,))
    X, y = data(seed=3)
    report = check_network_gradients(network, X, y, "softmax_cross_entropy")
    assert report.passed, str(report)
    assert "layer 1 parameter 1" in str(report)


def test_fit_passes_training_true_and_evaluation_does_not():
    seen = []

    class Spy(Scale):
        def forward(self, X, training=False):
            seen.append(training)
            return super().forward(X, training)

    network = Network([Spy(4, 0), Dense(4, 3, rng=1)], input_shape=(4,))
    X, y = data()
    fit(network, X, y, loss="softmax_cross_entropy", epochs=2, validation_data=(X, y), progress=False)
    assert seen == [True, False, True, False]  # each epoch: one training step, one validation pass
    seen.clear()
    network.predict(X)
    assert seen == [False]


def test_fit_trains_a_network_with_dropout():
    X, y = data(n=60, seed=5)
    network = dropout_network(seed=1)
    history = fit(network, X, y, loss="softmax_cross_entropy", learning_rate=0.2, epochs=60, batch_size=20,
                  rng=0, progress=False)
    assert history.loss[-1] < history.loss[0]


def test_network_errors_name_the_layer_and_what_to_do():
    with pytest.raises(TypeError, match="last layer should be a Dense layer"):
        Network([Dense(3, 2, rng=0), Dropout(0.1, rng=0)])
    with pytest.raises(ValueError, match="input_shape is needed"):
        Network([Scale(4, 0), Dense(4, 2, rng=0)])
    with pytest.raises(ValueError, match=r"layers\[0\] \(.*\) does not fit the input, 3 inputs: Scale takes"):
        Network([Scale(4, 0), Dense(4, 2, rng=0)], input_shape=(3,))
    with pytest.raises(ValueError, match=r"layers\[2\] should take 6 inputs.*it takes 5"):
        Network([Dense(4, 6, rng=0), Dropout(0.1, rng=0), Dense(5, 2, rng=0)])
    with pytest.raises(TypeError, match="input_shape should be the shape of one sample"):
        Network([Dense(4, 2, rng=0)], input_shape="4")
    with pytest.raises(ValueError, match=r"X should have shape \(n_samples, 2, 2\)"):
        Network([Flat(), Dense(4, 2, rng=0)], input_shape=(2, 2)).forward(np.ones((3, 5)))
    network = Network([Flat(), Dense(4, 2, rng=0)], input_shape=(2, 2))
    assert network.forward(np.ones((3, 2, 2))).shape == (3, 2) and network.shapes == [(4,), (2,)]


def test_summary_lists_every_layer_with_its_output_shape():
    text = dropout_network().summary()
    assert "Dropout(rate=0.4)" in text and "(6,)" in text and "total parameters: 51" in text
    assert Network.from_sizes([2, 3, 1], rng=0).summary().startswith("layer")


# ---------- save and load ----------

EXAMPLES = {
    "Dense": lambda: Network([Dense(4, 5, "relu", rng=0), Dense(5, 3, rng=1)]),
    "Dropout": dropout_network,
    # Chapter 12: a sample of 4 numbers seen as 4 frames of 1 channel.
    "Conv1D": lambda: Network([Conv1D(1, 3, 3, "tanh", rng=0), Flatten(), Dense(12, 2, rng=1)], input_shape=(4, 1)),
    "MaxPool1D": lambda: Network([MaxPool1D(2), Flatten(), Dense(2, 2, rng=1)], input_shape=(4, 1)),
    "GlobalPool1D": lambda: Network([Conv1D(1, 3, 3, rng=0), GlobalPool1D("max"), Dense(3, 2, rng=1)], input_shape=(4, 1)),
    "Flatten": lambda: Network([Flatten(), Dense(4, 2, rng=1)], input_shape=(4, 1)),
}
"""One network per layer kind that Network.load knows: every kind must have a save/load round trip."""


def test_every_layer_kind_has_a_save_and_load_example():
    assert set(EXAMPLES) == set(LAYER_KINDS)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_save_and_load_round_trip_for_every_layer_kind(kind, tmp_path):
    network = EXAMPLES[kind]()
    network.save(tmp_path / "net.npz")
    loaded = Network.load(tmp_path / "net.npz")
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in network.layers]
    assert repr(loaded) == repr(network) and loaded.input_shape == network.input_shape
    for (a, _), (b, _) in zip(network.parameters(), loaded.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)
    X, _ = data()
    X = X.reshape(len(X), *network.input_shape)
    np.testing.assert_array_equal(loaded.forward(X), network.forward(X))
    with np.load(tmp_path / "net.npz", allow_pickle=False) as saved:
        assert [str(k) for k in saved["kinds"]] == [type(layer).__name__ for layer in network.layers]


def test_a_layer_kind_load_does_not_know_is_refused_when_saving(tmp_path):
    network = Network([Scale(4, 0), Dense(4, 2, rng=0)], input_shape=(4,))
    with pytest.raises(ValueError, match="Scale, which Network.load could not rebuild: add it to LAYER_KINDS"):
        network.save(tmp_path / "net.npz")
    assert not (tmp_path / "net.npz").exists()


def test_an_unknown_kind_in_a_file_is_explained(tmp_path):
    path = tmp_path / "net.npz"
    dropout_network().save(path)
    arrays = dict(np.load(path))
    arrays["kinds"] = np.array(["Dense", "Mystery", "Dense"])
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="damaged.*kind 'Mystery', unknown here"):
        Network.load(path)


def test_dense_networks_saved_in_the_first_format_still_load(tmp_path):
    network = Network.from_sizes([3, 4, 2], activation="relu", output_activation="linear", rng=0)
    arrays = {"format": np.array("nblib-network-1"), "sizes": np.array(network.sizes),
              "activations": np.array([layer.activation.name for layer in network.layers])}
    for number, layer in enumerate(network.layers):
        arrays[f"weights_{number}"], arrays[f"bias_{number}"] = layer.weights, layer.bias
    np.savez(tmp_path / "old.npz", **arrays)
    loaded = Network.load(tmp_path / "old.npz", sizes=[3, 4, 2])
    X = np.ones((2, 3))
    np.testing.assert_array_equal(loaded.forward(X), network.forward(X))
