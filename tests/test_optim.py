"""nblib.optim.GradientDescent: the update rule, momentum, and bad settings."""

import numpy as np
import pytest

from nblib.network import Network
from nblib.optim import GradientDescent


def trained_one_step(learning_rate, momentum=0.0, steps=1):
    network = Network.from_sizes([2, 3, 1], rng=0)
    X, y = np.array([[0.5, -1.0], [1.0, 2.0], [-0.3, 0.1]]), np.array([0, 1, 1])
    optimizer = GradientDescent(learning_rate, momentum)
    history = []
    for _ in range(steps):
        before = network.copy_parameters()
        network.loss_and_gradients(X, y, "binary_cross_entropy")
        gradients = [g.copy() for _, g in network.parameters()]
        optimizer.step(network)
        history.append((before, gradients, network.copy_parameters()))
    return history


def test_a_step_subtracts_learning_rate_times_gradient():
    (before, gradients, after), = trained_one_step(0.5)
    for b, g, a in zip(before, gradients, after):
        np.testing.assert_allclose(a, b - 0.5 * g)


def test_momentum_adds_a_fraction_of_the_previous_step():
    history = trained_one_step(0.1, momentum=0.9, steps=2)
    (b0, g0, a0), (b1, g1, a1) = history
    for p0, grad0, q0, grad1, q1 in zip(b0, g0, a0, g1, a1):
        first_step = -0.1 * grad0
        np.testing.assert_allclose(q0, p0 + first_step)
        np.testing.assert_allclose(q1, q0 + 0.9 * first_step - 0.1 * grad1)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"learning_rate": 0}, ValueError, ["learning_rate should be a positive", "got 0"]),
        ({"learning_rate": -0.1}, ValueError, ["learning_rate", "-0.1"]),
        ({"learning_rate": float("nan")}, ValueError, ["learning_rate", "nan"]),
        ({"learning_rate": "0.1"}, TypeError, ["learning_rate should be a positive number"]),
        ({"learning_rate": 0.1, "momentum": 1.0}, ValueError, ["momentum should be from 0 to just below 1"]),
        ({"learning_rate": 0.1, "momentum": None}, TypeError, ["momentum"]),
    ],
)
def test_bad_settings_are_explained(kwargs, error, words):
    with pytest.raises(error) as raised:
        GradientDescent(**kwargs)
    for word in words:
        assert word in str(raised.value)


class InterruptingGradient(np.ndarray):
    """A gradient that presses Ctrl-C (sends SIGINT to this process) when the optimizer scales it."""

    def __rmul__(self, other):
        import os
        import signal

        os.kill(os.getpid(), signal.SIGINT)
        return np.asarray(self) * other


class TwoParameters:
    def __init__(self):
        self.pairs = [(np.zeros(2), np.ones(2)), (np.zeros(3), np.ones(3).view(InterruptingGradient)), (np.zeros(1), np.ones(1))]

    def parameters(self):
        return self.pairs


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_ctrl_c_during_a_step_updates_every_parameter_or_none(momentum):
    network = TwoParameters()
    optimizer = GradientDescent(0.5, momentum=momentum)
    with pytest.raises(KeyboardInterrupt):
        optimizer.step(network)
    for parameter, _ in network.parameters():
        np.testing.assert_array_equal(parameter, -0.5)  # the whole step was made, then the interrupt came


def test_ctrl_c_during_fit_stops_between_two_steps(monkeypatch):
    import os
    import signal

    from nblib.datasets import xor
    from nblib.training import fit

    original = GradientDescent._update
    after = []

    def update(self, network):
        if len(after) == 2:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C pressed at the start of the third step
        original(self, network)
        after.append(network.copy_parameters())

    monkeypatch.setattr(GradientDescent, "_update", update)
    X, y = xor(40, seed=0)
    network = Network.from_sizes([2, 3, 1], rng=0)
    with pytest.raises(KeyboardInterrupt):
        fit(network, X, y, epochs=10, progress=False)
    assert len(after) == 3  # the third step was made whole, and no fourth began
    for parameter, kept in zip(network.copy_parameters(), after[-1]):
        np.testing.assert_array_equal(parameter, kept)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Ctrl-C works as usual again
