"""The checks at the top of every explorer function: a wrong argument gets a clear error at once,
instead of a slider that silently clamps it or a traitlets message that lists no choices."""

import numpy as np

from nblib.activations import get_activation
from nblib.audio.synth import INSTRUMENTS, WAVEFORMS
from nblib.losses import get_loss
from nblib.validation import as_batch, as_float_array, as_number, as_positive_int, check_finite, describe

WEIGHT_LIMIT = 3.0
"""The neuron explorer's sliders run from −3 to 3."""


def _choice(value, name, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} should be one of {', '.join(map(repr, choices))}; got {describe(value)}.")
    return value


def _points(x, y):
    """x and y of the one-input explorers: finite 1-D arrays of the same, non-zero length."""
    x = as_float_array(x, "x")
    y = as_float_array(y, "y")
    if x.ndim > 1 or y.ndim > 1 or x.size != y.size or x.size == 0:
        raise ValueError(
            "x and y should be 1-D arrays of the same length and of non-zero length (one input and one target "
            f"per example); got {x.size} and {y.size} values (shapes {x.shape} and {y.shape})."
        )
    check_finite(x, "x")
    check_finite(y, "y")


def class_labels(y, n_samples, name="y", two_classes=False):
    """Class labels: a 1-D array of n_samples whole numbers from 0 (0 or 1 with two_classes)."""
    if y is None:
        raise TypeError(f"{name} should be the class of every sample (0, 1, …), shape ({n_samples},); got None.")
    labels = as_float_array(y, name)
    if labels.shape != (n_samples,):
        raise ValueError(f"{name} should hold one class label per sample, shape ({n_samples},); got shape {labels.shape}.")
    check_finite(labels, name)
    highest = 1 if two_classes else None
    if not np.all(labels == np.round(labels)) or labels.min() < 0 or (highest is not None and labels.max() > highest):
        expected = "0 or 1" if two_classes else "whole numbers 0, 1, 2, …"
        raise ValueError(
            f"{name} should hold class labels, {expected}; got values from {labels.min():g} to {labels.max():g}"
            f"{' (not whole numbers)' if not np.all(labels == np.round(labels)) else ''}. "
            "An explorer draws classes: round or threshold the targets first."
        )
    return labels


def check_activation_explorer(activation, z):
    get_activation(activation)
    as_number(z, "z", -5, 5, example=1.0)


def check_neuron_explorer(w1, w2, b, activation, X, y):
    for value, name in ((w1, "w1"), (w2, "w2"), (b, "b")):
        as_number(value, name, -WEIGHT_LIMIT, WEIGHT_LIMIT, example=1.0)
    get_activation(activation)
    if (X is None) != (y is None):
        raise TypeError(f"X and y should be given together (points and their classes) or not at all; "
                        f"got X={describe(X)} and y={describe(y)}.")
    if X is not None:
        X = as_batch(X, "X", 2)
        class_labels(y, len(X), two_classes=True)


def check_sound_explorer(kind, pitch, snr_db):
    _choice(kind, "kind", WAVEFORMS + INSTRUMENTS)
    as_number(pitch, "pitch (in Hz)", 55, 1760, example=220)
    as_number(snr_db, "snr_db", 0, 40, example=30)


def check_training_explorer(X, y, hidden, activation, learning_rate, epochs, loss, seed, validation_data):
    X = as_batch(X, "X", 2)
    loss = get_loss(loss)
    class_labels(y, len(X), two_classes=loss.name != "softmax_cross_entropy")
    if isinstance(hidden, (str, bytes)) or not hasattr(hidden, "__iter__"):
        raise TypeError(f"hidden should list the neurons of each hidden layer, such as [8]; got {describe(hidden)}.")
    for index, size in enumerate(hidden):
        as_positive_int(size, f"hidden[{index}]")
    get_activation(activation)
    as_number(learning_rate, "learning_rate", 1e-3, 10, example=1.0)
    as_positive_int(epochs, "epochs")
    as_positive_int(seed, "seed", minimum=0)
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError(f"validation_data should be a pair (X_val, y_val); got {describe(validation_data)}.")
        X_val = as_batch(validation_data[0], "validation_data[0]", 2)
        class_labels(validation_data[1], len(X_val), "validation_data[1]", two_classes=loss.name != "softmax_cross_entropy")


def check_learning_rate_explorer(x, y, learning_rate, steps, start):
    _points(x, y)
    if not np.any(as_float_array(x, "x")):
        raise ValueError("x should not be all 0: with no input the weight has nothing to learn from.")
    as_number(learning_rate, "learning_rate", 1e-4, 10, example=0.1)
    steps = as_positive_int(steps, "steps")
    if steps > 50:
        raise ValueError(f"steps should be from 1 to 50; got {steps}.")
    as_number(start, "start", example=-2.0)


def check_loss_explorer(x, y, weight, bias):
    _points(x, y)
    as_number(weight, "weight", -4, 4, example=0.0)
    as_number(bias, "bias", example=0.0)


def check_playground(noise, test_share, activation, learning_rate):
    as_number(noise, "noise", 0, 0.5, example=0.1)
    as_number(test_share, "test_share", 0.1, 0.9, example=0.3)
    get_activation(activation)
    as_number(learning_rate, "learning_rate", 1e-3, 10, example=1.0)
