"""Seeded fuzz tests: 1,000 random valid control changes for every explorer, and never an exception.

(The playground has its own, with its buttons, in test_playground.py.) After every change the
readout must still describe the state and the image must still be a PNG.
"""

import numpy as np
import pytest

from nblib.datasets import moons
from nblib.widgets import (activation_explorer, learning_rate_explorer, loss_explorer, neuron_explorer,
                           sound_explorer, training_explorer)

CHANGES = 1000


def random_value(control, rng):
    if hasattr(control, "options"):
        options = control.options
        choice = options[rng.integers(len(options))]
        return choice[1] if isinstance(choice, tuple) else choice
    if hasattr(control, "base"):  # a log slider: uniform in the exponent
        return float(control.base ** rng.uniform(control.min, control.max))
    if isinstance(control.value, int):
        return int(rng.integers(control.min, control.max + 1))
    return float(rng.uniform(control.min, control.max))


x = np.linspace(-2, 2, 12)
X, y = moons(40, noise=0.2, seed=3)
EXPLORERS = {  # name → (how to make it, the controls to move)
    "neuron": (lambda: neuron_explorer(X=X, y=y), ["w1", "w2", "b", "activation"]),
    "activation": (activation_explorer, ["activation", "z"]),
    "loss": (lambda: loss_explorer(x, (x > 0).astype(int), loss="binary_cross_entropy"), ["weight"]),
    "learning_rate": (lambda: learning_rate_explorer(x, 1.5 * x), ["learning_rate", "steps", "start"]),
    "training": (lambda: training_explorer(X, y, hidden=(4,), epochs=10), ["learning_rate", "activation"]),
    "sound": (sound_explorer, ["kind", "pitch", "snr_db"]),
}


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_one_thousand_random_changes(name):
    make, control_names = EXPLORERS[name]
    explorer = make()
    rng = np.random.default_rng(sum(map(ord, name)))
    for _ in range(CHANGES):
        control = getattr(explorer, control_names[rng.integers(len(control_names))])
        control.value = random_value(control, rng)
        assert explorer.readout.value
        assert explorer.image.value[:4] == b"\x89PNG"
