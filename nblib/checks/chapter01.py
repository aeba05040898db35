"""Checks for the exercises of chapter 1, The neuron.

Each check tries the learner's answer on several inputs (different lengths,
negative numbers, biases that are not 0) and stops at the first thing that is
wrong, naming the input and, when the wrong value matches a common mistake,
giving a hint about it. When everything is right it prints one line that says so.

    check_weighted_sum(weighted_sum)      exercise 1: Σ wᵢxᵢ + b with a loop
    check_and_neuron(w_and, b_and)        exercise 2: a binary-step neuron that computes AND
    check_neuron_output(neuron_output)    exercise 3: a sigmoid neuron on a batch
"""

import numpy as np

from nblib.activations import binary_step, sigmoid
from nblib.checks import CheckFailed, as_numbers, call_answer, expect_close, fail, format_value, matches, passed
from nblib.checks import exercise_check
from nblib.checks import require_defined


def _show(value):
    """An argument written as a learner would type it: [1, 2] or np.array([0.5, -1.2])."""
    if isinstance(value, np.ndarray):
        return f"np.array({_show(value.tolist())})"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    return format_value(value)


def _call_text(name, **arguments):
    """How a call looks in a message, e.g. weighted_sum(x=[2, 3], w=[0.5, -1], b=0.75)."""
    shown = ", ".join(f"{key}={_show(value)}" for key, value in arguments.items())
    return f"{name}({shown})"


# ── Exercise 1: weighted_sum(x, w, b) ──────────────────────────────────────────

WEIGHTED_SUM_CASES = [
    # (x, w, b): lists of different lengths, negative numbers, biases that are not 0,
    # and numpy arrays at the end, since a neuron's inputs usually come as arrays.
    ([2, 3], [0.5, -1], 0.75),
    ([3.0, -1.5, 2.0], [-0.5, 2.0, 1.0], -1.0),
    ([4.0], [-2.0], 0.5),
    ([-1.0, 0.5, 2.0, -3.0, 1.5], [0.2, -0.4, 1.0, 0.5, -2.0], 3.0),
    ([2.0, 0.0, -1.0], [0.0, 5.0, 0.0], 0.0),
    (np.array([0.5, -1.2, 2.0]), np.array([0.8, 0.1, -0.4]), 0.3),
]


def _weighted_sum_hint(got, x, w, b):
    """A hint when `got` (a float array) looks like a common mistake, else ''."""
    products = [w_i * x_i for x_i, w_i in zip(x, w)]
    total = sum(products)
    n = len(products)
    if got.shape == (n,) and n > 1:
        if matches(got, np.array(products)) or matches(got, np.array(products) + b):
            return (" It returned one number per input: you multiplied each input by its weight "
                    "but did not add the products up into a single number.")
        return " A weighted sum is a single number, not one number per input."
    if got.ndim != 0:
        return " A weighted sum is a single number."
    mistakes = [
        (total, "Did you add the bias? It is added once, after the sum."),
        (total + n * b, "Did you add the bias once, after the sum? It looks like you added it on every step of the loop."),
        (total - b, "Did you subtract the bias? It is added: Σ wᵢxᵢ + b."),
        (products[0] + b, "Only the first input counted: is your `return` inside the loop?"),
        (products[-1] + b, "Only the last input counted: did you write `total = ...` where you meant `total += ...`?"),
        (sum(x) + sum(w) + b, "Multiply each input by its weight, then add the products: wᵢ · xᵢ, not wᵢ + xᵢ."),
        (sum(x) * sum(w) + b, "Multiply each input by its own weight and add those products; (Σ xᵢ)(Σ wᵢ) is not the same."),
    ]
    for value, hint in mistakes:
        if matches(got, value):
            return " " + hint
    return ""


@exercise_check
def check_weighted_sum(weighted_sum):
    """Check exercise 1: `weighted_sum(x, w, b)` returns Σ wᵢxᵢ + b for one sample."""
    for x, w, b in WEIGHTED_SUM_CASES:
        call = _call_text("weighted_sum", x=x, w=w, b=b)
        # Fresh copies, so an answer that changes its arguments cannot change the cases.
        got = call_answer(weighted_sum, "weighted_sum", _copy(x), _copy(w), b)
        got = as_numbers(got, call)
        expected = sum(w_i * x_i for x_i, w_i in zip(x, w)) + b
        if got.ndim != 0 or not np.isclose(got, expected, rtol=1e-9, atol=1e-12):
            shown = format_value(got[()]) if got.ndim == 0 else f"an array of shape {got.shape}"
            fail(f"{call} returned {shown}; expected {format_value(float(expected))}."
                 + _weighted_sum_hint(got, x, w, b))
    passed("weighted_sum adds up wᵢ·xᵢ over every input and adds the bias once, "
           f"for all {len(WEIGHTED_SUM_CASES)} test inputs.")


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else list(value)


# ── Exercise 2: w_and, b_and ───────────────────────────────────────────────────

AND_INPUTS = [(0, 0), (0, 1), (1, 0), (1, 1)]


@exercise_check
def check_and_neuron(w_and, b_and):
    """Check exercise 2: a binary-step neuron with weights `w_and` and bias `b_and` computes x₁ AND x₂."""
    require_defined(w_and, "w_and", "two numbers, one weight for each input, such as [w1, w2]")
    require_defined(b_and, "b_and", "a single number, the neuron's bias")
    try:
        weights = np.asarray(w_and, dtype=float)
    except (TypeError, ValueError):
        fail(f"w_and should be two numbers, such as [w1, w2]; got {format_value(w_and)}.")
    if weights.size != 2:
        fail(f"w_and should hold two weights, one for each input x₁ and x₂; "
             f"it holds {weights.size} number(s): {format_value(weights)}.")
    weights = weights.ravel()
    try:
        bias = np.asarray(b_and, dtype=float)
    except (TypeError, ValueError):
        fail(f"b_and should be a single number; got {format_value(b_and)}.")
    if bias.size != 1:
        fail(f"b_and should be a single number: a neuron has one bias, however many inputs it has; "
             f"got {bias.size} numbers: {format_value(bias)}.")
    bias = float(bias.ravel()[0])
    if not (np.isfinite(weights).all() and np.isfinite(bias)):
        fail(f"w_and and b_and should be finite numbers; got w_and = {format_value(weights)}, b_and = {format_value(bias)}.")

    inputs = np.array(AND_INPUTS, dtype=float)
    z = inputs @ weights + bias
    outputs = binary_step(z).astype(int)
    targets = np.array([x1 and x2 for x1, x2 in AND_INPUTS])
    wrong = np.flatnonzero(outputs != targets)
    if wrong.size == 0:
        passed("your binary-step neuron computes AND: it outputs 1 only when both inputs are 1.")
        return

    first = int(wrong[0])
    x1, x2 = AND_INPUTS[first]
    message = (f"For x = ({x1}, {x2}) your neuron outputs {outputs[first]}, AND is {targets[first]}: "
               f"there z = w₁·{x1} + w₂·{x2} + b = {format_value(float(z[first]))}, "
               f"which should be {'0 or more' if targets[first] else 'below 0'}.")
    if z[first] == 0:
        message += (" It sits exactly on the edge: the binary step outputs 1 at z = 0 "
                    "(f(z) = 1 if z ≥ 0), so move b a little further.")
    elif outputs.all():
        message += (" Your neuron outputs 1 for every input. At x = (0, 0) the weighted sum is just b, "
                    "so AND needs a negative bias.")
    elif not outputs.any():
        message += (" Your neuron never outputs 1: with both inputs on, the weights together "
                    "must reach −b, that is w₁ + w₂ ≥ −b.")
    elif outputs.tolist() == [0, 1, 1, 1]:
        message += (" Your neuron computes OR: one input alone is enough to make it fire. "
                    "Make b more negative (or the weights smaller) so that only both inputs together reach z ≥ 0.")
    fail(message)


# ── Exercise 3: neuron_output(X, w, b) ─────────────────────────────────────────

NEURON_OUTPUT_CASES = [
    # (X, w, b): batches of different sizes and widths, negative numbers, biases that are not 0.
    (np.array([[0.5, -1.0], [2.0, 0.0], [-1.5, 3.0]]), np.array([1.0, -0.5]), 0.25),
    (np.array([[1.0, -2.0, 0.5, 3.0]]), np.array([0.5, 0.25, -1.0, -0.5]), -0.75),
    (np.array([[0.0, 1.0, -1.0], [2.0, -0.5, 0.5], [-3.0, 0.0, 1.5], [1.0, 1.0, 1.0], [0.5, -2.0, -1.0]]),
     np.array([0.8, -1.2, 0.4]), 1.5),
]


def _neuron_output_hint(got, X, w, b):
    """A hint when `got` has the right shape but looks like a common mistake, else ''."""
    z = X @ w + b
    mistakes = [
        (z, "These are the weighted sums z themselves: pass them through the sigmoid, σ(z) = 1 / (1 + e^(−z))."),
        (sigmoid(X @ w), "Did you add the bias b? It goes inside, before the sigmoid: σ(X @ w + b)."),
        (sigmoid(X @ w) + b, "Add the bias inside the sigmoid, not after it: σ(X @ w + b)."),
        (1 - sigmoid(z), "Check the sign in the exponent: σ(z) = 1 / (1 + e^(−z)), with a minus."),
        (binary_step(z), "These are 0s and 1s, the binary step; this exercise asks for the sigmoid."),
    ]
    for value, hint in mistakes:
        if matches(got, value):
            return " " + hint
    return ""


@exercise_check
def check_neuron_output(neuron_output):
    """Check exercise 3: `neuron_output(X, w, b)` is σ(X @ w + b), shape (n_samples,)."""
    for X, w, b in NEURON_OUTPUT_CASES:
        call = _call_text("neuron_output", X=X, w=w, b=b)
        got = call_answer(neuron_output, "neuron_output", X.copy(), w.copy(), b)
        got = as_numbers(got, call)
        expected = sigmoid(X @ w + b)
        n_samples = X.shape[0]
        if got.shape != expected.shape:
            if got.shape in ((n_samples, 1), (1, n_samples)) and n_samples > 1:
                hint = (f"That is a {'column' if got.shape[1] == 1 else 'row'} of numbers; the neuron should give a flat "
                        "array, one number per sample. Keep w of shape (n_features,), as given, "
                        "or flatten the result with .ravel().")
            elif got.ndim == 0:
                hint = ("That is a single number; expected one output per sample. "
                        "Did you add up the samples, or `return` from inside a loop?")
            else:
                hint = "Expected one output per sample (one per row of X)."
            fail(f"{call} returned an array of shape {got.shape}; expected shape {expected.shape}. {hint}")
        if not matches(got, expected):
            try:
                expect_close(got, expected, call)
            except CheckFailed as failure:
                fail(f"{failure}{_neuron_output_hint(got, X, w, b)}")
    passed("neuron_output gives σ(X @ w + b), one output per sample, "
           f"for all {len(NEURON_OUTPUT_CASES)} test batches.")
