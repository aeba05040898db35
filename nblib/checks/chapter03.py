"""Checks for the exercises of chapter 3, Layers and networks.

Each check takes the learner's answer, tries it on several inputs and either
prints one line saying it is right or raises `CheckFailed` explaining the first
thing that is wrong. Inputs are batch-first: X has shape (n_samples, n_inputs),
W has shape (n_inputs, n_outputs), b has shape (n_outputs,).
"""

import numbers

import numpy as np

from nblib.activations import get_activation
from nblib.checks import CheckFailed, call_answer, expect_close, fail, first_mistake, format_value, matches, passed
from nblib.checks import exercise_check
from nblib.checks import require_defined

SHAPE_HINT = (
    "X @ W needs W of shape (n_inputs, n_outputs): X has one row per sample and "
    "W one column per neuron, so X @ W has one row per sample and one column per neuron."
)


def _call(function, name, args, hint):
    """`call_answer`, adding `hint` when the answer raised a shape error (a ValueError)."""
    try:
        return call_answer(function, name, *args)
    except CheckFailed as failure:
        if isinstance(failure.__context__, ValueError):
            fail(f"{failure}\nHint: {hint}")
        raise


def _example(rng, *shape):
    """Small numbers with one decimal, both signs: easy to read in a message."""
    return np.round(rng.uniform(-2.0, 2.0, size=shape), 1) + 0.0  # + 0.0 turns -0.0 into 0.0


@exercise_check
def check_dense_forward(dense_forward):
    """Check `dense_forward(X, W, b, f)`: f(X @ W + b), shape (n_samples, n_outputs)."""
    rng = np.random.default_rng(3)
    cases = [
        ("np.tanh", np.tanh, _example(rng, 4, 3), _example(rng, 3, 2), _example(rng, 2)),
        ("ReLU", get_activation("relu"), _example(rng, 3, 3), _example(rng, 3, 3), _example(rng, 3)),
        ("linear", get_activation("linear"), _example(rng, 1, 3), _example(rng, 3, 2), _example(rng, 2)),
    ]
    for f_name, f, X, W, b in cases:
        call = (f"dense_forward(X, W, b, f) with X of shape {X.shape}, W of shape {W.shape}, "
                f"b of shape {b.shape} and f = {f_name}")
        got = _call(dense_forward, "dense_forward", (X.copy(), W.copy(), b.copy(), f), SHAPE_HINT)
        expected = f(X @ W + b)
        if matches(got, expected):
            continue
        n_samples, n_outputs = expected.shape
        if np.shape(got) == (n_outputs, n_samples) and n_samples != n_outputs:
            fail(f"{call} returned shape {np.shape(got)}; expected {expected.shape}: one row per sample, "
                 f"one column per neuron. {SHAPE_HINT}")
        hint = first_mistake(got, [
            (lambda: X @ W + b, "These are the weighted sums Z = X @ W + b: pass them through f too."),
            (lambda: f(X @ W), "The bias is missing: add b to X @ W before applying f."),
            (lambda: f(X @ W) + b, "The bias comes before the activation: f(X @ W + b), not f(X @ W) + b."),
            (lambda: f(X @ W.T + b), f"The weights are transposed. {SHAPE_HINT} Use W as it is, not W.T."),
            (lambda: f(W @ X + b), "The order is flipped: batch-first, the samples X come first: X @ W."),
        ])
        if hint:
            fail(f"{call} does not give f(X @ W + b). {hint}")
        expect_close(got, expected, call)
    passed("dense_forward computes f(X @ W + b) for a whole batch at once, one row per sample.")


NETWORK_SIZES = [3, 5, 4, 2]
"""The network of the parameter-counting exercise: 3 inputs, hidden layers of 5 and 4, 2 outputs."""


@exercise_check
def check_n_parameters(n_parameters):
    """Check the number of parameters (weights and biases) of a 3-5-4-2 dense network."""
    require_defined(n_parameters, "n_parameters", "the number of weights and biases of a 3-5-4-2 network")
    if isinstance(n_parameters, bool) or not isinstance(n_parameters, numbers.Real):
        fail(f"n_parameters should be a whole number; got {format_value(n_parameters)}.")
    if not float(n_parameters).is_integer():
        fail(f"n_parameters should be a whole number; got {format_value(n_parameters)}. Parameters come one at a time.")
    n_parameters = int(n_parameters)
    pairs = list(zip(NETWORK_SIZES, NETWORK_SIZES[1:]))
    weights = sum(n_in * n_out for n_in, n_out in pairs)
    biases = sum(NETWORK_SIZES[1:])
    if n_parameters == weights + biases:
        passed(f"{weights} weights (one per connection) and {biases} biases (one per neuron after the input "
               f"layer) make {weights + biases} parameters.")
        return
    per_layer = "For each layer after the input: n_inputs × n_outputs weights, plus n_outputs biases."
    common_mistakes = {
        weights: "You counted the weights only: every neuron of a hidden or output layer also has a bias.",
        biases: "You counted the biases only: add one weight for every connection between neighbouring layers.",
        weights + biases + NETWORK_SIZES[0]: "The input layer is the data itself: it has no biases (and no weights).",
        sum(NETWORK_SIZES): "That is the number of neurons; count the weights and biases instead.",
        int(np.prod(NETWORK_SIZES)): "Weights connect neighbouring layers only, not every layer with every other.",
    }
    hint = common_mistakes.get(n_parameters, per_layer)
    fail(f"n_parameters is {n_parameters}, not the number of parameters of a 3-5-4-2 network. {hint}")


@exercise_check
def check_collapse(collapse):
    """Check `collapse(W1, b1, W2, b2)`: the (W, b) of one linear layer equal to two stacked linear layers."""
    rng = np.random.default_rng(4)
    cases = [
        (_example(rng, 2, 3), _example(rng, 3), _example(rng, 3, 4), _example(rng, 4)),
        (_example(rng, 3, 3), _example(rng, 3), _example(rng, 3, 3), _example(rng, 3)),
        (_example(rng, 4, 2), _example(rng, 2), _example(rng, 2, 1), _example(rng, 1)),
    ]
    for W1, b1, W2, b2 in cases:
        call = f"collapse(W1, b1, W2, b2) with W1 of shape {W1.shape} and W2 of shape {W2.shape}"
        result = _call(collapse, "collapse", (W1.copy(), b1.copy(), W2.copy(), b2.copy()),
                       "W1 has shape (n_inputs, n_hidden), b1 (n_hidden,), W2 (n_hidden, n_outputs) and "
                       "b2 (n_outputs,); the input meets W1 first, then W2: (X @ W1 + b1) @ W2 + b2.")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            fail(f"{call} returned {format_value(result)}; it should return two things, the weights and the "
                 "bias of the single layer: return W, b.")
        W, b = result
        W_right, b_right = W1 @ W2, b1 @ W2 + b2
        if not matches(W, W_right):
            if matches(W, W_right.T) and W_right.shape[0] != W_right.shape[1]:
                fail(f"{call} returned W of shape {np.shape(W)}; expected {W_right.shape}. "
                     f"It is transposed. {SHAPE_HINT}")
            hint = first_mistake(W, [
                (lambda: W2 @ W1, "That is W2 @ W1. The input meets W1 first: (X @ W1) @ W2 = X @ (W1 @ W2)."),
                (lambda: W1.T @ W2.T, f"Those are transposed weights. {SHAPE_HINT} Use W1 and W2 as they are."),
                (lambda: W2.T @ W1.T, f"Those are transposed weights. {SHAPE_HINT} Use W1 and W2 as they are."),
            ])
            if hint:
                fail(f"{call} returned a wrong W. {hint}")
            expect_close(W, W_right, f"The W returned by {call}")
        if not matches(b, b_right):
            hint = first_mistake(b, [
                (lambda: b2, "That is b2 alone: b1 is added before the second layer, so it passes through W2 too."),
                (lambda: b1 @ W2, "That is b1 @ W2 alone: the second layer adds its own bias b2 at the end."),
                (lambda: b1 + b2, "b1 is added before the second layer, so W2 multiplies it too: b1 @ W2."),
                (lambda: W2 @ b1 + b2, "W2 @ b1 uses W2 transposed. Like a row of X, b1 goes in front: b1 @ W2."),
            ])
            if hint:
                fail(f"{call} returned a wrong bias b. {hint}")
            expect_close(b, b_right, f"The b returned by {call}")
    passed("collapse gives the one linear layer that does exactly what the two stacked linear layers do.")
