"""The same training, written four ways: nblib, a per-sample Python loop, PyTorch and scikit-learn.

Every implementation starts from the same weights (drawn by nblib), uses plain gradient
descent with the same learning rate, softmax cross-entropy, the same epochs and batch size,
and shuffles with the same seed. Each function returns the seconds its training took.
"""

import time
import warnings

import numpy as np

from nblib.network import Network
from nblib.training import fit


def starting_network(sizes, dtype, seed=0):
    """The network every implementation starts from: ReLU hidden layers, a linear output layer."""
    return Network.from_sizes(sizes, activation="relu", output_activation="linear", rng=seed, dtype=dtype)


def train_nblib(sizes, X, y, epochs, batch_size, learning_rate, dtype):
    network = starting_network(sizes, dtype)
    start = time.perf_counter()
    fit(network, X, y, loss="softmax_cross_entropy", learning_rate=learning_rate, epochs=epochs,
        batch_size=batch_size, rng=0, progress=False)
    return time.perf_counter() - start


def train_loop(sizes, X, y, epochs, batch_size, learning_rate, dtype):
    """Full-batch training with one Python iteration per sample, as chapter 1 computes a neuron."""
    network = starting_network(sizes, dtype)
    weights = [layer.weights for layer in network.layers]
    biases = [layer.bias for layer in network.layers]
    n = len(X)
    start = time.perf_counter()
    for _ in range(epochs):
        grad_w = [np.zeros_like(w) for w in weights]
        grad_b = [np.zeros_like(b) for b in biases]
        for x, label in zip(X, y):
            activations = [x]
            for index, (w, b) in enumerate(zip(weights, biases)):
                z = np.dot(activations[-1], w) + b
                activations.append(z if index == len(weights) - 1 else np.maximum(z, 0))
            scores = activations[-1] - activations[-1].max()
            delta = np.exp(scores) / np.exp(scores).sum()
            delta[label] -= 1
            delta /= n
            for index in range(len(weights) - 1, -1, -1):
                grad_w[index] += np.outer(activations[index], delta)
                grad_b[index] += delta
                if index > 0:
                    delta = np.dot(weights[index], delta) * (activations[index] > 0)
        for w, b, gw, gb in zip(weights, biases, grad_w, grad_b):
            w -= learning_rate * gw
            b -= learning_rate * gb
    return time.perf_counter() - start


def train_torch(sizes, X, y, epochs, batch_size, learning_rate, dtype):
    import torch

    network = starting_network(sizes, dtype)
    layers = []
    for index, layer in enumerate(network.layers):
        linear = torch.nn.Linear(layer.n_inputs, layer.n_outputs)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.weights.T.copy()))
            linear.bias.copy_(torch.from_numpy(layer.bias.copy()))
        layers.append(linear)
        if index < len(network.layers) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers).to(torch.float32 if dtype == np.float32 else torch.float64)
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    loss_function = torch.nn.CrossEntropyLoss()
    inputs, labels = torch.from_numpy(X.astype(dtype)), torch.from_numpy(y.astype(np.int64))
    shuffle = np.random.default_rng(0)
    batch_size = batch_size or len(X)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.from_numpy(shuffle.permutation(len(X))) if batch_size < len(X) else None
        for first in range(0, len(X), batch_size):
            chosen = order[first:first + batch_size] if order is not None else slice(None)
            optimizer.zero_grad()
            loss = loss_function(model(inputs[chosen]), labels[chosen])
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start


def train_sklearn(sizes, X, y, epochs, batch_size, learning_rate, dtype):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    network = starting_network(sizes, dtype)
    model = MLPClassifier(hidden_layer_sizes=tuple(sizes[1:-1]), activation="relu", solver="sgd",
                          learning_rate_init=learning_rate, momentum=0.0, nesterovs_momentum=False, alpha=0.0,
                          batch_size=batch_size or len(X), max_iter=epochs, shuffle=True, random_state=0,
                          early_stopping=False, tol=0.0, n_iter_no_change=epochs + 1, warm_start=True)
    X = X.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.set_params(max_iter=1).fit(X, y)  # sets up the model; its weights are replaced below
        model.coefs_ = [layer.weights.copy() for layer in network.layers]
        model.intercepts_ = [layer.bias.copy() for layer in network.layers]
        model.set_params(max_iter=epochs)
        model.n_iter_, model.t_ = 0, 0
        model._no_improvement_count, model.best_loss_ = 0, np.inf
        start = time.perf_counter()
        model.fit(X, y)
    return time.perf_counter() - start


IMPLEMENTATIONS = {"nblib": train_nblib, "loop": train_loop, "torch": train_torch, "sklearn": train_sklearn}


def available(name):
    """Whether a peer can run here (torch and scikit-learn are optional)."""
    try:
        if name == "torch":
            import torch  # noqa: F401
        if name == "sklearn":
            import sklearn  # noqa: F401
            import threadpoolctl  # noqa: F401
    except ImportError:
        return False
    return True


# The convolutional network of chapter 12, Convolution: log-mel sequences (n_frames, n_mels) → 10 digits.
CONV_FILTERS = (32, 64)
CONV_KERNEL = 5


def conv_layers(n_mels, n_classes, dtype, seed=0):
    """Conv1D(ReLU) → MaxPool1D(2) → Conv1D(ReLU) → GlobalPool1D(max) → Dense, weights drawn by nblib."""
    from nblib.convolution import Conv1D, GlobalPool1D, MaxPool1D
    from nblib.layers import Dense

    rng = np.random.default_rng(seed)
    first, second = CONV_FILTERS
    return [Conv1D(n_mels, first, CONV_KERNEL, "relu", rng=rng, dtype=dtype), MaxPool1D(2),
            Conv1D(first, second, CONV_KERNEL, "relu", rng=rng, dtype=dtype), GlobalPool1D("max"),
            Dense(second, n_classes, "linear", rng=rng, dtype=dtype)]


def train_nblib_conv(X, y, epochs, batch_size, learning_rate, dtype):
    """Gradient descent on the convolutional network, with nblib's layers, batch after batch."""
    from nblib.losses import get_loss

    layers = conv_layers(X.shape[2], int(y.max()) + 1, dtype)
    loss = get_loss("softmax_cross_entropy")
    targets = np.eye(int(y.max()) + 1, dtype=dtype)[y]
    shuffle = np.random.default_rng(0)
    start = time.perf_counter()
    for _ in range(epochs):
        order = shuffle.permutation(len(X))
        for first in range(0, len(X), batch_size):
            chosen = order[first:first + batch_size]
            A = X[chosen]
            for layer in layers[:-1]:
                A = layer.forward(A, training=True)
            layers[-1].forward(A, check=False)
            _, delta = loss.function(layers[-1].z, targets[chosen])
            grad = layers[-1].backward_delta(delta)
            for index in range(len(layers) - 2, -1, -1):
                grad = layers[index].backward(grad, input_gradient=index > 0)
            for layer in layers:
                for parameter, gradient in (layer.parameters() if hasattr(layer, "parameters")
                                            else [(layer.weights, layer.grad_weights), (layer.bias, layer.grad_bias)]):
                    parameter -= learning_rate * gradient
    return time.perf_counter() - start


def train_torch_conv(X, y, epochs, batch_size, learning_rate, dtype):
    """The same network, weights and steps in PyTorch (which keeps channels before time: one transpose, untimed)."""
    import torch

    layers = conv_layers(X.shape[2], int(y.max()) + 1, dtype)
    torch_dtype = torch.float32 if dtype == np.float32 else torch.float64
    first, second = CONV_FILTERS
    model = torch.nn.Sequential(
        torch.nn.Conv1d(X.shape[2], first, CONV_KERNEL, padding="same"), torch.nn.ReLU(), torch.nn.MaxPool1d(2),
        torch.nn.Conv1d(first, second, CONV_KERNEL, padding="same"), torch.nn.ReLU(),
        torch.nn.AdaptiveMaxPool1d(1), torch.nn.Flatten(), torch.nn.Linear(second, int(y.max()) + 1)).to(torch_dtype)
    with torch.no_grad():
        for module, layer in zip((model[0], model[3], model[7]), (layers[0], layers[2], layers[4])):
            weights = layer.weights.transpose(2, 1, 0) if layer.weights.ndim == 3 else layer.weights.T
            module.weight.copy_(torch.from_numpy(np.ascontiguousarray(weights)))
            module.bias.copy_(torch.from_numpy(layer.bias.copy()))
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    loss_function = torch.nn.CrossEntropyLoss()
    inputs = torch.from_numpy(np.ascontiguousarray(X.transpose(0, 2, 1)))
    labels = torch.from_numpy(y.astype(np.int64))
    shuffle = np.random.default_rng(0)
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.from_numpy(shuffle.permutation(len(X)))
        for first_index in range(0, len(X), batch_size):
            chosen = order[first_index:first_index + batch_size]
            optimizer.zero_grad()
            loss = loss_function(model(inputs[chosen]), labels[chosen])
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start


CONV_IMPLEMENTATIONS = {"nblib": train_nblib_conv, "torch": train_torch_conv}
