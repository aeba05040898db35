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

Backward (chapter 6, Backpropagation): given how the loss L changes with the
layer's output, dL/dA, the layer finds δ = dL/dZ = dL/dA · f′(Z) and from it

    dL/dW = Xᵀ δ     dL/db = Σ δ over the samples     dL/dX = δ Wᵀ

keeping dL/dW and dL/db beside the parameters (`grad_weights`, `grad_bias`) and
passing dL/dX back to the layer before.

The layer protocol (chapter 11, Real voices): every layer — `Dense`, `Dropout`, and the
convolution layers of chapter 12 — is a plain class with the same few methods, so a
`Network` can stack any of them:

    forward(X, training=False)   output, batch first; training=True only inside `fit`
    backward(grad_output, input_gradient=True)   dL/dX (or None), keeping parameter gradients
    parameters()                 list of (array, gradient) pairs; optimizers update arrays in place
    n_parameters                 how many numbers the layer learns
    output_shape(input_shape)    per-sample output shape (no batch axis); ValueError if X does not fit
    config(), state()            plain settings and name → array, to save it
    from_state(config, arrays)   classmethod: the layer rebuilt from config() and state()
"""

import math

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
        self.clear_gradients()

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
        layer.clear_gradients()
        return layer

    def clear_gradients(self):
        """Forget the last forward pass and set the gradients to zero."""
        self.inputs = None
        self.z = None
        self.grad_weights = np.zeros_like(self.weights)
        self.grad_bias = np.zeros_like(self.bias)

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

    def forward(self, X, training=False, check=True):
        """The layer's output f(X @ W + b), shape (n_samples, n_outputs), for X of shape (n_samples, n_inputs).

        Keeps X and Z = X @ W + b (as `inputs` and `z`) for the backward pass. With check=False
        X is trusted as it is (a network checks its input once, not in every layer). A dense
        layer computes the same in training and evaluation; `training` is there for the protocol.
        """
        self.inputs = as_batch(X, "X", self.n_inputs) if check else X
        self.z = self.inputs @ self.weights + self.bias
        return self.activation.function(self.z)

    def backward(self, grad_output, input_gradient=True):
        """Given dL/dA of shape (n_samples, n_outputs) for the last forward pass, set the
        gradients of the weights and bias and return dL/dX, shape (n_samples, n_inputs)
        (or None with input_gradient=False, see `backward_delta`)."""
        self._check_gradient_shape(grad_output)
        return self.backward_delta(grad_output * self.activation.derivative(self.z), input_gradient)

    def backward_delta(self, delta, input_gradient=True):
        """Given δ = dL/dZ of shape (n_samples, n_outputs), set grad_weights = Xᵀδ and
        grad_bias = Σδ, and return dL/dX = δWᵀ, shape (n_samples, n_inputs).

        With input_gradient=False it returns None instead: the first layer of a network
        has nothing before it to pass dL/dX to, so computing it would be wasted work.
        """
        self._check_gradient_shape(delta)
        self.grad_weights = self.inputs.T @ delta
        # Σδ over the samples, written as (row of ones) @ δ: the same sum, several times quicker
        # than numpy's sum along this axis, and it runs for every layer in every training step.
        self.grad_bias = np.ones(len(delta), delta.dtype) @ delta
        return delta @ self.weights.T if input_gradient else None

    def parameters(self):
        """[(weights, grad_weights), (bias, grad_bias)]: the arrays an optimizer updates in place."""
        return [(self.weights, self.grad_weights), (self.bias, self.grad_bias)]

    def output_shape(self, input_shape):
        """(n_outputs,) for a per-sample input shape (n_inputs,); ValueError otherwise."""
        if tuple(input_shape) != (self.n_inputs,):
            raise ValueError(
                f"{self!r} takes {self.n_inputs} inputs per sample, shape ({self.n_inputs},); "
                f"got per-sample shape {tuple(input_shape)}. Put a Flatten layer before it for "
                "inputs with more than one axis, or change n_inputs."
            )
        return (self.n_outputs,)

    def config(self):
        """The layer's settings as plain values (for `Network.save`)."""
        return {"n_inputs": self.n_inputs, "n_outputs": self.n_outputs, "activation": self.activation.name}

    def state(self):
        """The layer's learned arrays by name (for `Network.save`)."""
        return {"weights": self.weights, "bias": self.bias}

    @classmethod
    def from_state(cls, config, arrays):
        """The layer rebuilt from `config()` and `state()` (for `Network.load`)."""
        layer = cls.from_weights(arrays["weights"], arrays["bias"], config["activation"])
        if (layer.n_inputs, layer.n_outputs) != (config["n_inputs"], config["n_outputs"]):
            raise ValueError(
                f"the weights have shape {layer.weights.shape}, but the layer was saved as "
                f"{config['n_inputs']} → {config['n_outputs']}."
            )
        return layer

    def _check_gradient_shape(self, gradient):
        if self.z is None:
            raise RuntimeError("backward needs a forward pass first: call forward(X), then backward.")
        if np.shape(gradient) != self.z.shape:
            raise ValueError(
                f"the gradient should have the shape of the layer's last output, {self.z.shape}; "
                f"got shape {np.shape(gradient)}."
            )

    def __call__(self, X):
        return self.forward(X)

    def __repr__(self):
        return f"Dense({self.n_inputs} → {self.n_outputs}, activation={self.activation.name!r})"


class Dropout:
    """Dropout: while training, each input is dropped (set to 0) with probability `rate`.

    Introduced in chapter 11, Real voices.

    In training (forward with training=True, which `fit` uses) every value of X is kept with
    probability 1 − rate and then divided by 1 − rate, so its expected value stays the same;
    a new random mask is drawn from `rng` (a numpy Generator or int seed) at every call. In
    evaluation (training=False) the layer passes X through unchanged. A network cannot lean on
    any single neuron, because any neuron may be missing: that fights overfitting.

    Backward: the output is X · mask, so dL/dX = dL/d(output) · mask (the same mask).
    X: any shape (n_samples, ...); the output has the same shape. No parameters.
    """

    def __init__(self, rate=0.5, *, rng):
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)):
            raise TypeError(f"rate should be a number from 0 to just below 1, such as 0.3; got {type(rate).__name__}.")
        if not (0 <= rate < 1) or not math.isfinite(rate):
            raise ValueError(
                f"rate should be from 0 to just below 1, the fraction of inputs dropped, such as 0.3; got {rate}. "
                "At 1 every input would be dropped."
            )
        self.rate = float(rate)
        self.rng = as_rng(rng)
        self.mask = None

    def forward(self, X, training=False):
        """X · mask / (1 − rate) with a fresh random mask when training; X itself otherwise."""
        if not training or self.rate == 0:
            self.mask = None
            return X
        keep = 1.0 - self.rate
        self.mask = (self.rng.random(np.shape(X)) < keep).astype(np.asarray(X).dtype) / keep
        return X * self.mask

    def backward(self, grad_output, input_gradient=True):
        """dL/dX = dL/d(output) · mask for the last forward pass (unchanged after an evaluation pass)."""
        if not input_gradient:
            return None
        if self.mask is None:
            return grad_output
        if np.shape(grad_output) != self.mask.shape:
            raise ValueError(
                f"the gradient should have the shape of the layer's last output, {self.mask.shape}; "
                f"got shape {np.shape(grad_output)}."
            )
        return grad_output * self.mask

    def parameters(self):
        """Dropout learns nothing: []."""
        return []

    @property
    def n_parameters(self):
        return 0

    def output_shape(self, input_shape):
        """The same shape as the input."""
        return tuple(input_shape)

    def config(self):
        return {"rate": self.rate}

    def state(self):
        return {}

    @classmethod
    def from_state(cls, config, arrays, rng=0):
        """The layer rebuilt from `config()`; its masks come from `rng` (seed 0 unless given)."""
        return cls(config["rate"], rng=rng)

    def __call__(self, X, training=False):
        return self.forward(X, training)

    def __repr__(self):
        return f"Dropout(rate={self.rate:g})"
