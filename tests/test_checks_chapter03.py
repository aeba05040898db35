"""The exercise checks of chapter 3 accept right answers and explain typical wrong ones."""

import numpy as np
import pytest

from nblib.checks.chapter03 import check_collapse, check_dense_forward, check_n_parameters
from check_helpers import fails_with, not_written_yet, not_answered

TRANSPOSE_HINT = "X @ W needs W of shape (n_inputs, n_outputs)"


def square(W):
    return W.shape[0] == W.shape[1]


# dense_forward


def test_dense_forward_right_answer_passes(capsys):
    check_dense_forward(lambda X, W, b, f: f(X @ W + b))
    assert capsys.readouterr().out.startswith("✔ Right: dense_forward")


def test_dense_forward_with_a_loop_over_neurons_passes(capsys):
    def dense_forward(X, W, b, f):
        columns = [f(X @ W[:, j] + b[j]) for j in range(W.shape[1])]
        return np.column_stack(columns)

    check_dense_forward(dense_forward)
    assert "✔ Right" in capsys.readouterr().out


def test_dense_forward_without_bias():
    fails_with(check_dense_forward, lambda X, W, b, f: f(X @ W), "bias is missing")


def test_dense_forward_without_activation():
    fails_with(check_dense_forward, lambda X, W, b, f: X @ W + b, "weighted sums", "pass them through f")


def test_dense_forward_with_bias_after_the_activation():
    fails_with(check_dense_forward, lambda X, W, b, f: f(X @ W) + b, "f(X @ W + b), not f(X @ W) + b")


def test_dense_forward_with_transposed_weights_raises_and_gets_a_hint():
    fails_with(check_dense_forward, lambda X, W, b, f: f(X @ W.T + b), "raised ValueError", TRANSPOSE_HINT)


def test_dense_forward_with_transposed_square_weights_is_explained():
    def dense_forward(X, W, b, f):
        return f(X @ (W.T if square(W) else W) + b)

    fails_with(check_dense_forward, dense_forward, "W of shape (3, 3)", "weights are transposed", TRANSPOSE_HINT)


def test_dense_forward_with_weights_first_raises_and_gets_a_hint():
    fails_with(check_dense_forward, lambda X, W, b, f: f(W @ X + b), "raised ValueError", TRANSPOSE_HINT)


def test_dense_forward_with_weights_first_on_square_arrays_is_explained():
    def dense_forward(X, W, b, f):
        return f((W @ X if square(W) and square(X) else X @ W) + b)

    fails_with(check_dense_forward, dense_forward, "order is flipped", "X @ W")


def test_dense_forward_with_one_column_per_sample():
    fails_with(check_dense_forward, lambda X, W, b, f: f(X @ W + b).T,
               "returned shape (2, 4); expected (4, 2)", "one row per sample", TRANSPOSE_HINT)


def test_dense_forward_other_wrong_values_name_the_index():
    fails_with(check_dense_forward, lambda X, W, b, f: f(X @ W + b) * 2, "is wrong at index (0, 0)")


def test_dense_forward_not_written_yet():
    not_answered(check_dense_forward, not_written_yet, "dense_forward is not written yet")


def test_dense_forward_none():
    fails_with(check_dense_forward, None, "dense_forward should be a function")


# n_parameters


@pytest.mark.parametrize("answer", [54, 54.0, np.int64(54)])
def test_n_parameters_right_answer_passes(answer, capsys):
    check_n_parameters(answer)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right:") and "43 weights" in out and "11 biases" in out


@pytest.mark.parametrize("answer, fragment", [
    (43, "counted the weights only"),
    (11, "counted the biases only"),
    (57, "input layer is the data itself"),
    (14, "number of neurons"),
    (120, "neighbouring layers only"),
    (50, "n_inputs × n_outputs weights, plus n_outputs biases"),
])
def test_n_parameters_typical_mistakes(answer, fragment):
    fails_with(check_n_parameters, answer, f"n_parameters is {answer},", fragment)


@pytest.mark.parametrize("answer", ["54", 54.5, True, float("nan"), [54]])
def test_n_parameters_not_a_whole_number(answer):
    fails_with(check_n_parameters, answer, "should be a whole number")


def test_n_parameters_none():
    not_answered(check_n_parameters, None, "n_parameters is still None")


# collapse


def right_collapse(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2


def test_collapse_right_answer_passes(capsys):
    check_collapse(right_collapse)
    assert capsys.readouterr().out.startswith("✔ Right: collapse")


def test_collapse_returning_a_list_passes(capsys):
    check_collapse(lambda W1, b1, W2, b2: list(right_collapse(W1, b1, W2, b2)))
    assert "✔ Right" in capsys.readouterr().out


def test_collapse_returning_only_the_weights():
    fails_with(check_collapse, lambda W1, b1, W2, b2: W1 @ W2, "should return two things", "return W, b")


def test_collapse_with_transposed_weights():
    fails_with(check_collapse, lambda W1, b1, W2, b2: ((W1 @ W2).T, b1 @ W2 + b2),
               "returned W of shape (4, 2); expected (2, 4)", "transposed", TRANSPOSE_HINT)


def test_collapse_in_the_wrong_order_raises_and_gets_a_hint():
    fails_with(check_collapse, lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2),
               "raised ValueError", "the input meets W1 first")


def test_collapse_in_the_wrong_order_on_square_weights_is_explained():
    def collapse(W1, b1, W2, b2):
        W = W2 @ W1 if square(W1) and square(W2) else W1 @ W2
        return W, b1 @ W2 + b2

    fails_with(check_collapse, collapse, "W1 of shape (3, 3)", "That is W2 @ W1")


def test_collapse_with_transposed_square_weights_is_explained():
    def collapse(W1, b1, W2, b2):
        W = W2.T @ W1.T if square(W1) and square(W2) else W1 @ W2
        return W, b1 @ W2 + b2

    fails_with(check_collapse, collapse, "transposed weights", TRANSPOSE_HINT)


def test_collapse_forgetting_that_b1_passes_through_w2():
    fails_with(check_collapse, lambda W1, b1, W2, b2: (W1 @ W2, b2), "That is b2 alone")


def test_collapse_forgetting_b2():
    fails_with(check_collapse, lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2), "adds its own bias b2")


def test_collapse_adding_the_biases_raises_for_different_sizes():
    fails_with(check_collapse, lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2), "raised ValueError", "b1 (n_hidden,)")


def test_collapse_adding_the_biases_on_square_weights_is_explained():
    def collapse(W1, b1, W2, b2):
        b = b1 + b2 if b1.shape == b2.shape else b1 @ W2 + b2
        return W1 @ W2, b

    fails_with(check_collapse, collapse, "W1 of shape (3, 3)", "W2 multiplies it too")


def test_collapse_multiplying_the_bias_from_the_wrong_side():
    def collapse(W1, b1, W2, b2):
        b = W2 @ b1 + b2 if square(W2) else b1 @ W2 + b2
        return W1 @ W2, b

    fails_with(check_collapse, collapse, "W2 @ b1 uses W2 transposed")


def test_collapse_other_wrong_bias_names_the_index():
    fails_with(check_collapse, lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 + 2 * b2), "The b returned by", "index (")


def test_collapse_not_written_yet():
    not_answered(check_collapse, not_written_yet, "collapse is not written yet")


def test_collapse_none():
    fails_with(check_collapse, None, "collapse should be a function")
