"""Checks for the exercises of chapter 7, Training a network.

Each check takes the learner's answer, tries it on several inputs and either
prints one line saying it is right or raises `CheckFailed` explaining the first
thing that is wrong. Batches are arrays of sample indices: X[batch] picks the
rows of one mini-batch.
"""

import math
import numbers

import numpy as np

from nblib.checks import (
    exercise_check,
    CheckFailed,
    call_answer,
    expect_close,
    fail,
    format_value,
    matches,
    passed,
    require_defined,
    require_function,
)
from nblib.network import Network

LOSS = "binary_cross_entropy"
"""The loss of the training_step exercise: one sigmoid output neuron, classes 0 and 1."""


def _call(function, name, args, shown):
    """`call_answer`, naming the arguments `shown` in a failure instead of printing them in full."""
    require_function(function, name)
    try:
        return call_answer(function, name, *args)
    except CheckFailed as failure:
        printed = f"{name}({', '.join(format_value(arg) for arg in args)})"
        raise CheckFailed(str(failure).replace(printed, f"{name}({shown})")) from None


# make_batches

BATCH_CASES = [(10, 4), (12, 3), (7, 7), (5, 1), (100, 32)]
"""(n_samples, batch_size) pairs tried by `check_make_batches`: with and without a smaller last batch."""


def _batches(make_batches, n_samples, batch_size, seed):
    """The answer's batches for a fresh generator seeded `seed`: a list of integer index arrays."""
    call = f"make_batches({n_samples}, {batch_size}, rng)"
    result = _call(make_batches, "make_batches", (n_samples, batch_size, np.random.default_rng(seed)),
                   f"{n_samples}, {batch_size}, rng")
    if result is None:
        fail(f"{call} returned None. Did you forget the `return` line at the end of your function?")
    if isinstance(result, np.ndarray) and result.ndim == 1:
        fail(f"{call} returned one array of {result.size} numbers; it should return a list of batches, one array "
             f"of sample indices per batch, each holding (at most) {batch_size} indices.")
    try:
        batches = [np.asarray(batch) for batch in result]
    except TypeError:
        fail(f"{call} returned {format_value(result)}; it should return a list of batches, one array of sample "
             "indices per batch.")
    for number, batch in enumerate(batches):
        if batch.ndim != 1:
            fail(f"{call}: batch {number} has shape {batch.shape}; every batch should be a 1-D array of sample "
                 "indices, so that X[batch] picks its rows.")
        if batch.size and batch.dtype.kind not in "iu":
            fail(f"{call}: batch {number} holds {batch.dtype} numbers, {format_value(batch)}; indices should be "
                 "whole numbers (an integer array), so that X[batch] works. rng.permutation(n_samples) gives "
                 "integers.")
    return batches, call


@exercise_check
def check_make_batches(make_batches):
    """Check `make_batches(n_samples, batch_size, rng)`: shuffled index arrays covering every sample once."""
    for n_samples, batch_size in BATCH_CASES:
        batches, call = _batches(make_batches, n_samples, batch_size, seed=n_samples)
        n_batches = math.ceil(n_samples / batch_size)
        last = n_samples - (n_batches - 1) * batch_size
        sizes = [len(batch) for batch in batches]
        if len(batches) == n_samples // batch_size and n_batches != len(batches):
            fail(f"{call} returned {len(batches)} batches; expected {n_batches}. The last, smaller batch of "
                 f"{last} samples is missing: in an epoch every sample is used, so {n_samples} samples in batches "
                 f"of {batch_size} make {n_batches} batches.")
        if len(batches) != n_batches:
            fail(f"{call} returned {len(batches)} batches; expected {n_batches}: {n_samples} samples in batches of "
                 f"{batch_size}, the last one with the {last} samples left over.")
        expected_sizes = [batch_size] * (n_batches - 1) + [last]
        if sizes != expected_sizes:
            fail(f"{call} returned batches of sizes {sizes}; expected {expected_sizes}: every batch holds "
                 f"batch_size = {batch_size} samples, except the last, which gets what is left over.")
        everything = np.concatenate(batches)
        counts = np.bincount(everything[(everything >= 0) & (everything < n_samples)], minlength=n_samples)
        if everything.min() < 0 or everything.max() >= n_samples:
            outside = everything[(everything < 0) | (everything >= n_samples)][0]
            fail(f"{call} returned the index {outside}; sample indices go from 0 to {n_samples - 1}.")
        if not np.all(counts == 1):
            twice, missing = np.flatnonzero(counts > 1), np.flatnonzero(counts == 0)
            fail(f"{call} uses sample {twice[0]} in {counts[twice[0]]} places and never uses sample {missing[0]}. "
                 "In one epoch every sample should appear exactly once: shuffle the indices 0 … n_samples − 1 "
                 "(rng.permutation) and cut them into pieces, rather than drawing indices at random, which "
                 "can pick the same one twice.")
    n_samples, batch_size = BATCH_CASES[-1]
    batches, call = _batches(make_batches, n_samples, batch_size, seed=1)
    if np.array_equal(np.concatenate(batches), np.arange(n_samples)):
        fail(f"{call} returned the samples in their original order 0, 1, 2, …. Shuffle them first, with "
             "rng.permutation(n_samples): otherwise every epoch sees the same batches, and a data set sorted "
             "by class gives batches of one class only.")
    again, _ = _batches(make_batches, n_samples, batch_size, seed=1)
    if not np.array_equal(np.concatenate(batches), np.concatenate(again)):
        fail(f"{call} gave different batches for two generators made with the same seed. Draw the random order "
             "from the rng you are given (rng.permutation), not from np.random, so that a seed makes the "
             "batches repeatable.")
    other, _ = _batches(make_batches, n_samples, batch_size, seed=2)
    if np.array_equal(np.concatenate(batches), np.concatenate(other)):
        fail(f"{call} gave the same order for generators with different seeds: it does not use the rng it is "
             "given. Shuffle with rng.permutation(n_samples), so that each epoch gets a new order.")
    passed("make_batches shuffles with the rng it is given and cuts the samples into batches of batch_size "
           "(the last one smaller when needed), using every sample exactly once.")


# training_step

STEP_CASES = [([2, 3, 1], 12, 0.3, 1), ([3, 4, 2, 1], 10, 0.1, 2)]
"""(layer sizes, n_samples, learning_rate, seed) of the networks and data `check_training_step` tries."""


def _step_problem(sizes, n_samples, seed):
    """A small network (tanh hidden layers, one sigmoid output) and data for it: (network, X, y)."""
    rng = np.random.default_rng(seed)
    network = Network.from_sizes(sizes, activation="tanh", output_activation="sigmoid", rng=rng)
    X = np.round(rng.uniform(-2.0, 2.0, size=(n_samples, sizes[0])), 1)
    y = np.arange(n_samples) % 2
    return network, X, y


def _after_step(network, X, y, learning_rate, loss=LOSS, sign=-1.0, scale=None, biases=True):
    """The parameters of `network` after one (possibly wrong) gradient step, and the loss before it.

    Leaves `network` as it was. sign −1 goes downhill; scale replaces the learning rate;
    biases=False leaves the biases alone.
    """
    saved = network.copy_parameters()
    value = network.loss_and_gradients(X, y, loss)
    step = learning_rate if scale is None else scale
    updated = []
    for index, (parameter, gradient) in enumerate(network.parameters()):
        moves = biases or index % 2 == 0
        updated.append(parameter + sign * step * gradient if moves else parameter.copy())
    network.set_parameters(saved)
    return updated, value


def _loss_of(network, parameters, X, y, loss=LOSS):
    """The loss of `network` with `parameters` put in (the network is left as it was)."""
    saved = network.copy_parameters()
    network.set_parameters(parameters)
    value = network.loss_and_gradients(X, y, loss)
    network.set_parameters(saved)
    return value


def _where_different(got, expected):
    """Which parameter (layer, weights or bias, index) differs first, as words and values."""
    for index, (mine, right) in enumerate(zip(got, expected)):
        if not matches(mine, right):
            kind = "weights" if index % 2 == 0 else "bias"
            at = tuple(int(i) for i in np.argwhere(~np.isclose(mine, right, rtol=1e-6, atol=1e-9))[0])
            return (f"layer {index // 2} {kind} at index {at}: got {format_value(mine[at])}, "
                    f"expected {format_value(right[at])}")
    return None


def _as_loss(got, call):
    """The loss an answer returned, as a float; fails unless it is one number."""
    try:
        return float(np.asarray(got, dtype=float).reshape(()))
    except (TypeError, ValueError):
        fail(f"{call} returned {format_value(got)}; it should return the loss, one number.")


@exercise_check
def check_training_step(training_step):
    """Check `training_step(network, X, y, learning_rate)`: one forward/backward/update step; returns the loss."""
    require_function(training_step, "training_step")
    for sizes, n_samples, learning_rate, seed in STEP_CASES:
        network, X, y = _step_problem(sizes, n_samples, seed)
        reference, _, _ = _step_problem(sizes, n_samples, seed)
        before = network.copy_parameters()
        call = f"training_step(network, X, y, {learning_rate}) for a {'-'.join(map(str, sizes))} network"
        expected, loss_before = _after_step(reference, X, y, learning_rate)
        got = _call(training_step, "training_step", (network, X.copy(), y.copy(), learning_rate),
                    f"network, X, y, {learning_rate}")
        after = network.copy_parameters()
        if not all(matches(mine, right) for mine, right in zip(after, expected)):
            mistakes = [
                (before, (
                    "The network's parameters did not change. Update them in place, "
                    "`parameter -= learning_rate * gradient`, for every pair in network.parameters(): "
                    "`parameter = parameter - learning_rate * gradient` makes a new array and leaves the "
                    "network's own as it was.")),
                (_after_step(reference, X, y, learning_rate, sign=1.0)[0],
                 "The parameters moved up the gradient, so the loss grows. Subtract learning_rate × gradient."),
                (_after_step(reference, X, y, learning_rate, scale=1.0)[0],
                 "The parameters moved by the whole gradient: multiply it by the learning rate first."),
                (_after_step(reference, X, y, learning_rate, biases=False)[0], (
                    "The weights moved but the biases did not: network.parameters() lists the biases too, "
                    "update every pair.")),
                (_after_step(reference, X, y, learning_rate, loss="mse")[0], (
                    "The step follows the gradient of the mean squared error; this network is trained with "
                    "binary cross-entropy, loss \"binary_cross_entropy\".")),
            ]
            for wrong, hint in mistakes:
                if all(matches(mine, right) for mine, right in zip(after, wrong)):
                    fail(f"{call}: {hint}")
            fail(f"{call} left the parameters in the wrong place: after one step each should be "
                 f"parameter − learning_rate × gradient. First difference: {_where_different(after, expected)}.")
        if got is None:
            fail(f"{call} updated the parameters right but returned None: return the loss too.")
        value = _as_loss(got, call)
        if not np.isclose(value, loss_before, rtol=1e-6, atol=1e-9):
            loss_after = _loss_of(reference, expected, X, y)
            if np.isclose(value, loss_after, rtol=1e-6, atol=1e-9):
                fail(f"{call} returned {format_value(value)}, the loss after the update. Return the loss of this "
                     f"step's forward pass, {format_value(loss_before)}, the one its gradients came from "
                     "(that is the loss fit records).")
            if np.isclose(value, _loss_of(reference, before, X, y, loss="mse"), rtol=1e-6, atol=1e-9):
                fail(f"{call} returned {format_value(value)}, the mean squared error; this network is trained "
                     f"with binary cross-entropy, which gives {format_value(loss_before)}.")
            expect_close(value, loss_before, call)
    sizes, n_samples, _, seed = STEP_CASES[0]
    network, X, y = _step_problem(sizes, n_samples, seed)
    call = "training_step(network, X, y, 0.5)"
    losses = [_as_loss(_call(training_step, "training_step", (network, X, y, 0.5), "network, X, y, 0.5"), call)
              for _ in range(25)]
    if not losses[-1] < losses[0]:
        fail(f"25 calls of training_step(network, X, y, 0.5) did not lower the loss: from "
             f"{format_value(losses[0])} to {format_value(losses[-1])}.")
    passed(f"training_step moves every parameter by −learning_rate × gradient and returns the loss; 25 steps "
           f"lower the loss from {losses[0]:.3f} to {losses[-1]:.3f}.")


# n_steps

N_SAMPLES, BATCH_SIZE, EPOCHS = 1000, 32, 10
"""The numbers of the step-counting exercise: 1000 training sounds, batches of 32, 10 epochs."""


@exercise_check
def check_n_steps(n_steps):
    """Check the number of gradient steps in 10 epochs of 1000 samples in batches of 32."""
    require_defined(n_steps, "n_steps", "the number of gradient steps, a whole number")
    if isinstance(n_steps, bool) or not isinstance(n_steps, numbers.Real):
        fail(f"n_steps should be a whole number; got {format_value(n_steps)}.")
    per_epoch = math.ceil(N_SAMPLES / BATCH_SIZE)
    right = EPOCHS * per_epoch
    if not float(n_steps).is_integer():
        hint = ""
        if math.isclose(n_steps, EPOCHS * N_SAMPLES / BATCH_SIZE):
            hint = (f" {N_SAMPLES} / {BATCH_SIZE} = {N_SAMPLES / BATCH_SIZE:g} is not a whole number of batches: "
                    "the samples left over make one more, smaller batch.")
        fail(f"n_steps should be a whole number; got {format_value(n_steps)}. Steps come one at a time.{hint}")
    n_steps = int(n_steps)
    if n_steps == right:
        passed(f"{N_SAMPLES} samples in batches of {BATCH_SIZE} make {per_epoch} batches per epoch (the last one "
               f"holds {N_SAMPLES - (per_epoch - 1) * BATCH_SIZE}), one step each: {right} steps in {EPOCHS} epochs.")
        return
    common_mistakes = {
        EPOCHS * (N_SAMPLES // BATCH_SIZE): (
            f"{N_SAMPLES} / {BATCH_SIZE} is not a whole number: after {N_SAMPLES // BATCH_SIZE} full batches, "
            f"{N_SAMPLES % BATCH_SIZE} samples are left over, and they make one more, smaller batch, one more step."),
        per_epoch: "That is one epoch; there are 10.",
        EPOCHS: "That would be full-batch training, one step per epoch; here each epoch has many batches.",
        EPOCHS * N_SAMPLES: "That would be batches of 1 sample; here each step uses 32.",
        N_SAMPLES: "Count steps, not samples: one step per batch.",
    }
    hint = common_mistakes.get(n_steps, "One step per batch; count the batches of one epoch, then the epochs.")
    fail(f"n_steps is {n_steps}, not the number of steps. {hint}")
