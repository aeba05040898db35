"""Checks for the exercises of chapter 9, Audio features.

Each check takes the learner's answer, tries it on several inputs and either
prints one line saying it is right or raises `CheckFailed` explaining the first
thing that is wrong: a frequency scale upside down, 20·log10 where power needs
10·log10, a floor applied after the logarithm, a partial frame counted, and so on.
"""

import math
import numbers

import numpy as np

from nblib.checks import (
    exercise_check,
    first_mistake,
    CheckFailed,
    as_numbers,
    call_answer,
    expect_close,
    fail,
    format_value,
    matches,
    passed,
    require_function,
)


# Exercise 1: the frequency of a bin.

BIN_CASES = [
    (8, 16_000, 512),
    (1, 16_000, 512),
    (0, 16_000, 512),
    (256, 16_000, 512),
    (10, 44_100, 2048),
    (3, 8_000, 400),
    (np.arange(6), 16_000, 512),
]
"""(k, sample_rate, n_fft): the book's settings first (bin 8 first, where the typical mistakes all differ),
then other rates and sizes, then an array of bins."""


@exercise_check
def check_frequency_of_bin(frequency_of_bin):
    """Check `frequency_of_bin(k, sample_rate, n_fft)`: k · sample_rate / n_fft, in Hz."""
    require_function(frequency_of_bin, "frequency_of_bin")
    for k, sample_rate, n_fft in BIN_CASES:
        call = f"frequency_of_bin({format_value(k)}, {sample_rate}, {n_fft})"
        got = as_numbers(call_answer(frequency_of_bin, "frequency_of_bin", k, sample_rate, n_fft), call)
        expected = k * sample_rate / n_fft
        if matches(got, expected):
            continue
        spacing = sample_rate / n_fft
        hint = first_mistake(got, [
            (k * n_fft / sample_rate, "The fraction is upside down: bins are sample_rate / n_fft Hz apart."),
            ((k + 1) * spacing, "Bins count from 0: bin 0 is 0 Hz, the constant part of the frame."),
            (k * sample_rate / (2 * n_fft), (
                "That is half the right frequency. The n_fft // 2 + 1 bins of rfft run from 0 Hz up to half the "
                "sample rate, so neighbouring bins are (sample_rate / 2) / (n_fft / 2) = sample_rate / n_fft Hz "
                "apart.")),
            (k * sample_rate / (n_fft // 2 + 1), (
                "n_fft // 2 + 1 is how many bins rfft returns, but they cover only 0 Hz to half the sample rate: "
                "neighbouring bins are sample_rate / n_fft Hz apart.")),
            (k * sample_rate / (n_fft // 2), (
                "That is twice the right frequency: the bins cover only 0 Hz to half the sample rate, so they are "
                "sample_rate / n_fft Hz apart.")),
            (np.broadcast_to(spacing, np.shape(k)), (
                "That is the spacing between neighbouring bins; bin k lies k of those steps above 0 Hz.")),
            (k * sample_rate // n_fft, (
                "The answer is rounded to a whole number: use /, not //, since bins need not fall on whole "
                "hertz (31.25 Hz apart in this book).")),
        ])
        if hint:
            fail(f"{call} returned {format_value(got if got.ndim else got[()])}; expected "
                 f"{format_value(expected)}. {hint}")
        expect_close(got, expected, call)
    passed("bin k of an n_fft-point spectrum lies at k · sample_rate / n_fft Hz: with the book's 512-point "
           "frames at 16 kHz the bins are 31.25 Hz apart, and bin 256 is 8000 Hz, the Nyquist frequency.")


# Exercise 2: power in decibels, with a floor.

DECIBEL_CASES = [
    (1.0, 1e-10),
    (100.0, 1e-10),
    (0.001, 1e-10),
    (0.0, 1e-10),
    (1e-10, 1e-10),
    (np.array([1.0, 10.0, 0.5, 0.0, 1e-12]), 1e-10),
    (np.array([[2.0, 0.01], [0.0, 1e3]]), 1e-6),
]
"""(power, floor): single numbers first (including silence and a power at the floor), then arrays."""


def _call_quietly(function, name, *args):
    """`call_answer` with numpy's divide-by-zero warnings silenced (log10(0) is a mistake the check explains)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        try:
            return call_answer(function, name, *args)
        except CheckFailed as failure:
            message = str(failure)
            if "truth value of an array" in message:
                raise CheckFailed(f"{message}. Python's max and min compare whole arrays; np.maximum(power, floor) "
                                  "compares them entry by entry.") from None
            if "math domain error" in message or "only length-1 arrays" in message or "0-dimensional" in message:
                raise CheckFailed(f"{message}. The math module works on single numbers only (and math.log10(0) is "
                                  "an error); numpy's np.log10 and np.maximum work on whole arrays.") from None
            raise


@exercise_check
def check_to_decibels(to_decibels):
    """Check `to_decibels(power, floor)`: 10 · log10 of the power, with powers below `floor` raised to it."""
    require_function(to_decibels, "to_decibels")
    for power, floor in DECIBEL_CASES:
        given = power.copy() if isinstance(power, np.ndarray) else power
        call = f"to_decibels({format_value(power)}, {floor:g})"
        got = as_numbers(_call_quietly(to_decibels, "to_decibels", given, floor), call)
        if isinstance(power, np.ndarray) and not np.array_equal(given, power):
            fail(f"{call} changed the array it was given: afterwards it held {format_value(given)}. "
                 "Compute a new array (np.maximum returns one) instead of writing into `power`.")
        expected = 10 * np.log10(np.maximum(power, floor))
        if matches(got, expected):
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            if np.any(np.isneginf(got)) or np.any(np.isnan(got)):
                fail(f"{call} returned {format_value(got if got.ndim else got[()])}; expected "
                     f"{format_value(expected)}. log10(0) is −infinity: raise every power below the floor up to "
                     "it before taking the logarithm, so silence becomes a finite number of decibels.")
            hint = first_mistake(got, [
                (20 * np.log10(np.maximum(power, floor)), (
                    "20 · log10 is for amplitudes. A spectrogram's entries are powers, |X|², already squared, "
                    "so their decibels are 10 · log10.")),
                (np.log10(np.maximum(power, floor)), "That is in bels; a decibel is a tenth of a bel, so multiply "
                                                     "by 10."),
                (10 * np.log(np.maximum(power, floor)), "np.log is the natural logarithm; decibels use base 10, "
                                                        "np.log10."),
                (np.maximum(10 * np.log10(power), floor), (
                    "The floor is a power, like the input, not a number of decibels: raise the powers to the "
                    "floor first, then take 10 · log10 (a floor of 1e-10 becomes −100 dB).")),
                (10 * np.log10(power + floor), (
                    "Adding the floor changes the powers near it (the floor itself comes out 3 dB too loud); "
                    "replace only the powers below it, with np.maximum(power, floor).")),
                (10 * np.log10(np.maximum(power, 1e-10)), (
                    f"The floor here is {floor:g}, not 1e-10: use the floor you are given.")),
                (np.broadcast_to(10 * np.log10(floor), np.shape(power)), (
                    "Every power came out as the floor: use np.maximum (the larger of the two), not np.minimum.")),
            ])
        if hint:
            fail(f"{call} returned {format_value(got if got.ndim else got[()])}; expected "
                 f"{format_value(expected)}. {hint}")
        expect_close(got, expected, call)
    passed("to_decibels gives 10 · log10(power), with silence held at the floor: every factor of 10 in power "
           "is 10 dB, and a floor of 1e-10 is −100 dB.")


# Exercise 3: how many whole frames fit in a clip.

FRAME_CASES = [
    (8000, 512, 160),
    (512, 512, 160),
    (1000, 400, 160),
    (672, 512, 160),
    (16_000, 400, 160),
    (10, 4, 3),
    (100, 512, 160),
    (9, 4, 2),
]
"""(n_samples, frame_length, hop_length): the book's clip first, exact fits, then a clip shorter than a frame."""


def _frame_count(n_samples, frame_length, hop_length):
    return 0 if n_samples < frame_length else 1 + (n_samples - frame_length) // hop_length


def _as_count(got, call):
    """The count an answer returned, as an int; fails unless it is one whole number."""
    if got is None:
        fail(f"{call} returned None. Did you forget the `return` line at the end of your function?")
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    if isinstance(got, bool) or not isinstance(got, numbers.Real):
        fail(f"{call} returned {format_value(got)}; it should return one whole number, the number of frames.")
    if not math.isfinite(got) or not float(got).is_integer():
        fail(f"{call} returned {format_value(got)}, which is not a whole number. Only whole frames count: a "
             "partial frame at the end is dropped, so round down (// divides and rounds down).")
    return int(got)


@exercise_check
def check_frame_count(frame_count):
    """Check `frame_count(n_samples, frame_length, hop_length)`: the whole frames of a clip, without centring."""
    require_function(frame_count, "frame_count")
    for n_samples, frame_length, hop_length in FRAME_CASES:
        call = f"frame_count({n_samples}, {frame_length}, {hop_length})"
        got = _as_count(call_answer(frame_count, "frame_count", n_samples, frame_length, hop_length), call)
        expected = _frame_count(n_samples, frame_length, hop_length)
        if got == expected:
            continue
        if n_samples < frame_length:
            fail(f"{call} returned {got}; expected 0. The clip of {n_samples} samples is shorter than one frame of "
                 f"{frame_length}, so not a single whole frame fits in it.")
        mistakes = [
            ((n_samples - frame_length) // hop_length, (
                "The first frame is missing: it starts at sample 0, and then one more frame starts every "
                "hop_length samples while it still fits.")),
            (1 + n_samples // hop_length, (
                "That is the count with centring, when the clip is first padded by frame_length // 2 on each "
                "side. Here there is no padding, so the last frame must end inside the clip.")),
            (n_samples // hop_length, (
                "Counting one frame per hop over the whole clip forgets that the last frame needs frame_length "
                "samples, not just hop_length: the frames near the end would run past it.")),
            (math.ceil(n_samples / hop_length), (
                "Counting one frame per hop over the whole clip forgets that the last frame needs frame_length "
                "samples; and only whole frames count, so round down.")),
            (1 + math.ceil((n_samples - frame_length) / hop_length), (
                "That counts a partial frame at the end. Only whole frames count, so round down.")),
            (n_samples // frame_length, (
                "That counts frames side by side. Frames overlap: a new one starts every hop_length samples, "
                "not every frame_length.")),
        ]
        hint = next((text for wrong, text in mistakes if got == wrong), (
            f"The first frame takes samples 0 … {frame_length - 1}; each next frame starts {hop_length} samples "
            "later. Count how many start early enough to end inside the clip."))
        fail(f"{call} returned {got}; expected {expected}. {hint}")
    passed("a clip of n samples holds 1 + (n − frame_length) // hop_length whole frames (none when it is shorter "
           "than a frame): 47 frames for the book's 8000-sample clips, 32 ms long and 10 ms apart.")
