"""Checks for the exercises of chapter 10, Classifying sounds.

Each check takes the learner's answer, tries it on several inputs and either
prints one line saying it is right or raises `CheckFailed` explaining the first
thing that is wrong. A confusion matrix has one row per true class and one
column per predicted class: entry [t, p] counts the clips of class t that the
model called p.
"""

import numpy as np

from nblib.checks import (
    exercise_check,
    as_numbers,
    call_answer,
    expect_close,
    fail,
    format_value,
    matches,
    passed,
    require_defined,
    require_function,
)


def _labels(values):
    return np.array(values, dtype=int)


# confusion_matrix

CONFUSION_CASES = [
    (_labels([0, 0, 1, 1, 1, 2]), _labels([0, 1, 1, 1, 2, 2]), 3),
    (_labels([1, 0, 1, 1, 0, 1, 0, 1]), _labels([1, 1, 1, 0, 0, 1, 1, 1]), 2),
    (_labels([1, 2, 2, 0, 1]), _labels([1, 1, 2, 1, 1]), 4),
    (np.random.default_rng(10).integers(0, 5, 60), np.random.default_rng(11).integers(0, 5, 60), 5),
]
"""(true, predicted, n_classes) tried by `check_confusion_matrix`. In the third, class 3 never
occurs and class 0 is never predicted; all but the second have repeated (true, predicted) pairs."""


def reference_confusion_matrix(true, predicted, n_classes):
    """Entry [t, p] counts the samples of true class t predicted as p: (n_classes, n_classes) ints."""
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (np.asarray(true), np.asarray(predicted)), 1)
    return matrix


@exercise_check
def check_confusion_matrix(confusion_matrix):
    """Check `confusion_matrix(true, predicted, n_classes)`: counts with true classes down, predictions across."""
    require_function(confusion_matrix, "confusion_matrix")
    for true, predicted, n_classes in CONFUSION_CASES:
        shown = f"true={format_value(true)}, predicted={format_value(predicted)}, n_classes={n_classes}"
        call = f"confusion_matrix({shown})"
        expected = reference_confusion_matrix(true, predicted, n_classes)
        got = as_numbers(call_answer(confusion_matrix, "confusion_matrix", true.copy(), predicted.copy(), n_classes), call)
        if got.shape != expected.shape:
            largest = int(max(true.max(), predicted.max())) + 1
            if got.shape == (largest, largest):
                fail(f"{call} returned shape {got.shape}; expected {expected.shape}. Make the matrix "
                     f"n_classes × n_classes: class {n_classes - 1} never appears in true or predicted here, "
                     "but it still gets its row and its column (of zeros).")
            fail(f"{call} returned shape {got.shape}; expected {expected.shape}: one row per true class and one "
                 "column per predicted class.")
        if matches(got, expected):
            continue
        if matches(got, expected.T):
            fail(f"{call} has rows and columns swapped. Row t should count the clips whose TRUE class is t, "
                 "spread over the columns by what the model predicted: entry [t, p] += 1 for every clip of "
                 "class t predicted as p.")
        if matches(got, expected > 0):
            fail(f"{call} counts each (true, predicted) pair at most once; it should count how often it occurs. "
                 "`matrix[true, predicted] += 1` with arrays of labels does that: numpy applies the += once per "
                 "distinct index, not once per clip. Add one clip at a time in a loop, or use "
                 "np.add.at, which does count repeats.")
        if matches(got * len(true), expected) or matches(got * expected.sum(axis=1, keepdims=True).clip(1), expected):
            fail(f"{call} holds fractions; it should hold counts: how many clips of class t were predicted as p.")
        if matches(np.diag(np.diag(got)), np.diag(np.diag(expected))):
            fail(f"{call} has the right diagonal (the clips classified right) but the wrong counts off the "
                 f"diagonal. Expected {format_value(expected)}.")
        expect_close(got, expected, call)
    passed("confusion_matrix counts every clip in the row of its true class and the column of its predicted "
           "class, repeats and classes that never occur included.")


# per_class_accuracy

ACCURACY_CASES = [
    np.array([[8, 2, 0], [1, 6, 3], [0, 0, 5]]),
    np.array([[3, 1], [2, 4]]),
    np.array([[48, 0, 0, 0], [0, 54, 2, 4], [0, 1, 45, 0], [3, 0, 0, 43]]),
]
"""Confusion matrices tried by `check_per_class_accuracy`; their row sums and column sums differ."""


@exercise_check
def check_per_class_accuracy(per_class_accuracy):
    """Check `per_class_accuracy(matrix)`: for each true class, the fraction of its clips classified right."""
    require_function(per_class_accuracy, "per_class_accuracy")
    for matrix in ACCURACY_CASES:
        call = f"per_class_accuracy({format_value(matrix)})"
        given = matrix.copy()
        got = as_numbers(call_answer(per_class_accuracy, "per_class_accuracy", given), call)
        if not np.array_equal(given, matrix):
            fail(f"{call} changed the matrix it was given. Compute the result in a new array and leave the "
                 "matrix as it was.")
        diagonal = np.diag(matrix)
        expected = diagonal / matrix.sum(axis=1)
        if got.ndim == 0:
            hint = ""
            if np.isclose(got, diagonal.sum() / matrix.sum()):
                hint = " That is the overall accuracy, all classes together."
            fail(f"{call} returned one number, {format_value(got[()])}; it should return one fraction per "
                 f"class, an array of shape ({len(matrix)},).{hint}")
        if got.shape == expected.shape and not matches(got, expected):
            mistakes = [
                (diagonal / matrix.sum(axis=0), (
                    "You divided by the column sums: that is the share of the clips PREDICTED as a class that "
                    "really belong to it (called precision). Per-class accuracy divides each diagonal count by "
                    "its ROW sum, all the clips whose true class it is.")),
                (diagonal / matrix.sum(), (
                    "You divided by the total number of clips. Divide each diagonal count by the number of "
                    "clips of that class, the sum of its row.")),
                (diagonal, "These are the counts of clips classified right; divide each by its row sum."),
                (diagonal // matrix.sum(axis=1), (
                    "Integer division (//) rounds every fraction down to 0 or 1; use / instead.")),
            ]
            for wrong, hint in mistakes:
                if matches(got, wrong):
                    fail(f"{call} returned {format_value(got)}; expected {format_value(expected)}. {hint}")
        expect_close(got, expected, call)
    passed("per_class_accuracy divides each diagonal count by its row sum: for every true class, the share of "
           "its clips the model got right.")


# most_confused


@exercise_check
def check_most_confused(most_confused, matrix, class_names):
    """Check a (true class, predicted class) pair of names: the largest count off the diagonal of `matrix`."""
    require_defined(most_confused, "most_confused", 'a pair of class names (true, predicted), e.g. ("sine", "saw")')
    matrix = np.asarray(matrix)
    names = [str(name) for name in class_names]
    if isinstance(most_confused, str) or not isinstance(most_confused, (tuple, list)) or len(most_confused) != 2:
        fail(f"most_confused should be a pair of class names, (true class, predicted class), such as "
             f'("sine", "saw"); got {format_value(most_confused)}.')
    true_name, predicted_name = most_confused
    for name in most_confused:
        if isinstance(name, (int, np.integer)) and not isinstance(name, bool):
            fail(f"most_confused holds the number {name}; use the class names, such as "
                 f'("{names[0]}", "{names[1]}"), so the answer reads as words.')
        if name not in names:
            fail(f"most_confused holds {format_value(name)}, which is not a class; the classes are "
                 f"{', '.join(names)}.")
    t, p = names.index(true_name), names.index(predicted_name)
    mistakes = matrix.copy()
    np.fill_diagonal(mistakes, -1)
    largest = int(mistakes.max())
    if t == p:
        fail(f'("{true_name}", "{predicted_name}") is a cell on the diagonal: the {matrix[t, t]} {true_name} clips '
             "classified RIGHT. Look for the largest count off the diagonal.")
    if matrix[t, p] == largest:
        tied = int((mistakes == largest).sum())
        also = f" (tied with {tied - 1} other cell{'s' if tied > 2 else ''})" if tied > 1 else ""
        passed(f"the most frequent mistake is hearing a {true_name} as a {predicted_name}: {largest} of the "
               f"{matrix[t].sum()} {true_name} clips{also}.")
        return
    if matrix[p, t] == largest:
        fail(f'("{true_name}", "{predicted_name}") is the right pair in the wrong order. Rows are the true class '
             f"and columns the prediction: the cell in row {true_name}, column {predicted_name} holds "
             f"{matrix[t, p]}; the one in row {predicted_name}, column {true_name} holds {largest}.")
    fail(f"the cell in row {true_name} (true), column {predicted_name} (predicted) holds {matrix[t, p]} "
         f"mistake{'s' if matrix[t, p] != 1 else ''}, but another cell off the diagonal holds {largest}.")
