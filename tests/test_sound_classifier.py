"""nblib.sound_classifier: train on a small folder of WAV files, save, load, classify new files."""

import numpy as np
import pytest

from nblib.audio.io import read_folder, write_wav
from nblib.audio.synth import clip
from nblib.sound_classifier import SoundClassifier

KINDS = ["saw", "sine", "square"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """my_sounds/<kind>/ with 3 clips per class, as a reader would record them, and new/ with one unseen clip per class."""
    root = tmp_path_factory.mktemp("sounds")
    for kind in KINDS:
        (root / "my_sounds" / kind).mkdir(parents=True)
        for index in range(3):
            write_wav(root / "my_sounds" / kind / f"{kind}_{index}.wav", clip(kind, index=index, seed=5, level="easy"))
    (root / "new").mkdir()
    for kind in KINDS:
        write_wav(root / "new" / f"a_new_{kind}.wav", clip(kind, index=7, seed=99, level="easy"))
    (root / "new" / "notes.txt").write_text("not a sound")
    return root


@pytest.fixture(scope="module")
def classifier(folder):
    sounds = read_folder(folder / "my_sounds", on_error="raise")
    return SoundClassifier.train(sounds.clips, sounds.labels, sounds.class_names, epochs=100)


def test_three_clips_per_class_train_and_classify_new_files(classifier, folder):
    assert classifier.class_names == KINDS
    results = classifier.classify_folder(folder / "new")
    assert [path.name for path, _, _ in results] == [f"a_new_{kind}.wav" for kind in KINDS]  # notes.txt is not a WAV
    for path, name, probabilities in results:
        assert list(probabilities) == KINDS and abs(sum(probabilities.values()) - 1) < 1e-9
        assert name == max(probabilities, key=probabilities.get)
    sounds = read_folder(folder / "my_sounds", on_error="raise")
    assert np.array_equal(classifier.predict(sounds.clips), sounds.labels)  # it learned its 9 clips
    # Three clips per class teach little, but well above chance (1/3) on 30 clips it never heard.
    new_clips = np.stack([clip(kind, index=index, seed=99, level="easy") for kind in KINDS for index in range(10)])
    assert np.mean(classifier.predict(new_clips) == np.repeat(np.arange(3), 10)) > 0.6


def test_saved_and_loaded_it_gives_the_same_answers(classifier, folder, tmp_path):
    path = tmp_path / "mine.npz"
    classifier.save(path)
    assert sorted(item.name for item in tmp_path.iterdir()) == ["mine.npz"]  # no temporary file left behind
    with np.load(path, allow_pickle=False) as saved:  # numbers and text only
        assert {"format", "settings", "class_names", "mean", "spread", "network"} <= set(saved.files)
    loaded = SoundClassifier.load(path)
    assert loaded.class_names == classifier.class_names and loaded.n_samples == classifier.n_samples
    new_file = folder / "new" / "a_new_square.wav"
    assert loaded.classify_file(new_file) == classifier.classify_file(new_file)
    clips = np.stack([clip(kind, index=3, seed=8) for kind in KINDS])
    np.testing.assert_array_equal(loaded.probabilities(clips), classifier.probabilities(clips))


def test_a_clip_of_another_length_is_cut_or_padded(classifier):
    long_clip = np.concatenate([clip("sine", seed=1), clip("sine", seed=2)])
    assert classifier.probabilities(long_clip).shape == (1, 3)
    assert classifier.probabilities(long_clip[:3000]).shape == (1, 3)


def test_bad_input_is_explained(classifier, tmp_path):
    clips = np.stack([clip("sine", index=i) for i in range(4)])
    with pytest.raises(ValueError, match="'square' has none"):
        SoundClassifier.train(clips, [0, 1, 0, 1], ["sine", "saw", "square"], epochs=2)
    with pytest.raises(ValueError, match="one class label per clip"):
        SoundClassifier.train(clips, [0, 1], ["sine", "saw"], epochs=2)
    with pytest.raises(ValueError, match="no such file"):
        SoundClassifier.load(tmp_path / "missing.npz")
    (tmp_path / "broken.npz").write_bytes(b"not a zip file")
    with pytest.raises(ValueError, match="not a sound classifier"):
        SoundClassifier.load(tmp_path / "broken.npz")
    np.savez(tmp_path / "other.npz", weights=np.zeros(3))
    with pytest.raises(ValueError, match="no 'nblib-sound-classifier-1' mark"):
        SoundClassifier.load(tmp_path / "other.npz")
    with pytest.raises(ValueError, match="holds no .wav files"):
        classifier.classify_folder(tmp_path)


def test_a_damaged_saved_classifier_is_named_in_a_clear_error(classifier, tmp_path):
    path = tmp_path / "mine.npz"
    classifier.save(path)
    content = bytearray(path.read_bytes())
    for start in (0, len(content) // 2):  # a damaged header, then damaged data
        damaged = tmp_path / f"damaged_{start}.npz"
        damaged.write_bytes(bytes(content[:start]) + b"\x00" * 64 + bytes(content[start + 64:]))
        with pytest.raises(ValueError, match="damaged") as raised:
            SoundClassifier.load(damaged)
        assert str(damaged) in str(raised.value)
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(bytes(content[: len(content) // 3]))
    with pytest.raises(ValueError, match="truncated.npz"):
        SoundClassifier.load(truncated)
