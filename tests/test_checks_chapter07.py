"""The exercise checks of chapter 7 accept right answers and explain typical wrong ones."""

import math

import numpy as np
import pytest

from nblib.checks.chapter07 import check_make_batches, check_n_steps, check_training_step
from nblib.training import fit
from check_helpers import fails_with, not_written_yet, not_answered


# make_batches


def right_make_batches(n_samples, batch_size, rng):
    order = rng.permutation(n_samples)
    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]


def test_make_batches_right_answer_passes(capsys):
    check_make_batches(right_make_batches)
    assert capsys.readouterr().out.startswith("✔ Right: make_batches")


def test_make_batches_with_array_split_at_multiples_of_the_batch_size_passes(capsys):
    def make_batches(n_samples, batch_size, rng):
        return np.split(rng.permutation(n_samples), range(batch_size, n_samples, batch_size))

    check_make_batches(make_batches)
    assert "✔ Right" in capsys.readouterr().out


def test_make_batches_as_a_generator_passes(capsys):
    def make_batches(n_samples, batch_size, rng):
        order = rng.permutation(n_samples)
        for start in range(0, n_samples, batch_size):
            yield order[start:start + batch_size]

    check_make_batches(make_batches)
    assert "✔ Right" in capsys.readouterr().out


def test_make_batches_without_shuffling():
    def make_batches(n_samples, batch_size, rng):
        order = np.arange(n_samples)
        return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]

    fails_with(check_make_batches, make_batches, "make_batches(100, 32, rng)", "original order", "rng.permutation")


def test_make_batches_dropping_the_last_batch():
    def make_batches(n_samples, batch_size, rng):
        order = rng.permutation(n_samples)
        return [order[start:start + batch_size] for start in range(0, n_samples - batch_size + 1, batch_size)]

    fails_with(check_make_batches, make_batches, "make_batches(10, 4, rng) returned 2 batches; expected 3",
               "last, smaller batch of 2 samples is missing")


def test_make_batches_of_even_sizes():
    def make_batches(n_samples, batch_size, rng):
        return np.array_split(rng.permutation(n_samples), math.ceil(n_samples / batch_size))

    fails_with(check_make_batches, make_batches, "sizes [4, 3, 3]; expected [4, 4, 2]")


def test_make_batches_one_batch_too_many():
    def make_batches(n_samples, batch_size, rng):
        return right_make_batches(n_samples, batch_size, rng) + [np.array([], dtype=int)]

    fails_with(check_make_batches, make_batches, "returned 4 batches; expected 3")


def test_make_batches_drawing_with_replacement():
    def make_batches(n_samples, batch_size, rng):
        sizes = [min(batch_size, n_samples - start) for start in range(0, n_samples, batch_size)]
        return [rng.integers(0, n_samples, size) for size in sizes]

    fails_with(check_make_batches, make_batches, "places and never uses sample", "exactly once")


def test_make_batches_counting_from_1():
    fails_with(check_make_batches, lambda n, b, rng: [batch + 1 for batch in right_make_batches(n, b, rng)],
               "returned the index 10", "from 0 to 9")


def test_make_batches_ignoring_the_seed():
    def make_batches(n_samples, batch_size, rng):
        return right_make_batches(n_samples, batch_size, np.random.default_rng())

    fails_with(check_make_batches, make_batches, "two generators made with the same seed", "not from np.random")


def test_make_batches_with_its_own_fixed_generator():
    def make_batches(n_samples, batch_size, rng):
        return right_make_batches(n_samples, batch_size, np.random.default_rng(0))

    fails_with(check_make_batches, make_batches, "different seeds", "does not use the rng")


def test_make_batches_returning_only_the_shuffled_order():
    fails_with(check_make_batches, lambda n, b, rng: rng.permutation(n), "returned one array of 10 numbers",
               "list of batches")


def test_make_batches_returning_a_number():
    fails_with(check_make_batches, lambda n, b, rng: 3, "returned 3", "list of batches")


def test_make_batches_with_float_indices():
    fails_with(check_make_batches, lambda n, b, rng: [x.astype(float) for x in right_make_batches(n, b, rng)],
               "float64 numbers", "whole numbers")


def test_make_batches_with_two_dimensional_batches():
    fails_with(check_make_batches, lambda n, b, rng: [x[:, None] for x in right_make_batches(n, b, rng)],
               "batch 0 has shape (4, 1)", "1-D array")


def test_make_batches_without_return():
    fails_with(check_make_batches, lambda n, b, rng: None, "returned None", "`return` line")


def test_make_batches_raising_shows_the_call_without_the_generator():
    def make_batches(n_samples, batch_size, rng):
        raise IndexError("oops")

    message = fails_with(check_make_batches, make_batches, "make_batches(10, 4, rng) raised IndexError: oops")
    assert "0x" not in message and "Generator" not in message


def test_make_batches_not_written_yet():
    not_answered(check_make_batches, not_written_yet, "make_batches is not written yet")


def test_make_batches_none():
    fails_with(check_make_batches, None, "make_batches should be a function")


# training_step


def right_training_step(network, X, y, learning_rate):
    loss = network.loss_and_gradients(X, y, "binary_cross_entropy")
    for parameter, gradient in network.parameters():
        parameter -= learning_rate * gradient
    return loss


def test_training_step_right_answer_passes(capsys):
    check_training_step(right_training_step)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right: training_step") and "25 steps lower the loss from" in out


def test_training_step_with_fit_for_one_full_batch_epoch_passes(capsys):
    def training_step(network, X, y, learning_rate):
        return fit(network, X, y, learning_rate=learning_rate, epochs=1, progress=False).loss[0]

    check_training_step(training_step)
    assert "✔ Right" in capsys.readouterr().out


def test_training_step_without_update():
    fails_with(check_training_step, lambda network, X, y, lr: network.loss_and_gradients(X, y, "binary_cross_entropy"),
               "did not change", "-=")


def test_training_step_rebinding_the_name_instead_of_updating_in_place():
    def training_step(network, X, y, learning_rate):
        loss = network.loss_and_gradients(X, y, "binary_cross_entropy")
        for parameter, gradient in network.parameters():
            parameter = parameter - learning_rate * gradient  # the mistake under test
        return loss

    fails_with(check_training_step, training_step, "did not change", "makes a new array")


def test_training_step_going_uphill():
    def training_step(network, X, y, learning_rate):
        loss = network.loss_and_gradients(X, y, "binary_cross_entropy")
        for parameter, gradient in network.parameters():
            parameter += learning_rate * gradient
        return loss

    fails_with(check_training_step, training_step, "up the gradient", "Subtract")


def test_training_step_forgetting_the_learning_rate():
    def training_step(network, X, y, learning_rate):
        loss = network.loss_and_gradients(X, y, "binary_cross_entropy")
        for parameter, gradient in network.parameters():
            parameter -= gradient
        return loss

    fails_with(check_training_step, training_step, "whole gradient", "learning rate")


def test_training_step_forgetting_the_biases():
    def training_step(network, X, y, learning_rate):
        loss = network.loss_and_gradients(X, y, "binary_cross_entropy")
        for layer in network.layers:
            layer.weights -= learning_rate * layer.grad_weights
        return loss

    fails_with(check_training_step, training_step, "biases did not")


def test_training_step_with_the_mean_squared_error():
    def training_step(network, X, y, learning_rate):
        loss = network.loss_and_gradients(X, y, "mse")
        for parameter, gradient in network.parameters():
            parameter -= learning_rate * gradient
        return loss

    fails_with(check_training_step, training_step, "mean squared error", "binary_cross_entropy")


def test_training_step_with_other_wrong_steps_names_the_first_difference():
    def training_step(network, X, y, learning_rate):
        loss = network.loss_and_gradients(X, y, "binary_cross_entropy")
        for parameter, gradient in network.parameters():
            parameter -= 2 * learning_rate * gradient
        return loss

    fails_with(check_training_step, training_step, "wrong place", "First difference: layer 0 weights at index (")


def test_training_step_without_return():
    def training_step(network, X, y, learning_rate):
        right_training_step(network, X, y, learning_rate)

    fails_with(check_training_step, training_step, "returned None", "return the loss")


def test_training_step_returning_the_loss_after_the_update():
    def training_step(network, X, y, learning_rate):
        right_training_step(network, X, y, learning_rate)
        output = network.forward(X)[:, 0]
        return -np.mean(y * np.log(output) + (1 - y) * np.log(1 - output))

    fails_with(check_training_step, training_step, "the loss after the update", "fit records")


def test_training_step_returning_the_mean_squared_error_as_the_loss():
    def training_step(network, X, y, learning_rate):
        output = network.forward(X)[:, 0]
        right_training_step(network, X, y, learning_rate)
        return np.mean((output - y) ** 2)

    fails_with(check_training_step, training_step, "returned", "the mean squared error", "binary cross-entropy")


def test_training_step_returning_a_wrong_loss():
    fails_with(check_training_step, lambda *args: 2 * right_training_step(*args), "returned", "expected")


def test_training_step_returning_more_than_the_loss():
    def training_step(network, X, y, learning_rate):
        return right_training_step(network, X, y, learning_rate), network

    fails_with(check_training_step, training_step, "it should return the loss, one number")


def test_training_step_raising_names_the_call():
    def training_step(network, X, y, learning_rate):
        return network.loss_and_gradients(X, y, "hinge")

    fails_with(check_training_step, training_step, "training_step(network, X, y, 0.3) raised ValueError",
               "loss should be one of")


def test_training_step_not_written_yet():
    not_answered(check_training_step, not_written_yet, "training_step is not written yet")


def test_training_step_none():
    fails_with(check_training_step, None, "training_step should be a function")


# n_steps


@pytest.mark.parametrize("answer", [320, 320.0, np.int64(320), math.ceil(1000 / 32) * 10])
def test_n_steps_right_answer_passes(answer, capsys):
    check_n_steps(answer)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right:") and "32 batches per epoch" in out and "320 steps" in out


@pytest.mark.parametrize("answer, fragment", [
    (310, "8 samples are left over"),
    (32, "That is one epoch"),
    (10, "full-batch training"),
    (10000, "batches of 1 sample"),
    (1000, "Count steps, not samples"),
    (300, "count the batches of one epoch, then the epochs"),
])
def test_n_steps_typical_mistakes(answer, fragment):
    fails_with(check_n_steps, answer, f"n_steps is {answer},", fragment)


def test_n_steps_dividing_without_rounding_up():
    fails_with(check_n_steps, 10 * 1000 / 32, "whole number; got 312.5", "one more, smaller batch")


@pytest.mark.parametrize("answer", ["320", 320.5, True, [320]])
def test_n_steps_not_a_whole_number(answer):
    fails_with(check_n_steps, answer, "should be a whole number")


def test_n_steps_none():
    not_answered(check_n_steps, None, "n_steps is still None")
