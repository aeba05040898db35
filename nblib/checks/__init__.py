"""Exercise checks that explain what is wrong.

Used from chapter 1 on; each chapter's checks live in `nblib.checks.chapterNN`.

A check runs the learner's answer against reference behaviour. When the answer
is right it prints one line that says so. When it is not, it raises
`CheckFailed` (an AssertionError, so autograders count it as failed) with a
message about the *first* thing that is wrong: a wrong shape, a wrong value at
a named input, an error raised by the answer. A check never shows the answer's
code; it may show the value it expected for a given input.
"""

import numpy as np


class CheckFailed(AssertionError):
    """The answer is not right yet; the message says what to look at."""


def passed(message):
    """Say that an answer is right."""
    print(f"✔ Right: {message}")


def fail(message):
    """Stop the check with a message that explains what is wrong."""
    raise CheckFailed(message)


def format_value(value):
    """A value written briefly and with rounded numbers, for messages."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=12, edgeitems=3):
            return np.array2string(value, separator=", ")
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    text = repr(value)
    if " at 0x" in text:  # an object without a readable value (a random generator, a function, ...)
        return f"<{type(value).__name__}>"
    return text


def require_defined(value, name, what):
    """Fail if an answer variable still holds the placeholder None."""
    if value is None:
        fail(f"{name} is still None: set it to {what}.")


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
        fail(f"{name} is not written yet: replace `raise NotImplementedError()` with your code.")
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
