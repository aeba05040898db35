"""The exercise checks of chapter 10 accept right answers and explain typical wrong ones."""

import numpy as np
import pytest

from check_helpers import not_answered
from nblib.checks import CheckFailed
from nblib.checks.chapter10 import check_confusion_matrix, check_most_confused, check_per_class_accuracy


def not_written_yet(*args):
    raise NotImplementedError()


def fails_with(check, answer, *fragments, args=()):
    """Run `check(answer, *args)`, expect CheckFailed, and check its message mentions every fragment."""
    with pytest.raises(CheckFailed) as failure:
        check(answer, *args)
    message = str(failure.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


# confusion_matrix


def right_confusion_matrix(true, predicted, n_classes):
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    for t, p in zip(true, predicted):
        matrix[t, p] += 1
    return matrix


def test_confusion_matrix_right_answer_passes(capsys):
    check_confusion_matrix(right_confusion_matrix)
    assert capsys.readouterr().out.startswith("✔ Right: confusion_matrix")


def test_confusion_matrix_with_add_at_and_floats_passes(capsys):
    def confusion_matrix(true, predicted, n_classes):
        matrix = np.zeros((n_classes, n_classes))
        np.add.at(matrix, (true, predicted), 1)
        return matrix

    check_confusion_matrix(confusion_matrix)
    assert "✔ Right" in capsys.readouterr().out


def test_confusion_matrix_with_bincount_passes(capsys):
    def confusion_matrix(true, predicted, n_classes):
        return np.bincount(true * n_classes + predicted, minlength=n_classes**2).reshape(n_classes, n_classes)

    check_confusion_matrix(confusion_matrix)
    assert "✔ Right" in capsys.readouterr().out


def test_confusion_matrix_transposed():
    fails_with(check_confusion_matrix, lambda t, p, n: right_confusion_matrix(t, p, n).T,
               "rows and columns swapped", "TRUE class")


def test_confusion_matrix_with_fancy_indexing_counts_repeats_once():
    def confusion_matrix(true, predicted, n_classes):
        matrix = np.zeros((n_classes, n_classes), dtype=int)
        matrix[true, predicted] += 1
        return matrix

    fails_with(check_confusion_matrix, confusion_matrix, "at most once", "np.add.at")


def test_confusion_matrix_sized_by_the_largest_label():
    def confusion_matrix(true, predicted, n_classes):
        size = max(true.max(), predicted.max()) + 1
        return right_confusion_matrix(true, predicted, size)

    fails_with(check_confusion_matrix, confusion_matrix, "returned shape (3, 3); expected (4, 4)",
               "class 3 never appears", "still gets its row")


def test_confusion_matrix_of_the_wrong_shape():
    fails_with(check_confusion_matrix, lambda t, p, n: right_confusion_matrix(t, p, n)[:, :-1],
               "returned shape (3, 2); expected (3, 3)", "one row per true class")


@pytest.mark.parametrize("normalise", [
    lambda matrix, true: matrix / len(true),
    lambda matrix, true: matrix / matrix.sum(axis=1, keepdims=True),
])
def test_confusion_matrix_with_fractions(normalise):
    fails_with(check_confusion_matrix, lambda t, p, n: normalise(right_confusion_matrix(t, p, n), t),
               "holds fractions", "counts")


def test_confusion_matrix_with_wrong_mistakes_keeps_the_diagonal():
    def confusion_matrix(true, predicted, n_classes):
        matrix = right_confusion_matrix(true, predicted, n_classes)
        return np.diag(np.diag(matrix))

    fails_with(check_confusion_matrix, confusion_matrix, "right diagonal", "wrong counts off the diagonal")


def test_confusion_matrix_otherwise_wrong_names_the_first_difference():
    fails_with(check_confusion_matrix, lambda t, p, n: right_confusion_matrix(t, p, n) * 2, "is wrong at index")


def test_confusion_matrix_without_return():
    fails_with(check_confusion_matrix, lambda t, p, n: None, "returned None", "return")


def test_confusion_matrix_raising_names_the_call():
    fails_with(check_confusion_matrix, lambda t, p, n: np.zeros((n, n))[t, p, n], "raised IndexError")


def test_confusion_matrix_not_written_yet():
    not_answered(check_confusion_matrix, not_written_yet, "confusion_matrix is not written yet")


def test_confusion_matrix_none():
    fails_with(check_confusion_matrix, None, "confusion_matrix should be a function")


# per_class_accuracy


def right_per_class_accuracy(matrix):
    return np.diag(matrix) / matrix.sum(axis=1)


def test_per_class_accuracy_right_answer_passes(capsys):
    check_per_class_accuracy(right_per_class_accuracy)
    assert capsys.readouterr().out.startswith("✔ Right: per_class_accuracy")


def test_per_class_accuracy_as_a_list_passes(capsys):
    check_per_class_accuracy(lambda m: [m[i, i] / sum(m[i]) for i in range(len(m))])
    assert "✔ Right" in capsys.readouterr().out


@pytest.mark.parametrize("answer, fragment", [
    (lambda m: np.diag(m) / m.sum(axis=0), "column sums"),
    (lambda m: np.diag(m) / m.sum(), "total number of clips"),
    (lambda m: np.diag(m), "counts of clips classified right"),
    (lambda m: np.diag(m) // m.sum(axis=1), "Integer division"),
])
def test_per_class_accuracy_typical_mistakes(answer, fragment):
    fails_with(check_per_class_accuracy, answer, "expected [0.8, 0.6, 1. ]", fragment)


def test_per_class_accuracy_returning_the_overall_accuracy():
    fails_with(check_per_class_accuracy, lambda m: np.trace(m) / m.sum(), "returned one number",
               "one fraction per class", "overall accuracy")


def test_per_class_accuracy_returning_one_other_number():
    message = fails_with(check_per_class_accuracy, lambda m: 0.5, "returned one number", "shape (3,)")
    assert "overall accuracy" not in message


def test_per_class_accuracy_changing_the_matrix():
    def per_class_accuracy(matrix):
        matrix[0, 0] = 0
        return right_per_class_accuracy(matrix)

    fails_with(check_per_class_accuracy, per_class_accuracy, "changed the matrix")


def test_per_class_accuracy_of_the_wrong_shape():
    fails_with(check_per_class_accuracy, lambda m: np.diag(m)[:, None] / m.sum(axis=1), "shape (3, 3)",
               "expected shape (3,)")


def test_per_class_accuracy_otherwise_wrong():
    fails_with(check_per_class_accuracy, lambda m: 1 - right_per_class_accuracy(m), "is wrong at index (0,)")


def test_per_class_accuracy_without_return():
    fails_with(check_per_class_accuracy, lambda m: None, "returned None")


def test_per_class_accuracy_not_written_yet():
    not_answered(check_per_class_accuracy, not_written_yet, "per_class_accuracy is not written yet")


def test_per_class_accuracy_none():
    fails_with(check_per_class_accuracy, None, "per_class_accuracy should be a function")


# most_confused

NAMES = ["sine", "square", "saw", "triangle"]
MATRIX = np.array([[42, 4, 0, 2], [3, 49, 3, 5], [0, 2, 43, 1], [4, 1, 1, 40]])


@pytest.mark.parametrize("answer", [("square", "triangle"), ["square", "triangle"]])
def test_most_confused_right_answer_passes(answer, capsys):
    check_most_confused(answer, MATRIX, NAMES)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right:") and "square as a triangle: 5 of the 60 square clips." in out


def test_most_confused_accepts_any_of_tied_cells(capsys):
    tied = MATRIX.copy()
    tied[0, 1] = 5
    check_most_confused(("sine", "square"), tied, NAMES)
    assert "tied with 1 other cell" in capsys.readouterr().out


def test_most_confused_works_with_numpy_names(capsys):
    check_most_confused((np.str_("square"), np.str_("triangle")), MATRIX, np.array(NAMES))
    assert "✔ Right" in capsys.readouterr().out


def test_most_confused_in_the_wrong_order():
    fails_with(check_most_confused, ("triangle", "square"), "right pair in the wrong order",
               "row triangle, column square holds 1", args=(MATRIX, NAMES))


def test_most_confused_a_smaller_mistake():
    fails_with(check_most_confused, ("sine", "square"), "row sine (true), column square (predicted) holds 4",
               "holds 5", args=(MATRIX, NAMES))


def test_most_confused_a_diagonal_cell():
    fails_with(check_most_confused, ("square", "square"), "on the diagonal", "49 square clips classified RIGHT",
               args=(MATRIX, NAMES))


def test_most_confused_an_unknown_name():
    fails_with(check_most_confused, ("square", "sawtooth"), "'sawtooth', which is not a class",
               "sine, square, saw, triangle", args=(MATRIX, NAMES))


def test_most_confused_as_numbers():
    fails_with(check_most_confused, (1, 3), "the number 1", "class names", args=(MATRIX, NAMES))


@pytest.mark.parametrize("answer", ["square", ("square",), ("square", "triangle", "sine"), 5])
def test_most_confused_not_a_pair(answer):
    fails_with(check_most_confused, answer, "should be a pair of class names", args=(MATRIX, NAMES))


def test_most_confused_none():
    not_answered(check_most_confused, None, "most_confused is still None", args=(MATRIX, NAMES))
