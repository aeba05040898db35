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
