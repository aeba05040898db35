"""A dense layer: every neuron of the layer sees every input.

Introduced in chapter 3, Layers and networks.

One neuron computes f(wᵀx + b). A layer of n_outputs neurons stacks their weight
vectors as the columns of a matrix W of shape (n_inputs, n_outputs) and their
biases in a vector b of shape (n_outputs,). For a batch X of shape
(n_samples, n_inputs), the whole layer is one matrix product:

    Z = X @ W + b        shape (n_samples, n_outputs)
    A = f(Z)             the layer's output, same shape

Without f (the linear activation) a dense layer is a linear map (strictly, an
affine one); the activation is what adds the power to bend.
"""

import numpy as np

from nblib.activations import get_activation
from nblib.validation import as_batch, as_float_array, as_positive_int, as_rng, check_finite


def initial_weight_scale(n_inputs, activation):
    """Standard deviation for a layer's random starting weights.

    sqrt(2 / n_inputs) for ReLU and leaky ReLU (He et al., 2015) and sqrt(1 / n_inputs)
    otherwise (LeCun et al., 1998), so that z = wᵀx + b starts at a sensible size
    however many inputs the layer has.
    """
    gain = 2.0 if get_activation(activation).name in ("relu", "leaky_relu") else 1.0
    return np.sqrt(gain / n_inputs)


class Dense:
    """A layer of `n_outputs` neurons, each connected to all `n_inputs` inputs.

    Weights start random (drawn from `rng`, a numpy Generator or an int seed) and
    biases start at zero. `dtype` is float64 unless you ask for float32.

    weights: array (n_inputs, n_outputs); column j holds neuron j's weights.
    bias: array (n_outputs,).
    """

    def __init__(self, n_inputs, n_outputs, activation="linear", *, rng, dtype=np.float64):
        n_inputs = as_positive_int(n_inputs, "n_inputs")
        n_outputs = as_positive_int(n_outputs, "n_outputs")
        self.activation = get_activation(activation)
        scale = initial_weight_scale(n_inputs, self.activation)
        rng = as_rng(rng)
        self.weights = (rng.standard_normal((n_inputs, n_outputs)) * scale).astype(dtype)
        self.bias = np.zeros(n_outputs, dtype=dtype)

    @classmethod
    def from_weights(cls, weights, bias, activation="linear"):
        """A layer with the given weights (n_inputs, n_outputs) and bias (n_outputs,)."""
        weights = as_float_array(weights, "weights")
        bias = as_float_array(bias, "bias")
        if weights.ndim != 2:
            raise ValueError(
                f"weights should be a 2-D array of shape (n_inputs, n_outputs); got shape {weights.shape}. "
                "For a single neuron with weights w, write w.reshape(-1, 1)."
            )
        if bias.shape != (weights.shape[1],):
            raise ValueError(
                f"bias should have shape ({weights.shape[1]},), one per neuron (column of weights); "
                f"got shape {bias.shape}."
            )
        check_finite(weights, "weights")
        check_finite(bias, "bias")
        layer = cls.__new__(cls)
        layer.activation = get_activation(activation)
        layer.weights = weights.copy()
        layer.bias = bias.astype(weights.dtype)
        return layer

    @property
    def n_inputs(self):
        return self.weights.shape[0]

    @property
    def n_outputs(self):
        return self.weights.shape[1]

    @property
    def n_parameters(self):
        """How many numbers the layer learns: one weight per connection, one bias per neuron."""
        return self.weights.size + self.bias.size

    def weighted_sums(self, X):
        """Z = X @ W + b, shape (n_samples, n_outputs), for X of shape (n_samples, n_inputs)."""
        X = as_batch(X, "X", self.n_inputs)
        return X @ self.weights + self.bias

    def forward(self, X):
        """The layer's output f(X @ W + b), shape (n_samples, n_outputs), for X of shape (n_samples, n_inputs)."""
        return self.activation.function(self.weighted_sums(X))

    def __call__(self, X):
        return self.forward(X)

    def __repr__(self):
        return f"Dense({self.n_inputs} → {self.n_outputs}, activation={self.activation.name!r})"
