"""A network: layers applied one after the other.

Introduced in chapter 3, Layers and networks.

The input layer is the data itself, X of shape (n_samples, n_features); it has
no weights. Each `Dense` layer after it is a hidden layer, except the last,
which is the output layer. A forward pass feeds X to the first layer, that
layer's output to the next, and so on.

Backward (chapters 6 and 7): the loss's gradient goes back the other way, from
the output layer to the first, each layer keeping the gradients of its own
weights and bias.
"""

from pathlib import Path

import numpy as np

from nblib.activations import get_activation
from nblib.files import atomic_write, read_npz
from nblib.layers import Dense
from nblib.losses import get_loss, prepare_targets
from nblib.validation import as_batch, as_positive_int, as_rng, describe, owned


SAVE_FORMAT = "nblib-network-1"
"""The mark inside every file `Network.save` writes."""


def check_sizes_argument(sizes):
    """`sizes` as asked of `Network.load`: None, or a list of whole numbers such as [80, 64, 4]."""
    if sizes is None:
        return None
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(f"sizes should be None or a list of layer sizes such as [80, 64, 4]; got {describe(sizes)}.")
    return [as_positive_int(size, f"sizes[{i}]") for i, size in enumerate(sizes)]


class Network:
    """A stack of `Dense` layers; the outputs of each are the inputs of the next."""

    def __init__(self, layers):
        layers = list(layers)
        if not layers:
            raise ValueError("layers should hold at least one Dense layer; got an empty list.")
        for index, layer in enumerate(layers):
            if not isinstance(layer, Dense):
                raise TypeError(f"layers[{index}] should be a Dense layer; got {describe(layer)}.")
        for index, (before, after) in enumerate(zip(layers, layers[1:])):
            if before.n_outputs != after.n_inputs:
                raise ValueError(
                    f"layers[{index + 1}] should take {before.n_outputs} inputs, the outputs of "
                    f"layers[{index}] ({before!r}); it takes {after.n_inputs} ({after!r})."
                )
        self.layers = layers

    @classmethod
    def from_sizes(cls, sizes, activation="tanh", output_activation="sigmoid", *, rng, dtype=np.float64):
        """A network with the given layer sizes, e.g. [2, 4, 1]: 2 inputs, 4 hidden neurons, 1 output.

        Hidden layers use `activation`, the output layer `output_activation`.
        Weights are drawn from `rng` (a numpy Generator or an int seed), biases start at zero;
        `dtype` is float64 unless you ask for float32 (quicker, less exact).
        """
        sizes = list(sizes) if not isinstance(sizes, (str, bytes)) else sizes
        if not isinstance(sizes, list) or len(sizes) < 2:
            raise ValueError(
                "sizes should list at least two layer sizes, inputs first and outputs last, "
                f"e.g. [2, 4, 1]; got {sizes!r}."
            )
        sizes = [as_positive_int(size, f"sizes[{i}]") for i, size in enumerate(sizes)]
        get_activation(activation)
        get_activation(output_activation)
        rng = as_rng(rng)
        layers = [
            Dense(n_in, n_out, activation if i < len(sizes) - 2 else output_activation, rng=rng, dtype=dtype)
            for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]))
        ]
        return cls(layers)

    @property
    def sizes(self):
        """Number of neurons per layer, the input layer first, e.g. [2, 4, 1]."""
        return [self.layers[0].n_inputs] + [layer.n_outputs for layer in self.layers]

    @property
    def n_parameters(self):
        """How many numbers the network learns (all weights and biases)."""
        return sum(layer.n_parameters for layer in self.layers)

    def layer_outputs(self, X):
        """The output of every layer for X of shape (n_samples, n_inputs): a list, one array per layer."""
        outputs = []
        A = owned(as_batch(X, "X", self.layers[0].n_inputs), X)  # the first layer keeps it for backward
        for layer in self.layers:
            A = layer.forward(A, check=False)
            outputs.append(A)
        return outputs

    def forward(self, X):
        """The network's output for X of shape (n_samples, n_inputs): shape (n_samples, n_outputs)."""
        return self.layer_outputs(X)[-1]

    def __call__(self, X):
        return self.forward(X)

    def backward(self, grad_output):
        """Send dL/d(output), shape (n_samples, n_outputs), back through every layer, last to first.

        Each layer keeps the gradients of its weights and bias; returns dL/dX, shape (n_samples, n_inputs).
        """
        for layer in reversed(self.layers):
            grad_output = layer.backward(grad_output)
        return grad_output

    def loss(self, X, y, loss):
        """The loss (a float) of the network on X (n_samples, n_inputs) and targets y, without gradients."""
        loss = get_loss(loss)
        self.check_loss(loss)
        output = self.forward(X)
        targets = prepare_targets(y, output.shape, loss)
        return loss.function(self.layers[-1].z if loss.takes == "logits" else output, targets)[0]

    def loss_and_gradients(self, X, y, loss):
        """Forward pass, loss and backward pass for a batch: returns the loss (a float).

        X: (n_samples, n_inputs); y: targets, (n_samples,) or (n_samples, n_outputs).
        Afterwards every layer's `grad_weights` and `grad_bias` hold the loss's gradients.
        """
        loss = get_loss(loss)
        self.check_loss(loss)
        X = as_batch(X, "X", self.layers[0].n_inputs)
        targets = prepare_targets(y, (len(X), self.layers[-1].n_outputs), loss)
        return self.checked_loss_and_gradients(X, targets, loss)

    def checked_loss_and_gradients(self, X, targets, loss):
        """`loss_and_gradients` for input already checked: X a float array (n_samples, n_inputs),
        targets from `nblib.losses.prepare_targets`, loss a `Loss`. Used by `fit` in every step."""
        A = X
        for layer in self.layers:
            A = layer.forward(A, check=False)
        last = self.layers[-1]
        if loss.takes == "logits":  # the loss gives δ = dL/dZ of the output layer directly
            value, delta = loss.function(last.z, targets)
            grad = last.backward_delta(delta, input_gradient=len(self.layers) > 1)
        else:
            value, grad_output = loss.function(A, targets)
            grad = last.backward(grad_output, input_gradient=len(self.layers) > 1)
        for index in range(len(self.layers) - 2, -1, -1):  # the first layer needs no dL/dX
            grad = self.layers[index].backward(grad, input_gradient=index > 0)
        return value

    def check_loss(self, loss):
        """Raise a clear error if `loss` does not fit this network's output layer."""
        loss = get_loss(loss)
        last = self.layers[-1]
        if loss.output_activation and last.activation.name != loss.output_activation:
            raise ValueError(
                f"loss {loss.name!r} needs an output layer with the {loss.output_activation} activation; "
                f"this network's output layer uses {last.activation.name}. Build it with "
                f"output_activation={loss.output_activation!r}, or choose another loss."
            )
        if loss.name == "binary_cross_entropy" and last.n_outputs != 1:
            raise ValueError(
                f"loss 'binary_cross_entropy' needs one output neuron; this network has {last.n_outputs}. "
                "For several classes use loss='softmax_cross_entropy' with a linear output layer."
            )

    def parameters(self):
        """Every parameter with its gradient: a list of (array, gradient) pairs, weights then bias, layer by layer."""
        pairs = []
        for layer in self.layers:
            pairs += [(layer.weights, layer.grad_weights), (layer.bias, layer.grad_bias)]
        return pairs

    def copy_parameters(self):
        """A copy of every weight matrix and bias vector, in the order of `parameters()`."""
        return [array.copy() for array, _ in self.parameters()]

    def set_parameters(self, arrays):
        """Put back parameters taken with `copy_parameters()` (values are copied in)."""
        for (array, _), saved in zip(self.parameters(), arrays, strict=True):
            np.copyto(array, saved)

    def predict(self, X):
        """Class labels for X of shape (n_samples, n_inputs): an int array of shape (n_samples,).

        With one output neuron, label 1 where the output is above the output activation's
        threshold (0.5 for sigmoid, 0 for tanh, ...), else 0. With several, the index of
        the largest output.
        """
        output = self.forward(X)
        if output.shape[1] == 1:
            return (output[:, 0] > self.layers[-1].activation.threshold).astype(int)
        return output.argmax(axis=1)

    def summary(self):
        """A small table of the layers, their shapes and parameter counts, as text."""
        rows = [f"{'layer':<9}{'size':>5}  {'activation':<12}{'weights':>13}{'biases':>8}"]
        rows.append(f"{'input':<9}{self.sizes[0]:>5}  {'—':<12}{'—':>13}{'—':>8}")
        for index, layer in enumerate(self.layers):
            kind = "output" if index == len(self.layers) - 1 else f"hidden {index + 1}"
            weights = f"{layer.n_inputs}×{layer.n_outputs} = {layer.weights.size}"
            rows.append(f"{kind:<9}{layer.n_outputs:>5}  {layer.activation.name:<12}{weights:>13}{layer.n_outputs:>8}")
        rows.append(f"total parameters: {self.n_parameters}")
        return "\n".join(rows)

    def save(self, path):
        """Save the network's sizes, activations, weights and biases to `path` (a .npz file).

        Written with np.savez, whole or not at all: an existing file is replaced only once
        the new one is complete. Load it with `Network.load(path)`.
        """
        for index, (parameter, _) in enumerate(self.parameters()):
            if not np.isfinite(parameter).all():
                raise ValueError(
                    f"the network's parameters should be finite numbers to be saved; parameter {index} "
                    f"(of {len(self.parameters())}, in the order of parameters()) holds NaN or infinity. "
                    "Training probably diverged: train again with a smaller learning rate."
                )
        arrays = {"format": np.array(SAVE_FORMAT), "sizes": np.array(self.sizes),
                  "activations": np.array([layer.activation.name for layer in self.layers])}
        for number, layer in enumerate(self.layers):
            arrays[f"weights_{number}"], arrays[f"bias_{number}"] = layer.weights, layer.bias
        with atomic_write(path) as stream:
            np.savez(stream, **arrays)

    @classmethod
    def load(cls, path, sizes=None):
        """A network saved with `save`. With `sizes` (e.g. [80, 64, 4]) the file must hold that architecture.

        Only numbers and names are read (allow_pickle=False): a file cannot run code.
        """
        path = Path(path)
        sizes = check_sizes_argument(sizes)
        if not path.is_file():
            raise ValueError(f"{path}: no such file. Save a network first with network.save(path).")
        arrays = read_npz(path, "a network saved by nblib")
        mark = arrays.get("format", np.array(""))
        if mark.shape != () or mark.dtype.kind != "U" or str(mark) != SAVE_FORMAT:
            raise ValueError(f"{path}: not a network saved by nblib (no '{SAVE_FORMAT}' mark inside).")
        try:
            saved_sizes = [int(size) for size in arrays["sizes"]]
            names = [str(name) for name in arrays["activations"]]
            expected = {"format", "sizes", "activations"} | {f"{kind}_{i}" for i in range(len(names)) for kind in ("weights", "bias")}
            if set(arrays) != expected or arrays["sizes"].ndim != 1 or len(saved_sizes) != len(names) + 1:
                raise ValueError(f"it holds the arrays {sorted(arrays)} for {len(names)} activation(s) and sizes {saved_sizes}")
            kinds = {str(arrays[f"{kind}_{i}"].dtype) for i in range(len(names)) for kind in ("weights", "bias")}
            if not kinds <= {"float32", "float64"}:
                raise ValueError(f"its weights should be float32 or float64; they are {', '.join(sorted(kinds))}")
            layers = [Dense.from_weights(arrays[f"weights_{i}"], arrays[f"bias_{i}"], names[i]) for i in range(len(names))]
            network = cls(layers)
        except (KeyError, ValueError, TypeError, IndexError, OverflowError) as error:
            raise ValueError(f"{path}: the saved network is damaged or incomplete ({error}).") from None
        if network.sizes != saved_sizes:
            raise ValueError(f"{path}: the saved network is damaged: its weights do not match its sizes {saved_sizes}.")
        if sizes is not None and sizes != saved_sizes:
            raise ValueError(f"{path}: holds a network of sizes {saved_sizes}, not the {list(sizes)} asked for.")
        return network

    def __repr__(self):
        activations = ", ".join(layer.activation.name for layer in self.layers)
        return f"Network(sizes={self.sizes}, activations=[{activations}])"
