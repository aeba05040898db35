"""Checks for the exercises of chapter 5, Gradient descent.

Each check takes the learner's answer, tries it on several inputs and either
prints one line saying it is right or raises `CheckFailed` explaining the first
thing that is wrong: a step in the wrong direction, a learning rate that is
forgotten, a slope measured with a one-sided difference, and so on.
"""

import math
import numbers

import numpy as np

from nblib.checks import (
    exercise_check,
    first_mistake,
    as_numbers,
    call_answer,
    expect_close,
    fail,
    format_value,
    matches,
    passed,
    require_defined,
)


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


# Exercise 1: one gradient-descent step.

STEP_CASES = [
    (2.0, 0.5, 0.1),
    (-1.5, -3.0, 0.01),
    (np.array([0.5, -1.0, 2.0]), np.array([1.0, -2.0, 0.5]), 0.3),
    (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -0.5], [1.0, 0.0]]), 0.05),
]
"""(w, grad, learning_rate): numbers first, then a vector and a matrix of weights."""


@exercise_check
def check_gradient_descent_step(gradient_descent_step):
    """Check `gradient_descent_step(w, grad, learning_rate)`: w − learning_rate · grad."""
    for w, grad, learning_rate in STEP_CASES:
        call = (f"gradient_descent_step(w, grad, {learning_rate:g}) with w = {format_value(w)} "
                f"and grad = {format_value(grad)}")
        got = call_answer(gradient_descent_step, "gradient_descent_step", _copy(w), _copy(grad), learning_rate)
        got = as_numbers(got, call)
        expected = w - learning_rate * grad
        if matches(got, expected):
            continue
        hint = first_mistake(got, [
            (w + learning_rate * grad, ("That step goes uphill: the gradient points where the loss grows fastest, "
                                        "so subtract it: w − learning_rate · grad.")),
            (w - grad, "The learning rate is missing: the step is learning_rate times the gradient."),
            (learning_rate * grad, ("That is only the step, learning_rate · grad: the new weight is the old weight "
                                    "minus the step.")),
            (-learning_rate * grad, "That is only the step, −learning_rate · grad: add it to the old weight w."),
            (w - learning_rate, "The step should be learning_rate times the gradient, not the learning rate alone."),
            (w - grad / learning_rate, "Multiply the gradient by the learning rate; do not divide by it."),
        ])
        if hint:
            fail(f"{call} returned {format_value(got)}; expected "
                 f"{format_value(expected)}. {hint}")
        expect_close(got, expected, call)
    passed("gradient_descent_step moves w against the gradient by learning_rate × gradient, "
           "for single numbers and for arrays of weights alike.")


# Exercise 2: the largest learning rate that converges on a parabola.

PARABOLA_SCALE, PARABOLA_CENTRE, PARABOLA_FLOOR = 4.0, 1.0, 0.5
"""The exercise's loss: L(w) = 4 (w − 1)² + 0.5, whose curvature L″(w) is 8."""


def _distance_after(learning_rate, steps=20, start=0.0):
    """|w − 1| after `steps` gradient-descent steps on the exercise's parabola, from w = start."""
    w = start
    for _ in range(steps):
        w -= learning_rate * 2 * PARABOLA_SCALE * (w - PARABOLA_CENTRE)
    return abs(w - PARABOLA_CENTRE)


@exercise_check
def check_largest_learning_rate(largest_learning_rate):
    """Check the largest learning rate for which gradient descent converges on L(w) = 4 (w − 1)² + 0.5."""
    require_defined(largest_learning_rate, "largest_learning_rate",
                    "the learning rate above which gradient descent on L(w) = 4 (w − 1)² + 0.5 stops converging")
    if isinstance(largest_learning_rate, bool) or not isinstance(largest_learning_rate, numbers.Real):
        fail(f"largest_learning_rate should be a number; got {format_value(largest_learning_rate)}.")
    eta = float(largest_learning_rate)
    if not math.isfinite(eta):
        fail(f"largest_learning_rate should be a finite number; got {eta}.")
    curvature = 2 * PARABOLA_SCALE
    critical = 2 / curvature
    if math.isclose(eta, critical, rel_tol=1e-3):
        passed(f"η = {critical:g}. The curvature is L″(w) = {curvature:g}, and every step multiplies the distance "
               f"to the minimum by 1 − {curvature:g}η, which stays between −1 and 1 exactly when 0 < η < "
               f"{critical:g}. (At {critical:g} itself the steps bounce between two points for ever.)")
        return
    if eta <= 0:
        fail(f"largest_learning_rate is {eta:g}, but a learning rate is positive: a step of size 0 or less "
             "never moves downhill.")
    hints = [
        (1 / curvature, ("That learning rate reaches the minimum in a single step, but larger ones still converge: "
                         "they overshoot, and the overshoots shrink. Find where they stop shrinking.")),
        (2 / PARABOLA_SCALE, (f"That divides 2 by the coefficient {PARABOLA_SCALE:g}; the curvature is the second "
                              "derivative of L, which is twice that coefficient.")),
        (1.0, "Learning rates below 1 do not always converge: the limit depends on how curved the loss is."),
        (2.0, "η · curvature must stay below 2, so divide 2 by the curvature, the second derivative of L."),
        (0.001, "0.001 converges, but it is far from the largest: the limit depends on how curved the loss is."),
    ]
    for wrong, hint in hints:
        if math.isclose(eta, wrong, rel_tol=1e-3):
            fail(f"largest_learning_rate is {eta:g}, not the largest learning rate that converges. {hint}")
    distance = _distance_after(eta)
    if eta < critical:
        what = (f"end {format_value(distance)} away from the minimum at w = 1 (they started 1 away): gradient "
                "descent still closes in, so somewhat larger rates converge too")
    elif math.isfinite(distance):
        what = (f"end {format_value(distance)} away from the minimum at w = 1 (they started 1 away): every step "
                "lands farther from it, so this rate is too large")
    else:
        what = "send the weight off to infinity, so this rate is far too large"
    fail(f"largest_learning_rate is {eta:g}, not the largest learning rate that converges. Starting at w = 0, "
         f"20 steps with η = {eta:g} {what}. Hint: one step multiplies the distance to the minimum by a fixed "
         "factor; work it out from L′(w) = 8 (w − 1).")


# Exercise 3: central differences for every entry of a vector.


def _sum_of_squares(w):
    return float(np.sum(w**2))


def _bumpy(w):
    return float(w[0] ** 3 + w[0] * w[1] + 2 * np.sin(w[1]))


def _exponential(w):
    return float(np.exp(w[0]))


_X_LINE = np.array([-1.0, 0.0, 1.0, 2.0])
_Y_LINE = np.array([-1.5, 0.5, 2.0, 4.5])


def _line_loss(w):
    return float(np.mean((w[0] * _X_LINE + w[1] - _Y_LINE) ** 2))


GRADIENT_CASES = [
    ("f(w) = w₀³ + w₀w₁ + 2 sin(w₁)", _bumpy, np.array([0.5, -1.0]), 0.1,
     lambda w: np.array([3 * w[0] ** 2 + w[1], w[0] + 2 * np.cos(w[1])])),
    ("f(w) = sum(w²)", _sum_of_squares, np.array([1.0, -2.0, 3.0]), 1e-5,
     lambda w: 2 * w),
    ("f(w) = exp(w₀)", _exponential, np.array([0.3]), 0.2,
     lambda w: np.exp(w)),
    ("f(w) = the MSE of the neuron ŷ = w₀x + w₁ on four points", _line_loss, np.array([0.5, -0.5]), 1e-4,
     lambda w: np.array([2 * np.mean((w[0] * _X_LINE + w[1] - _Y_LINE) * _X_LINE),
                         2 * np.mean(w[0] * _X_LINE + w[1] - _Y_LINE)])),
]
"""(description, f, w, h, exact gradient): h = 0.1 first, where the one-sided and central differences differ most."""


def _differences(f, w, h):
    """(f(w + h·eᵢ), f(w − h·eᵢ)) for every entry i, and f(w)."""
    above, below = np.zeros(w.shape), np.zeros(w.shape)
    for i in range(w.size):
        nudge = np.zeros(w.shape)
        nudge[i] = h
        above[i], below[i] = f(w + nudge), f(w - nudge)
    return above, below, f(w)


@exercise_check
def check_numerical_gradient(numerical_gradient):
    """Check `numerical_gradient(f, w, h)`: every central difference (f(w + h·eᵢ) − f(w − h·eᵢ)) / 2h."""
    for description, f, w, h, exact in GRADIENT_CASES:
        call = f"numerical_gradient(f, w, h) with {description}, w = {format_value(w)} and h = {h:g}"
        w_given = w.copy()
        got = call_answer(numerical_gradient, "numerical_gradient", f, w_given, h)
        if not np.array_equal(w_given, w) and not np.allclose(w_given, w, rtol=1e-12, atol=1e-12):
            fail(f"{call} changed w: afterwards it was {format_value(w_given)}. Put every entry back after "
                 "nudging it, or nudge a copy of w.")
        got = as_numbers(got, call)
        above, below, centre = _differences(f, w, h)
        expected = (above - below) / (2 * h)
        if matches(got, expected):
            continue
        if got.shape != expected.shape:
            fail(f"{call} returned an array of shape {got.shape}; expected shape {expected.shape}: one slope "
                 "for every entry of w, each measured by nudging that entry alone.")
        hint = first_mistake(got, [
            ((above - centre) / h, ("That is the forward difference (f(w + h) − f(w)) / h. Use the central "
                                    "difference (f(w + h) − f(w − h)) / 2h: far more accurate for the same h.")),
            ((centre - below) / h, ("That is the backward difference (f(w) − f(w − h)) / h. Use the central "
                                    "difference (f(w + h) − f(w − h)) / 2h: far more accurate for the same h.")),
            ((above - below) / h, "The two points are 2h apart, so divide their difference by 2h, not by h."),
            (np.full(w.shape, (f(w + h) - f(w - h)) / (2 * h)),
             ("Every entry got the same number: you nudged all of w at once. Nudge one entry at a time and leave "
              "the others as they are.")),
        ])
        if hint:
            fail(f"{call} returned {format_value(got)}; expected {format_value(expected)}. {hint}")
        if h >= 0.01 and matches(got, exact(w), rtol=1e-4, atol=1e-6):
            fail(f"{call} returned {format_value(got)}, the slopes for a much smaller step than h = {h:g}; "
                 f"expected {format_value(expected)}. Nudge by the h you are given.")
        expect_close(got, expected, call)
    passed("numerical_gradient measures every slope with a central difference, nudging one entry of w at a "
           "time and putting it back.")
