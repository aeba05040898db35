"""The exercise checks of chapter 4 accept right answers and explain typical wrong ones."""

import numpy as np
import pytest

from nblib.checks.chapter04 import check_binary_cross_entropy, check_mse, check_softmax, check_chance_loss
from check_helpers import fails_with, not_written_yet, not_answered


# mse


def test_mse_right_answer_passes(capsys):
    check_mse(lambda p, t: np.mean((p - t) ** 2))
    assert capsys.readouterr().out.startswith("✔ Right: mse")


def test_mse_with_a_loop_returning_a_python_float_passes(capsys):
    def mse(predictions, targets):
        values = np.ravel(predictions - targets)
        return sum(float(d) ** 2 for d in values) / len(values)

    check_mse(mse)
    assert "✔ Right" in capsys.readouterr().out


def test_mse_returning_a_one_element_array_passes(capsys):
    check_mse(lambda p, t: np.array([np.mean((p - t) ** 2)]))
    assert "✔ Right" in capsys.readouterr().out


def test_mse_one_number_per_sample():
    fails_with(check_mse, lambda p, t: (p - t) ** 2, "shape (4,), one number per sample", "ONE number")


def test_mse_averaged_over_one_axis_only():
    def mse(p, t):
        return np.mean((p - t) ** 2, axis=0) if p.ndim == 2 else np.mean((p - t) ** 2)

    fails_with(check_mse, mse, "shape (2,)", "np.mean (without an axis)")


@pytest.mark.parametrize("wrong, fragment", [
    (lambda p, t: np.sum((p - t) ** 2), "SUM of the squared errors"),
    (lambda p, t: np.mean((p - t) ** 2) / 2, "has no ½"),
    (lambda p, t: np.sqrt(np.mean((p - t) ** 2)), "RMSE"),
    (lambda p, t: np.mean(np.abs(p - t)), "mean ABSOLUTE error"),
    (lambda p, t: np.mean(p - t) ** 2, "squared the mean of the differences"),
    (lambda p, t: np.mean(p - t), "positive and negative errors cancel"),
    (lambda p, t: np.mean(p - t**2), "Mind the brackets"),
    (lambda p, t: np.mean(p**2 - t**2), "p² − t² is not (p − t)²"),
])
def test_mse_typical_mistakes(wrong, fragment):
    fails_with(check_mse, wrong, "mse(predictions, targets) with predictions = [2.5, 0. , 2. , 8. ]",
               "expected 0.375", fragment)


def test_mse_dividing_by_the_number_of_rows():
    def mse(p, t):
        return np.sum((p - t) ** 2) / len(p)

    fails_with(check_mse, mse, "returned 2.333; expected 1.167", "predictions.size")


def test_mse_other_wrong_values_show_the_expected_value_without_a_hint():
    message = fails_with(check_mse, lambda p, t: np.mean((p - t) ** 2) + 1, "returned 1.375; expected 0.375.")
    assert message.endswith("expected 0.375.")


def test_mse_forgetting_return():
    def mse(p, t):
        np.mean((p - t) ** 2)

    fails_with(check_mse, mse, "returned None", "forget the `return`")


def test_mse_not_written_yet():
    not_answered(check_mse, not_written_yet, "mse is not written yet")


def test_mse_none():
    fails_with(check_mse, None, "mse should be a function")


# binary_cross_entropy


def right_bce(p, t):
    return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))


def test_bce_right_answer_passes(capsys):
    check_binary_cross_entropy(right_bce)
    assert capsys.readouterr().out.startswith("✔ Right: binary_cross_entropy")


def test_bce_written_with_where_passes(capsys):
    check_binary_cross_entropy(lambda p, t: float(np.mean(-np.log(np.where(t == 1, p, 1 - p)))))
    assert "✔ Right" in capsys.readouterr().out


def test_bce_one_number_per_sample():
    fails_with(check_binary_cross_entropy, lambda p, t: -(t * np.log(p) + (1 - t) * np.log(1 - p)),
               "one number per sample")


@pytest.mark.parametrize("wrong, fragment", [
    (lambda p, t: -right_bce(p, t), "put a minus sign in front"),
    (lambda p, t: -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p)), "SUM over the examples"),
    (lambda p, t: -np.mean(t * np.log(p)), "Only the examples with target 1 count"),
    (lambda p, t: -np.mean((1 - t) * np.log(1 - p)), "Only the examples with target 0 count"),
    (lambda p, t: -np.mean(t * np.log(p) + (1 - t) * np.log(p)), "not p: the second term is (1 − t)·log(1 − p)"),
    (lambda p, t: -np.mean(t * np.log10(p) + (1 - t) * np.log10(1 - p)), "np.log10"),
    (lambda p, t: -np.mean(t * np.log2(p) + (1 - t) * np.log2(1 - p)), "np.log2"),
    (lambda p, t: np.mean((p - t) ** 2), "mean squared error of the probabilities"),
])
def test_bce_typical_mistakes(wrong, fragment):
    fails_with(check_binary_cross_entropy, wrong, "with p = [0.9 , 0.2 , 0.6 , 0.99]", "expected 0.2123", fragment)


def test_bce_with_the_arguments_swapped_is_explained():
    fails_with(check_binary_cross_entropy, lambda p, t: right_bce(t, p),
               "returned inf", "log of the targets", "binary_cross_entropy(p, t)")


def test_bce_wrong_only_for_confident_mistakes_names_the_case():
    def clipped(p, t):
        return right_bce(np.clip(p, 0.02, 0.995), t)

    fails_with(check_binary_cross_entropy, clipped, "p = [0.01 , 0.7  , 0.999]", "expected 4.239")


def test_bce_not_written_yet():
    not_answered(check_binary_cross_entropy, not_written_yet, "binary_cross_entropy is not written yet")


def test_bce_none():
    fails_with(check_binary_cross_entropy, None, "binary_cross_entropy should be a function")


# softmax


def right_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_softmax_right_answer_passes(capsys):
    check_softmax(right_softmax)
    assert capsys.readouterr().out.startswith("✔ Right: softmax")


def test_softmax_with_a_loop_over_rows_passes(capsys):
    def softmax(z):
        rows = []
        for row in z:
            e = np.exp(row - np.max(row))
            rows.append(e / np.sum(e))
        return np.array(rows)

    check_softmax(softmax)
    assert "✔ Right" in capsys.readouterr().out


def test_softmax_without_the_shift_overflows_and_is_explained():
    def naive(z):
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    fails_with(check_softmax, naive, "large weighted sums", "overflows", "z − z.max(axis=1, keepdims=True)")


def test_softmax_shifted_by_the_largest_value_of_the_batch_is_explained():
    def global_shift(z):
        e = np.exp(z - z.max())
        return e / e.sum(axis=1, keepdims=True)

    fails_with(check_softmax, global_shift, "rows of very different sizes", "nan in row 0",
               "largest value of the whole batch")


def test_softmax_over_the_whole_batch():
    def whole_batch(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum()

    fails_with(check_softmax, whole_batch, "a batch of 3 rows", "sum over the whole batch")


def test_softmax_over_the_columns():
    def columns(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)

    fails_with(check_softmax, columns, "for one row", "Each COLUMN sums to 1")


def test_softmax_without_keepdims_raises_and_gets_a_hint():
    def no_keepdims(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1)

    fails_with(check_softmax, no_keepdims, "raised ValueError", "keepdims=True")


def test_softmax_without_keepdims_on_a_square_batch_is_explained():
    def no_keepdims(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / (e.sum(axis=1) if z.shape[0] == z.shape[1] else e.sum(axis=1, keepdims=True))

    fails_with(check_softmax, no_keepdims, "a square batch", "divided by the wrong sums", "keepdims=True")


def test_softmax_shifted_by_the_column_maximum():
    def column_shift(z):
        e = np.exp(z - z.max(axis=0, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    fails_with(check_softmax, column_shift, "shifted by a column's maximum")


def test_softmax_not_normalized():
    fails_with(check_softmax, lambda z: np.exp(z), "not yet normalized")


def test_softmax_without_exp():
    fails_with(check_softmax, lambda z: z / z.sum(axis=1, keepdims=True), "take np.exp")


def test_softmax_for_one_sample_only():
    def first_row(z):
        return right_softmax(z)[0]

    fails_with(check_softmax, first_row, "returned an array of shape (3,); expected (1, 3)")


def test_softmax_other_wrong_values_name_the_index():
    fails_with(check_softmax, lambda z: right_softmax(z) ** 2, "one row", "is wrong at index (0, 0)")


def test_softmax_not_written_yet():
    not_answered(check_softmax, not_written_yet, "softmax is not written yet")


def test_softmax_none():
    fails_with(check_softmax, None, "softmax should be a function")


# chance_loss


def test_chance_loss_right_answer_passes(capsys):
    check_chance_loss(np.log(4))
    check_chance_loss(1.3863)
    assert capsys.readouterr().out.count("✔ Right") == 2


@pytest.mark.parametrize("wrong, fragment", [
    (0.25, "−log of it"), (-np.log(4), "The sign"), (np.log10(4), "log10"), (2.0, "log2"),
    (0.75, "1 − p"), (0.0, "probability 1"), (3.0, "softmax of four equal scores"),
])
def test_chance_loss_typical_mistakes_are_explained(wrong, fragment):
    fails_with(check_chance_loss, wrong, fragment)


def test_chance_loss_not_a_number():
    fails_with(check_chance_loss, "1.39", "one number")


def test_chance_loss_none():
    not_answered(check_chance_loss, None, "chance_loss is still None")
