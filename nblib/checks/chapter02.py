"""Checks for the exercises of chapter 2, Activation functions.

Each check takes the learner's answer, tries it on several inputs and either
prints one line saying it is right or raises `CheckFailed` explaining the first
thing that is wrong.
"""

import inspect

import numpy as np

from nblib.activations import ACTIVATIONS, get_activation, sigmoid
from nblib.checks import as_numbers, call_answer, expect_close, fail, format_value, passed, require_defined, require_function
from nblib.checks import exercise_check

SIGMOID_POINTS = np.array([0.0, 1.0, -1.0, 2.0, -2.0, 5.0, -5.0, 30.0, -30.0, 1000.0, -1000.0])
"""Named points where `check_sigmoid_derivative` compares the answer with the slope of σ."""


def _slope_by_finite_differences(f, z, h=1e-5):
    """The slope of f at z, measured: (f(z + h) − f(z − h)) / 2h."""
    return (f(z + h) - f(z - h)) / (2 * h)


def _call_quietly(function, name, *args):
    """`call_answer`, with numpy's overflow and invalid-value warnings silenced.

    A check tries very large inputs on purpose; the learner should read what went
    wrong in the check's message, not in a pile of warnings.
    """
    with np.errstate(all="ignore"):
        return call_answer(function, name, *args)


def _expect_shape(got, expected, call):
    """Fail unless `got` is numbers of the same shape as `expected`."""
    shape = as_numbers(got, call).shape
    if shape != np.shape(expected):
        fail(f"{call} returned an array of shape {shape}; expected shape {np.shape(expected)}, the shape of z.")


@exercise_check
def check_sigmoid_derivative(sigmoid_derivative):
    """Check `sigmoid_derivative(z)`: σ′(z) = σ(z)(1 − σ(z)) element-wise, for z of any shape."""
    got = _call_quietly(sigmoid_derivative, "sigmoid_derivative", SIGMOID_POINTS.copy())
    expected = _slope_by_finite_differences(sigmoid, SIGMOID_POINTS)
    call = f"sigmoid_derivative(z) for z = {format_value(SIGMOID_POINTS)}"
    _expect_shape(got, expected, call)
    got = np.asarray(got, dtype=float)
    for z, value, slope in zip(SIGMOID_POINTS, got, expected):
        where = f"sigmoid_derivative at z = {z:g}"
        if not np.isfinite(value) and abs(z) > 700:
            fail(
                f"{where} returned {value}. Somewhere e^{abs(z):g} overflowed to inf (and inf/inf is nan). "
                "Compute s = σ(z) first: it always stays between 0 and 1. Then return s·(1 − s)."
            )
        if np.isclose(value, slope, rtol=1e-5, atol=1e-9):
            continue
        s = float(sigmoid(np.array(z)))
        hint = ""
        if np.isclose(value, s, rtol=1e-5, atol=1e-9):
            hint = " That is σ(z) itself; the exercise asks for its slope, σ(z)·(1 − σ(z))."
        elif np.isclose(value, -slope, rtol=1e-5, atol=1e-9):
            hint = " The sign is flipped: σ only ever goes up, so its slope is never negative."
        fail(
            f"{where} returned {format_value(value)}; expected {format_value(slope)}, "
            f"the slope of σ there (measured with finite differences).{hint}"
        )
    batch = np.array([[-3.0, -0.5, 0.0], [0.5, 3.0, 8.0]])
    got = _call_quietly(sigmoid_derivative, "sigmoid_derivative", batch.copy())
    expect_close(got, _slope_by_finite_differences(sigmoid, batch),
                 "sigmoid_derivative(z) for z of shape (2, 3)", rtol=1e-5, atol=1e-9)
    passed("sigmoid_derivative gives the slope of σ at every point, even at z = ±1000, for arrays of any shape.")


LEAKY_POINTS = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 2.0])
"""Points where `check_leaky_relu` tries the answer, negative and positive."""


def _reference_leaky_relu(z, slope):
    return np.where(z > 0, z, slope * z)


@exercise_check
def check_leaky_relu(leaky_relu):
    """Check `leaky_relu(z, slope=0.01)`: z where z > 0, slope·z elsewhere, element-wise."""
    require_function(leaky_relu, "leaky_relu")
    try:
        parameters = inspect.signature(leaky_relu).parameters
    except (TypeError, ValueError):
        parameters = None
    if parameters is not None:
        if "slope" not in parameters:
            fail(
                "leaky_relu should take the slope as a second parameter, called slope, with a default: "
                f"def leaky_relu(z, slope=0.01). Its parameters are ({', '.join(parameters)})."
            )
        default = parameters["slope"].default
        if default is inspect.Parameter.empty:
            fail("leaky_relu's slope should have a default, so that leaky_relu(z) works: def leaky_relu(z, slope=0.01).")
        if not isinstance(default, (int, float)) or default != 0.01:
            fail(f"leaky_relu's slope should be 0.01, nblib's, unless the caller gives another; its default is {default!r}.")

    for slope in (None, 0.3, 0.0, 1.0):
        z = LEAKY_POINTS.copy()
        if slope is None:
            got = call_answer(leaky_relu, "leaky_relu", z)
            slope, call = 0.01, "leaky_relu(z)"
        else:
            got = call_answer(leaky_relu, "leaky_relu", z, slope)
            call = f"leaky_relu(z, {slope:g})"
        if not np.array_equal(z, LEAKY_POINTS):
            fail(
                f"{call} changed the array z you passed in (it now holds {format_value(z)}). "
                "Build a new array for the result, e.g. with np.where, and leave z as it was."
            )
        expected = _reference_leaky_relu(LEAKY_POINTS, slope)
        _expect_shape(got, expected, call)
        got = np.asarray(got, dtype=float)
        for point, value, right in zip(LEAKY_POINTS, got, expected):
            if np.isclose(value, right):
                continue
            where = f"{call} at z = {point:g} returned {format_value(value)}; expected {format_value(right)}."
            if point > 0:
                fail(f"{where} For z > 0 leaky ReLU passes z through unchanged, whatever the slope.")
            if value == 0 and slope != 0:
                fail(f"{where} A negative z should not become 0 (that is plain ReLU): multiply it by the slope.")
            if np.isclose(value, 0.01 * point):
                fail(f"{where} That is the default slope 0.01: use the slope parameter, not a fixed number.")
            if np.isclose(value, 0.1 * point):
                fail(f"{where} You used a fixed 0.1; use the parameter slope instead.")
            if np.isclose(value, -slope * point):
                fail(f"{where} The sign is flipped: for z < 0 the output is slope·z, which is negative too.")
            fail(f"{where} For z ≤ 0 the output is slope·z.")

    batch = np.array([[-2.0, 4.0], [0.5, -0.25], [-1.0, 0.0]])
    got = call_answer(leaky_relu, "leaky_relu", batch.copy(), 0.2)
    expect_close(got, _reference_leaky_relu(batch, 0.2), "leaky_relu(z, 0.2) for z of shape (3, 2)")
    passed("leaky_relu keeps z > 0, multiplies the rest by slope (0.01 unless you say otherwise), for any shape.")


ZERO_SLOPE_REASONS = {
    "linear": "The linear activation has slope 1 everywhere: its output follows z one to one.",
    "binary_step": "The binary step is flat on each side of its jump, so its slope for z < 0 is 0.",
    "sigmoid": "The sigmoid's slope σ(z)(1 − σ(z)) gets tiny for very negative z (it saturates) but is never 0.",
    "tanh": "The slope of tanh, 1 − tanh(z)², gets tiny for very negative z (it saturates) but is never 0.",
    "arctan": "The slope of arctan, 1/(1 + z²), shrinks for very negative z but is never 0.",
    "relu": "ReLU outputs 0 for every z < 0, whatever z is, so its slope there is 0.",
    "leaky_relu": "Leaky ReLU keeps a small slope (0.01 in nblib) for z < 0: that is its whole point.",
}
"""Why each activation does or does not have a zero slope for every z < 0."""


@exercise_check
def check_zero_slope_for_negative_z(zero_slope_for_negative_z):
    """Check the set of activation names whose derivative is 0 for every z < 0."""
    require_defined(zero_slope_for_negative_z, "zero_slope_for_negative_z",
                    'a set of activation names, e.g. {"linear", "tanh"}')
    answer = zero_slope_for_negative_z
    if isinstance(answer, str):
        fail(f'zero_slope_for_negative_z should be a set of names, like {{"tanh"}}; got the single string {answer!r}.')
    if not isinstance(answer, (set, frozenset, list, tuple)):
        fail(f'zero_slope_for_negative_z should be a set of names, like {{"linear", "tanh"}}; got {format_value(answer)}.')
    chosen = set()
    for name in answer:
        if not isinstance(name, str):
            fail(f"zero_slope_for_negative_z should hold names (strings); it holds {format_value(name)}.")
        try:
            chosen.add(get_activation(name).name)  # accepts "ReLU", "binary step", ... as well
        except ValueError:
            fail(f"{name!r} is not one of the activations: {', '.join(ACTIVATIONS)}.")

    right = {name for name in ACTIVATIONS
             if np.all(ACTIVATIONS[name].slope(np.linspace(-50.0, -1e-3, 1001)) == 0)}
    extra = [name for name in ACTIVATIONS if name in chosen - right]
    missing = [name for name in ACTIVATIONS if name in right - chosen]
    if extra:
        reasons = " ".join(ZERO_SLOPE_REASONS[name] for name in extra)
        fail(f"These do not belong in the set: {', '.join(extra)}. {reasons}")
    if missing:
        reasons = " ".join(ZERO_SLOPE_REASONS[name] for name in missing)
        fail(f"Missing from the set: {', '.join(missing)}. {reasons}")
    passed("exactly the binary step and ReLU are flat for every z < 0; a neuron stuck there cannot learn from gradients.")
