"""nblib.checks: the shared helpers every exercise check is built from."""

import numpy as np
import pytest

from nblib.checks import (
    CheckFailed,
    NotAnswered,
    call_answer,
    exercise_check,
    expect_close,
    fail,
    format_value,
    passed,
    require_defined,
)


def test_passed_prints_one_line(capsys):
    passed("the sum is right.")
    assert capsys.readouterr().out == "✔ Right: the sum is right.\n"


def test_check_failed_is_an_assertion_so_autograders_count_it():
    assert issubclass(CheckFailed, AssertionError)


def test_placeholder_none_is_not_answered_yet():
    with pytest.raises(NotAnswered, match="b_and is still None: in the answer cell above, set it to a number"):
        require_defined(None, "b_and", "a number")
    require_defined(0.0, "b_and", "a number")


def test_unwritten_answer_is_not_answered_yet():
    def stub(x):
        raise NotImplementedError()

    with pytest.raises(NotAnswered, match="stub is not written yet"):
        call_answer(stub, "stub", 1)


@exercise_check
def check_half(value):
    """A check like the chapters' ones: value should be 0.5."""
    require_defined(value, "value", "a number")
    if value != 0.5:
        fail(f"value is {format_value(value)}; expected 0.5.")
    passed("value is one half.")


def test_an_exercise_check_says_not_answered_yet_without_an_error(capsys):
    assert check_half(None) is None
    assert capsys.readouterr().out.startswith("… Not answered yet: value is still None")


def test_an_exercise_check_still_fails_a_wrong_answer_and_passes_a_right_one(capsys):
    with pytest.raises(CheckFailed, match="value is 0.25; expected 0.5"):
        check_half(0.25)
    check_half(0.5)
    assert capsys.readouterr().out == "✔ Right: value is one half.\n"
    assert check_half.__name__ == "check_half" and "0.5" in check_half.__doc__


def test_a_failed_check_shows_its_message_alone_in_a_notebook():
    lines = CheckFailed("first line\nHint: second line")._render_traceback_()
    assert "Not yet right" in lines[0] and lines[0].endswith("first line")
    assert lines[1:] == ["  Hint: second line"]
    assert not any("File" in line or "nblib" in line for line in lines)


def test_an_error_in_the_answer_is_reported_with_the_call():
    def broken(x):
        return x["missing"]

    with pytest.raises(CheckFailed) as raised:
        call_answer(broken, "broken", np.array([1.0, 2.0]))
    assert "broken([1., 2.]) raised IndexError" in str(raised.value)


def test_something_that_is_not_a_function_is_explained():
    with pytest.raises(CheckFailed, match="should be a function"):
        call_answer(3, "weighted_sum")


def test_expect_close_accepts_a_right_answer_and_explains_wrong_ones():
    expect_close([1.0, 2.0], np.array([1.0, 2.0]), "f(x)")
    with pytest.raises(CheckFailed, match=r"shape \(3,\); expected shape \(2,\)"):
        expect_close([1.0, 2.0, 3.0], [1.0, 2.0], "f(x)")
    with pytest.raises(CheckFailed, match=r"wrong at index \(1,\): got 5, expected 2"):
        expect_close([1.0, 5.0], [1.0, 2.0], "f(x)")
    with pytest.raises(CheckFailed, match="returned 0.5; expected 0.25"):
        expect_close(0.5, 0.25, "f(x)")
    with pytest.raises(CheckFailed, match="not a number"):
        expect_close("half", 0.5, "f(x)")


def test_format_value_rounds():
    assert format_value(1 / 3) == "0.3333"
    assert format_value(np.array([1 / 3, 2.0])) == "[0.3333, 2.    ]"
    assert format_value("relu") == "'relu'"


def test_format_value_keeps_small_numbers_visible():
    assert format_value(np.array([1.0, 10.0, 0.5, 1e-10, 0.0])) == "[1, 10, 0.5, 1e-10, 0]"
    assert format_value(1e-10) == "1e-10"


def test_while_nbgrader_grades_an_unanswered_exercise_fails(monkeypatch, capsys):
    from nblib.checks import grading

    assert not grading()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert grading()
    with pytest.raises(CheckFailed, match="Not answered yet: value is still None"):
        check_half(None)
    check_half(0.5)
    assert capsys.readouterr().out == "✔ Right: value is one half.\n"
