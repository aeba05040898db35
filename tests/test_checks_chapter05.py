"""The exercise checks of chapter 5 accept right answers and explain typical wrong ones."""

import numpy as np
import pytest

from nblib.checks.chapter05 import check_gradient_descent_step, check_largest_learning_rate, check_numerical_gradient
from check_helpers import fails_with, not_written_yet, not_answered


# gradient_descent_step


def test_gradient_descent_step_right_answer_passes(capsys):
    check_gradient_descent_step(lambda w, grad, learning_rate: w - learning_rate * grad)
    assert capsys.readouterr().out.startswith("✔ Right: gradient_descent_step")


def test_gradient_descent_step_that_updates_in_place_passes(capsys):
    def gradient_descent_step(w, grad, learning_rate):
        w -= learning_rate * grad
        return w

    check_gradient_descent_step(gradient_descent_step)
    assert "✔ Right" in capsys.readouterr().out


@pytest.mark.parametrize("answer, fragment", [
    (lambda w, grad, lr: w + lr * grad, "goes uphill"),
    (lambda w, grad, lr: w - grad, "learning rate is missing"),
    (lambda w, grad, lr: lr * grad, "That is only the step, learning_rate · grad"),
    (lambda w, grad, lr: -lr * grad, "add it to the old weight"),
    (lambda w, grad, lr: w - lr, "not the learning rate alone"),
    (lambda w, grad, lr: w - grad / lr, "do not divide"),
])
def test_gradient_descent_step_typical_mistakes(answer, fragment):
    fails_with(check_gradient_descent_step, answer, "returned 2.05" if "uphill" in fragment else "expected 1.95",
               fragment)


def test_gradient_descent_step_that_only_works_for_numbers():
    def gradient_descent_step(w, grad, learning_rate):
        return float(w) - learning_rate * float(grad)

    fails_with(check_gradient_descent_step, gradient_descent_step,
               "gradient_descent_step([ 0.5, -1. ,  2. ], [ 1. , -2. ,  0.5], 0.3) raised TypeError")


def test_gradient_descent_step_with_a_wrong_shape():
    def gradient_descent_step(w, grad, learning_rate):
        step = w - learning_rate * grad
        return step.ravel() if np.ndim(w) == 2 else step

    fails_with(check_gradient_descent_step, gradient_descent_step, "shape (4,)", "expected shape (2, 2)")


def test_gradient_descent_step_other_wrong_values_name_the_value():
    fails_with(check_gradient_descent_step, lambda w, grad, lr: w - 2 * lr * grad, "returned 1.9; expected 1.95")


def test_gradient_descent_step_without_return():
    fails_with(check_gradient_descent_step, lambda w, grad, lr: None, "returned None", "`return` line")


def test_gradient_descent_step_not_written_yet():
    not_answered(check_gradient_descent_step, not_written_yet, "gradient_descent_step is not written yet")


def test_gradient_descent_step_none():
    fails_with(check_gradient_descent_step, None, "gradient_descent_step should be a function")


# largest_learning_rate


@pytest.mark.parametrize("answer", [0.25, 1 / 4, 2 / 8, np.float64(0.25), 0.2499])
def test_largest_learning_rate_right_answer_passes(answer, capsys):
    check_largest_learning_rate(answer)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right: η = 0.25") and "L″(w) = 8" in out


@pytest.mark.parametrize("answer, fragment", [
    (0.125, "reaches the minimum in a single step"),
    (0.5, "divides 2 by the coefficient 4"),
    (1, "below 1 do not always converge"),
    (2.0, "divide 2 by the curvature"),
    (0.001, "far from the largest"),
])
def test_largest_learning_rate_typical_mistakes(answer, fragment):
    fails_with(check_largest_learning_rate, answer, f"largest_learning_rate is {answer:g}, not the largest", fragment)


def test_largest_learning_rate_a_bit_too_small_still_converges():
    fails_with(check_largest_learning_rate, 0.2, "20 steps with η = 0.2 end", "still closes in")


def test_largest_learning_rate_a_bit_too_large_moves_away():
    fails_with(check_largest_learning_rate, 0.3, "20 steps with η = 0.3 end", "lands farther", "too large")


def test_largest_learning_rate_far_too_large_runs_off():
    fails_with(check_largest_learning_rate, 1e200, "off to infinity")


@pytest.mark.parametrize("answer", [0, -0.25])
def test_largest_learning_rate_must_be_positive(answer):
    fails_with(check_largest_learning_rate, answer, "a learning rate is positive")


@pytest.mark.parametrize("answer", ["0.25", [0.25], True])
def test_largest_learning_rate_not_a_number(answer):
    fails_with(check_largest_learning_rate, answer, "should be a number")


def test_largest_learning_rate_not_finite():
    fails_with(check_largest_learning_rate, float("inf"), "should be a finite number")


def test_largest_learning_rate_none():
    not_answered(check_largest_learning_rate, None, "largest_learning_rate is still None")


# numerical_gradient


def right_numerical_gradient(f, w, h=1e-5):
    gradient = np.zeros(len(w))
    for i in range(len(w)):
        w_plus, w_minus = w.copy(), w.copy()
        w_plus[i] += h
        w_minus[i] -= h
        gradient[i] = (f(w_plus) - f(w_minus)) / (2 * h)
    return gradient


def one_sided(f, w, h, sign):
    gradient = np.zeros(len(w))
    for i in range(len(w)):
        nudged = w.copy()
        nudged[i] += sign * h
        gradient[i] = sign * (f(nudged) - f(w)) / h
    return gradient


def test_numerical_gradient_right_answer_passes(capsys):
    check_numerical_gradient(right_numerical_gradient)
    assert capsys.readouterr().out.startswith("✔ Right: numerical_gradient")


def test_numerical_gradient_nudging_in_place_and_putting_back_passes(capsys):
    def numerical_gradient(f, w, h):
        gradient = []
        for i in range(len(w)):
            original = w[i]
            w[i] = original + h
            above = f(w)
            w[i] = original - h
            below = f(w)
            w[i] = original
            gradient.append((above - below) / (2 * h))
        return gradient

    check_numerical_gradient(numerical_gradient)
    assert "✔ Right" in capsys.readouterr().out


def test_numerical_gradient_forward_difference():
    fails_with(check_numerical_gradient, lambda f, w, h: one_sided(f, w, h, +1), "forward difference",
               "(f(w + h) − f(w − h)) / 2h")


def test_numerical_gradient_backward_difference():
    fails_with(check_numerical_gradient, lambda f, w, h: one_sided(f, w, h, -1), "backward difference")


def test_numerical_gradient_dividing_by_h():
    fails_with(check_numerical_gradient, lambda f, w, h: 2 * right_numerical_gradient(f, w, h), "divide",
               "by 2h, not by h")


def test_numerical_gradient_nudging_everything_at_once():
    def numerical_gradient(f, w, h):
        return np.full(len(w), (f(w + h) - f(w - h)) / (2 * h))

    fails_with(check_numerical_gradient, numerical_gradient, "nudged all of w at once")


def test_numerical_gradient_ignoring_h():
    fails_with(check_numerical_gradient, lambda f, w, h: right_numerical_gradient(f, w, 1e-6),
               "h = 0.1", "much smaller step", "Nudge by the h you are given")


def test_numerical_gradient_that_forgets_to_put_w_back():
    def numerical_gradient(f, w, h):
        gradient = np.zeros(len(w))
        for i in range(len(w)):
            w[i] += h
            above = f(w)
            w[i] -= 2 * h
            gradient[i] = (above - f(w)) / (2 * h)
        return gradient

    fails_with(check_numerical_gradient, numerical_gradient, "changed w", "Put every entry back")


def test_numerical_gradient_returning_one_number():
    fails_with(check_numerical_gradient, lambda f, w, h: right_numerical_gradient(f, w, h).sum(),
               "shape ()", "one slope for every entry of w")


def test_numerical_gradient_other_wrong_values_name_the_index():
    fails_with(check_numerical_gradient, lambda f, w, h: right_numerical_gradient(f, w, h) + [0, 1],
               "is wrong at index (1,)")


def test_numerical_gradient_without_return():
    fails_with(check_numerical_gradient, lambda f, w, h: None, "returned None")


def test_numerical_gradient_not_written_yet():
    not_answered(check_numerical_gradient, not_written_yet, "numerical_gradient is not written yet")


def test_numerical_gradient_none():
    fails_with(check_numerical_gradient, None, "numerical_gradient should be a function")
