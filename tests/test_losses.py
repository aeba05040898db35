"""nblib.losses: values, gradients against finite differences, stability at extreme logits, errors."""

import numpy as np
import pytest

from nblib.gradcheck import numerical_gradient, relative_error
from nblib.losses import LOSSES, get_loss, log_softmax, softmax, softplus


def targets_for(name, rng, shape):
    n, k = shape
    if name == "mse":
        return rng.normal(size=shape)
    if name == "binary_cross_entropy":
        return rng.integers(0, 2, size=shape).astype(float)
    return rng.integers(0, k, size=n)


SHAPES = {"mse": [(1, 1), (7, 1), (5, 3)], "binary_cross_entropy": [(1, 1), (9, 1)], "softmax_cross_entropy": [(1, 2), (6, 4)]}


@pytest.mark.parametrize("name, shape", [(name, shape) for name, shapes in SHAPES.items() for shape in shapes])
def test_gradient_matches_central_differences(name, shape, rng):
    loss = LOSSES[name]
    values = rng.normal(size=shape) * 3
    targets = targets_for(name, rng, shape)
    _, gradient = loss(values, targets)
    numerical = numerical_gradient(lambda: loss(values, targets)[0], values)
    assert gradient.shape == values.shape
    assert relative_error(gradient, numerical) < 1e-6


def test_mse_by_hand():
    value, gradient = get_loss("mse")([[1.0], [3.0]], [0.0, 1.0])
    assert value == pytest.approx((1 + 4) / 2)
    np.testing.assert_allclose(gradient, [[1.0], [2.0]])


def test_binary_cross_entropy_is_minus_log_of_the_probability_of_the_true_class():
    z = np.array([[2.0], [-1.0]])
    t = np.array([1.0, 1.0])
    p = 1 / (1 + np.exp(-z[:, 0]))
    value, gradient = get_loss("binary_cross_entropy")(z, t)
    assert value == pytest.approx(-np.mean(np.log(p)))
    np.testing.assert_allclose(gradient[:, 0], (p - t) / 2)


def test_softmax_cross_entropy_by_hand_and_with_one_hot_targets():
    z = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 3.0]])
    labels = np.array([1, 0])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    value, gradient = get_loss("softmax_cross_entropy")(z, labels)
    assert value == pytest.approx(-np.mean(np.log(p[[0, 1], labels])))
    one_hot = np.eye(3)[labels]
    np.testing.assert_allclose(gradient, (p - one_hot) / 2)
    assert get_loss("softmax_cross_entropy")(z, one_hot)[0] == pytest.approx(value)


def test_softmax_rows_are_probabilities(rng):
    p = softmax(rng.normal(size=(5, 4)) * 10)
    np.testing.assert_allclose(p.sum(axis=1), 1)
    assert (p > 0).all()
    np.testing.assert_allclose(softmax([1.0, 1.0]), [0.5, 0.5])


@pytest.mark.parametrize("z", [1e4, -1e4, 1e3, -1e3, 0.0, 750.0, -750.0])
def test_losses_are_finite_and_silent_at_extreme_logits(z):
    with np.errstate(all="raise"):
        for target in (0.0, 1.0):
            value, gradient = get_loss("binary_cross_entropy")([[z]], [target])
            assert np.isfinite(value) and np.isfinite(gradient).all()
        logits = np.array([[z, -z, 0.0], [z, z, -z]])
        value, gradient = get_loss("softmax_cross_entropy")(logits, [1, 2])
        assert np.isfinite(value) and np.isfinite(gradient).all()
        value, gradient = get_loss("mse")([[z]], [0.0])
        assert np.isfinite(value) and np.isfinite(gradient).all()
        assert np.isfinite(softplus(np.array([z]))).all() and np.isfinite(log_softmax(logits)).all()


def test_confident_mistakes_cost_about_the_size_of_the_logit():
    value, _ = get_loss("binary_cross_entropy")([[-1e4]], [1.0])
    assert value == pytest.approx(1e4)
    value, _ = get_loss("softmax_cross_entropy")([[1e4, -1e4]], [1])
    assert value == pytest.approx(2e4)


def test_perfect_confident_answers_cost_nothing():
    assert get_loss("binary_cross_entropy")([[1e4]], [1.0])[0] == pytest.approx(0, abs=1e-300)


def test_get_loss_lists_the_valid_names():
    with pytest.raises(ValueError) as raised:
        get_loss("hinge")
    for name in LOSSES:
        assert name in str(raised.value)
    assert get_loss("Binary cross-entropy") is LOSSES["binary_cross_entropy"]
    with pytest.raises(TypeError, match="loss should be the name"):
        get_loss(None)


@pytest.mark.parametrize(
    "name, values, targets, words",
    [
        ("mse", [[1.0], [2.0]], [1.0, 2.0, 3.0], ["one target per sample, 2", "(3,)"]),
        ("softmax_cross_entropy", [[1.0, 2.0]], [2], ["class labels 0 to 1"]),
        ("softmax_cross_entropy", [[1.0, 2.0]], [0.5], ["class labels 0 to 1"]),
        ("binary_cross_entropy", [[1.0]], [2.0], ["between 0 and 1"]),
        ("mse", [[1.0, 2.0]], [[1.0, 2.0, 3.0]], ["shape (1, 2)"]),
        ("mse", [[np.nan]], [1.0], ["values should hold finite"]),
        ("mse", [[1.0]], [np.inf], ["y should hold finite"]),
        ("mse", [[1.0]], ["a"], ["y should hold numbers"]),
    ],
)
def test_bad_targets_are_explained(name, values, targets, words):
    with pytest.raises((ValueError, TypeError)) as raised:
        get_loss(name)(values, targets)
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize("targets", [
    [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]],      # a row of zeros
    [[0.5, 0.5, 0.5], [0.2, 0.3, 0.1]],      # rows that sum to 1.5 and 0.6
    [[0.1, 0.8, 0.1], [0.0, 0.0, 1.0]],      # probabilities and one-hot
])
def test_softmax_cross_entropy_gradient_is_true_for_any_target_rows(targets):
    from nblib.gradcheck import numerical_gradient

    loss = get_loss("softmax_cross_entropy")
    z = np.array([[0.3, -1.2, 2.0], [1.5, 0.1, -0.4]])
    targets = np.array(targets)
    _, gradient = loss(z, targets)
    measured = numerical_gradient(lambda: loss(z, targets)[0], z)
    np.testing.assert_allclose(gradient, measured, atol=1e-8)
