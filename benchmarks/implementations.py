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
