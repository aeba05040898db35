"""Checks for the exercises of chapter 13, Your voice."""

from pathlib import Path

import numpy as np

from nblib.checks import (NotAnswered, call_answer, exercise_check, fail, first_mistake, format_value, passed,
                          require_defined)

SPEAKERS = ("george", "jackson")
TEST_INDICES = range(5)
"""Recordings 0–4 of every digit and speaker: the spoken digits' own test set."""

PEAK_CASES = [
    [0.5, -1.0, 0.25],
    [0.1, -0.05],
    np.array([0.0, 0.0, -0.5, 0.0]),
    np.full(8000, 0.001),
]


def reference_peak_dbfs(samples):
    peak = np.max(np.abs(np.asarray(samples, dtype=float)))
    return -np.inf if peak == 0 else 20 * np.log10(peak)


@exercise_check
def check_peak_dbfs(peak_dbfs):
    """peak_dbfs(samples): the loudest sample in dB below full scale; -inf for silence."""
    for samples in PEAK_CASES:
        shown = format_value(np.asarray(samples, dtype=float))
        got = call_answer(peak_dbfs, "peak_dbfs", samples)
        expected = reference_peak_dbfs(samples)
        try:
            value = float(got)
        except (TypeError, ValueError):
            fail(f"peak_dbfs({shown}) returned {format_value(got)}; it should return one number in dB.")
        if not np.isclose(value, expected, atol=1e-6):
            array = np.abs(np.asarray(samples, dtype=float))
            hint = first_mistake(value, [
                (lambda: 20 * np.log10(np.max(np.asarray(samples, dtype=float))),
                 "a negative sample is as loud as a positive one: take the absolute value first."),
                (lambda: 10 * np.log10(array.max()), "amplitudes use 20 · log10 (10 · log10 is for power)."),
                (lambda: 20 * np.log10(array.mean()), "the peak is the largest absolute sample, not the mean."),
                (lambda: np.log10(array.max()), "decibels are 20 · log10 of the amplitude."),
                (array.max(), "that is the peak itself; give it in decibels, 20 · log10(peak)."),
            ])
            fail(f"peak_dbfs({shown}) returned {format_value(value)}; expected {format_value(expected)}."
                 + (f" Hint: {hint}" if hint else ""))
    silence = call_answer(peak_dbfs, "peak_dbfs", np.zeros(100))
    try:
        silent = float(silence)
    except (TypeError, ValueError):
        silent = None
    if silent is None or not np.isneginf(silent):
        fail(f"peak_dbfs(np.zeros(100)) returned {format_value(silence)}; for silence it should return -np.inf "
             "(the logarithm of 0), without a warning: test for a peak of 0 first.")
    passed("the loudest sample in dBFS, and -inf for silence: the microphone's 'silent' check uses this.")


def _test_files(folder):
    return [(speaker, Path(folder) / f"{digit}_{speaker}_{index}.wav")
            for speaker in SPEAKERS for digit in range(10) for index in TEST_INDICES]


@exercise_check
def check_speaker_trainer(voices, folder):
    """voices: a trained SoundTrainer that tells George from Jackson, trained without recordings 0–4."""
    from nblib.widgets.sound_trainer import SoundTrainer

    require_defined(voices, "voices", "a SoundTrainer for the classes 'george' and 'jackson', with examples, trained")
    if not isinstance(voices, SoundTrainer):
        fail(f"voices should be a SoundTrainer, e.g. SoundTrainer(['george', 'jackson'], sample_rate=8000); "
             f"got {type(voices).__name__}.")
    if sorted(voices.class_names) != sorted(SPEAKERS):
        fail(f"voices should have the classes 'george' and 'jackson'; it has {voices.class_names}.")
    if voices.network is None:
        if not any(voices.counts().values()):
            raise NotAnswered("voices has no examples yet: add recordings of each speaker, then call voices.train().")
        fail(f"voices is not trained yet ({voices.counts()}): call voices.train() after adding the examples.")
    files = _test_files(folder)
    for speaker, path in files:
        heard = voices._clip(path, None)
        if any(np.array_equal(heard, example) for example in voices.examples[speaker]):
            fail(f"{path.name} is one of the examples: recordings 0–4 are kept for testing, so train on 5–24 "
                 "(otherwise the test below would only ask it to remember).")
    right = [voices.predict(path).best == speaker for speaker, path in files]
    accuracy = float(np.mean(right))
    if accuracy < 0.9:
        fail(f"it names the speaker of {accuracy:.0%} of the {len(files)} test recordings; aim for 90 %. "
             "Give it examples of several different digits from each speaker, not just one.")
    passed(f"it names the speaker of {accuracy:.0%} of {len(files)} recordings it never heard: "
           "the same network and features, taught voices instead of words.")
