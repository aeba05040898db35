"""The exercise checks of chapter 2 accept right answers and explain typical wrong ones."""

import warnings

import numpy as np
import pytest

from nblib.checks.chapter02 import check_leaky_relu, check_sigmoid_derivative, check_zero_slope_for_negative_z
from check_helpers import fails_with, not_written_yet, not_answered


def stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


# sigmoid_derivative


def test_sigmoid_derivative_right_answer_passes(capsys):
    def sigmoid_derivative(z):
        s = stable_sigmoid(z)
        return s * (1 - s)

    check_sigmoid_derivative(sigmoid_derivative)
    assert capsys.readouterr().out.startswith("✔ Right: sigmoid_derivative")


def test_sigmoid_derivative_naive_but_right_passes_without_warnings(capsys):
    def sigmoid_derivative(z):
        s = 1 / (1 + np.exp(-z))  # overflows at z = -1000, yet gives the right 0
        return s * (1 - s)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_sigmoid_derivative(sigmoid_derivative)
    assert "✔ Right" in capsys.readouterr().out


def test_sigmoid_derivative_that_overflows_to_nan_is_explained():
    fails_with(
        check_sigmoid_derivative,
        lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
        "at z = -1000 returned nan", "overflowed", "s·(1 − s)",
    )


def test_sigmoid_itself_instead_of_its_slope_is_explained():
    fails_with(check_sigmoid_derivative, stable_sigmoid, "at z = 0 returned 0.5", "expected 0.25", "σ(z) itself")


def test_sigmoid_derivative_with_flipped_sign_is_explained():
    fails_with(
        check_sigmoid_derivative,
        lambda z: -stable_sigmoid(z) * (1 - stable_sigmoid(z)),
        "at z = 0 returned -0.25", "never negative",
    )


def test_a_different_slope_names_the_point_and_expected_value():
    message = fails_with(check_sigmoid_derivative, lambda z: 1 - np.tanh(z) ** 2, "at z = 0 returned 1", "expected 0.25")
    assert "itself" not in message and "flipped" not in message


def test_sigmoid_derivative_that_loses_the_shape_fails_on_the_batch():
    def flattens(z):
        s = stable_sigmoid(z)
        return (s * (1 - s)).ravel()

    fails_with(check_sigmoid_derivative, flattens, "shape (2, 3)", "returned an array of shape (6,)")


def test_sigmoid_derivative_returning_a_single_number_is_a_shape_error():
    fails_with(check_sigmoid_derivative, lambda z: 0.25, "returned an array of shape ()", "expected shape (11,)")


def test_sigmoid_derivative_not_written_yet():
    not_answered(check_sigmoid_derivative, not_written_yet, "sigmoid_derivative is not written yet")


def test_sigmoid_derivative_none():
    fails_with(check_sigmoid_derivative, None, "sigmoid_derivative should be a function")


# leaky_relu


def right_leaky_relu(z, slope=0.01):
    return np.where(z > 0, z, slope * z)


def test_leaky_relu_right_answer_passes(capsys):
    check_leaky_relu(right_leaky_relu)
    assert capsys.readouterr().out.startswith("✔ Right: leaky_relu")


def test_leaky_relu_with_maximum_passes(capsys):
    def leaky_relu(z, slope=0.01):
        return np.maximum(z, slope * z)

    check_leaky_relu(leaky_relu)
    assert "✔ Right" in capsys.readouterr().out


def test_leaky_relu_without_a_slope_parameter():
    def leaky_relu(z):
        return np.where(z > 0, z, 0.01 * z)

    fails_with(check_leaky_relu, leaky_relu, "called slope", "def leaky_relu(z, slope=0.01)", "(z)")


def test_leaky_relu_without_a_default_slope():
    def leaky_relu(z, slope):
        return np.where(z > 0, z, slope * z)

    fails_with(check_leaky_relu, leaky_relu, "should have a default")


def test_leaky_relu_with_the_wrong_default_slope():
    def leaky_relu(z, slope=0.1):
        return np.where(z > 0, z, slope * z)

    fails_with(check_leaky_relu, leaky_relu, "its default is 0.1")


def test_plain_relu_is_explained():
    def leaky_relu(z, slope=0.01):
        return np.maximum(z, 0)

    fails_with(check_leaky_relu, leaky_relu, "leaky_relu(z) at z = -3 returned 0", "expected -0.03", "plain ReLU")


def test_a_fixed_slope_of_a_tenth_is_explained():
    def leaky_relu(z, slope=0.01):
        return np.where(z > 0, z, 0.1 * z)

    fails_with(check_leaky_relu, leaky_relu, "You used a fixed 0.1")


def test_ignoring_the_slope_parameter_is_explained():
    def leaky_relu(z, slope=0.01):
        return np.where(z > 0, z, 0.01 * z)

    fails_with(check_leaky_relu, leaky_relu, "leaky_relu(z, 0.3) at z = -3", "expected -0.9", "use the slope parameter")


def test_scaling_positive_inputs_is_explained():
    def leaky_relu(z, slope=0.01):
        return slope * z

    fails_with(check_leaky_relu, leaky_relu, "at z = 0.5", "passes z through unchanged")


def test_flipped_sign_for_negative_inputs_is_explained():
    def leaky_relu(z, slope=0.01):
        return np.where(z > 0, z, -slope * z)

    fails_with(check_leaky_relu, leaky_relu, "at z = -3 returned 0.03", "sign is flipped")


def test_changing_the_input_in_place_is_explained():
    def leaky_relu(z, slope=0.01):
        z[z < 0] *= slope
        return z

    fails_with(check_leaky_relu, leaky_relu, "changed the array z you passed in")


def test_leaky_relu_that_only_handles_one_dimension_fails_on_the_batch():
    def leaky_relu(z, slope=0.01):
        return np.array([value if value > 0 else slope * value for value in z])

    fails_with(check_leaky_relu, leaky_relu, "raised ValueError")


def test_leaky_relu_not_written_yet():
    def leaky_relu(z, slope=0.01):
        raise NotImplementedError()

    not_answered(check_leaky_relu, leaky_relu, "leaky_relu is not written yet")


def test_leaky_relu_none():
    fails_with(check_leaky_relu, None, "leaky_relu should be a function")


# zero_slope_for_negative_z


@pytest.mark.parametrize("answer", [
    {"relu", "binary_step"},
    ["ReLU", "binary step"],
    ("binary-step", "relu"),
])
def test_zero_slope_right_answers_pass(answer, capsys):
    check_zero_slope_for_negative_z(answer)
    assert capsys.readouterr().out.startswith("✔ Right:")


def test_zero_slope_none():
    not_answered(check_zero_slope_for_negative_z, None, "zero_slope_for_negative_z is still None")


def test_zero_slope_a_single_string():
    fails_with(check_zero_slope_for_negative_z, "relu", "the single string 'relu'")


def test_zero_slope_not_a_collection():
    fails_with(check_zero_slope_for_negative_z, 2, "should be a set of names", "got 2")


def test_zero_slope_holds_something_else_than_names():
    fails_with(check_zero_slope_for_negative_z, {"relu", 0}, "should hold names")


def test_zero_slope_unknown_name():
    fails_with(check_zero_slope_for_negative_z, {"relu", "softmax"}, "'softmax' is not one of the activations")


def test_zero_slope_saturating_activation_is_extra():
    message = fails_with(check_zero_slope_for_negative_z, {"relu", "binary_step", "sigmoid"},
                         "do not belong in the set: sigmoid", "never 0")
    assert "relu" not in message.split(".")[0]


def test_zero_slope_leaky_relu_is_extra():
    fails_with(check_zero_slope_for_negative_z, {"relu", "leaky_relu", "binary_step"},
               "do not belong in the set: leaky_relu", "whole point")


def test_zero_slope_extras_are_reported_before_missing_ones():
    fails_with(check_zero_slope_for_negative_z, {"tanh"}, "do not belong in the set: tanh")


def test_zero_slope_missing_binary_step():
    message = fails_with(check_zero_slope_for_negative_z, {"relu"}, "Missing from the set: binary_step", "flat")
    assert "relu" not in message.lower().replace("missing", "")


def test_zero_slope_missing_everything():
    fails_with(check_zero_slope_for_negative_z, set(), "Missing from the set: binary_step, relu")
