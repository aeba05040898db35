"""nblib for real recordings (chapter 11): folders with labels in the file names, rates kept and checked,
lengths, silence trimming, band normalisation, time-block features, and splits by group."""

from pathlib import Path

import librosa  # a test-only dependency: the reference the features are checked against
import numpy as np
import pytest

from nblib.audio import features
from nblib.audio.io import AudioFileError, read_folder, write_wav
from nblib.datasets import group_split, leave_one_group_out, random_split

DIGITS = Path(__file__).resolve().parent.parent / "data" / "spoken_digits" / "recordings"


def tone(seconds, rate, pitch=440.0, silence=0.0, level=0.5):
    """A tone with `silence` seconds of near-silence before and after it."""
    t = np.arange(int(seconds * rate)) / rate
    quiet = np.full(int(silence * rate), 1e-5)
    return np.concatenate([quiet, level * np.sin(2 * np.pi * pitch * t), quiet])


def named_folder(root, rate=8000):
    """Files named class_group_number.wav, plus things that are not clips."""
    for digit, seconds in (("1", 0.3), ("2", 0.6), ("10", 0.4)):
        for speaker in ("ann", "bob"):
            for number in range(2):
                write_wav(root / f"{digit}_{speaker}_{number}.wav", tone(seconds, rate, 300 + 100 * number), rate)
    (root / "notes.txt").write_text("not a sound")
    (root / "nested").mkdir()
    write_wav(root / "nested" / "3_ann_0.wav", tone(0.2, rate), rate)
    write_wav(root / "mystery.wav", tone(0.2, rate), rate)
    return root


# ── read_folder ──────────────────────────────────────────────────────────────────────────────
def test_labels_and_groups_come_from_file_names_and_the_rate_is_kept(tmp_path, capsys):
    sounds = read_folder(named_folder(tmp_path), sample_rate=None, duration=None)
    assert sounds.class_names == ["1", "2", "10"]  # numbers in numeric order
    assert sounds.sample_rate == 8000 and sounds.group_names == ["ann", "bob"]
    assert np.bincount(sounds.labels).tolist() == [4, 4, 4]
    assert sounds.groups.tolist().count("ann") == 6
    assert sounds.clips.shape == (12, 4800) and sounds.n_cut == 0  # as long as the longest, 0.6 s
    assert sorted(sounds.lengths.tolist()) == [2400] * 4 + [3200] * 4 + [4800] * 4
    out = capsys.readouterr().out
    for name in ["mystery.wav", "nested", "notes.txt"]:
        assert f"skipped {name}" in out
    assert {path.name for path, _ in sounds.skipped} == {"mystery.wav", "nested", "notes.txt"}
    assert "does not say its class" in dict((p.name, r) for p, r in sounds.skipped)["mystery.wav"]


def test_a_length_policy_says_how_many_clips_it_cut(tmp_path, capsys):
    sounds = read_folder(named_folder(tmp_path), sample_rate=None, duration=0.5, report=True)
    assert sounds.clips.shape == (12, 4000) and sounds.n_cut == 4
    assert "cut 4 of 12 clips (33%) to 0.5 s" in capsys.readouterr().out
    assert read_folder(tmp_path, sample_rate=16000, duration=0.5, report=False).clips.shape == (12, 8000)
    assert read_folder(tmp_path, sample_rate=16000, duration=0.5, report=False).sample_rate == 16000
    assert capsys.readouterr().out == ""


def test_sub_folders_still_name_the_classes_and_odd_entries_are_reported(tmp_path, capsys):
    for name in ("low", "high"):
        (tmp_path / name).mkdir()
        write_wav(tmp_path / name / "a.wav", tone(0.2, 16000), 16000)
    (tmp_path / "low" / "deeper").mkdir()
    (tmp_path / "low" / "cover.png").write_bytes(b"png")
    sounds = read_folder(tmp_path, duration=0.25)
    assert sounds.class_names == ["high", "low"] and sounds.groups is None and sounds.sample_rate == 16000
    out = capsys.readouterr().out
    assert "skipped deeper: a folder inside a class folder" in out and "skipped cover.png: not a WAV file" in out


def test_a_class_with_no_clips_is_refused(tmp_path):
    named_folder(tmp_path)
    with pytest.raises(AudioFileError, match=r"the class '7' has no clips.*leave it out of class_names"):
        read_folder(tmp_path, class_names=["1", "2", "7", "10"], report=False)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub2").mkdir()
    write_wav(tmp_path / "sub" / "a.wav", tone(0.2, 8000), 8000)
    with pytest.raises(AudioFileError, match="the class 'sub2' has no clips"):
        read_folder(tmp_path, labels_from="folders", report=False)


def test_files_at_different_rates_need_a_rate(tmp_path):
    write_wav(tmp_path / "1_a_0.wav", tone(0.2, 8000), 8000)
    write_wav(tmp_path / "2_a_0.wav", tone(0.2, 16000), 16000)
    with pytest.raises(AudioFileError, match=r"different sample rates \(8000 Hz: 1, 16000 Hz: 1 files\).*sample_rate=16000"):
        read_folder(tmp_path, sample_rate=None)
    assert read_folder(tmp_path, sample_rate=16000, duration=None).clips.shape == (2, 3200)


@pytest.mark.parametrize("kwargs, words", [
    ({"labels_from": "files"}, "labels_from should be"),
    ({"duration": 0}, "duration should be a positive number"),
    ({"duration": "long"}, "duration should be a positive number"),
])
def test_bad_read_folder_settings_are_explained(tmp_path, kwargs, words):
    named_folder(tmp_path)
    with pytest.raises(ValueError, match=words):
        read_folder(tmp_path, **kwargs)


def test_the_spoken_digits_read_whole_at_their_own_rate():
    sounds = read_folder(DIGITS, sample_rate=None, duration=None, report=False)
    assert len(sounds) == 1000 and sounds.sample_rate == 8000 and sounds.n_cut == 0
    assert sounds.class_names == [str(d) for d in range(10)]
    assert sounds.group_names == ["george", "jackson", "lucas", "yweweler"]
    assert sounds.clips.shape[1] == sounds.lengths.max() and not sounds.skipped and not sounds.problems


# ── features at the right rate ───────────────────────────────────────────────────────────────
def test_features_take_the_rate_the_clips_are_at(tmp_path):
    sounds = read_folder(named_folder(tmp_path), sample_rate=None, duration=None, report=False)
    np.testing.assert_array_equal(features.clip_features(sounds), features.clip_features(sounds.clips, 8000))
    with pytest.raises(ValueError, match=r"sample_rate is 16000 Hz, but the clips of clips are at 8000 Hz"):
        features.clip_features(sounds, 16000)
    with pytest.raises(ValueError, match="sample_rate is needed"):
        features.block_features(sounds.clips)
    with pytest.raises(ValueError, match="are at 8000 Hz"):
        features.block_features(sounds, sample_rate=16000)


def test_the_wrong_rate_would_have_moved_every_band():
    sounds = read_folder(DIGITS, sample_rate=None, duration=None, report=False)
    subset = sounds.clips[:20]
    right = features.clip_features(subset, 8000)[:, :40]
    wrong = features.clip_features(subset, 16000)[:, :40]
    assert np.abs(right - wrong).max() > 20  # decibels: why the rate is checked


def test_frame_settings_follow_the_rate():
    assert features.frame_settings(16000) == (512, 160)
    assert features.frame_settings(8000) == (256, 80)


def test_trim_silence_keeps_the_sound_and_drops_the_quiet_ends():
    rate = 8000
    signal = tone(0.3, rate, silence=0.4)
    trimmed = features.trim_silence(signal, rate, top_db=30)
    assert 0.3 * rate <= len(trimmed) <= 0.3 * rate + 256 + 160
    assert np.abs(trimmed).max() == pytest.approx(0.5, rel=1e-3)
    reference, _ = librosa.effects.trim(signal, top_db=30, frame_length=256, hop_length=80)
    assert abs(len(trimmed) - len(reference)) <= 2 * 80 + 256


def test_normalise_bands_removes_each_band_mean_over_time():
    bands = np.random.default_rng(0).normal(size=(3, 7, 5)) + np.arange(5)
    normalised = features.normalise_bands(bands)
    np.testing.assert_allclose(normalised.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(normalised - bands, np.broadcast_to(-bands.mean(axis=1, keepdims=True), bands.shape))


def test_block_features_keep_time_order_and_ignore_padding():
    rate = 8000
    low_high = np.concatenate([tone(0.2, rate, 300), tone(0.2, rate, 2500)])
    high_low = np.concatenate([tone(0.2, rate, 2500), tone(0.2, rate, 300)])
    clips = np.stack([low_high, high_low])
    averaged = features.clip_features(clips, rate)
    np.testing.assert_allclose(averaged[0], averaged[1], atol=2.0)  # averages over time cannot tell them apart
    blocks = features.block_features(clips, n_blocks=2, sample_rate=rate, normalise=False, spread=False)
    first, second = blocks[:, :40], blocks[:, 40:]
    np.testing.assert_allclose(first[0], second[1], atol=5.0)  # block features can (up to the frame that straddles the change)
    assert np.abs(first[0] - first[1]).max() > 20
    padded = np.pad(clips, ((0, 0), (0, 4000)))
    np.testing.assert_allclose(
        features.block_features(padded, 2, rate, lengths=[len(low_high)] * 2), features.block_features(clips, 2, rate),
        atol=1e-3)


def test_block_features_shape_normalisation_and_trimming():
    rate = 8000
    clip = tone(0.3, rate, silence=0.3)
    plain = features.block_features(clip[None], 3, rate, normalise=False, spread=False)
    assert plain.shape == (1, 120) and plain.dtype == np.float32
    normalised = features.block_features(clip[None], 3, rate, spread=True)
    assert normalised.shape == (1, 160)
    shift = normalised[0, :120].reshape(3, 40) - plain[0].reshape(3, 40)
    np.testing.assert_allclose(shift, np.broadcast_to(shift[0], (3, 40)), atol=1e-3)  # one shift per band
    assert np.abs(shift).max() > 1
    trimmed = features.block_features(clip[None], 3, rate, normalise=False, spread=False, top_db=30)
    assert trimmed[0, :40].max() > plain[0, :40].max() + 10  # the first block is the tone, not the silence


def test_word_frames_line_every_word_up_from_its_start_to_its_end():
    rate = 8000
    quick = np.concatenate([tone(0.1, rate, 300), tone(0.1, rate, 2500)])           # a short word ...
    slow = np.concatenate([np.zeros(2400), tone(0.3, rate, 300), tone(0.3, rate, 2500), np.zeros(800)])  # ... said slowly, late
    clips = np.stack([np.pad(quick, (0, len(slow) - len(quick))), slow])
    words = features.word_frames(clips, n_frames=16, sample_rate=rate, lengths=[len(quick), len(slow)])
    assert words.shape == (2, 16, 40) and words.dtype == np.float32
    low, high = np.argmax(words[:, :, :20].sum(axis=2), axis=1), np.argmax(words[:, :, 20:].sum(axis=2), axis=1)
    assert (low < 8).all() and (high >= 8).all()  # the low tone fills the first half of both, the high one the second
    crossing = np.argmax(words[:, :, 20:].sum(axis=2) > words[:, :, :20].sum(axis=2), axis=1)
    assert abs(crossing[0] - crossing[1]) <= 1 and 6 <= crossing[0] <= 9  # the change of tone, mid-word in both


def test_word_frames_stretch_by_linear_interpolation_and_floor_the_quiet():
    rate = 8000
    clip = tone(0.3, rate, silence=0.0)
    n_fft, hop = features.frame_settings(rate)
    bands = features.log_mel(clip, rate, n_fft, hop)[: 1 + len(clip) // hop]
    bands = features.normalise_bands(np.maximum(bands, bands.max() - 80))
    times = np.linspace(0, len(bands) - 1, 10)
    expected = np.stack([np.interp(times, np.arange(len(bands)), bands[:, band]) for band in range(40)], axis=1)
    np.testing.assert_allclose(features.word_frames(clip, 10, rate, top_db=None)[0], expected, atol=1e-3)
    floored = features.word_frames(clip, 10, rate, top_db=None, range_db=20)[0]
    assert np.ptp(floored, axis=0).max() <= 20 + 1e-3  # no band spans more than the range kept
    for bad, error, words in [(dict(n_frames=1), ValueError, "n_frames should be a whole number of at least 2"),
                              (dict(n_frames=3.5), TypeError, "n_frames"), (dict(sample_rate=None), ValueError, "sample_rate")]:
        with pytest.raises(error, match=words):
            features.word_frames(clip, **{"n_frames": 10, "sample_rate": rate, **bad})


# ── splits ───────────────────────────────────────────────────────────────────────────────────
GROUPS = np.array(["a", "b", "c", "a", "b", "c", "d", "a"])


def test_no_group_is_on_both_sides_of_a_group_split():
    for seed in range(5):
        train, test = group_split(GROUPS, n_test_groups=2, seed=seed)
        assert not set(GROUPS[train]) & set(GROUPS[test])
        assert sorted(np.concatenate([train, test]).tolist()) == list(range(len(GROUPS)))
        assert len(set(GROUPS[test])) == 2
    train, test = group_split(GROUPS, test_groups=["a"])
    assert test.tolist() == [0, 3, 7] and set(GROUPS[train]) == {"b", "c", "d"}


def test_leave_one_group_out_tests_every_group_once():
    splits = leave_one_group_out(GROUPS)
    assert [name for name, _, _ in splits] == ["a", "b", "c", "d"]
    for name, train, test in splits:
        assert set(GROUPS[test]) == {name} and name not in set(GROUPS[train])
        assert len(train) + len(test) == len(GROUPS)


def test_random_split_mixes_groups_and_is_deterministic():
    train, test = random_split(len(GROUPS), 0.25, seed=1)
    assert len(test) == 2 and len(train) == 6 and not set(train) & set(test)
    np.testing.assert_array_equal(random_split(len(GROUPS), 0.25, seed=1)[1], test)
    sounds = read_folder(DIGITS, sample_rate=None, duration=None, report=False)
    train, test = random_split(len(sounds), 0.25, seed=0)
    assert set(sounds.groups[train]) == set(sounds.groups[test])  # every speaker on both sides


@pytest.mark.parametrize("call, words", [
    (lambda: group_split(["a", "a"]), "at least two different groups"),
    (lambda: group_split(GROUPS, n_test_groups=4), "n_test_groups should be below the number of groups, 4"),
    (lambda: group_split(GROUPS, test_groups=["z"]), "test_groups should name groups"),
    (lambda: group_split(GROUPS, test_groups=["a", "b", "c", "d"]), "leave no group for training"),
    (lambda: leave_one_group_out(np.ones((2, 2))), "groups should be a 1-D array"),
    (lambda: random_split(10, 1.5), "test_fraction should be"),
])
def test_bad_splits_are_explained(call, words):
    with pytest.raises(ValueError, match=words):
        call()
