"""The checks of chapter 12's exercises: right answers pass, typical mistakes get a useful message,
placeholders say 'not answered yet'."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from check_helpers import fails_with, not_written_yet, says_not_answered
from nblib.checks.chapter12 import check_conv_parameters, check_find_pattern


def test_conv_parameters_right_answer_passes(capsys):
    check_conv_parameters(7 * 40 * 64 + 64)
    assert capsys.readouterr().out.startswith("✔ Right: 7 × 40 × 64 = 17920 weights and 64 biases")


def test_conv_parameters_typical_mistakes_are_explained():
    fails_with(check_conv_parameters, 7 * 40 * 64, "each filter also has one bias")
    fails_with(check_conv_parameters, 7 * 40 + 1, "one filter; the layer has 64")
    fails_with(check_conv_parameters, 51 * 7 * 40 * 64 + 64, "shared by every frame")
    fails_with(check_conv_parameters, 51 * 40 * 51 * 64 + 51 * 64, "dense layer")
    fails_with(check_conv_parameters, 12345, "Count the weights of one filter")
    fails_with(check_conv_parameters, "17984", "whole number")


def test_conv_parameters_placeholder_is_not_answered(capsys):
    says_not_answered(check_conv_parameters, None, "n_parameters is still None", capsys=capsys)


def find_pattern(signal, pattern):
    return int(np.argmax(sliding_window_view(signal, len(pattern)) @ pattern))


def test_find_pattern_right_answer_passes(capsys):
    check_find_pattern(find_pattern)
    assert capsys.readouterr().out.startswith("✔ Right:")


def test_find_pattern_with_a_loop_passes_too(capsys):
    def by_loop(signal, pattern):
        scores = [sum(signal[i + j] * pattern[j] for j in range(len(pattern))) for i in range(len(signal) - len(pattern) + 1)]
        return scores.index(max(scores))

    check_find_pattern(by_loop)
    assert capsys.readouterr().out.startswith("✔ Right:")


def test_find_pattern_typical_mistakes_are_explained():
    fails_with(check_find_pattern, lambda s, p: sliding_window_view(s, len(p)) @ p, "return only the index")
    fails_with(check_find_pattern, lambda s, p: find_pattern(s, p) + len(p) - 1, "STARTS")
    fails_with(check_find_pattern, lambda s, p: int(np.argmax(np.abs(sliding_window_view(s, len(p)) @ p))), "largest dot product")
    fails_with(check_find_pattern, lambda s, p: find_pattern(s, p[::-1]), "reversed")
    fails_with(check_find_pattern, lambda s, p: 0, "returned 0; expected 17")
    fails_with(check_find_pattern, lambda s, p: s[0], "whole number")
    fails_with(check_find_pattern, lambda s, p: 1 / 0, "ZeroDivisionError")


def test_find_pattern_placeholder_is_not_answered(capsys):
    says_not_answered(check_find_pattern, not_written_yet, "find_pattern is not written yet", capsys=capsys)
