"""Tests of the checks for chapter 1's exercises: right answers pass, typical wrong ones are explained."""

import numpy as np
import pytest

from check_helpers import not_answered
from nblib.checks import CheckFailed
from nblib.checks.chapter01 import check_and_neuron, check_neuron_output, check_weighted_sum


def fails_with(check, *answers):
    """Run a check that should fail and return its message."""
    with pytest.raises(CheckFailed) as failure:
        check(*answers)
    return str(failure.value)


# ── Exercise 1: weighted_sum ───────────────────────────────────────────────────


def right_weighted_sum(x, w, b):
    total = b
    for x_i, w_i in zip(x, w):
        total += w_i * x_i
    return total


def test_weighted_sum_right_answer_passes(capsys):
    check_weighted_sum(right_weighted_sum)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right:")
    assert out.count("\n") == 1


def test_weighted_sum_numpy_answer_passes(capsys):
    check_weighted_sum(lambda x, w, b: np.dot(w, x) + b)
    assert capsys.readouterr().out.startswith("✔ Right:")


def test_weighted_sum_names_the_input_and_both_values():
    message = fails_with(check_weighted_sum, lambda x, w, b: 1.75)
    assert "weighted_sum(x=[2, 3], w=[0.5, -1], b=0.75) returned 1.75; expected -1.25." in message


def test_weighted_sum_missing_bias():
    def no_bias(x, w, b):
        return sum(w_i * x_i for x_i, w_i in zip(x, w))

    message = fails_with(check_weighted_sum, no_bias)
    assert "returned -2; expected -1.25" in message
    assert "Did you add the bias?" in message


def test_weighted_sum_bias_added_on_every_step():
    def bias_in_loop(x, w, b):
        total = 0
        for x_i, w_i in zip(x, w):
            total += w_i * x_i + b
        return total

    message = fails_with(check_weighted_sum, bias_in_loop)
    assert "on every step of the loop" in message


def test_weighted_sum_bias_subtracted():
    message = fails_with(check_weighted_sum, lambda x, w, b: np.dot(w, x) - b)
    assert "subtract the bias" in message


def test_weighted_sum_return_inside_loop():
    def early_return(x, w, b):
        total = b
        for x_i, w_i in zip(x, w):
            total += w_i * x_i
            return total

    message = fails_with(check_weighted_sum, early_return)
    assert "Only the first input counted" in message
    assert "`return` inside the loop" in message


def test_weighted_sum_overwrites_instead_of_adding():
    def overwrite(x, w, b):
        total = 0
        for x_i, w_i in zip(x, w):
            total = w_i * x_i
        return total + b

    message = fails_with(check_weighted_sum, overwrite)
    assert "Only the last input counted" in message
    assert "+=" in message


def test_weighted_sum_adds_instead_of_multiplying():
    def adds(x, w, b):
        total = b
        for x_i, w_i in zip(x, w):
            total += w_i + x_i
        return total

    message = fails_with(check_weighted_sum, adds)
    assert "not wᵢ + xᵢ" in message


def test_weighted_sum_products_not_added_up():
    message = fails_with(check_weighted_sum, lambda x, w, b: np.asarray(w) * np.asarray(x) + b)
    assert "array of shape (2,)" in message
    assert "did not add the products up" in message


def test_weighted_sum_wrong_without_known_mistake_gives_no_hint():
    message = fails_with(check_weighted_sum, lambda x, w, b: right_weighted_sum(x, w, b) + 0.5)
    assert message.endswith("expected -1.25.")


def test_weighted_sum_only_fails_on_a_later_input():
    # Right for two inputs, wrong for every other length: the first failing input is named.
    def only_pairs(x, w, b):
        return w[0] * x[0] + w[1] * x[1] + b

    message = fails_with(check_weighted_sum, only_pairs)
    assert "weighted_sum(x=[3, -1.5, 2], w=[-0.5, 2, 1], b=-1) returned" in message
    assert "Only the first" not in message


def test_weighted_sum_works_on_numpy_arrays_too():
    # A loop over lists that breaks on numpy arrays is caught by the last input.
    def lists_only(x, w, b):
        if isinstance(x, np.ndarray):
            raise TypeError("lists only")
        return right_weighted_sum(x, w, b)

    message = fails_with(check_weighted_sum, lists_only)
    assert "raised TypeError: lists only" in message
    assert "-1.2" in message


def test_weighted_sum_forgot_return():
    def no_return(x, w, b):
        total = b
        for x_i, w_i in zip(x, w):
            total += w_i * x_i

    message = fails_with(check_weighted_sum, no_return)
    assert "returned None" in message
    assert "`return`" in message


def test_weighted_sum_not_a_number():
    message = fails_with(check_weighted_sum, lambda x, w, b: "seven")
    assert "not a number" in message


def test_weighted_sum_not_written_yet():
    def stub(x, w, b):
        raise NotImplementedError()

    message = not_answered(check_weighted_sum, stub)
    assert "not written yet" in message
    assert "NotImplementedError" in message


def test_weighted_sum_none_is_not_a_function():
    message = fails_with(check_weighted_sum, None)
    assert "should be a function" in message
    assert "def weighted_sum" in message


def test_weighted_sum_messages_do_not_show_the_answer_code():
    message = fails_with(check_weighted_sum, lambda x, w, b: 0.0)
    assert "for " not in message and "zip" not in message


# ── Exercise 2: w_and, b_and ───────────────────────────────────────────────────


@pytest.mark.parametrize("w_and, b_and", [([1, 1], -1.5), (np.array([0.5, 0.5]), -0.75), ((2.0, 3.0), -4.0)])
def test_and_right_answers_pass(capsys, w_and, b_and):
    check_and_neuron(w_and, b_and)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right:")
    assert "AND" in out


def test_and_weights_still_none():
    message = not_answered(check_and_neuron, None, args=(None,))
    assert "w_and is still None" in message


def test_and_bias_still_none():
    message = not_answered(check_and_neuron, [1, 1], args=(None,))
    assert "b_and is still None" in message


def test_and_or_instead_of_and():
    message = fails_with(check_and_neuron, [1, 1], -0.5)
    assert message.startswith("For x = (0, 1) your neuron outputs 1, AND is 0")
    assert "computes OR" in message


def test_and_names_the_first_wrong_pair():
    # Fires for (1, 0) and (1, 1) only: x₂ is ignored.
    message = fails_with(check_and_neuron, [1, 0], -0.5)
    assert message.startswith("For x = (1, 0) your neuron outputs 1, AND is 0")
    assert "below 0" in message


def test_and_positive_bias_fires_everywhere():
    message = fails_with(check_and_neuron, [1, 1], 0.5)
    assert message.startswith("For x = (0, 0) your neuron outputs 1, AND is 0")
    assert "negative bias" in message


def test_and_never_fires():
    message = fails_with(check_and_neuron, [0.5, 0.5], -2.0)
    assert message.startswith("For x = (1, 1) your neuron outputs 0, AND is 1")
    assert "never outputs 1" in message
    assert "w₁ + w₂ ≥ −b" in message


def test_and_on_the_edge_at_z_zero():
    message = fails_with(check_and_neuron, [1, 1], -1)
    assert message.startswith("For x = (0, 1) your neuron outputs 1, AND is 0")
    assert "exactly on the edge" in message
    assert "z ≥ 0" in message


def test_and_wrong_number_of_weights():
    message = fails_with(check_and_neuron, [1, 1, 1], -1.5)
    assert "two weights" in message
    assert "3 number(s)" in message


def test_and_bias_must_be_one_number():
    message = fails_with(check_and_neuron, [1, 1], [-1.5, -1.5])
    assert "single number" in message
    assert "one bias" in message


def test_and_weights_must_be_numbers():
    message = fails_with(check_and_neuron, ["one", "one"], -1.5)
    assert "should be two numbers" in message


def test_and_weights_must_be_finite():
    message = fails_with(check_and_neuron, [np.nan, 1.0], -1.5)
    assert "finite" in message


# ── Exercise 3: neuron_output ──────────────────────────────────────────────────


def right_neuron_output(X, w, b):
    return 1 / (1 + np.exp(-(X @ w + b)))


def test_neuron_output_right_answer_passes(capsys):
    check_neuron_output(right_neuron_output)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right:")
    assert out.count("\n") == 1


def test_neuron_output_loop_answer_passes(capsys):
    def with_loop(X, w, b):
        return np.array([1 / (1 + np.exp(-(np.dot(w, x) + b))) for x in X])

    check_neuron_output(with_loop)
    assert capsys.readouterr().out.startswith("✔ Right:")


def test_neuron_output_without_sigmoid():
    message = fails_with(check_neuron_output, lambda X, w, b: X @ w + b)
    assert "neuron_output(X=np.array([[0.5, -1], [2, 0], [-1.5, 3]]), w=np.array([1, -0.5]), b=0.25)" in message
    assert "weighted sums z themselves" in message


def test_neuron_output_without_bias():
    message = fails_with(check_neuron_output, lambda X, w, b: right_neuron_output(X, w, 0.0))
    assert "Did you add the bias b?" in message


def test_neuron_output_bias_outside_sigmoid():
    message = fails_with(check_neuron_output, lambda X, w, b: right_neuron_output(X, w, 0.0) + b)
    assert "inside the sigmoid" in message


def test_neuron_output_wrong_sign_in_exponent():
    message = fails_with(check_neuron_output, lambda X, w, b: 1 / (1 + np.exp(X @ w + b)))
    assert "sign in the exponent" in message


def test_neuron_output_binary_step_instead_of_sigmoid():
    message = fails_with(check_neuron_output, lambda X, w, b: (X @ w + b >= 0).astype(float))
    assert "binary step" in message


def test_neuron_output_column_instead_of_flat():
    message = fails_with(check_neuron_output, lambda X, w, b: right_neuron_output(X, w, b).reshape(-1, 1))
    assert "shape (3, 1); expected shape (3,)" in message
    assert "column" in message


def test_neuron_output_summed_over_samples():
    message = fails_with(check_neuron_output, lambda X, w, b: right_neuron_output(X, w, b).sum())
    assert "single number" in message
    assert "one output per sample" in message


def test_neuron_output_wrong_values_named_by_index():
    def off_at_second(X, w, b):
        out = right_neuron_output(X, w, b)
        out[1] += 0.1
        return out

    message = fails_with(check_neuron_output, off_at_second)
    assert "is wrong at index (1,)" in message


def test_neuron_output_raises_is_reported():
    message = fails_with(check_neuron_output, lambda X, w, b: X.T @ w + b)
    assert "raised ValueError" in message


def test_neuron_output_forgot_return():
    message = fails_with(check_neuron_output, lambda X, w, b: None)
    assert "returned None" in message


def test_neuron_output_not_written_yet():
    def stub(X, w, b):
        raise NotImplementedError()

    message = not_answered(check_neuron_output, stub)
    assert "not written yet" in message


def test_neuron_output_none_is_not_a_function():
    message = fails_with(check_neuron_output, None)
    assert "should be a function" in message
