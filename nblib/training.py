"""Training: the loop that turns data into good weights.

Introduced in chapter 7, Training a network.

One *epoch* goes once through the training data in shuffled *mini-batches*; for
each batch: forward pass, loss, backward pass, a gradient-descent step. `fit`
repeats that for a number of epochs and keeps a `History` of the loss and the
accuracy after each epoch, for the training data and, if given, validation data.

If the loss stops being a finite number or explodes (a learning rate that is
too large does that), `fit` stops at once, puts the weights back as they were
at the start of that epoch, and raises `TrainingDiverged` with an explanation.

Chapter 11, Real voices, adds the tools against overfitting, as plain arguments:
weight_decay (L2), optimizer="adam", early_stopping (patience in epochs, on the
validation loss, restoring the best weights) and augment (new training data every
epoch); Dropout layers drop because `fit` runs the network with training=True.
"""

import time
from dataclasses import dataclass, field

import numpy as np

from nblib.losses import get_loss, prepare_targets
from nblib.optim import OPTIMIZERS, check_learning_rate, check_weight_decay
from nblib.validation import as_positive_int, as_rng, describe

PROGRESS_AFTER_SECONDS = 2.0
"""With progress="auto", a progress bar appears once training has run this long."""

EXPLOSION_FACTOR = 100
"""A loss this many times larger than after the first epoch counts as exploding."""


@dataclass
class History:
    """What happened during training, one entry per epoch.

    loss and accuracy: averages over the epoch's mini-batches, each measured just before
    its gradient step. val_loss and val_accuracy: on the validation data after the epoch.
    Accuracy is None when the targets are not classes.
    """

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    best_epoch: int = None
    """With early stopping: the epoch whose weights the network kept (lowest validation loss)."""
    stopped_early: bool = False
    """True when early stopping ended training before the last epoch."""

    @property
    def epochs(self):
        """How many epochs finished."""
        return len(self.loss)

    def __repr__(self):
        if not self.loss:
            return "History(no epochs yet)"
        text = f"History({self.epochs} epochs, loss {self.loss[-1]:.4g}"
        if self.accuracy[-1] is not None:
            text += f", accuracy {self.accuracy[-1]:.3f}"
        if self.val_loss:
            text += f", validation loss {self.val_loss[-1]:.4g}"
        if self.best_epoch is not None:
            text += f", best weights from epoch {self.best_epoch}"
        return text + ")"


class TrainingDiverged(ValueError):
    """Training stopped because the loss became infinite, NaN or exploded; `history` holds the epochs before."""

    def __init__(self, message, history):
        super().__init__(message)
        self.history = history


def class_labels(targets):
    """The integer class of every sample from prepared targets (n_samples, n_outputs), or None if they are not classes."""
    if targets.shape[1] == 1:
        column = targets[:, 0]
        return column.astype(int) if np.all((column == 0) | (column == 1)) else None
    if np.all((targets == 0) | (targets == 1)) and np.all(targets.sum(axis=1) == 1):
        return targets.argmax(axis=1)
    return None


def output_labels(network):
    """The class the network chose for every sample of its last forward pass."""
    last = network.layers[-1]
    output = last.activation.function(last.z)
    if output.shape[1] == 1:
        return (output[:, 0] > last.activation.threshold).astype(int)
    return output.argmax(axis=1)


def evaluate(network, X, targets, labels, loss):
    """(loss, accuracy or None) of the network on prepared data, without changing any gradients."""
    with np.errstate(over="ignore", invalid="ignore"):  # a non-finite result is reported, not warned about
        output = network.forward(X)
        value = loss.function(network.layers[-1].z if loss.takes == "logits" else output, targets)[0]
    accuracy = None if labels is None else float(np.mean(output_labels(network) == labels))
    return value, accuracy


def _diverged(network, saved, history, epoch, value, learning_rate, first_loss):
    network.set_parameters(saved)
    if np.isfinite(value):
        what = f"the loss grew from {first_loss:.3g} to {value:.3g} by epoch {epoch}"
    else:
        what = f"the loss became {value} at epoch {epoch}"
    message = (
        f"Training stopped: {what} with learning rate {learning_rate:g}; try a smaller learning rate, "
        f"such as {learning_rate / 10:g}. The weights are back as they were at the start of epoch {epoch}."
    )
    return TrainingDiverged(message, history)


def fit(network, X, y, *, loss="binary_cross_entropy", learning_rate=None, epochs=100, batch_size=None,
        momentum=0.0, rng=None, validation_data=None, progress="auto", callback=None,
        optimizer="sgd", weight_decay=0.0, early_stopping=None, augment=None):
    """Train `network` on X (n_samples, *input_shape) and targets y; returns a `History`.

    loss: a name from `nblib.losses.LOSSES`. batch_size: samples per step (None: all of them).
    rng: a numpy Generator or int seed that shuffles the mini-batches (needed when batch_size < n_samples)
    and feeds `augment`.
    validation_data: (X_val, y_val), evaluated after every epoch.
    progress: "auto" shows a bar once training takes longer than a couple of seconds; True or False.
    callback: called as callback(history) after every epoch (for live plots).
    Chapter 11, Real voices:
    optimizer: "sgd" (gradient descent, with `momentum`), "adam", or an object with a step(network)
    method. learning_rate: the step size (default 0.1 for "sgd", 0.001 for "adam").
    weight_decay: L2 weight decay λ ≥ 0 (see `nblib.optim`). The history's losses are the data's
    losses, without the penalty, so training and validation curves compare.
    early_stopping: None, or a patience in epochs: stop once the validation loss has not improved
    for that many epochs, and keep the weights of the best epoch (also when all epochs run).
    augment: None, or a function augment(X, rng) → new training inputs of X's shape, called at the
    start of every epoch (e.g. `nblib.audio.augment.Augmenter`), so every epoch sees new variations.
    The network runs with training=True in the training steps (Dropout drops), False otherwise.
    """
    loss = get_loss(loss)
    network.check_loss(loss)
    weight_decay = check_weight_decay(weight_decay)
    optimizer = make_optimizer(optimizer, learning_rate, momentum, weight_decay)
    X = network.check_input(X)
    n_samples, n_outputs = len(X), network.layers[-1].n_outputs
    dtype = network.dtype  # float32 networks learn from float32 data and targets
    X = X.astype(dtype, copy=False)
    targets = prepare_targets(y, (n_samples, n_outputs), loss).astype(dtype, copy=False)
    labels = class_labels(targets)
    epochs = as_positive_int(epochs, "epochs")
    batch_size = n_samples if batch_size is None else as_positive_int(batch_size, "batch_size")
    if batch_size > n_samples:
        raise ValueError(
            f"batch_size should be at most the number of samples, {n_samples}; got {batch_size}. "
            "Use batch_size=None to use all samples in every step."
        )
    shuffle = batch_size < n_samples
    if shuffle or augment is not None:
        rng = as_rng(rng, "rng (it shuffles the mini-batches)" if augment is None else "rng (it draws the augmentations)")
    if augment is not None and not callable(augment):
        raise TypeError(f"augment should be a function augment(X, rng) returning new training inputs; got {describe(augment)}.")
    if validation_data is not None:
        X_val = network.check_input(validation_data[0], "validation_data[0]").astype(dtype, copy=False)
        targets_val = prepare_targets(validation_data[1], (len(X_val), n_outputs), loss).astype(dtype, copy=False)
        labels_val = class_labels(targets_val)
    if early_stopping is not None:
        early_stopping = as_positive_int(early_stopping, "early_stopping")
        if validation_data is None:
            raise ValueError(
                "early_stopping needs validation_data=(X_val, y_val): it stops when the loss on data the "
                "network does not train on stops improving."
            )
    X_original = X

    history = History()
    first_loss = None
    best_loss, best_parameters = np.inf, None
    started, bar = time.perf_counter(), None
    try:
        for epoch in range(1, epochs + 1):
            saved = network.copy_parameters()
            if augment is not None:
                X = _augmented(augment, X_original, rng, dtype)
            order = rng.permutation(n_samples) if shuffle else range(n_samples)
            batch_losses, batch_correct = [], 0
            for start in range(0, n_samples, batch_size):
                indices = order[start:start + batch_size]
                batch = indices if shuffle else slice(None)  # a full batch needs no copy of X
                with np.errstate(over="ignore", invalid="ignore"):
                    value = network.checked_loss_and_gradients(X[batch], targets[batch], loss, training=True)
                if not np.isfinite(value):
                    raise _diverged(network, saved, history, epoch, value, optimizer.learning_rate, first_loss)
                batch_losses.append(value * len(indices))
                if labels is not None:
                    batch_correct += int(np.sum(output_labels(network) == labels[batch]))
                optimizer.step(network)
            epoch_loss = float(np.sum(batch_losses) / n_samples)
            first_loss = epoch_loss if first_loss is None else first_loss
            if not all(np.isfinite(parameter).all() for parameter, _ in network.parameters()):
                raise _diverged(network, saved, history, epoch, np.inf, optimizer.learning_rate, first_loss)
            if epoch_loss > EXPLOSION_FACTOR * max(first_loss, 1e-12):
                raise _diverged(network, saved, history, epoch, epoch_loss, optimizer.learning_rate, first_loss)
            history.loss.append(epoch_loss)
            history.accuracy.append(None if labels is None else batch_correct / n_samples)
            if validation_data is not None:
                val_loss, val_accuracy = evaluate(network, X_val, targets_val, labels_val, loss)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(val_accuracy)
            if callback is not None:
                callback(history)
            bar = _progress(bar, progress, started, epoch, epochs, history)
            if early_stopping is not None:
                if history.val_loss[-1] < best_loss:
                    best_loss, best_parameters, history.best_epoch = history.val_loss[-1], network.copy_parameters(), epoch
                elif epoch - history.best_epoch >= early_stopping:
                    history.stopped_early = epoch < epochs
                    break
    finally:
        if bar is not None:
            bar.close()
    if best_parameters is not None:
        network.set_parameters(best_parameters)
    return history


def make_optimizer(optimizer, learning_rate=None, momentum=0.0, weight_decay=0.0):
    """An optimizer from a name in `nblib.optim.OPTIMIZERS` ("sgd", "adam") and settings, or the
    given object itself (anything with a step(network) method)."""
    if hasattr(optimizer, "step"):
        return optimizer
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer should be one of {', '.join(map(repr, OPTIMIZERS))} or an object with a step(network) method; got {optimizer!r}.")
    if optimizer == "adam":
        if momentum:
            raise ValueError("momentum is for optimizer='sgd'; Adam keeps its own running means (beta1). Leave momentum out.")
        return OPTIMIZERS["adam"](0.001 if learning_rate is None else check_learning_rate(learning_rate), weight_decay=weight_decay)
    return OPTIMIZERS["sgd"](0.1 if learning_rate is None else check_learning_rate(learning_rate), momentum, weight_decay)


def _augmented(augment, X, rng, dtype):
    """augment(X, rng) as a checked array of X's shape and dtype."""
    new = np.asarray(augment(X.copy(), rng))
    if new.shape != X.shape:
        raise ValueError(f"augment should return inputs of the shape it was given, {X.shape}; it returned shape {new.shape}.")
    if not np.isfinite(new).all():
        raise ValueError("augment returned NaN or infinite values; check the augmentation's settings.")
    return new.astype(dtype, copy=False)


def _progress(bar, progress, started, epoch, epochs, history):
    """Show or update the progress bar: from the start with progress=True, after a while with "auto"."""
    if bar is None and (progress is True or (progress == "auto" and time.perf_counter() - started > PROGRESS_AFTER_SECONDS)):
        try:
            from tqdm.auto import tqdm
        except ImportError:  # tqdm is optional: train without a bar
            return None
        bar = tqdm(total=epochs, initial=epoch, unit="epoch", desc="training")
    elif bar is not None:
        bar.update(1)
    if bar is not None:
        bar.set_postfix(loss=f"{history.loss[-1]:.4g}", refresh=False)
    return bar
