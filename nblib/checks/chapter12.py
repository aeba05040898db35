"""Checks for the exercises of chapter 12, Convolution.

Each check takes the learner's answer and either prints one line saying it is right,
prints "Not answered yet" while the answer cell still holds its placeholder, or raises
`CheckFailed` explaining the first thing that is wrong.
"""

import numbers

import numpy as np

from nblib.checks import call_answer, exercise_check, fail, format_value, passed, require_defined

CONV_LAYER = dict(n_channels=40, n_filters=64, kernel_size=7)
"""The layer of exercise 1: Conv1D(40, 64, kernel_size=7) on 51 frames of 40 mel bands."""


@exercise_check
def check_conv_parameters(n_parameters):
    """Exercise 1: how many numbers Conv1D(40 channels, 64 filters, kernel_size 7) learns."""
    require_defined(n_parameters, "n_parameters", "a whole number")
    if isinstance(n_parameters, bool) or not isinstance(n_parameters, numbers.Number):
        fail(f"n_parameters should be a whole number; got {format_value(n_parameters)}.")
    channels, filters, kernel = CONV_LAYER["n_channels"], CONV_LAYER["n_filters"], CONV_LAYER["kernel_size"]
    weights = kernel * channels * filters
    right = weights + filters
    if n_parameters == right:
        passed(f"{kernel} × {channels} × {filters} = {weights} weights and {filters} biases: {right} numbers, "
               "whether a word lasts 51 frames or 500.")
        return
    hints = {
        weights: "that counts the weights; each filter also has one bias.",
        weights + kernel * filters: "there is one bias per filter, not one per frame of the kernel.",
        kernel * channels + 1: "that is one filter; the layer has 64 of them.",
        51 * weights + filters: "the kernel is shared by every frame: the length of the input does not count.",
        51 * channels * 51 * filters + 51 * filters: "that is a dense layer from 51 × 40 inputs to 51 × 64 outputs; "
                                                     "a convolution shares one kernel along time.",
    }
    fail(f"n_parameters = {format_value(n_parameters)} is not right. "
         + hints.get(n_parameters, "Count the weights of one filter (frames × channels), times the number of "
                                   "filters, then add one bias per filter."))


def _reference_find_pattern(signal, pattern):
    windows = np.lib.stride_tricks.sliding_window_view(signal, len(pattern))
    return int(np.argmax(windows @ pattern))


@exercise_check
def check_find_pattern(find_pattern):
    """Exercise 2: find_pattern(signal, pattern) returns the start of the window whose dot product
    with the pattern is largest (one filter slid along a waveform, 'valid' windows only)."""
    rng = np.random.default_rng(12)
    click = np.array([0.0, 1.0, -1.0, 0.5])
    cases = []
    for length, start in ((40, 17), (25, 0), (30, 26)):  # in the middle, at the start, at the very end
        signal = 0.1 * rng.normal(size=length)
        signal[start:start + len(click)] += click
        cases.append((signal, click, start))
    edge = np.array([1.0, 1.0, -1.0, -1.0])
    signal = 0.1 * rng.normal(size=40)  # the edge at 5, and a louder edge upside down at 25
    signal[5:9] += edge
    signal[25:29] -= 1.5 * edge
    cases.append((signal, edge, 5))
    signal = rng.normal(size=60)
    pattern = rng.normal(size=7)
    cases.append((signal, pattern, _reference_find_pattern(signal, pattern)))
    for signal, pattern, expected in cases:
        call = f"find_pattern(signal, pattern) with a signal of {len(signal)} samples and a pattern of {len(pattern)}"
        got = call_answer(find_pattern, "find_pattern", signal.copy(), pattern.copy())
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (numbers.Integral, np.integer)):
            if isinstance(got, np.ndarray) and got.ndim == 1:
                fail(f"{call} returned an array of {len(got)} numbers; return only the index (an int) of the "
                     "largest one, e.g. with np.argmax.")
            fail(f"{call} returned {format_value(got)}; expected a whole number, the index where the best window starts.")
        if got == expected:
            continue
        windows = np.lib.stride_tricks.sliding_window_view(signal, len(pattern))
        if int(np.argmax(np.abs(windows @ pattern))) == got:
            fail(f"{call} returned {got}; expected {expected}. Look for the largest dot product, not the largest size: "
                 "a window that is the pattern upside down gives a large negative number.")
        if got == int(np.argmax(windows @ pattern[::-1])):
            fail(f"{call} returned {got}; expected {expected}. The pattern seems reversed: compare window sample j "
                 "with pattern sample j.")
        if got == expected + (len(pattern) - 1) // 2 or got == expected + len(pattern) - 1:
            fail(f"{call} returned {got}; expected {expected}: return where the best window STARTS, not its middle or end.")
        fail(f"{call} returned {got}; expected {expected}, where the window signal[{expected}:{expected + len(pattern)}] "
             "has the largest dot product with the pattern.")
    passed("one pattern slid along the waveform finds each click, at the start, the middle and the very end.")
