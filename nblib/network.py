"""A network: layers applied one after the other.

Introduced in chapter 3, Layers and networks.

The input layer is the data itself, X of shape (n_samples, n_features); it has
no weights. Each `Dense` layer after it is a hidden layer, except the last,
which is the output layer. A forward pass feeds X to the first layer, that
layer's output to the next, and so on.

From chapter 11 on, a network stacks any layers of the layer protocol (see
`nblib.layers`): `Dense`, `Dropout`, and chapter 12's convolution layers.

Backward (chapters 6 and 7): the loss's gradient goes back the other way, from
the output layer to the first, each layer keeping the gradients of its own
weights and bias.
"""

import json
import zipfile
from pathlib import Path

import numpy as np

from nblib.activations import get_activation
from nblib.convolution import Conv1D, Flatten, GlobalPool1D, MaxPool1D
from nblib.files import atomic_write
from nblib.layers import Dense, Dropout
from nblib.losses import get_loss, prepare_targets
from nblib.validation import as_batch, as_float_array, as_positive_int, as_rng, check_finite, describe


SAVE_FORMAT = "nblib-network-2"
"""The mark inside every file `Network.save` writes (files marked "nblib-network-1", dense networks
saved before chapter 11, still load)."""

LAYER_KINDS = {"Dense": Dense, "Dropout": Dropout, "Conv1D": Conv1D, "MaxPool1D": MaxPool1D,
               "GlobalPool1D": GlobalPool1D, "Flatten": Flatten}
"""Every layer kind `Network.load` can rebuild, by class name: a new layer kind is added here."""

PROTOCOL = ("forward", "backward", "parameters", "output_shape", "config", "state", "from_state")
"""The methods every layer has (the layer protocol, see `nblib.layers`)."""


def describe_shape(shape):
    """'3 inputs' for a per-sample shape (3,), 'shape (2, 5)' for more axes."""
    return f"{shape[0]} inputs" if len(shape) == 1 else f"per-sample shape {shape}"


class Network:
    """A stack of layers; the output of each is the input of the next.

    layers: any layers of the layer protocol (`Dense`, `Dropout`, ...); the last must be `Dense`,
    since the loss reads its weighted sums. input_shape: the shape of one sample, e.g. (40,)
    or (40, 31); it may be left out when it follows from the first `Dense` layer.
    """

    def __init__(self, layers, input_shape=None):
        layers = list(layers)
        if not layers:
            raise ValueError("layers should hold at least one Dense layer (the last layer is Dense); got an empty list.")
        for index, layer in enumerate(layers):
            missing = [name for name in PROTOCOL if not hasattr(layer, name)]
            if missing or isinstance(layer, type):
                raise TypeError(
                    f"layers[{index}] should be a Dense layer or another layer (such as Dropout) with the methods "
                    f"{', '.join(PROTOCOL)}; got {describe(layer)}."
                )
        if not isinstance(layers[-1], Dense):
            raise TypeError(
                f"the last layer should be a Dense layer (the loss reads its weighted sums); got {layers[-1]!r}. "
                "Add a Dense output layer at the end."
            )
        self.layers = layers
        self.input_shape = self._input_shape(input_shape)
        self.shapes = self._shapes()

    def _input_shape(self, input_shape):
        if input_shape is not None:
            if isinstance(input_shape, (int, np.integer)) and not isinstance(input_shape, bool):
                input_shape = (input_shape,)
            if not isinstance(input_shape, (tuple, list)) or not input_shape:
                raise TypeError(
                    f"input_shape should be the shape of one sample as a tuple, e.g. (40,) or (40, 31); "
                    f"got {describe(input_shape)}."
                )
            return tuple(as_positive_int(size, f"input_shape[{i}]") for i, size in enumerate(input_shape))
        first_dense = next(layer for layer in self.layers if isinstance(layer, Dense))
        if not all(isinstance(layer, Dropout) for layer in self.layers[:self.layers.index(first_dense)]):
            raise ValueError(
                "input_shape is needed when the first layers are not Dense or Dropout: give the shape "
                "of one sample, e.g. Network(layers, input_shape=(40, 31))."
            )
        return (first_dense.n_inputs,)

    def _shapes(self):
        """The per-sample output shape of every layer, checking that each layer fits the one before."""
        shape, shapes = self.input_shape, []
        for index, layer in enumerate(self.layers):
            try:
                shape = tuple(layer.output_shape(shape))
            except ValueError as error:
                source = "the input" if index == 0 else f"the outputs of layers[{index - 1}] ({self.layers[index - 1]!r})"
                if isinstance(layer, Dense) and len(shape) == 1:
                    raise ValueError(
                        f"layers[{index}] should take {shape[0]} inputs, {source}; "
                        f"it takes {layer.n_inputs} ({layer!r})."
                    ) from None
                raise ValueError(f"layers[{index}] ({layer!r}) does not fit {source}, {describe_shape(shape)}: {error}") from None
            shapes.append(shape)
        return shapes

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
        """Number of neurons per layer, the input layer first, e.g. [2, 4, 1] (Dense layers only;
        the input's entry is its shape when a sample has more than one axis)."""
        first = self.input_shape[0] if len(self.input_shape) == 1 else self.input_shape
        return [first] + [layer.n_outputs for layer in self.layers if isinstance(layer, Dense)]

    @property
    def n_parameters(self):
        """How many numbers the network learns (all weights and biases)."""
        return sum(layer.n_parameters for layer in self.layers)

    @property
    def dtype(self):
        """The float type of the network's parameters (float64 unless built as float32)."""
        return next((array.dtype for array, _ in self.parameters()), np.dtype(np.float64))

    @property
    def is_dense(self):
        """True when every layer is Dense (the networks of chapters 3-10)."""
        return all(isinstance(layer, Dense) for layer in self.layers)

    def check_input(self, X, name="X"):
        """X as a finite float array of shape (n_samples, *input_shape), or a clear error."""
        if len(self.input_shape) == 1:
            return as_batch(X, name, self.input_shape[0])
        array = as_float_array(X, name)
        if array.ndim != len(self.input_shape) + 1 or array.shape[1:] != self.input_shape or len(array) == 0:
            raise ValueError(
                f"{name} should have shape (n_samples, {', '.join(map(str, self.input_shape))}), one sample of "
                f"shape {self.input_shape} per row; got shape {array.shape}."
            )
        check_finite(array, name)
        return array

    def _forward_checked(self, A, training=False, keep=False):
        outputs = []
        for layer in self.layers:
            A = layer.forward(A, training, check=False) if isinstance(layer, Dense) else layer.forward(A, training)
            if keep:
                outputs.append(A)
        return outputs if keep else A

    def layer_outputs(self, X, training=False):
        """The output of every layer for X of shape (n_samples, *input_shape): a list, one array per layer."""
        return self._forward_checked(self.check_input(X), training, keep=True)

    def forward(self, X, training=False):
        """The network's output for X of shape (n_samples, *input_shape): shape (n_samples, n_outputs).

        training=True only while training (`fit` does it): then Dropout layers drop.
        """
        return self._forward_checked(self.check_input(X), training)

    def __call__(self, X):
        return self.forward(X)

    def backward(self, grad_output):
        """Send dL/d(output), shape (n_samples, n_outputs), back through every layer, last to first.

        Each layer keeps the gradients of its parameters; returns dL/dX, shape (n_samples, *input_shape).
        """
        for layer in reversed(self.layers):
            grad_output = layer.backward(grad_output)
        return grad_output

    def loss(self, X, y, loss):
        """The loss (a float) of the network on X (n_samples, *input_shape) and targets y, without gradients."""
        loss = get_loss(loss)
        self.check_loss(loss)
        output = self.forward(X)
        targets = prepare_targets(y, output.shape, loss)
        return loss.function(self.layers[-1].z if loss.takes == "logits" else output, targets)[0]

    def loss_and_gradients(self, X, y, loss, training=False):
        """Forward pass, loss and backward pass for a batch: returns the loss (a float).

        X: (n_samples, *input_shape); y: targets, (n_samples,) or (n_samples, n_outputs).
        Afterwards every layer's parameters() hold the loss's gradients beside the arrays.
        """
        loss = get_loss(loss)
        self.check_loss(loss)
        X = self.check_input(X)
        targets = prepare_targets(y, (len(X), self.layers[-1].n_outputs), loss)
        return self.checked_loss_and_gradients(X, targets, loss, training)

    def checked_loss_and_gradients(self, X, targets, loss, training=False):
        """`loss_and_gradients` for input already checked: X a float array (n_samples, *input_shape),
        targets from `nblib.losses.prepare_targets`, loss a `Loss`. Used by `fit` in every step,
        with training=True."""
        A = self._forward_checked(X, training)
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
        """Every parameter with its gradient: a list of (array, gradient) pairs, layer by layer
        (weights then bias for a Dense layer; nothing for Dropout)."""
        pairs = []
        for layer in self.layers:
            pairs += layer.parameters()
        return pairs

    def copy_parameters(self):
        """A copy of every parameter array, in the order of `parameters()`."""
        return [array.copy() for array, _ in self.parameters()]

    def set_parameters(self, arrays):
        """Put back parameters taken with `copy_parameters()` (values are copied in)."""
        for (array, _), saved in zip(self.parameters(), arrays, strict=True):
            np.copyto(array, saved)

    def predict(self, X):
        """Class labels for X of shape (n_samples, *input_shape): an int array of shape (n_samples,).

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
        if not self.is_dense:
            return self._protocol_summary()
        rows = [f"{'layer':<9}{'size':>5}  {'activation':<12}{'weights':>13}{'biases':>8}"]
        rows.append(f"{'input':<9}{self.sizes[0]:>5}  {'—':<12}{'—':>13}{'—':>8}")
        for index, layer in enumerate(self.layers):
            kind = "output" if index == len(self.layers) - 1 else f"hidden {index + 1}"
            weights = f"{layer.n_inputs}×{layer.n_outputs} = {layer.weights.size}"
            rows.append(f"{kind:<9}{layer.n_outputs:>5}  {layer.activation.name:<12}{weights:>13}{layer.n_outputs:>8}")
        rows.append(f"total parameters: {self.n_parameters}")
        return "\n".join(rows)

    def _protocol_summary(self):
        names = [repr(layer) for layer in self.layers]
        width = max(len("layer"), *(len(name) for name in names))
        rows = [f"{'layer':<{width}}  {'output shape':<14}{'parameters':>11}",
                f"{'input':<{width}}  {str(self.input_shape):<14}{'—':>11}"]
        for name, layer, shape in zip(names, self.layers, self.shapes):
            rows.append(f"{name:<{width}}  {str(shape):<14}{layer.n_parameters:>11}")
        rows.append(f"total parameters: {self.n_parameters}")
        return "\n".join(rows)

    def save(self, path):
        """Save the network to `path` (a .npz file): for every layer its kind, its settings
        (as JSON text) and its arrays, and the shape of one input sample.

        Written with np.savez, whole or not at all: an existing file is replaced only once
        the new one is complete. Load it with `Network.load(path)`.
        """
        arrays = {"format": np.array(SAVE_FORMAT), "input_shape": np.array(self.input_shape),
                  "kinds": np.array([type(layer).__name__ for layer in self.layers]),
                  "configs": np.array([json.dumps(layer.config()) for layer in self.layers])}
        for number, layer in enumerate(self.layers):
            if type(layer).__name__ not in LAYER_KINDS:
                raise ValueError(
                    f"layers[{number}] is a {type(layer).__name__}, which Network.load could not rebuild: "
                    f"add it to LAYER_KINDS in nblib.network (known: {', '.join(LAYER_KINDS)})."
                )
            for name, array in layer.state().items():
                arrays[f"{name}_{number}"] = array
        with atomic_write(path) as stream:
            np.savez(stream, **arrays)

    @classmethod
    def load(cls, path, sizes=None):
        """A network saved with `save`. With `sizes` (e.g. [80, 64, 4]) the file must hold that architecture.

        Only numbers and text are read (allow_pickle=False): a file cannot run code.
        """
        path = Path(path)
        if not path.is_file():
            raise ValueError(f"{path}: no such file. Save a network first with network.save(path).")
        try:
            with np.load(path, allow_pickle=False) as saved:
                arrays = {key: saved[key] for key in saved.files}
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
            raise ValueError(f"{path}: not a network saved by nblib (it cannot be read as .npz: {error}).") from None
        mark = arrays.get("format", np.array("")).item()
        if mark not in (SAVE_FORMAT, "nblib-network-1"):
            raise ValueError(f"{path}: not a network saved by nblib (no '{SAVE_FORMAT}' mark inside).")
        try:
            network = cls._from_arrays(arrays) if mark == SAVE_FORMAT else cls._from_dense_arrays(arrays)
        except (KeyError, ValueError, TypeError, IndexError) as error:
            raise ValueError(f"{path}: the saved network is damaged or incomplete ({error}).") from None
        if sizes is not None and list(sizes) != network.sizes:
            raise ValueError(f"{path}: holds a network of sizes {network.sizes}, not the {list(sizes)} asked for.")
        return network

    @classmethod
    def _from_arrays(cls, arrays):
        """The network of a file saved by `save`."""
        kinds = [str(kind) for kind in arrays["kinds"]]
        configs = [json.loads(str(config)) for config in arrays["configs"]]
        states = [{} for _ in kinds]
        for key, array in arrays.items():
            name, _, number = key.rpartition("_")
            if name and number.isdigit() and int(number) < len(kinds):
                states[int(number)][name] = array
        layers = []
        for number, (kind, config, state) in enumerate(zip(kinds, configs, states, strict=True)):
            if kind not in LAYER_KINDS:
                raise ValueError(f"layer {number} is of kind {kind!r}, unknown here (known: {', '.join(LAYER_KINDS)})")
            layers.append(LAYER_KINDS[kind].from_state(config, state))
        return cls(layers, input_shape=tuple(int(size) for size in arrays["input_shape"]))

    @classmethod
    def _from_dense_arrays(cls, arrays):
        """The dense network of a file saved before chapter 11 ("nblib-network-1")."""
        saved_sizes = [int(size) for size in arrays["sizes"]]
        names = [str(name) for name in arrays["activations"]]
        layers = [Dense.from_weights(arrays[f"weights_{i}"], arrays[f"bias_{i}"], names[i]) for i in range(len(names))]
        network = cls(layers)
        if network.sizes != saved_sizes:
            raise ValueError(f"its weights do not match its sizes {saved_sizes}")
        return network

    def __repr__(self):
        if self.is_dense:
            activations = ", ".join(layer.activation.name for layer in self.layers)
            return f"Network(sizes={self.sizes}, activations=[{activations}])"
        return f"Network(input_shape={self.input_shape}, layers=[{', '.join(map(repr, self.layers))}])"
