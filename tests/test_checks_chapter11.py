"""The exercise checks of chapter 11 accept right answers, explain typical wrong ones, and wait for an answer."""

import numpy as np

from check_helpers import fails_with, not_written_yet, says_not_answered
from nblib.checks.chapter11 import check_mix_at_snr, check_speaker_accuracy


def right_speaker_accuracy(predicted, labels, groups):
    return {speaker: float(np.mean(predicted[groups == speaker] == labels[groups == speaker]))
            for speaker in np.unique(groups)}


def test_speaker_accuracy_right_answer_passes(capsys):
    check_speaker_accuracy(right_speaker_accuracy)
    assert capsys.readouterr().out.startswith("✔ Right: speaker_accuracy")


def test_speaker_accuracy_typical_mistakes_are_explained():
    fails_with(check_speaker_accuracy, lambda p, l, g: float(np.mean(p == l)), "should return a dict")
    fails_with(check_speaker_accuracy, lambda p, l, g: {s: float(np.mean(p == l)) for s in np.unique(g)},
               "the accuracy over all clips", "count only")
    fails_with(check_speaker_accuracy, lambda p, l, g: {s: float(np.sum(p[g == s] == l[g == s])) for s in np.unique(g)},
               "['ann'] returned 2; expected 1")
    fails_with(check_speaker_accuracy, lambda p, l, g: {"everyone": 1.0}, "expected one per speaker")
    fails_with(check_speaker_accuracy, lambda p, l, g: 1 / 0, "raised ZeroDivisionError")


def test_speaker_accuracy_placeholder_is_not_answered(capsys):
    says_not_answered(check_speaker_accuracy, not_written_yet, "speaker_accuracy is not written yet", capsys=capsys)


def right_mix_at_snr(clip, noise, snr_db):
    noise_power = np.mean(clip ** 2) / 10 ** (snr_db / 10)
    return clip + noise * np.sqrt(noise_power / np.mean(noise ** 2))


def test_mix_at_snr_right_answer_passes(capsys):
    check_mix_at_snr(right_mix_at_snr)
    assert capsys.readouterr().out.startswith("✔ Right: mix_at_snr")


def test_mix_at_snr_typical_mistakes_are_explained():
    amplitude = lambda c, n, snr: c + n * np.sqrt(np.mean(c ** 2) / np.mean(n ** 2)) / 10 ** (snr / 10)  # noqa: E731
    fails_with(check_mix_at_snr, amplitude, "SNR in decibels compares powers")
    fails_with(check_mix_at_snr, lambda c, n, snr: c + n * 10 ** (-snr / 20), "comes out at an SNR of")
    fails_with(check_mix_at_snr, lambda c, n, snr: right_mix_at_snr(c, n, snr) - c, "comes out at an SNR of")
    fails_with(check_mix_at_snr, lambda c, n, snr: None, "returned None", "return")


def test_mix_at_snr_placeholder_is_not_answered(capsys):
    says_not_answered(check_mix_at_snr, not_written_yet, "mix_at_snr is not written yet", capsys=capsys)
