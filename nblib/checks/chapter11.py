"""Checks for the exercises of chapter 11, Real voices.

Each check tries the learner's answer on several inputs and either prints one line saying
it is right, prints "Not answered yet" while the answer cell still holds its placeholder,
or raises `CheckFailed` explaining the first thing that is wrong.
"""

import numpy as np

from nblib.checks import (
    call_answer,
    exercise_check,
    expect_close,
    fail,
    format_value,
    passed,
    require_function,
)

# speaker_accuracy

SPEAKER_CASES = [
    (np.array([1, 2, 3, 4]), np.array([1, 2, 0, 0]), np.array(["ann", "ann", "bob", "bob"])),
    (np.array([0, 0, 1, 1, 2, 2]), np.array([0, 1, 1, 1, 2, 0]), np.array(["b", "a", "c", "a", "b", "c"])),
    (np.array([5, 5, 5]), np.array([5, 5, 5]), np.array(["zoe", "zoe", "zoe"])),
]
"""(predicted, labels, groups) tried by `check_speaker_accuracy`; groups are not sorted in the second."""


def reference_speaker_accuracy(predicted, labels, groups):
    """Speaker → the share of that speaker's clips predicted right."""
    predicted, labels, groups = np.asarray(predicted), np.asarray(labels), np.asarray(groups)
    return {str(g): float(np.mean(predicted[groups == g] == labels[groups == g])) for g in sorted(set(groups.tolist()))}


@exercise_check
def check_speaker_accuracy(speaker_accuracy):
    """Check `speaker_accuracy(predicted, labels, groups)`: a dict speaker → accuracy on that speaker's clips."""
    require_function(speaker_accuracy, "speaker_accuracy")
    for predicted, labels, groups in SPEAKER_CASES:
        call = (f"speaker_accuracy(predicted={format_value(predicted)}, labels={format_value(labels)}, "
                f"groups={format_value(groups)})")
        expected = reference_speaker_accuracy(predicted, labels, groups)
        got = call_answer(speaker_accuracy, "speaker_accuracy", predicted.copy(), labels.copy(), groups.copy())
        if not isinstance(got, dict):
            fail(f"{call} returned {format_value(got)}; it should return a dict with one entry per speaker, "
                 "e.g. {'ann': 1.0, 'bob': 0.0}.")
        keys = {str(key) for key in got}
        if keys != set(expected):
            fail(f"{call} returned the keys {sorted(keys)}; expected one per speaker: {sorted(expected)}.")
        got = {str(key): value for key, value in got.items()}
        overall = float(np.mean(predicted == labels))
        for speaker, value in expected.items():
            if np.isclose(float(np.asarray(got[speaker], dtype=float)), overall) and not np.isclose(value, overall):
                fail(f"{call} gave {speaker!r} {format_value(float(got[speaker]))}, the accuracy over all clips; "
                     f"count only {speaker!r}'s clips (where groups == {speaker!r}): expected {format_value(value)}.")
            expect_close(got[speaker], value, f"{call}[{speaker!r}]")
    passed("speaker_accuracy gives each speaker the share of their own clips predicted right.")


# mix_at_snr

MIX_CASES = [
    (np.sin(np.linspace(0, 60, 400)), np.random.default_rng(1).normal(size=400), 10.0),
    (0.1 * np.sin(np.linspace(0, 200, 1000)), 3.0 * np.random.default_rng(2).normal(size=1000), 0.0),
    (np.random.default_rng(3).uniform(-0.5, 0.5, 300), np.cos(np.linspace(0, 9, 300)), -5.0),
]
"""(clip, noise, snr_db) tried by `check_mix_at_snr`: a louder and a quieter noise than the clip, and a negative SNR."""


def reference_mix_at_snr(clip, noise, snr_db):
    """clip + noise scaled so that power(clip) / power(scaled noise) = 10^(snr_db / 10)."""
    clip, noise = np.asarray(clip, dtype=float), np.asarray(noise, dtype=float)
    scale = np.sqrt(np.mean(clip ** 2) / (np.mean(noise ** 2) * 10 ** (snr_db / 10)))
    return clip + scale * noise


@exercise_check
def check_mix_at_snr(mix_at_snr):
    """Check `mix_at_snr(clip, noise, snr_db)`: the clip with the noise scaled to the given signal-to-noise ratio."""
    require_function(mix_at_snr, "mix_at_snr")
    for clip, noise, snr_db in MIX_CASES:
        call = f"mix_at_snr(clip, noise, snr_db={snr_db:g}) for a clip and a noise of {len(clip)} samples"
        got = call_answer(mix_at_snr, "mix_at_snr", clip.copy(), noise.copy(), snr_db)
        expected = reference_mix_at_snr(clip, noise, snr_db)
        if got is None:
            fail(f"{call} returned None. Did you forget the `return` line at the end of your function?")
        try:
            got_array = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            fail(f"{call} returned {format_value(got)}, not an array of samples.")
        if got_array.shape == clip.shape:
            added = got_array - clip
            if np.mean(added ** 2) > 0:
                snr = 10 * np.log10(np.mean(clip ** 2) / np.mean(added ** 2))
                amplitude_rule = clip + noise * np.sqrt(np.mean(clip ** 2) / np.mean(noise ** 2)) / 10 ** (snr_db / 10)
                if np.allclose(got_array, amplitude_rule) and snr_db != 0:
                    fail(f"{call}: the noise came out at an SNR of {snr:.2f} dB, not {snr_db:g}. SNR in decibels compares "
                         "powers: scale the noise's power by 10^(−snr_db/10), so its amplitude by the square root of that.")
                if not np.isclose(snr, snr_db, atol=1e-6):
                    fail(f"{call}: the added noise comes out at an SNR of {snr:.3g} dB; expected {snr_db:g} dB. "
                         "Compare the mean squared value (power) of the clip with that of the scaled noise.")
        expect_close(got_array, expected, call)
    passed("mix_at_snr scales the noise so that the clip's power is 10^(snr_db/10) times the noise's.")
