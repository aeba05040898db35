"""nblib.training.fit: it learns, it is deterministic, it stops and explains when the loss diverges."""

import numpy as np
import pytest

from nblib.datasets import blobs, moons, train_test_split, xor
from nblib.network import Network
from nblib.training import History, TrainingDiverged, fit


def test_one_hidden_layer_learns_xor_and_a_single_neuron_cannot():
    X, y = xor(200, noise=0.2, seed=0)
    hidden = Network.from_sizes([2, 4, 1], activation="tanh", rng=0)
    history = fit(hidden, X, y, learning_rate=0.5, epochs=300, progress=False)
    assert history.accuracy[-1] == 1.0
    assert np.mean(hidden.predict(X) == y) == 1.0
    single = Network.from_sizes([2, 1], rng=0)
    fit(single, X, y, learning_rate=0.5, epochs=300, progress=False)
    assert np.mean(single.predict(X) == y) <= 0.75


def test_the_loss_goes_down_and_the_history_has_one_entry_per_epoch():
    X, y = moons(200, noise=0.1, seed=1)
    network = Network.from_sizes([2, 8, 1], rng=1)
    history = fit(network, X, y, learning_rate=0.5, epochs=50, batch_size=20, rng=2, progress=False)
    assert history.epochs == 50 and len(history.accuracy) == 50 and history.val_loss == []
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert "50 epochs" in repr(history)


def test_same_seed_gives_bit_identical_histories():
    X, y = blobs(150, seed=0)
    runs = []
    for _ in range(2):
        network = Network.from_sizes([2, 6, 3], activation="relu", output_activation="linear", rng=5)
        runs.append(fit(network, X, y, loss="softmax_cross_entropy", learning_rate=0.2, epochs=20,
                        batch_size=16, rng=9, momentum=0.9, progress=False))
    assert runs[0].loss == runs[1].loss and runs[0].accuracy == runs[1].accuracy
    network = Network.from_sizes([2, 6, 3], activation="relu", output_activation="linear", rng=5)
    other = fit(network, X, y, loss="softmax_cross_entropy", learning_rate=0.2, epochs=20, batch_size=16, rng=10,
                momentum=0.9, progress=False)
    assert other.loss != runs[0].loss  # the shuffling seed matters


def test_fit_matches_a_hand_written_full_batch_loop():
    X, y = moons(60, seed=3)
    a = Network.from_sizes([2, 5, 1], rng=4)
    b = Network.from_sizes([2, 5, 1], rng=4)
    history = fit(a, X, y, learning_rate=0.3, epochs=10, progress=False)
    losses = []
    for _ in range(10):
        losses.append(b.loss_and_gradients(X, y, "binary_cross_entropy"))
        for parameter, gradient in b.parameters():
            parameter -= 0.3 * gradient
    np.testing.assert_allclose(history.loss, losses)
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_allclose(la.weights, lb.weights)


def test_validation_data_is_evaluated_every_epoch():
    X, y = moons(200, noise=0.15, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0)
    history = fit(Network.from_sizes([2, 8, 1], rng=0), X_train, y_train, learning_rate=0.5, epochs=30,
                  validation_data=(X_test, y_test), progress=False)
    assert len(history.val_loss) == len(history.val_accuracy) == 30
    assert history.val_accuracy[-1] > 0.8


def test_regression_targets_have_no_accuracy():
    X = np.linspace(-1, 1, 20)[:, None]
    history = fit(Network.from_sizes([1, 4, 1], output_activation="linear", rng=0), X, 3 * X[:, 0], loss="mse",
                  learning_rate=0.1, epochs=5, progress=False)
    assert history.accuracy == [None] * 5


def test_divergence_stops_within_one_epoch_restores_the_weights_and_explains():
    X = np.linspace(-3, 3, 50)[:, None]
    y = 5 * X[:, 0]
    network = Network.from_sizes([1, 8, 1], activation="relu", output_activation="linear", rng=0)
    fit(network, X, y, loss="mse", learning_rate=0.01, epochs=3, progress=False)
    before = network.copy_parameters()
    with pytest.raises(TrainingDiverged) as raised:
        fit(network, X, y, loss="mse", learning_rate=50.0, epochs=100, batch_size=5, rng=0, progress=False)
    message = str(raised.value)
    assert "learning rate 50" in message and "try a smaller learning rate, such as 5" in message
    assert "epoch 1" in message
    assert raised.value.history.epochs == 0
    for saved, now in zip(before, network.copy_parameters()):
        np.testing.assert_array_equal(saved, now)  # nothing is lost


def test_an_exploding_but_finite_loss_also_counts():
    X = np.linspace(-1, 1, 40)[:, None]
    network = Network.from_sizes([1, 1], output_activation="linear", rng=0)
    with pytest.raises(TrainingDiverged, match="the loss grew from"):
        fit(network, X, X[:, 0], loss="mse", learning_rate=3.1, epochs=200, progress=False)


def test_callback_sees_the_history_after_every_epoch():
    X, y = xor(40, seed=0)
    seen = []
    fit(Network.from_sizes([2, 3, 1], rng=0), X, y, epochs=4, progress=False, callback=lambda h: seen.append(h.epochs))
    assert seen == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"epochs": 0}, ValueError, ["epochs should be a whole number of at least 1"]),
        ({"learning_rate": 0.0}, ValueError, ["learning_rate should be a positive"]),
        ({"batch_size": 500}, ValueError, ["batch_size should be at most the number of samples, 40", "got 500"]),
        ({"batch_size": 8}, TypeError, ["rng (it shuffles the mini-batches)"]),
        ({"loss": "mse2"}, ValueError, ["loss should be one of"]),
        ({"loss": "softmax_cross_entropy"}, ValueError, ["needs an output layer with the linear activation"]),
    ],
)
def test_bad_settings_are_explained(kwargs, error, words):
    X, y = xor(40, seed=0)
    with pytest.raises(error) as raised:
        fit(Network.from_sizes([2, 3, 1], rng=0), X, y, progress=False, **kwargs)
    for word in words:
        assert word in str(raised.value)


def test_bad_data_is_explained():
    network = Network.from_sizes([2, 3, 1], rng=0)
    with pytest.raises(ValueError, match="one target per sample, 4"):
        fit(network, np.ones((4, 2)), [0, 1, 1], progress=False)
    with pytest.raises(ValueError, match="X should have 2 feature"):
        fit(network, np.ones((4, 3)), [0, 1, 1, 0], progress=False)
    with pytest.raises(ValueError, match="X should hold finite"):
        fit(network, [[np.nan, 1.0]], [1], progress=False)


def test_progress_bar_appears_when_asked(capsys):
    X, y = xor(40, seed=0)
    fit(Network.from_sizes([2, 3, 1], rng=0), X, y, epochs=3, progress=True)
    assert "training" in capsys.readouterr().err


def test_empty_history_repr():
    assert repr(History()) == "History(no epochs yet)"


def test_a_float32_network_trains_in_float32():
    X, y = blobs(120, seed=0)
    network = Network.from_sizes([2, 8, 3], activation="relu", output_activation="linear", rng=0, dtype=np.float32)
    history = fit(network, X, y, loss="softmax_cross_entropy", learning_rate=0.1, epochs=20, batch_size=16, rng=0,
                  progress=False)
    assert all(layer.weights.dtype == np.float32 and layer.grad_weights.dtype == np.float32 for layer in network.layers)
    assert history.accuracy[-1] > 0.9


@pytest.mark.parametrize("learning_rate", [3.1, 1e300])
def test_divergence_gives_back_the_best_weights_and_says_which(learning_rate):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 1)) * 2
    y = 3 * X[:, 0] + 1
    network = Network.from_sizes([1, 1], output_activation="linear", rng=0)
    with pytest.raises(TrainingDiverged) as raised:
        fit(network, X, y, loss="mse", learning_rate=learning_rate, epochs=50, progress=False)
    history = raised.value.history
    best_epoch = int(np.argmin(history.loss)) + 1
    assert raised.value.restored_epoch == best_epoch
    assert f"start of epoch {best_epoch}, the lowest loss seen ({min(history.loss):.3g})" in str(raised.value)
    # full batch: the loss measured in an epoch is the loss of the weights at its start
    assert network.loss(X, y, "mse") == pytest.approx(min(history.loss), rel=1e-12)
    assert np.abs(network.layers[0].weights).max() < 10
