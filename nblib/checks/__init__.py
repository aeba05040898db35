"""Exercise checks that explain what is wrong.

Used from chapter 1 on; each chapter's checks live in `nblib.checks.chapterNN`.

A check runs the learner's answer against reference behaviour and ends in one of
three ways:

- right: it prints one line that says so ("✔ Right: ...");
- not answered yet (the answer cell still holds its placeholder: None, or a
  function that raises NotImplementedError): it prints a friendly line saying
  where to write, and the cell runs without an error;
- not yet right: it raises `CheckFailed` (an AssertionError, so autograders
  count it as failed) with a message about the *first* thing that is wrong: a
  wrong shape, a wrong value at a named input, an error raised by the answer.
  In a notebook the reader sees only that message, not the check's code.

A check never shows the answer's code; it may show the value it expected for a
given input. Every public check is wrapped in `exercise_check`.
"""

import functools
import os

import numpy as np


class CheckFailed(AssertionError):
    """The answer is not right yet; the message says what to look at.

    In IPython the error shows as its message alone, marked "Not yet right",
    instead of a traceback through the check's own code.
    """

    def _render_traceback_(self):
        lines = str(self).splitlines() or [""]
        return [f"\x1b[1;31m✘ Not yet right:\x1b[0m {lines[0]}"] + [f"  {line}" for line in lines[1:]]


class NotAnswered(Exception):
    """The answer cell still holds its placeholder; the message says what to write there."""

    def _render_traceback_(self):
        return [f"… Not answered yet: {self}"]


def exercise_check(check):
    """Wrap a check so that an unanswered exercise prints a friendly line instead of failing.

    A wrong answer still raises `CheckFailed`. (An autograder scores an unanswered
    exercise 0 through the plain hidden test that follows the check in its cell.)
    """

    @functools.wraps(check)
    def run(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        except NotAnswered as reason:
            if grading():
                raise CheckFailed(f"Not answered yet: {reason}") from None
            print(f"… Not answered yet: {reason}")
            return None

    return run


def grading():
    """True while nbgrader autogrades or validates a notebook (it sets NBGRADER_EXECUTION).

    Then an unanswered exercise fails its check, and the hidden tests of a check cell,
    which start with `if grading():`, run; in the book they stay quiet.
    """
    return os.environ.get("NBGRADER_EXECUTION", "") in ("autograde", "validate")


def passed(message):
    """Say that an answer is right."""
    print(f"✔ Right: {message}")


def fail(message):
    """Stop the check with a message that explains what is wrong."""
    raise CheckFailed(message)


def format_number(number):
    """One number with 4 significant digits: 0.3333, 1e-10, -2.5."""
    return f"{float(number):.4g}"


def _hides_small_or_large(array):
    """True if numpy's short fixed-point printing would show some value wrongly (1e-10 as 0, 1e9 as 1.e+09 mixes)."""
    magnitudes = np.abs(array[np.isfinite(array) & (array != 0)])
    return magnitudes.size > 0 and bool((magnitudes.min() < 5e-5) or (magnitudes.max() >= 1e8))


def format_value(value):
    """A value written briefly and with rounded numbers, for messages.

    Small numbers keep their size (1e-10, not 0), so a message shows what changed.
    """
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and _hides_small_or_large(value):
            with np.printoptions(threshold=12, edgeitems=3, formatter={"float_kind": format_number}):
                return np.array2string(value, separator=", ")
        with np.printoptions(precision=4, suppress=True, threshold=12, edgeitems=3):
            return np.array2string(value, separator=", ")
    if isinstance(value, (float, np.floating)):
        return format_number(value)
    text = repr(value)
    if " at 0x" in text:  # an object without a readable value (a random generator, a function, ...)
        return f"<{type(value).__name__}>"
    return text


def require_defined(value, name, what):
    """Stop the check as "not answered yet" if an answer variable still holds the placeholder None."""
    if value is None:
        raise NotAnswered(f"{name} is still None: in the answer cell above, set it to {what}, then run this cell again.")


def require_function(function, name):
    """Fail unless `function` can be called."""
    if not callable(function):
        fail(f"{name} should be a function you define with `def {name}(...)`; got {type(function).__name__}.")


def call_answer(function, name, *args):
    """Call the learner's function, turning any error it raises into a readable failure."""
    require_function(function, name)
    shown = ", ".join(format_value(arg) for arg in args)
    try:
        return function(*args)
    except NotImplementedError:
        raise NotAnswered(
            f"{name} is not written yet: in the answer cell above, replace `raise NotImplementedError(...)` "
            "with your code, run that cell, then run this cell again."
        ) from None
    except Exception as error:  # the learner's code may raise anything; report it, do not crash
        fail(f"{name}({shown}) raised {type(error).__name__}: {error}")


def matches(got, expected, rtol=1e-6, atol=1e-9):
    """True if `got` is numbers with the shape of `expected` and, up to rounding, its values."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(expected) and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def first_mistake(got, mistakes):
    """The hint of the first typical mistake whose result `got` matches, or None.

    mistakes: (wrong result, hint) pairs. A wrong result may be given as a function that
    computes it; one that cannot even run for these inputs (a ValueError) is skipped.
    """
    for wrong, hint in mistakes:
        if callable(wrong):
            try:
                wrong = wrong()
            except ValueError:
                continue
        if matches(got, wrong):
            return hint
    return None


def as_numbers(got, call):
    """`got` as a float array; fails with a readable message when it is None or not numbers."""
    if got is None:
        fail(f"{call} returned None. Did you forget the `return` line at the end of your function?")
    try:
        return np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(f"{call} returned {format_value(got)}, which is not a number or an array of numbers.")


def expect_close(got, expected, call, rtol=1e-6, atol=1e-9):
    """Fail unless `got` has the shape and values of `expected`; `call` says what produced it."""
    expected = np.asarray(expected, dtype=float)
    try:
        got_array = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        fail(f"{call} returned {format_value(got)}, which is not a number or an array of numbers.")
    if got_array.shape != expected.shape:
        fail(
            f"{call} returned an array of shape {got_array.shape}; expected shape {expected.shape}. "
            f"Expected value: {format_value(expected)}."
        )
    if not np.allclose(got_array, expected, rtol=rtol, atol=atol):
        if expected.ndim == 0:
            fail(f"{call} returned {format_value(got_array[()])}; expected {format_value(expected[()])}.")
        wrong = tuple(int(i) for i in np.argwhere(~np.isclose(got_array, expected, rtol=rtol, atol=atol))[0])
        fail(
            f"{call} is wrong at index {wrong}: got {format_value(got_array[wrong])}, "
            f"expected {format_value(expected[wrong])}."
        )
