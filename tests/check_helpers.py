"""Helpers shared by the tests of the exercise checks (tests/test_checks_chapterNN.py)."""

import pytest

from nblib.checks import CheckFailed


def not_written_yet(*args, **kwargs):
    """An answer as a student copy leaves it: nbgrader put `raise NotImplementedError()` there."""
    raise NotImplementedError()


def fails_with(check, answer, *fragments):
    """Run `check(answer)`, expect CheckFailed, and check its message mentions every fragment."""
    with pytest.raises(CheckFailed) as failure:
        check(answer)
    message = str(failure.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


def says_not_answered(check, answer, *fragments, capsys):
    """Run `check(answer)` on a placeholder answer: it must print "Not answered yet" (mentioning
    every fragment) and raise nothing, so the stored book shows no error."""
    check(answer)
    printed = capsys.readouterr().out
    assert printed.startswith("… Not answered yet:"), printed
    for fragment in fragments:
        assert fragment in printed, f"{fragment!r} not in {printed!r}"
    return printed



def not_answered(check, answer, *fragments, args=()):
    """Run `check(answer, *args)` on a placeholder answer (None, or a function raising
    NotImplementedError): it must raise nothing and print one "Not answered yet" line that
    mentions every fragment. Returns the printed text."""
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        check(answer, *args)
    text = printed.getvalue()
    assert text.startswith("… Not answered yet:") and text.count("\n") == 1, text
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in {text!r}"
    return text
