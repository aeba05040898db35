"""The exercise checks of chapter 13: a right answer passes, typical mistakes fail with a useful
message, the placeholder says "not answered yet"."""

from pathlib import Path

import numpy as np
import pytest

from check_helpers import fails_with, not_written_yet, says_not_answered
from nblib.checks.chapter13 import check_peak_dbfs, check_speaker_trainer
from nblib.widgets.sound_trainer import SoundTrainer
from spoken_digits import spoken_digits_folder


def peak_dbfs(samples):
    peak = np.max(np.abs(samples))
    return -np.inf if peak == 0 else 20 * np.log10(peak)


def test_peak_dbfs_right(capsys):
    check_peak_dbfs(peak_dbfs)
    assert capsys.readouterr().out.startswith("✔ Right:")


def test_peak_dbfs_not_answered(capsys):
    says_not_answered(check_peak_dbfs, not_written_yet, "peak_dbfs is not written yet", capsys=capsys)


@pytest.mark.parametrize("wrong, words", [
    (lambda s: 20 * np.log10(np.max(s)), "absolute value"),
    (lambda s: 10 * np.log10(np.max(np.abs(s))), "20 · log10"),
    (lambda s: 20 * np.log10(np.mean(np.abs(s))), "not the mean"),
    (lambda s: np.max(np.abs(s)), "give it in decibels"),
    (lambda s: [1, 2], "one number"),
    (lambda s: 1 / 0, "raised ZeroDivisionError"),
])
def test_peak_dbfs_typical_mistakes(wrong, words):
    fails_with(check_peak_dbfs, wrong, words)


def test_peak_dbfs_silence_must_be_minus_infinity():
    def no_silence(samples):
        return 20 * np.log10(max(np.max(np.abs(samples)), 1e-12))
    fails_with(check_peak_dbfs, no_silence, "-np.inf")


@pytest.fixture(scope="module")
def folder():
    return spoken_digits_folder()


def speaker_trainer(folder, indices, digits=range(10)):
    voices = SoundTrainer(["george", "jackson"], sample_rate=8000)
    for speaker in voices.class_names:
        for digit in digits:
            for index in indices:
                voices.add(speaker, Path(folder) / f"{digit}_{speaker}_{index}.wav")
    return voices


def test_speaker_trainer_right(folder, capsys):
    voices = speaker_trainer(folder, (5, 6))
    voices.train()
    check_speaker_trainer(voices, folder)
    assert capsys.readouterr().out.startswith("✔ Right:")


def test_speaker_trainer_not_answered(folder, capsys):
    says_not_answered(lambda answer: check_speaker_trainer(answer, folder), None, "voices is still None", capsys=capsys)
    says_not_answered(lambda answer: check_speaker_trainer(answer, folder), SoundTrainer(["george", "jackson"]),
                      "no examples yet", capsys=capsys)


def test_speaker_trainer_mistakes(folder):
    check = lambda answer: check_speaker_trainer(answer, folder)  # noqa: E731
    fails_with(check, "george", "should be a SoundTrainer")
    fails_with(check, SoundTrainer(["george", "lucas"]), "'george' and 'jackson'")
    untrained = speaker_trainer(folder, (5,), digits=(1,))
    fails_with(check, untrained, "not trained yet")
    cheating = speaker_trainer(folder, (0, 5), digits=(1, 2))
    cheating.train()
    fails_with(check, cheating, "1_george_0.wav is one of the examples")


def test_speaker_trainer_that_heard_too_little_fails(folder):
    narrow = speaker_trainer(folder, (5, 6), digits=(3,))
    narrow.train()
    fails_with(lambda answer: check_speaker_trainer(answer, folder), narrow, "aim for 90 %", "several different digits")
