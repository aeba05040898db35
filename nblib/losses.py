"""Loss functions: one number that says how wrong a network's outputs are, and its gradient.

Introduced in chapter 4, Loss functions.

Each loss is a `Loss`, called as `loss(values, targets)`; it returns the loss (a
float, averaged over the batch) and its gradient with respect to `values`, the
array it was given, of the same shape. What `values` is depends on the loss:

    mse                    the network's outputs a, shape (n_samples, n_outputs)
    binary_cross_entropy   the output layer's weighted sums z, shape (n_samples, 1);
                           the network's output is the probability σ(z)
    softmax_cross_entropy  the output layer's weighted sums z, shape (n_samples, n_classes);
                           softmax(z) turns them into probabilities

The cross-entropies take z (the "logits") instead of probabilities because
log σ(z) and log softmax(z) can be computed from z without ever taking the log
of 0, however large |z| is; and their gradients come out beautifully simple:
probabilities − targets (derived in chapter 4).
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from nblib.activations import exp_of_negative, sigmoid
from nblib.validation import as_float_array, check_finite, describe


@dataclass(frozen=True)
class Loss:
    """A loss function and what it expects.

    name: the key in `LOSSES`. label: how the book writes it.
    function(values, targets) -> (loss, gradient): targets already in the shape of values.
    takes: "outputs" (the network's outputs) or "logits" (the output layer's weighted sums).
    output_activation: the output layer's activation this loss is made for, or None for any.
    """

    name: str
    label: str
    function: Callable
    takes: str
    output_activation: str | None

    def __call__(self, values, targets):
        """(loss, gradient of the loss with respect to `values`) for a batch."""
        values = as_float_array(values, "values")
        if values.ndim == 1:
            values = values[:, None]
        check_finite(values, "values")
        targets = prepare_targets(targets, values.shape, self)
        with np.errstate(under="ignore"):  # a result too small for a float is 0, which is right
            return self.function(values, targets)

    def __repr__(self):
        return f"Loss({self.name!r})"


def prepare_targets(targets, shape, loss):
    """`targets` as a float array of `shape` (n_samples, n_outputs), checked for `loss`.

    Accepts targets of shape (n_samples,) for one output, and class labels 0 … k−1 of
    shape (n_samples,) for softmax cross-entropy over k classes.
    """
    targets = as_float_array(targets, "y")
    n_samples, n_outputs = shape
    if targets.shape[:1] != (n_samples,):
        raise ValueError(
            f"y should have one target per sample, {n_samples}; got shape {targets.shape}. "
            "Check that X and y come from the same data set."
        )
    check_finite(targets, "y")
    if loss.name == "softmax_cross_entropy" and targets.ndim == 1:
        labels = targets
        if not np.all((labels == np.round(labels)) & (labels >= 0) & (labels < n_outputs)):
            raise ValueError(
                f"y should hold class labels 0 to {n_outputs - 1} (one per output); got values from "
                f"{labels.min():g} to {labels.max():g}. Make the output layer as wide as the number of classes."
            )
        targets = np.zeros(shape, dtype=targets.dtype)
        targets[np.arange(n_samples), labels.astype(int)] = 1.0
    elif targets.ndim == 1:
        targets = targets[:, None]
    if targets.shape != shape:
        raise ValueError(f"y should have shape {shape} to match the network's outputs; got shape {targets.shape}.")
    if loss.takes == "logits" and (targets.min() < 0 or targets.max() > 1):
        raise ValueError(
            f"y should hold targets between 0 and 1 (class labels or probabilities) for {loss.label}; "
            f"got values from {targets.min():g} to {targets.max():g}."
        )
    return targets


def mean_squared_error(outputs, targets):
    """Mean of (a − t)² over every sample and output; gradient 2(a − t) / number of values."""
    difference = outputs - targets
    return float(np.mean(difference**2)), 2 * difference / difference.size


def softplus(z):
    """log(1 + e^z), computed so that it never overflows: max(z, 0) + log(1 + e^(−|z|))."""
    return np.maximum(z, 0) + np.log1p(exp_of_negative(-np.abs(z)))


def binary_cross_entropy(logits, targets):
    """−[t·log σ(z) + (1 − t)·log(1 − σ(z))], averaged; gradient (σ(z) − t) / number of values.

    Written with softplus: −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z).
    """
    losses = targets * softplus(-logits) + (1 - targets) * softplus(logits)
    return float(np.mean(losses)), (sigmoid(logits) - targets) / logits.size


def row_max(values):
    """The largest value of every row of a 2-D array, shape (n_rows, 1).

    Picked with argmax: for rows of a few values numpy's argmax is several times
    quicker than its max, and this runs in every training step.
    """
    return np.take_along_axis(values, values.argmax(axis=1)[:, None], axis=1)


def log_softmax(logits):
    """log softmax(z) along the classes (axis 1): z − log Σⱼ e^(zⱼ), shifted by max z so nothing overflows."""
    shifted = logits - row_max(logits)
    return shifted - np.log(np.sum(exp_of_negative(shifted), axis=1, keepdims=True))


def softmax(logits):
    """Probabilities from weighted sums z of shape (n_samples, n_classes): e^(zᵢ) / Σⱼ e^(zⱼ), rows sum to 1."""
    logits = as_float_array(logits, "logits")
    return exp_of_negative(log_softmax(np.atleast_2d(logits))).reshape(logits.shape)


def softmax_cross_entropy(logits, targets):
    """−Σ t·log softmax(z), averaged over samples; gradient (softmax(z)·Σt − t) / n_samples.

    Σt is the sum of a target row: 1 for class labels, one-hot rows and probabilities,
    so the gradient is the famous (softmax(z) − t) / n_samples (derived in chapter 4);
    rows that do not sum to 1 (e.g. all zeros) still get their true gradient.
    The same steps as log_softmax, written out so that e^(z − max z) is computed once
    and serves both the loss and the gradient (this runs in every training step).
    """
    shifted = logits - row_max(logits)
    exponentials = exp_of_negative(shifted)
    ones = np.ones((logits.shape[1], 1), logits.dtype)
    totals = exponentials @ ones  # row sums, quicker than .sum(axis=1)
    target_totals = targets @ ones
    n_samples = logits.shape[0]
    loss = -np.sum(targets * (shifted - np.log(totals))) / n_samples
    return float(loss), (exponentials / totals * target_totals - targets) / n_samples


LOSSES = {
    loss.name: loss
    for loss in (
        Loss("mse", "mean squared error", mean_squared_error, "outputs", None),
        Loss("binary_cross_entropy", "binary cross-entropy", binary_cross_entropy, "logits", "sigmoid"),
        Loss("softmax_cross_entropy", "softmax cross-entropy", softmax_cross_entropy, "logits", "linear"),
    )
}
"""Every loss of the book by name."""


def get_loss(loss):
    """The `Loss` called `loss` (e.g. "mse"), or `loss` itself if it already is one."""
    if isinstance(loss, Loss):
        return loss
    if not isinstance(loss, str):
        raise TypeError(f"loss should be the name of a loss, one of {', '.join(LOSSES)}; got {describe(loss)}.")
    key = loss.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in LOSSES:
        raise ValueError(f"loss should be one of {', '.join(LOSSES)}; got {loss!r}.")
    return LOSSES[key]
