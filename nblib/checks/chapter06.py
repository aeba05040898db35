"""Checks for the exercises of chapter 6, Backpropagation.

Each check takes the learner's answer, tries it on several inputs and either
prints one line saying it is right or raises `CheckFailed` explaining the first
thing that is wrong. The right gradients are measured with finite differences
(`nblib.gradcheck`), so a check says the same thing a gradient check would, and
then names the typical mistake behind a wrong gradient: a wrong shape, a
transpose, a missing f′(Z), a mean where a sum belongs.

Inputs are batch-first: X has shape (n_samples, n_inputs), W has shape
(n_inputs, n_outputs), b and each row of grad_output have n_outputs entries.
"""

import numbers

import numpy as np

from nblib.activations import get_activation, sigmoid
from nblib.checks import (
    exercise_check,
    first_mistake,
    CheckFailed,
    as_numbers,
    call_answer,
    expect_close,
    fail,
    format_value,
    passed,
    require_defined,
)
from nblib.gradcheck import gradient_check, numerical_gradient
from nblib.losses import binary_cross_entropy


def _example(rng, *shape):
    """Small numbers with one decimal, both signs: easy to read in a message."""
    return np.round(rng.uniform(-2.0, 2.0, size=shape), 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def _call_quietly(function, name, *args):
    """`call_answer`, with numpy's overflow warnings silenced (the message explains instead)."""
    with np.errstate(all="ignore"):
        return call_answer(function, name, *args)


# Exercise 1: sigmoid_bce_delta


def _mean_bce(z, t):
    """The mean binary cross-entropy of logits z (n_samples,) against targets t (n_samples,)."""
    return binary_cross_entropy(z[:, None], t[:, None])[0]


BCE_CASES = [
    (np.array([0.5, -1.0, 2.0, -3.0]), np.array([1.0, 0.0, 0.0, 1.0])),
    (np.array([1.5]), np.array([1.0])),
    (np.array([-6.0, -0.5, 0.0, 0.5, 3.0, 6.0]), np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0])),
    (np.array([0.2, -0.7, 1.1]), np.array([0.3, 0.9, 0.5])),  # targets may be probabilities too
]
"""Logits z and targets t where `check_sigmoid_bce_delta` tries the answer."""


@exercise_check
def check_sigmoid_bce_delta(sigmoid_bce_delta):
    """Check `sigmoid_bce_delta(z, t)`: dL/dz = (σ(z) − t) / n for the mean binary cross-entropy."""
    for z, t in BCE_CASES:
        n = len(z)
        call = f"sigmoid_bce_delta(z, t) for z = {format_value(z)} and t = {format_value(t)}"
        got = _call_quietly(sigmoid_bce_delta, "sigmoid_bce_delta", z.copy(), t.copy())
        got = as_numbers(got, call)
        z_measured = z.copy()
        expected = numerical_gradient(lambda: _mean_bce(z_measured, t), z_measured)
        if got.shape != z.shape:
            fail(f"{call} returned an array of shape {got.shape}; expected shape {z.shape}: one δ per sample, "
                 "the slope of the loss with respect to that sample's z. Do not sum or average the δ's.")
        if np.allclose(got, expected, rtol=1e-5, atol=1e-8):
            continue
        s = sigmoid(z)
        hint = first_mistake(got, [
            (lambda: s - t, f"That is σ(z) − t without the 1/n: the loss is the mean over the n = {n} samples, "
                            "so each sample's δ carries a factor 1/n."),
            (lambda: (t - s) / n, "The sign is flipped: where σ(z) is above the target t, raising z raises the "
                                  "loss, so δ must be positive there: σ(z) − t, not t − σ(z)."),
            (lambda: s * (1 - s) * (s - t) / n, "There is an extra factor σ′(z) = σ(z)(1 − σ(z)). With the "
                                                "cross-entropy it cancels: dL/da · da/dz = σ(z) − t."),
            (lambda: (z - t) / n, "z itself is not the probability: pass it through the sigmoid first, σ(z) − t."),
            (lambda: (s - t) / n**2, "You divided by n twice: one factor 1/n, from the mean over the samples, "
                                     "is enough."),
        ])
        if hint:
            fail(f"{call} is wrong. {hint}")
        expect_close(got, expected, f"{call} (compared with finite differences of the mean binary cross-entropy)",
                     rtol=1e-5, atol=1e-8)
    passed("sigmoid_bce_delta gives (σ(z) − t) / n, the slope of the mean binary cross-entropy for every z, "
           "as finite differences measure it.")


# Exercise 2: dense_backward


SHAPES = ("X is (n_samples, n_inputs), W is (n_inputs, n_outputs), b is (n_outputs,) and grad_output, like "
          "δ = dL/dZ, is (n_samples, n_outputs). Each gradient has the shape of what it belongs to: "
          "dW like W, db like b, dX like X.")


def _dense_cases():
    rng = np.random.default_rng(6)
    return [
        ("tanh", _example(rng, 4, 3), _example(rng, 3, 2), _example(rng, 2), _example(rng, 4, 2)),
        ("sigmoid", _example(rng, 5, 2), _example(rng, 2, 3), _example(rng, 3), _example(rng, 5, 3)),
        ("tanh", _example(rng, 3, 3), _example(rng, 3, 3), _example(rng, 3), _example(rng, 3, 3)),
        ("sigmoid", _example(rng, 1, 4), _example(rng, 4, 4), _example(rng, 4), _example(rng, 1, 4)),
    ]


def _dense_mistakes(name, got, X, W, G, delta, f_prime_of_output):
    """The hint for a wrong gradient `name` ("dW", "db" or "dX"), or None."""
    no_f_prime = ("f′(Z) is missing: the error that reaches the weighted sums is δ = grad_output ⊙ f′(Z), "
                  "and every gradient of the layer is made from δ, not from grad_output.")
    at_output = ("f′ is taken at the output A = f(Z); it belongs at the weighted sums Z = X @ W + b, "
                 "where the activation was applied.")
    if name == "dW":
        return first_mistake(got, [
            (lambda: X.T @ G, no_f_prime),
            (lambda: X.T @ (G * f_prime_of_output), at_output),
            (lambda: (X.T @ delta).T, "It is transposed: δᵀX has the shape (n_outputs, n_inputs); Xᵀδ has "
                                      "the shape of W, one row per input and one column per neuron."),
            (lambda: X.T @ delta / len(X), "It is divided by the number of samples. Any 1/n of a mean loss is "
                                           "already inside grad_output: sum over the samples, Xᵀδ, and no more."),
        ])
    if name == "db":
        return first_mistake(got, [
            (lambda: G.sum(axis=0), no_f_prime),
            (lambda: (G * f_prime_of_output).sum(axis=0), at_output),
            (lambda: delta, "It has one row per sample: a bias acts on every sample, so its gradient adds up "
                            "δ over the samples (axis 0), one number per neuron."),
            (lambda: delta.mean(axis=0), "It is the mean of δ over the samples; it should be the sum. Any 1/n "
                                         "of a mean loss is already inside grad_output."),
            (lambda: delta.sum(axis=1), "It sums δ over the neurons (axis 1); sum over the samples (axis 0) "
                                        "instead, one number per neuron."),
        ])
    return first_mistake(got, [
        (lambda: G @ W.T, no_f_prime),
        (lambda: (G * f_prime_of_output) @ W.T, at_output),
        (lambda: delta @ W, "It uses W as it is; it needs W transposed, δWᵀ: input k of a sample reaches neuron "
                            "j through W[k, j], so its gradient adds up δ[:, j] · W[k, j] over the neurons j."),
    ])


@exercise_check
def check_dense_backward(dense_backward):
    """Check `dense_backward(X, W, b, grad_output, activation_name)`: (dW, db, dX) of a tanh or sigmoid layer."""
    for activation_name, X, W, b, G in _dense_cases():
        activation = get_activation(activation_name)
        call = (f"dense_backward(X, W, b, grad_output, {activation_name!r}) with X of shape {X.shape}, "
                f"W of shape {W.shape}")
        try:
            result = call_answer(dense_backward, "dense_backward", X.copy(), W.copy(), b.copy(), G.copy(),
                                 activation_name)
        except CheckFailed as failure:
            if isinstance(failure.__context__, ValueError):
                fail(f"{failure}\nHint: {SHAPES}")
            raise
        if not isinstance(result, (tuple, list)) or len(result) != 3:
            fail(f"{call} returned {format_value(result)}; it should return three gradients: return dW, db, dX.")
        got = {}
        for name, value in zip(("dW", "db", "dX"), result):
            if value is None:
                fail(f"{call} returned None for {name}. Compute it and put it in the returned tuple: "
                     "return dW, db, dX.")
            got[name] = as_numbers(value, f"{call}, as its {name},")

        # The layer's loss is L = Σ A ⊙ grad_output, whose slope with respect to A is exactly grad_output.
        arrays = {"dW": W.copy(), "db": b.copy(), "dX": X.copy()}

        def loss_of():
            return float(np.sum(activation.function(arrays["dX"] @ arrays["dW"] + arrays["db"]) * G))

        report = gradient_check(loss_of, arrays, got)
        if report.passed:
            continue
        Z = X @ W + b
        delta = G * activation.derivative(Z)
        f_prime_of_output = activation.derivative(activation.function(Z))
        for name, parameter in zip(("dW", "db", "dX"), (W, b, X)):
            if name not in report.problems and report.errors[name] <= report.tolerance:
                continue
            heading = f"{call}: the gradient check (finite differences) says\n{report}\n"
            hint = _dense_mistakes(name, got[name], X, W, G, delta, f_prime_of_output)
            if hint:
                fail(f"{heading}{name} is wrong. {hint}")
            if got[name].shape != parameter.shape:
                fail(f"{heading}{name} has shape {got[name].shape}; it should have the shape {parameter.shape}. "
                     f"{SHAPES}")
            right = {"dW": X.T @ delta, "db": delta.sum(axis=0), "dX": delta @ W.T}[name]
            expect_close(got[name], right, f"The {name} returned by {call}")
    passed("dense_backward returns dW = Xᵀδ, db = Σδ and dX = δWᵀ with δ = grad_output ⊙ f′(Z): "
           "all three agree with finite differences.")


# Exercise 3: n_loss_evaluations


EXERCISE_SIZES = [4, 8, 8, 3]
"""The network of the counting exercise: 4 inputs, two hidden layers of 8, 3 outputs."""


def _count_loss_evaluations(sizes):
    """How many times `gradient_check` evaluates the loss for a dense network of these sizes (counted)."""
    rng = np.random.default_rng(0)
    parameters = {}
    for number, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        parameters[f"layer {number} weights"] = rng.standard_normal((n_in, n_out))
        parameters[f"layer {number} bias"] = np.zeros(n_out)
    count = 0

    def loss_of():
        nonlocal count
        count += 1
        return 0.0

    gradient_check(loss_of, parameters, {name: np.zeros_like(p) for name, p in parameters.items()})
    return count


@exercise_check
def check_n_loss_evaluations(n_loss_evaluations):
    """Check how many loss evaluations a central-difference gradient check of a 4-8-8-3 network makes."""
    require_defined(n_loss_evaluations, "n_loss_evaluations",
                    "the number of times gradient_check computes the loss for a 4-8-8-3 network")
    if isinstance(n_loss_evaluations, bool) or not isinstance(n_loss_evaluations, numbers.Real):
        fail(f"n_loss_evaluations should be a whole number; got {format_value(n_loss_evaluations)}.")
    if not float(n_loss_evaluations).is_integer():
        fail(f"n_loss_evaluations should be a whole number; got {format_value(n_loss_evaluations)}. "
             "The loss is computed a whole number of times.")
    answer = int(n_loss_evaluations)
    pairs = list(zip(EXERCISE_SIZES, EXERCISE_SIZES[1:]))
    weights = sum(n_in * n_out for n_in, n_out in pairs)
    biases = sum(EXERCISE_SIZES[1:])
    counted = _count_loss_evaluations(EXERCISE_SIZES)
    if answer == counted:
        passed(f"{weights + biases} parameters, two loss evaluations each (p + h and p − h): {counted}, as "
               "counted while gradient_check ran. Backpropagation gets all the gradients from one forward "
               "and one backward pass.")
        return
    mistakes = {
        weights + biases: "That is the number of parameters. A central difference computes the loss twice for "
                          "each of them, once at p + h and once at p − h.",
        2 * weights: "You counted the weights only: every bias is a parameter too, and gets its own two loss "
                     "evaluations.",
        weights: "You counted the weights only, and once each: every bias is a parameter too, and each parameter "
                 "needs two loss evaluations (p + h and p − h).",
        2 * (weights + biases) + 1: "gradient_check does not compute the loss at the starting point: the central "
                                    "difference only needs p + h and p − h.",
        2: "That is the cost of one slope, for a single parameter. Every weight and every bias needs its own.",
    }
    hint = mistakes.get(answer, "Count the parameters (weights and biases of each layer after the input), "
                                "then the loss evaluations a central difference needs for each.")
    fail(f"n_loss_evaluations is {answer}, not the number of loss evaluations for a 4-8-8-3 network. {hint}")
