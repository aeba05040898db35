"""nblib.network.Network: stacking layers, forward, predict, summary, errors."""

import numpy as np
import pytest

from nblib.layers import Dense
from nblib.network import Network


def test_forward_feeds_each_layer_the_output_of_the_one_before(rng):
    first, second = Dense(2, 4, "tanh", rng=rng), Dense(4, 1, "sigmoid", rng=rng)
    network = Network([first, second])
    X = rng.normal(size=(9, 2))
    np.testing.assert_allclose(network.forward(X), second.forward(first.forward(X)))
    np.testing.assert_allclose(network(X), network.forward(X))
    outputs = network.layer_outputs(X)
    assert [o.shape for o in outputs] == [(9, 4), (9, 1)]
    np.testing.assert_allclose(outputs[0], first.forward(X))


def test_from_sizes_builds_hidden_and_output_layers():
    network = Network.from_sizes([3, 5, 4, 2], activation="relu", output_activation="linear", rng=0)
    assert network.sizes == [3, 5, 4, 2]
    assert [layer.activation.name for layer in network.layers] == ["relu", "relu", "linear"]
    assert network.n_parameters == (3 * 5 + 5) + (5 * 4 + 4) + (4 * 2 + 2)


def test_from_sizes_is_deterministic_from_its_seed():
    a = Network.from_sizes([2, 3, 1], rng=4)
    b = Network.from_sizes([2, 3, 1], rng=np.random.default_rng(4))
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_array_equal(la.weights, lb.weights)


def test_two_linear_layers_collapse_to_one(rng):
    network = Network.from_sizes([3, 6, 2], activation="linear", output_activation="linear", rng=rng)
    for layer in network.layers:
        layer.bias = rng.normal(size=layer.n_outputs)
    (W1, b1), (W2, b2) = [(layer.weights, layer.bias) for layer in network.layers]
    single = Dense.from_weights(W1 @ W2, b1 @ W2 + b2)
    X = rng.normal(size=(20, 3))
    np.testing.assert_allclose(network.forward(X), single.forward(X))


def test_a_nonlinear_activation_breaks_the_collapse(rng):
    network = Network.from_sizes([2, 8, 1], activation="tanh", output_activation="linear", rng=rng)
    X = rng.normal(size=(200, 2)) * 2
    y = network.forward(X)
    design = np.column_stack([X, np.ones(len(X))])
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert np.abs(design @ coefficients - y).max() > 0.05


def test_predict_thresholds_one_output_at_the_activations_threshold():
    sigmoid_net = Network([Dense.from_weights([[1.0], [0.0]], [0.0], "sigmoid")])
    tanh_net = Network([Dense.from_weights([[1.0], [0.0]], [0.0], "tanh")])
    X = np.array([[-1.0, 5.0], [0.5, -5.0], [2.0, 0.0]])
    np.testing.assert_array_equal(sigmoid_net.predict(X), [0, 1, 1])
    np.testing.assert_array_equal(tanh_net.predict(X), [0, 1, 1])
    assert sigmoid_net.predict(X).dtype.kind == "i"


def test_predict_picks_the_largest_of_several_outputs():
    network = Network([Dense.from_weights(np.eye(3), np.zeros(3))])
    X = np.array([[1.0, 2.0, 0.0], [5.0, -1.0, 4.0], [0.0, 0.0, 3.0]])
    np.testing.assert_array_equal(network.predict(X), [1, 0, 2])


def test_summary_lists_layers_and_counts():
    network = Network.from_sizes([2, 3, 1], rng=0)
    text = network.summary()
    lines = text.splitlines()
    assert lines[1].split()[:2] == ["input", "2"]
    assert "hidden 1" in lines[2] and "tanh" in lines[2] and "2×3 = 6" in lines[2]
    assert "output" in lines[3] and "sigmoid" in lines[3]
    assert lines[-1] == "total parameters: 13"
    assert repr(network) == "Network(sizes=[2, 3, 1], activations=[tanh, sigmoid])"


def test_layers_that_do_not_fit_together_are_explained():
    with pytest.raises(ValueError) as raised:
        Network([Dense(2, 3, rng=0), Dense(4, 1, rng=0)])
    message = str(raised.value)
    assert "layers[1] should take 3 inputs" in message and "it takes 4" in message


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: Network([]), ValueError, ["at least one Dense layer"]),
        (lambda: Network(["layer"]), TypeError, ["layers[0] should be a Dense layer", "str"]),
        (lambda: Network.from_sizes([2], rng=0), ValueError, ["at least two layer sizes", "[2, 4, 1]"]),
        (lambda: Network.from_sizes("21", rng=0), ValueError, ["sizes should list"]),
        (lambda: Network.from_sizes([2, 0, 1], rng=0), ValueError, ["sizes[1]", "at least 1"]),
        (lambda: Network.from_sizes([2, 3, 1], activation="sine", rng=0), ValueError, ["activation should be one of"]),
        (lambda: Network.from_sizes([2, 3, 1], rng=0).forward(np.ones((4, 3))), ValueError, ["X should have 2 feature"]),
    ],
)
def test_bad_input_is_explained(call, error, words):
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value)


def test_save_and_load_give_back_the_same_network_exactly(tmp_path):
    network = Network.from_sizes([3, 5, 4, 2], activation="relu", output_activation="linear", rng=3)
    network.save(tmp_path / "net.npz")
    loaded = Network.load(tmp_path / "net.npz")
    assert loaded.sizes == network.sizes and repr(loaded) == repr(network)
    for saved, back in zip(network.copy_parameters(), loaded.copy_parameters()):
        np.testing.assert_array_equal(saved, back)
    X = np.random.default_rng(0).normal(size=(4, 3))
    np.testing.assert_array_equal(loaded.forward(X), network.forward(X))
    assert Network.load(tmp_path / "net.npz", sizes=[3, 5, 4, 2]).sizes == [3, 5, 4, 2]


def test_files_that_are_not_networks_are_explained_and_nothing_is_lost(tmp_path):
    good = tmp_path / "good.npz"
    Network.from_sizes([2, 3, 1], rng=0).save(good)
    content = good.read_bytes()
    (tmp_path / "truncated.npz").write_bytes(content[: len(content) // 2])
    np.savez(tmp_path / "foreign.npz", weights=np.ones(3))
    tampered = dict(np.load(good))
    tampered["weights_0"] = np.ones((4, 3))
    np.savez(tmp_path / "tampered.npz", **tampered)
    cases = {
        "missing.npz": "no such file",
        "truncated.npz": "cannot be read as .npz",
        "foreign.npz": "no 'nblib-network-2' mark",
        "tampered.npz": "damaged",
    }
    for name, words in cases.items():
        with pytest.raises(ValueError, match=words):
            Network.load(tmp_path / name)
    with pytest.raises(ValueError, match=r"holds a network of sizes \[2, 3, 1\], not the \[2, 4, 1\]"):
        Network.load(good, sizes=[2, 4, 1])
    assert good.read_bytes() == content


def test_a_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "net.npz"
    Network.from_sizes([2, 3, 1], rng=0).save(path)
    before = path.read_bytes()

    def broken_savez(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        Network.from_sizes([2, 3, 1], rng=1).save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]
