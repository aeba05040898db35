"""Activation functions and their derivatives.

Introduced in chapter 2, Activation functions.

A neuron computes z = wᵀx + b and then passes z through an activation function f.
Each activation here is an `Activation`: a name, the function f, its derivative f′
(needed to learn by gradients, chapter 5 on), and a few words for plots and
readers. All of them work element-wise on arrays of any shape.

`ACTIVATIONS` maps every name to its activation; it feeds the dropdowns of the
explorers. `get_activation(name)` looks one up and explains a wrong name.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

from nblib.validation import as_float_array, describe

LEAKY_SLOPE = 0.01
"""Slope of leaky ReLU for negative inputs."""


@dataclass(frozen=True)
class Activation:
    """An activation function f together with its derivative f′.

    name: the key in `ACTIVATIONS`, e.g. "sigmoid".
    label: how the book writes it, e.g. "leaky ReLU".
    function, derivative: numpy functions, element-wise, same shape in and out.
    formula: f written out in plain text.
    output_range: the values f can take, in plain text.
    threshold: the output value that separates z < 0 from z > 0; a neuron's output
        above it means "class 1". It is f(0) for every activation except the
        binary step, whose output jumps from 0 to 1 at z = 0.
    """

    name: str
    label: str
    function: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    formula: str
    output_range: str
    threshold: float

    def __call__(self, z):
        """f(z) for a number or array z of any shape."""
        z = as_float_array(z, "z")
        with np.errstate(under="ignore"):  # a result too small for a float is 0, which is right
            return self.function(z)

    def slope(self, z):
        """f′(z) for a number or array z of any shape: `derivative` with z checked first.

        An older name, kept so that code written with it still runs; the book says `derivative`.
        """
        z = as_float_array(z, "z")
        with np.errstate(under="ignore"):
            return self.derivative(z)

    def __repr__(self):
        return f"Activation({self.name!r})"


# Each function below takes a float array and returns an array of the same shape.


def linear(z):
    return z.copy()


def linear_derivative(z):
    return np.ones_like(z)


def binary_step(z):
    return (z >= 0).astype(z.dtype)


def binary_step_derivative(z):
    # Zero everywhere; at z = 0 the step has no derivative at all, and we report 0 there too.
    return np.zeros_like(z)


@lru_cache
def smallest_exponent(dtype):
    """The x below which e^x is smaller than the smallest normal float: about −87 (float32), −708 (float64)."""
    return float(np.log(np.finfo(dtype).tiny))


def exp_of_negative(x):
    """e^x for x ≤ 0, without underflow: x is capped where e^x would fall below the smallest
    normal float, and anything smaller is that negligible anyway."""
    return np.exp(np.maximum(x, smallest_exponent(x.dtype)))


def sigmoid(z):
    # 1 / (1 + e^(−z)), written so that e^(...) never overflows: for z < 0 use e^z / (1 + e^z).
    e = exp_of_negative(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    return np.tanh(z)


def tanh_derivative(z):
    with np.errstate(under="ignore"):  # tanh(z)² of a tiny z rounds to 0, which is right
        return 1 - np.tanh(z) ** 2


def arctan(z):
    return np.arctan(z)


def arctan_derivative(z):
    # 1 / (1 + z²). For a huge z, z² overflows to inf and 1 / inf = 0: the right limit.
    with np.errstate(over="ignore", under="ignore"):
        return 1 / (1 + z * z)


def relu(z):
    return np.maximum(z, 0)


def relu_derivative(z):
    # ReLU has no derivative at z = 0; like most libraries we use 0 there.
    z = np.asarray(z)  # a plain number works too
    return (z > 0).astype(z.dtype)


def leaky_relu(z):
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_derivative(z):
    z = np.asarray(z)  # a plain number works too
    return np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype)


ACTIVATIONS = {
    activation.name: activation
    for activation in (
        Activation("linear", "linear", linear, linear_derivative,
                   "f(z) = z", "all numbers", 0.0),
        Activation("binary_step", "binary step", binary_step, binary_step_derivative,
                   "f(z) = 1 if z ≥ 0, else 0", "0 or 1", 0.5),
        Activation("sigmoid", "sigmoid", sigmoid, sigmoid_derivative,
                   "f(z) = 1 / (1 + e^(−z))", "between 0 and 1, never reaching either", 0.5),
        Activation("tanh", "tanh", tanh, tanh_derivative,
                   "f(z) = (e^z − e^(−z)) / (e^z + e^(−z))", "between −1 and 1, never reaching either", 0.0),
        Activation("arctan", "arctan", arctan, arctan_derivative,
                   "f(z) = arctan(z)", "between −π/2 and π/2, never reaching either", 0.0),
        Activation("relu", "ReLU", relu, relu_derivative,
                   "f(z) = max(0, z)", "0 and above", 0.0),
        Activation("leaky_relu", "leaky ReLU", leaky_relu, leaky_relu_derivative,
                   f"f(z) = z if z > 0, else {LEAKY_SLOPE}·z", "all numbers", 0.0),
    )
}
"""Every activation of the book by name, in the order chapter 2 introduces them."""


def get_activation(activation):
    """The `Activation` called `activation` (a name such as "tanh"), or `activation` itself if it already is one."""
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str):
        raise TypeError(
            f"activation should be the name of an activation, one of {', '.join(ACTIVATIONS)}; "
            f"got {describe(activation)}."
        )
    key = activation.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in ACTIVATIONS:
        raise ValueError(
            f"activation should be one of {', '.join(ACTIVATIONS)}; got {activation!r}."
        )
    return ACTIVATIONS[key]
