"""Convolution over time: layers that listen for short patterns wherever they occur.

Introduced in chapter 12, Convolution.

A spoken word's log-mel image is a sequence of frames, shape (n_frames, n_channels), the
channels being the mel bands. A dense layer would give every frame its own weights; a
convolution layer slides ONE small set of weights, a kernel spanning `kernel_size` frames
and all channels, along time. Each of its `n_filters` filters is a pattern detector, and
it finds its pattern at the start of a word as well as at the end (weight sharing).

Every layer here is batch-first, X of shape (n_samples, n_frames, n_channels), and follows
the layer protocol of `nblib.layers` (chapter 11): forward(X, training=False),
backward(grad_output, input_gradient=True), parameters(), n_parameters, output_shape,
config(), state() and from_state(config, arrays).

    Conv1D        a filter bank sliding along time, 'same' padding, stride 1
    MaxPool1D     keep the largest value of every `pool_size` frames
    GlobalPool1D  one number per channel for the whole sequence: its max or its average
    Flatten       (n_frames, n_channels) → n_frames · n_channels numbers, for a Dense layer

Conv1D is a Dense layer applied to every window of `kernel_size` frames, written as one
matrix product: the windows are laid out as the rows of a matrix (numpy's
sliding_window_view, then one copy), the kernel as a (kernel_size · n_channels, n_filters)
weight matrix.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from nblib.activations import get_activation
from nblib.layers import initial_weight_scale
from nblib.validation import as_float_array, as_positive_int, as_rng, check_finite, describe


def check_sequences(X, name, n_channels=None, layer="this layer"):
    """Raise a clear error unless X is a float array (n_samples, n_frames, n_channels)."""
    if not isinstance(X, np.ndarray) or X.dtype.kind != "f":
        raise TypeError(f"{name} should be a float numpy array (n_samples, n_frames, n_channels); got {describe(X)}.")
    if X.ndim != 3 or X.shape[0] == 0 or X.shape[1] == 0:
        hint = " For one sequence, write X[np.newaxis]." if X.ndim == 2 else ""
        raise ValueError(
            f"{layer} takes {name} of shape (n_samples, n_frames, n_channels) with at least one sample "
            f"and one frame; got shape {X.shape}.{hint}"
        )
    if n_channels is not None and X.shape[2] != n_channels:
        raise ValueError(
            f"{layer} takes {n_channels} channel(s) per frame (the last axis of {name}); got shape {X.shape}. "
            "Check that the layer's n_channels matches the features (e.g. the number of mel bands)."
        )


def check_input_shape(input_shape, layer):
    """`input_shape` as a tuple (n_frames, n_channels) of positive ints, or a ValueError naming `layer`."""
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if shape is None or len(shape) != 2 or not all(isinstance(size, (int, np.integer)) and size > 0 for size in shape):
        raise ValueError(
            f"{layer} takes inputs of shape (n_frames, n_channels) per sample; got {input_shape!r}. "
            "Put a Conv1D or pooling layer before any Flatten or Dense layer."
        )
    return tuple(int(size) for size in shape)


def frame_windows(X, kernel_size, pad_before, pad_after):
    """Every window of `kernel_size` frames of X (n_samples, n_frames, n_channels), as the rows of a matrix.

    X is first padded with pad_before and pad_after frames of zeros. Row t of sample i holds
    frames t, t+1, ..., t+kernel_size−1 of the padded X, one after the other:
    shape (n_samples · n_out, kernel_size · n_channels), n_out = n_frames + pads − kernel_size + 1.
    """
    n_samples, n_frames, n_channels = X.shape
    padded = np.zeros((n_samples, pad_before + n_frames + pad_after, n_channels), dtype=X.dtype)
    padded[:, pad_before:pad_before + n_frames] = X
    windows = sliding_window_view(padded, kernel_size, axis=1)  # a view: (n_samples, n_out, n_channels, kernel_size)
    n_out = windows.shape[1]
    # Frames first, then channels, like the weights; the reshape makes the one copy.
    return windows.transpose(0, 1, 3, 2).reshape(n_samples * n_out, kernel_size * n_channels)


class Conv1D:
    """`n_filters` filters of `kernel_size` frames × `n_channels` channels, each slid along time.

    Output frame t of filter f is f(Σ_j Σ_c X[t + j − pad, c] · weights[j, c, f] + bias[f]):
    'same' padding (zeros, (kernel_size − 1) // 2 frames before and the rest after) keeps
    n_frames, stride 1. Weights start random (from `rng`, a Generator or int seed), biases zero.

    weights: array (kernel_size, n_channels, n_filters). bias: array (n_filters,).
    Input (n_samples, n_frames, n_channels) → output (n_samples, n_frames, n_filters).
    """

    def __init__(self, n_channels, n_filters, kernel_size, activation="relu", *, rng, dtype=np.float64):
        n_channels = as_positive_int(n_channels, "n_channels")
        n_filters = as_positive_int(n_filters, "n_filters")
        kernel_size = as_positive_int(kernel_size, "kernel_size")
        self.activation = get_activation(activation)
        scale = initial_weight_scale(kernel_size * n_channels, self.activation)  # each output sees k · C inputs
        weights = as_rng(rng).standard_normal((kernel_size, n_channels, n_filters)) * scale
        self.weights = weights.astype(dtype)
        self.bias = np.zeros(n_filters, dtype=dtype)
        self.clear_gradients()

    @classmethod
    def from_weights(cls, weights, bias, activation="linear"):
        """A layer with the given weights (kernel_size, n_channels, n_filters) and bias (n_filters,)."""
        weights = as_float_array(weights, "weights")
        bias = as_float_array(bias, "bias")
        if weights.ndim != 3:
            raise ValueError(
                "weights should be a 3-D array of shape (kernel_size, n_channels, n_filters); "
                f"got shape {weights.shape}. One filter over one channel is w.reshape(-1, 1, 1)."
            )
        if bias.shape != (weights.shape[2],):
            raise ValueError(f"bias should have shape ({weights.shape[2]},), one per filter; got shape {bias.shape}.")
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
        self.windows = self.z = None
        self.grad_weights = np.zeros_like(self.weights)
        self.grad_bias = np.zeros_like(self.bias)

    @property
    def kernel_size(self):
        return self.weights.shape[0]

    @property
    def n_channels(self):
        return self.weights.shape[1]

    @property
    def n_filters(self):
        return self.weights.shape[2]

    @property
    def padding(self):
        """Frames of zeros added (before, after) so that the output has as many frames as the input."""
        before = (self.kernel_size - 1) // 2
        return before, self.kernel_size - 1 - before

    @property
    def n_parameters(self):
        """kernel_size · n_channels weights per filter, plus its bias: however long the input is."""
        return self.weights.size + self.bias.size

    def parameters(self):
        """[(weights, grad_weights), (bias, grad_bias)]."""
        return [(self.weights, self.grad_weights), (self.bias, self.grad_bias)]

    def output_shape(self, input_shape):
        """(n_frames, n_channels) → (n_frames, n_filters)."""
        n_frames, n_channels = check_input_shape(input_shape, repr(self))
        if n_channels != self.n_channels:
            raise ValueError(f"{self!r} takes {self.n_channels} channel(s) per frame; got input shape {input_shape}.")
        return (n_frames, self.n_filters)

    def forward(self, X, training=False):
        """The filters' responses f(Z), shape (n_samples, n_frames, n_filters), for X (n_samples, n_frames, n_channels).

        Z is one matrix product: every window of kernel_size frames (a row of `windows`) times
        the weights laid out as a (kernel_size · n_channels, n_filters) matrix, plus the bias.
        Keeps the windows and Z for the backward pass. `training` changes nothing here.
        """
        check_sequences(X, "X", self.n_channels, repr(self))
        n_samples, n_frames, _ = X.shape
        self.windows = frame_windows(X, self.kernel_size, *self.padding)
        z = self.windows @ self.weights.reshape(-1, self.n_filters) + self.bias
        self.z = z.reshape(n_samples, n_frames, self.n_filters)
        return self.activation.function(self.z)

    def backward(self, grad_output, input_gradient=True):
        """Given dL/dA (n_samples, n_frames, n_filters), set grad_weights and grad_bias; return dL/dX
        (n_samples, n_frames, n_channels), or None with input_gradient=False.

        δ = dL/dZ. As for Dense: dL/dW = windowsᵀ δ and dL/db = Σ δ. Each input frame reached
        the outputs of kernel_size windows, so dL/dX is itself a convolution: of δ with the kernel
        flipped in time and with filters and channels swapped (padding swapped too).
        """
        if self.z is None:
            raise RuntimeError("backward needs a forward pass first: call forward(X), then backward.")
        if np.shape(grad_output) != self.z.shape:
            raise ValueError(
                f"grad_output should have the shape of the layer's last output, {self.z.shape}; got {np.shape(grad_output)}."
            )
        delta = grad_output * self.activation.derivative(self.z)
        rows = delta.reshape(-1, self.n_filters)  # one row per (sample, frame)
        self.grad_weights = (self.windows.T @ rows).reshape(self.weights.shape)
        self.grad_bias = np.ones(len(rows), rows.dtype) @ rows
        if not input_gradient:
            return None
        before, after = self.padding
        flipped = self.weights[::-1].transpose(0, 2, 1).reshape(-1, self.n_channels)  # (k · n_filters, n_channels)
        grad_X = frame_windows(delta, self.kernel_size, after, before) @ flipped
        return grad_X.reshape(*delta.shape[:2], self.n_channels)

    def config(self):
        return {"n_channels": self.n_channels, "n_filters": self.n_filters,
                "kernel_size": self.kernel_size, "activation": self.activation.name}

    def state(self):
        return {"weights": self.weights, "bias": self.bias}

    @classmethod
    def from_state(cls, config, arrays):
        """The layer `config()` and `state()` describe."""
        layer = cls.from_weights(arrays["weights"], arrays["bias"], config["activation"])
        expected = (config["kernel_size"], config["n_channels"], config["n_filters"])
        if layer.weights.shape != expected:
            raise ValueError(f"Conv1D weights of shape {layer.weights.shape} do not match its settings {config}.")
        return layer

    def __call__(self, X):
        return self.forward(X)

    def __repr__(self):
        return (f"Conv1D({self.n_channels} → {self.n_filters} filters, kernel_size={self.kernel_size}, "
                f"activation={self.activation.name!r})")


class MaxPool1D:
    """Keep the largest value of every `pool_size` frames, channel by channel (no weights).

    (n_samples, n_frames, n_channels) → (n_samples, n_frames // pool_size, n_channels); frames
    left over at the end are dropped. A pattern found one frame earlier or later usually gives
    the same maximum: pooling makes the network care less about exactly when.
    """

    def __init__(self, pool_size=2):
        self.pool_size = as_positive_int(pool_size, "pool_size")
        self.input_shape = self.winners = None

    n_parameters = 0

    def parameters(self):
        return []

    def output_shape(self, input_shape):
        n_frames, n_channels = check_input_shape(input_shape, repr(self))
        if n_frames < self.pool_size:
            raise ValueError(f"{self!r} needs at least {self.pool_size} frames; got input shape {input_shape}.")
        return (n_frames // self.pool_size, n_channels)

    def forward(self, X, training=False):
        check_sequences(X, "X", layer=repr(self))
        n_samples, n_frames, n_channels = X.shape
        self.output_shape((n_frames, n_channels))
        n_out = n_frames // self.pool_size
        groups = X[:, :n_out * self.pool_size].reshape(n_samples, n_out, self.pool_size, n_channels)
        self.input_shape = X.shape
        self.winners = groups.argmax(axis=2)[:, :, np.newaxis]  # which frame of each group was largest
        return np.take_along_axis(groups, self.winners, axis=2)[:, :, 0]

    def backward(self, grad_output, input_gradient=True):
        """Only the largest frame of each group moved the output: it alone gets the gradient."""
        if self.winners is None:
            raise RuntimeError("backward needs a forward pass first: call forward(X), then backward.")
        if not input_gradient:
            return None
        n_samples, n_frames, n_channels = self.input_shape
        n_out = self.winners.shape[1]
        if np.shape(grad_output) != (n_samples, n_out, n_channels):
            raise ValueError(f"grad_output should have shape {(n_samples, n_out, n_channels)}; got {np.shape(grad_output)}.")
        groups = np.zeros((n_samples, n_out, self.pool_size, n_channels), dtype=grad_output.dtype)
        np.put_along_axis(groups, self.winners, grad_output[:, :, np.newaxis], axis=2)
        grad_X = np.zeros(self.input_shape, dtype=grad_output.dtype)
        grad_X[:, :n_out * self.pool_size] = groups.reshape(n_samples, -1, n_channels)
        return grad_X

    def config(self):
        return {"pool_size": self.pool_size}

    def state(self):
        return {}

    @classmethod
    def from_state(cls, config, arrays):
        return cls(config["pool_size"])

    def __call__(self, X):
        return self.forward(X)

    def __repr__(self):
        return f"MaxPool1D(pool_size={self.pool_size})"


GLOBAL_POOLS = ("max", "average")


class GlobalPool1D:
    """One number per channel for the whole sequence, its max or its average over time (no weights).

    (n_samples, n_frames, n_channels) → (n_samples, n_channels). After it, a Dense layer sees
    how strongly each filter fired, whenever in the word that happened; and the network
    takes sequences of any length.
    """

    def __init__(self, kind="max"):
        if kind not in GLOBAL_POOLS:
            raise ValueError(f"kind should be one of {GLOBAL_POOLS}; got {kind!r}.")
        self.kind = kind
        self.input_shape = self.winners = None

    n_parameters = 0

    def parameters(self):
        return []

    def output_shape(self, input_shape):
        return (check_input_shape(input_shape, repr(self))[1],)

    def forward(self, X, training=False):
        check_sequences(X, "X", layer=repr(self))
        self.input_shape = X.shape
        if self.kind == "average":
            return X.mean(axis=1)
        self.winners = X.argmax(axis=1)[:, np.newaxis]  # (n_samples, 1, n_channels): the loudest frame
        return np.take_along_axis(X, self.winners, axis=1)[:, 0]

    def backward(self, grad_output, input_gradient=True):
        """Average: every frame gets 1/n_frames of the gradient. Max: the loudest frame gets all of it."""
        if self.input_shape is None:
            raise RuntimeError("backward needs a forward pass first: call forward(X), then backward.")
        if not input_gradient:
            return None
        n_samples, n_frames, n_channels = self.input_shape
        if np.shape(grad_output) != (n_samples, n_channels):
            raise ValueError(f"grad_output should have shape {(n_samples, n_channels)}; got {np.shape(grad_output)}.")
        if self.kind == "average":
            return np.broadcast_to(grad_output[:, np.newaxis] / n_frames, self.input_shape).copy()
        grad_X = np.zeros(self.input_shape, dtype=grad_output.dtype)
        np.put_along_axis(grad_X, self.winners, grad_output[:, np.newaxis], axis=1)
        return grad_X

    def config(self):
        return {"kind": self.kind}

    def state(self):
        return {}

    @classmethod
    def from_state(cls, config, arrays):
        return cls(config["kind"])

    def __call__(self, X):
        return self.forward(X)

    def __repr__(self):
        return f"GlobalPool1D(kind={self.kind!r})"


class Flatten:
    """(n_samples, n_frames, n_channels) → (n_samples, n_frames · n_channels), frame after frame (no weights)."""

    def __init__(self):
        self.input_shape = None

    n_parameters = 0

    def parameters(self):
        return []

    def output_shape(self, input_shape):
        n_frames, n_channels = check_input_shape(input_shape, repr(self))
        return (n_frames * n_channels,)

    def forward(self, X, training=False):
        check_sequences(X, "X", layer=repr(self))
        self.input_shape = X.shape
        return X.reshape(len(X), -1)

    def backward(self, grad_output, input_gradient=True):
        if self.input_shape is None:
            raise RuntimeError("backward needs a forward pass first: call forward(X), then backward.")
        if not input_gradient:
            return None
        if np.shape(grad_output) != (self.input_shape[0], self.input_shape[1] * self.input_shape[2]):
            raise ValueError(f"grad_output should have shape {(self.input_shape[0], self.input_shape[1] * self.input_shape[2])}; "
                             f"got {np.shape(grad_output)}.")
        return grad_output.reshape(self.input_shape)

    def config(self):
        return {}

    def state(self):
        return {}

    @classmethod
    def from_state(cls, config, arrays):
        return cls()

    def __call__(self, X):
        return self.forward(X)

    def __repr__(self):
        return "Flatten()"
