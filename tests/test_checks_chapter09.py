"""The exercise checks of chapter 9 accept right answers and explain typical wrong ones."""

import math

import numpy as np

from nblib.audio.features import frames, power_to_db
from nblib.checks.chapter09 import check_frame_count, check_frequency_of_bin, check_to_decibels
from check_helpers import fails_with, not_written_yet, not_answered


# frequency_of_bin


def test_frequency_of_bin_right_answer_passes(capsys):
    check_frequency_of_bin(lambda k, sample_rate, n_fft: k * sample_rate / n_fft)
    assert capsys.readouterr().out.startswith("✔ Right: bin k")


def test_frequency_of_bin_with_rfftfreq_passes(capsys):
    check_frequency_of_bin(lambda k, sample_rate, n_fft: np.fft.rfftfreq(n_fft, 1 / sample_rate)[k])
    assert "✔ Right" in capsys.readouterr().out


def test_frequency_of_bin_upside_down():
    fails_with(check_frequency_of_bin, lambda k, sr, n: k * n / sr, "frequency_of_bin(8, 16000, 512) returned 0.256",
               "expected 250.", "upside down")


def test_frequency_of_bin_counting_from_1():
    fails_with(check_frequency_of_bin, lambda k, sr, n: (k + 1) * sr / n, "returned 281.2", "Bins count from 0")


def test_frequency_of_bin_half_the_frequency():
    fails_with(check_frequency_of_bin, lambda k, sr, n: k * sr / (2 * n), "returned 125;", "half the right frequency")


def test_frequency_of_bin_dividing_by_the_number_of_bins():
    fails_with(check_frequency_of_bin, lambda k, sr, n: k * sr / (n // 2 + 1), "how many bins rfft returns")


def test_frequency_of_bin_dividing_by_half_the_frame():
    fails_with(check_frequency_of_bin, lambda k, sr, n: k * sr / (n // 2), "returned 500;", "twice the right")


def test_frequency_of_bin_forgetting_k():
    fails_with(check_frequency_of_bin, lambda k, sr, n: sr / n, "returned 31.25", "spacing between neighbouring bins")


def test_frequency_of_bin_with_integer_division():
    fails_with(check_frequency_of_bin, lambda k, sr, n: k * sr // n, "frequency_of_bin(1, 16000, 512) returned 31;",
               "use /, not //")


def test_frequency_of_bin_that_fails_for_arrays():
    fails_with(check_frequency_of_bin, lambda k, sr, n: float(k) * sr / n,
               "frequency_of_bin([0, 1, 2, 3, 4, 5], 16000, 512) raised TypeError")


def test_frequency_of_bin_other_wrong_value():
    fails_with(check_frequency_of_bin, lambda k, sr, n: k * sr / n + 1, "returned 251; expected 250.")


def test_frequency_of_bin_without_return():
    fails_with(check_frequency_of_bin, lambda k, sr, n: None, "returned None", "`return` line")


def test_frequency_of_bin_not_written_yet():
    not_answered(check_frequency_of_bin, not_written_yet, "frequency_of_bin is not written yet")


def test_frequency_of_bin_not_a_function():
    fails_with(check_frequency_of_bin, None, "frequency_of_bin should be a function")


# to_decibels


def right_to_decibels(power, floor):
    return 10 * np.log10(np.maximum(power, floor))


def test_to_decibels_right_answer_passes(capsys):
    check_to_decibels(right_to_decibels)
    assert capsys.readouterr().out.startswith("✔ Right: to_decibels")


def test_to_decibels_with_nblib_and_with_clip_passes(capsys):
    check_to_decibels(lambda power, floor: power_to_db(power, floor))
    check_to_decibels(lambda power, floor: 10 * np.log10(np.clip(power, floor, None)))
    assert capsys.readouterr().out.count("✔ Right") == 2


def test_to_decibels_with_20_log10():
    fails_with(check_to_decibels, lambda p, floor: 20 * np.log10(np.maximum(p, floor)), "to_decibels(100, 1e-10)",
               "returned 40; expected 20.", "20 · log10 is for amplitudes")


def test_to_decibels_in_bels():
    fails_with(check_to_decibels, lambda p, floor: np.log10(np.maximum(p, floor)), "in bels")


def test_to_decibels_with_the_natural_logarithm():
    fails_with(check_to_decibels, lambda p, floor: 10 * np.log(np.maximum(p, floor)), "natural logarithm")


def test_to_decibels_without_the_floor_gives_minus_infinity():
    message = fails_with(check_to_decibels, lambda p, floor: 10 * np.log10(p), "to_decibels(0, 1e-10)", "-inf",
                         "expected -100.", "log10(0) is −infinity")
    assert "RuntimeWarning" not in message


def test_to_decibels_without_the_floor_raises_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fails_with(check_to_decibels, lambda p, floor: 10 * np.log10(p), "log10(0) is −infinity")


def test_to_decibels_with_the_floor_in_decibels():
    fails_with(check_to_decibels, lambda p, floor: np.maximum(10 * np.log10(p), floor),
               "to_decibels(0.001, 1e-10) returned 1e-10; expected -30.", "The floor is a power")


def test_to_decibels_adding_the_floor():
    fails_with(check_to_decibels, lambda p, floor: 10 * np.log10(p + floor), "to_decibels(1e-10, 1e-10)",
               "Adding the floor")


def test_to_decibels_with_a_fixed_floor():
    fails_with(check_to_decibels, lambda p, floor: 10 * np.log10(np.maximum(p, 1e-10)), "The floor here is 1e-06")


def test_to_decibels_with_minimum():
    fails_with(check_to_decibels, lambda p, floor: 10 * np.log10(np.minimum(p, floor)), "not np.minimum")


def test_to_decibels_with_python_max():
    fails_with(check_to_decibels, lambda p, floor: 10 * np.log10(max(p, floor)), "raised ValueError: The truth value",
               "Python's max and min compare whole arrays; np.maximum(power, floor) compares them entry by entry")


def test_to_decibels_with_the_math_module():
    fails_with(check_to_decibels, lambda p, floor: 10 * math.log10(p), "to_decibels(0, 1e-10) raised ValueError: math domain error.",
               "The math module works on single numbers only")


def test_to_decibels_changing_its_input():
    def to_decibels(power, floor):
        if isinstance(power, np.ndarray):
            power[power < floor] = floor
            return 10 * np.log10(power)
        return 10 * np.log10(max(power, floor))

    fails_with(check_to_decibels, to_decibels, "changed the array it was given", "np.maximum returns one")


def test_to_decibels_other_wrong_value():
    fails_with(check_to_decibels, lambda p, floor: right_to_decibels(p, floor) - 1,
               "to_decibels(1, 1e-10) returned -1; expected 0.")


def test_to_decibels_without_return():
    fails_with(check_to_decibels, lambda p, floor: None, "returned None")


def test_to_decibels_not_written_yet():
    not_answered(check_to_decibels, not_written_yet, "to_decibels is not written yet")


def test_to_decibels_not_a_function():
    fails_with(check_to_decibels, None, "to_decibels should be a function")


# frame_count


def right_frame_count(n_samples, frame_length, hop_length):
    if n_samples < frame_length:
        return 0
    return 1 + (n_samples - frame_length) // hop_length


def test_frame_count_right_answer_passes(capsys):
    check_frame_count(right_frame_count)
    assert capsys.readouterr().out.startswith("✔ Right: a clip of n samples")


def test_frame_count_agrees_with_nblib_frames():
    for n_samples, frame_length, hop_length in [(8000, 512, 160), (672, 512, 160), (1000, 400, 160), (9, 4, 2)]:
        cut = frames(np.zeros(n_samples), frame_length, hop_length, center=False)
        assert right_frame_count(n_samples, frame_length, hop_length) == cut.shape[0]


def test_frame_count_with_max_and_a_float_that_is_whole_passes(capsys):
    check_frame_count(lambda n, length, hop: float(max(0, 1 + (n - length) // hop)))
    assert "✔ Right" in capsys.readouterr().out


def test_frame_count_without_the_first_frame():
    fails_with(check_frame_count, lambda n, length, hop: (n - length) // hop,
               "frame_count(8000, 512, 160) returned 46; expected 47", "first frame is missing")


def test_frame_count_with_centring():
    fails_with(check_frame_count, lambda n, length, hop: 1 + n // hop, "returned 51", "count with centring")


def test_frame_count_one_frame_per_hop():
    fails_with(check_frame_count, lambda n, length, hop: n // hop, "returned 50",
               "the last frame needs frame_length samples, not just hop_length")


def test_frame_count_with_a_partial_frame():
    fails_with(check_frame_count, lambda n, length, hop: 1 + math.ceil((n - length) / hop), "returned 48",
               "partial frame at the end")


def test_frame_count_side_by_side():
    fails_with(check_frame_count, lambda n, length, hop: n // length, "returned 15", "Frames overlap")


def test_frame_count_not_rounded():
    fails_with(check_frame_count, lambda n, length, hop: 1 + (n - length) / hop, "returned 47.8",
               "not a whole number", "round down")


def test_frame_count_shorter_than_a_frame():
    fails_with(check_frame_count, lambda n, length, hop: 1 + (n - length) // hop,
               "frame_count(100, 512, 160) returned -2; expected 0", "shorter than one frame")


def test_frame_count_other_wrong_value():
    fails_with(check_frame_count, lambda n, length, hop: right_frame_count(n, length, hop) + 2,
               "returned 49; expected 47", "Count how many start early enough")


def test_frame_count_returning_an_array():
    fails_with(check_frame_count, lambda n, length, hop: np.array([47, 1]), "one whole number")


def test_frame_count_without_return():
    fails_with(check_frame_count, lambda n, length, hop: None, "returned None", "`return` line")


def test_frame_count_not_written_yet():
    not_answered(check_frame_count, not_written_yet, "frame_count is not written yet")


def test_frame_count_not_a_function():
    fails_with(check_frame_count, None, "frame_count should be a function")
