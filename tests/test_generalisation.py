"""Tools against overfitting (chapter 11): L2 weight decay, Adam, early stopping, augmentation in fit,
and the sound augmentations themselves."""

import numpy as np
import pytest

from nblib.audio.augment import Augmenter, add_noise, change_gain, time_shift
from nblib.datasets import blobs, moons
from nblib.gradcheck import gradient_check
from nblib.layers import Dense, Dropout
from nblib.network import Network
from nblib.optim import Adam, GradientDescent, decayed_gradient, l2_penalty
from nblib.training import fit


def small_problem(seed=0):
    rng = np.random.default_rng(seed)
    network = Network([Dense(3, 5, "tanh", rng=rng), Dense(5, 2, rng=rng)])
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 2, 8)
    return network, X, y


# ── weight decay ─────────────────────────────────────────────────────────────────────────────
def test_weight_decay_gradient_agrees_with_finite_differences():
    network, X, y = small_problem()
    decay = 0.3
    network.loss_and_gradients(X, y, "softmax_cross_entropy")
    names = ["W1", "b1", "W2", "b2"]
    parameters = {name: array for name, (array, _) in zip(names, network.parameters())}
    gradients = {name: decayed_gradient(array, gradient, decay).copy()
                 for name, (array, gradient) in zip(names, network.parameters())}

    def loss_of():
        return network.loss(X, y, "softmax_cross_entropy") + l2_penalty(network, decay)

    report = gradient_check(loss_of, parameters, gradients)
    assert report.passed, str(report)


def test_the_penalty_counts_weights_not_biases():
    network = Network([Dense.from_weights([[1.0, 2.0]], [5.0, 5.0])])
    assert l2_penalty(network, 0.5) == pytest.approx(0.25 * (1 + 4))
    assert l2_penalty(network, 0.0) == 0.0


def test_gradient_descent_with_weight_decay_adds_lambda_times_w():
    network, X, y = small_problem()
    before = network.copy_parameters()
    network.loss_and_gradients(X, y, "softmax_cross_entropy")
    gradients = [g.copy() for _, g in network.parameters()]
    GradientDescent(0.1, weight_decay=0.5).step(network)
    for b, g, a in zip(before, gradients, network.copy_parameters()):
        expected = b - 0.1 * (g + (0.5 * b if b.ndim == 2 else 0))
        np.testing.assert_allclose(a, expected)


def test_weight_decay_keeps_weights_smaller():
    X, y = moons(200, noise=0.2, seed=0)
    norms = []
    for decay in (0.0, 0.05):
        network = Network.from_sizes([2, 16, 2], activation="relu", output_activation="linear", rng=1)
        fit(network, X, y, loss="softmax_cross_entropy", learning_rate=0.2, epochs=100, weight_decay=decay, progress=False)
        norms.append(sum(float(np.sum(w ** 2)) for w, _ in network.parameters() if w.ndim == 2))
    assert norms[1] < 0.7 * norms[0]


# ── Adam ─────────────────────────────────────────────────────────────────────────────────────
def test_adam_matches_the_update_rule_written_out():
    network, X, y = small_problem(1)
    reference = [p.copy() for p in network.copy_parameters()]
    m = [np.zeros_like(p) for p in reference]
    v = [np.zeros_like(p) for p in reference]
    adam = Adam(0.01, weight_decay=0.1)
    for t in range(1, 4):
        network.set_parameters(reference)  # the reference rule's parameters (equal to Adam's if it is right)
        network.loss_and_gradients(X, y, "softmax_cross_entropy")
        gradients = [g + 0.1 * p * (p.ndim == 2) for p, (_, g) in zip(reference, network.parameters())]
        adam.step(network)
        for i, g in enumerate(gradients):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            reference[i] = reference[i] - 0.01 * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)
        for ours, theirs in zip(network.copy_parameters(), reference):
            np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_adams_first_step_moves_every_parameter_by_about_the_learning_rate():
    network, X, y = small_problem(2)
    before = network.copy_parameters()
    network.loss_and_gradients(X, y, "softmax_cross_entropy")
    signs = [np.sign(g) for _, g in network.parameters()]
    Adam(0.01).step(network)
    for b, a, s in zip(before, network.copy_parameters(), signs):
        np.testing.assert_allclose(a - b, -0.01 * s, atol=1e-6)


def test_fit_with_adam_learns_blobs():
    X, y = blobs(150, seed=0, n_classes=3)
    network = Network.from_sizes([2, 8, 3], activation="relu", output_activation="linear", rng=0)
    history = fit(network, X, y, loss="softmax_cross_entropy", optimizer="adam", learning_rate=0.02, epochs=60,
                  batch_size=30, rng=0, progress=False)
    assert history.accuracy[-1] > 0.9 and history.loss[-1] < 0.5 * history.loss[0]


@pytest.mark.parametrize("call, error, words", [
    (lambda: Adam(0.01, beta1=1.0), ValueError, ["beta1", "below 1"]),
    (lambda: Adam(-1), ValueError, ["learning_rate"]),
    (lambda: Adam(0.01, weight_decay=-1), ValueError, ["weight_decay", "≥ 0"]),
    (lambda: GradientDescent(0.1, weight_decay="a lot"), TypeError, ["weight_decay", "str"]),
])
def test_bad_optimizer_settings_are_explained(call, error, words):
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value)


# ── early stopping ───────────────────────────────────────────────────────────────────────────
def overfitting_problem():
    X, y = moons(60, noise=0.35, seed=3)
    X_val, y_val = moons(200, noise=0.35, seed=4)
    return X, y, X_val, y_val


def test_early_stopping_keeps_the_weights_of_the_best_validation_epoch():
    X, y, X_val, y_val = overfitting_problem()
    network = Network.from_sizes([2, 64, 64, 2], activation="relu", output_activation="linear", rng=0)
    history = fit(network, X, y, loss="softmax_cross_entropy", optimizer="adam", learning_rate=0.01, epochs=400,
                  validation_data=(X_val, y_val), early_stopping=20, progress=False)
    best = int(np.argmin(history.val_loss)) + 1
    assert history.best_epoch == best and history.stopped_early
    assert history.epochs == best + 20 < 400
    assert network.loss(X_val, y_val, "softmax_cross_entropy") == pytest.approx(min(history.val_loss))
    assert f"best weights from epoch {best}" in repr(history)


def test_early_stopping_needs_validation_data():
    X, y, _, _ = overfitting_problem()
    network = Network.from_sizes([2, 4, 2], output_activation="linear", rng=0)
    with pytest.raises(ValueError, match="early_stopping needs validation_data"):
        fit(network, X, y, loss="softmax_cross_entropy", early_stopping=5, progress=False)
    with pytest.raises(ValueError, match="optimizer should be one of 'sgd', 'adam'"):
        fit(network, X, y, loss="softmax_cross_entropy", optimizer="rmsprop", progress=False)


def test_history_holds_training_and_validation_curves():
    X, y, X_val, y_val = overfitting_problem()
    network = Network([Dense(2, 32, "relu", rng=0), Dropout(0.2, rng=1), Dense(32, 2, rng=2)])
    history = fit(network, X, y, loss="softmax_cross_entropy", optimizer="adam", learning_rate=0.01, epochs=30,
                  validation_data=(X_val, y_val), progress=False)
    assert len(history.loss) == len(history.val_loss) == len(history.accuracy) == len(history.val_accuracy) == 30
    assert history.best_epoch is None and not history.stopped_early


# ── augmentation in fit ──────────────────────────────────────────────────────────────────────
def test_augment_is_called_once_per_epoch_with_the_rng_and_changes_what_is_learned():
    X, y = blobs(40, seed=1, n_classes=2)
    calls = []

    def jitter(X_train, rng):
        calls.append(X_train.shape)
        return X_train + rng.normal(0, 0.5, X_train.shape)

    def train(augment, seed=0):
        network = Network.from_sizes([2, 6, 2], output_activation="linear", rng=0)
        fit(network, X, y, loss="softmax_cross_entropy", learning_rate=0.1, epochs=5, rng=seed, augment=augment,
            progress=False)
        return network.copy_parameters()

    a = train(jitter)
    assert calls == [(40, 2)] * 5
    np.testing.assert_array_equal(train(jitter)[0], a[0])  # same rng, same augmentations
    assert not np.array_equal(train(jitter, seed=1)[0], a[0])
    assert not np.array_equal(train(None)[0], a[0])


def test_bad_augment_functions_are_explained():
    X, y = blobs(40, seed=1, n_classes=2)
    network = Network.from_sizes([2, 6, 2], output_activation="linear", rng=0)
    with pytest.raises(ValueError, match=r"augment should return inputs of the shape it was given, \(40, 2\)"):
        fit(network, X, y, loss="softmax_cross_entropy", rng=0, augment=lambda X, rng: X[:10], progress=False)
    with pytest.raises(TypeError, match="augment should be a function"):
        fit(network, X, y, loss="softmax_cross_entropy", rng=0, augment="noise", progress=False)
    with pytest.raises(TypeError, match=r"rng \(it draws the augmentations\)"):
        fit(network, X, y, loss="softmax_cross_entropy", augment=lambda X, rng: X, progress=False)


# ── sound augmentations ──────────────────────────────────────────────────────────────────────
def test_time_shift_moves_each_clip_and_fills_with_silence():
    clips = np.tile(np.arange(1.0, 11.0), (200, 1))
    shifted = time_shift(clips, 3, rng=0)
    assert shifted.shape == clips.shape
    for row in shifted:
        nonzero = np.flatnonzero(row)
        shift = nonzero[0] if row[nonzero[0]] == 1 else -(int(row[0]) - 1)
        assert -3 <= shift <= 3
        np.testing.assert_array_equal(row[nonzero], np.arange(1.0, 11.0)[max(0, -shift):10 - max(0, shift)])
    assert len({tuple(row) for row in shifted}) == 7  # every shift from −3 to 3 drawn
    np.testing.assert_array_equal(time_shift(clips, 3, rng=0), shifted)
    np.testing.assert_array_equal(time_shift(clips, 0, rng=0), clips)


def test_noise_comes_at_the_requested_signal_to_noise_ratio():
    rng = np.random.default_rng(0)
    clips = np.sin(np.linspace(0, 400, 8000))[None, :].repeat(50, axis=0)
    noisy = add_noise(clips, 10.0, rng=rng)
    noise = noisy - clips
    snr = 10 * np.log10(np.mean(clips ** 2, axis=1) / np.mean(noise ** 2, axis=1))
    np.testing.assert_allclose(snr, 10.0, atol=0.2)
    padded = np.pad(clips, ((0, 0), (0, 8000)))
    noise = add_noise(padded, 20.0, rng=1, lengths=[8000] * 50) - padded
    np.testing.assert_allclose(10 * np.log10(0.5 / np.mean(noise ** 2, axis=1)), 20.0, atol=0.2)
    spread = add_noise(clips, (0, 30), rng=2) - clips
    levels = 10 * np.log10(0.5 / np.mean(spread ** 2, axis=1))
    assert levels.min() < 8 and levels.max() > 22 and (0 - 0.3 < levels).all() and (levels < 30.3).all()


def test_gain_multiplies_each_clip_by_a_drawn_factor():
    clips = np.ones((100, 4))
    louder = change_gain(clips, (-6, 6), rng=0)
    gains_db = 20 * np.log10(louder[:, 0])
    assert gains_db.min() >= -6 and gains_db.max() <= 6 and gains_db.std() > 2
    np.testing.assert_array_equal(louder, louder[:, :1].repeat(4, axis=1))
    np.testing.assert_allclose(change_gain(clips, 20.0, rng=0), 10.0)


def test_the_augmenter_combines_them_and_can_feed_features_to_fit():
    rng = np.random.default_rng(0)
    clips = rng.normal(size=(30, 400)) * 0.1
    augmenter = Augmenter(max_shift=20, snr_db=(10, 20), gain_db=(-3, 3))
    a = augmenter(clips, np.random.default_rng(5))
    np.testing.assert_array_equal(a, augmenter(clips, np.random.default_rng(5)))
    assert a.shape == clips.shape and not np.allclose(a, clips)
    means = Augmenter(max_shift=0, gain_db=(-6, 6), clips=clips, features=lambda c: np.abs(c).mean(axis=1, keepdims=True))
    features = means(np.zeros((30, 1)), rng)
    assert features.shape == (30, 1)
    with pytest.raises(ValueError, match="holds 30 training clips, but fit gave it 5"):
        means(np.zeros((5, 1)), rng)
    with pytest.raises(ValueError, match="clips and features go together"):
        Augmenter(clips=clips)


@pytest.mark.parametrize("call, error, words", [
    (lambda: time_shift(np.ones((2, 5)), -1, 0), ValueError, ["max_shift", "≥ 0"]),
    (lambda: time_shift(np.ones(5), 1, 0), ValueError, ["clips should be a batch", "(5,)"]),
    (lambda: add_noise(np.ones((2, 5)), (30, 10), 0), ValueError, ["snr_db", "low ≤ high"]),
    (lambda: change_gain(np.ones((2, 5)), "loud", 0), TypeError, ["gain_db", "str"]),
])
def test_bad_augmentation_settings_are_explained(call, error, words):
    with pytest.raises(error) as raised:
        call()
    for word in words:
        assert word in str(raised.value)
