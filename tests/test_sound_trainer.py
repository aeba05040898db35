"""The sound trainer, headless: examples from samples, WAV files and the microphone's message
path; train, predict, save and load recordings and networks; the widget's buttons."""

import numpy as np
import pytest

from nblib.audio.io import read_folder, write_wav
from nblib.audio.synth import clip
from nblib.widgets.sound_trainer import SoundTrainer, check_class_names

KINDS = ("kick", "hi_hat", "fm_bell")


def example(kind, index):
    return clip(kind, index=index, seed=3)


@pytest.fixture
def trainer():
    trainer = SoundTrainer(list(KINDS), sample_rate=16000, duration=0.5)
    for kind in KINDS:
        for index in range(4):
            trainer.add(kind, example(kind, index), sample_rate=16000)
    return trainer


def test_examples_are_cut_or_padded_to_the_duration_without_leading_zeros():
    trainer = SoundTrainer(["a", "b"], sample_rate=16000, duration=0.5)
    sound = np.concatenate([np.zeros(100), np.full(200, 0.5), np.zeros(5)])
    assert trainer.add("a", sound, sample_rate=16000) == 0
    kept = trainer.examples["a"][0]
    assert kept.shape == (8000,) and kept.dtype == np.float32
    np.testing.assert_array_equal(kept[:200], 0.5)
    assert np.all(kept[200:] == 0)
    trainer.add("b", np.full(16000, 0.25), sample_rate=32000)  # 0.5 s at 32 kHz, resampled
    assert trainer.examples["b"][0].shape == (8000,)
    assert trainer.counts() == {"a": 1, "b": 1}


def test_it_learns_the_classes_and_names_new_examples(trainer):
    history = trainer.train()
    assert history.accuracy[-1] == 1.0
    for kind in KINDS:
        bars = trainer.predict(example(kind, 10), sample_rate=16000)
        assert bars.best == kind, repr(bars)
        assert bars.probabilities.sum() == pytest.approx(1.0)


def test_training_is_repeatable(trainer):
    trainer.train()
    first = trainer.predict(example("kick", 9), sample_rate=16000).probabilities
    trainer.train()
    np.testing.assert_allclose(trainer.predict(example("kick", 9), sample_rate=16000).probabilities, first)


def test_every_class_needs_two_examples():
    trainer = SoundTrainer(["a", "b"])
    trainer.add("a", np.ones(100) * 0.1, sample_rate=16000)
    with pytest.raises(ValueError, match=r"at least 2 examples.*'a': 1, 'b': 0"):
        trainer.train()
    with pytest.raises(ValueError, match="not been trained"):
        trainer.predict(np.ones(100), sample_rate=16000)


def test_remove_and_replace_examples(trainer):
    second = trainer.examples["kick"][1]
    trainer.remove("kick", 0)
    assert trainer.counts()["kick"] == 3
    np.testing.assert_array_equal(trainer.examples["kick"][0], second)
    trainer.add("kick", np.full(100, 0.3), sample_rate=16000, replace=0)
    assert trainer.counts()["kick"] == 3 and trainer.examples["kick"][0][0] == pytest.approx(0.3)
    with pytest.raises(ValueError, match=r"index should be an example of 'kick', 0 to 2; got int 7"):
        trainer.remove("kick", 7)
    with pytest.raises(ValueError, match="class_name should be one of"):
        trainer.add("snare", np.ones(10), sample_rate=16000)


@pytest.mark.parametrize("names, words", [
    (["only"], "2 to 5 names"), (list("abcdef"), "2 to 5 names"), (["a", "a"], "all be different"),
    (["a", "../b"], "short word"), (["a", ""], "short word"), (["a", 3], "short word"), ("ab", "list of names"),
])
def test_bad_class_names_are_refused(names, words):
    with pytest.raises((ValueError, TypeError), match=words):
        check_class_names(names)


def test_recordings_are_saved_in_the_layout_read_folder_reads(trainer, tmp_path):
    paths = trainer.save_recordings(tmp_path / "mine")
    assert len(paths) == 12 and paths[0].relative_to(tmp_path / "mine").as_posix() == "kick/kick_01.wav"
    read = read_folder(tmp_path / "mine", sample_rate=16000, duration=0.5)
    assert sorted(read.class_names) == sorted(KINDS) and len(read.clips) == 12
    again = SoundTrainer.from_folder(tmp_path / "mine", sample_rate=16000, duration=0.5)
    assert again.counts() == {kind: 4 for kind in sorted(KINDS)}
    np.testing.assert_allclose(again.examples["kick"][0], trainer.examples["kick"][0], atol=1e-4)


def test_every_step_takes_wav_files(trainer, tmp_path):
    path = tmp_path / "bell.wav"
    write_wav(path, example("fm_bell", 12) / np.abs(example("fm_bell", 12)).max() * 0.9, 16000)
    trainer.add("fm_bell", path)
    assert trainer.counts()["fm_bell"] == 5
    trainer.train()
    assert trainer.predict(path).best == "fm_bell"


def test_a_trained_network_is_saved_and_loaded_with_what_it_needs(trainer, tmp_path):
    trainer.train()
    trainer.save(tmp_path / "sounds.npz")
    loaded = SoundTrainer.load(tmp_path / "sounds.npz")
    assert loaded.class_names == list(KINDS) and loaded.sample_rate == 16000 and loaded.duration == 0.5
    sound = example("hi_hat", 20)
    np.testing.assert_allclose(loaded.predict(sound, sample_rate=16000).probabilities,
                               trainer.predict(sound, sample_rate=16000).probabilities)
    assert "not trained" not in repr(loaded)


def test_saving_and_loading_explain_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match="no trained network"):
        SoundTrainer(["a", "b"]).save(tmp_path / "x.npz")
    with pytest.raises(ValueError, match="no such file"):
        SoundTrainer.load(tmp_path / "missing.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a sound trainer saved by nblib"):
        SoundTrainer.load(tmp_path / "junk.npz")
    np.savez(tmp_path / "other.npz", settings=np.array('{"format": "something else"}'))
    with pytest.raises(ValueError, match="no 'nblib-sound-trainer-1' mark"):
        SoundTrainer.load(tmp_path / "other.npz")


def recorded(trainer, samples):
    """A recording arriving from the browser, through the microphone's message path."""
    samples = np.asarray(samples, dtype=np.float32)
    trainer.microphone._handle_msg({"content": {"data": {"method": "custom", "content": {
        "type": "recording", "sample_rate": trainer.sample_rate, "n_samples": len(samples)}}},
        "buffers": [memoryview(samples.tobytes())]})


def test_the_widget_records_into_the_chosen_class_trains_and_tests(trainer):
    widget = trainer.widget
    assert widget is trainer.widget
    trainer.target.value = "hi_hat"
    recorded(trainer, example("hi_hat", 30))
    assert trainer.counts()["hi_hat"] == 5
    assert "hi_hat</b>: 5 examples" in trainer.example_rows.children[1].children[0].value
    trainer.train_button.click()
    assert "accuracy on the examples 1.00" in trainer.readout.value
    trainer.mode.value = "test"
    recorded(trainer, example("kick", 31))
    assert 'data-best="kick"' in trainer.microphone.result
    assert trainer.counts()["kick"] == 4, "a test recording is not an example"


def test_the_widget_buttons_listen_rerecord_and_delete(trainer):
    trainer.widget
    listen, rerecord, delete = trainer.example_rows.children[0].children[1:4]
    assert trainer.player_box.children == ()
    listen.click()
    assert trainer.player.value[:4] == b"RIFF" and trainer.player_box.children == (trainer.player,)
    rerecord.click()
    assert "replaces kick example 1" in trainer.microphone.message
    recorded(trainer, np.full(4000, 0.2))
    assert trainer.counts()["kick"] == 4 and trainer.examples["kick"][0][0] == pytest.approx(0.2)
    trainer.example_rows.children[0].children[3].click()
    assert trainer.counts()["kick"] == 3


def test_the_widget_says_what_is_missing_before_training():
    trainer = SoundTrainer(["a", "b"])
    trainer.widget
    trainer.train_button.click()
    assert "at least 2 examples" in trainer.readout.value
    trainer.mode.value = "test"
    recorded(trainer, np.full(4000, 0.2))
    assert "Train the network first" in trainer.microphone.result


def test_the_widget_saves_recordings_and_network(trainer, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    trainer.widget
    trainer.train()
    buttons = trainer.widget.children[-1].children
    buttons[1].click()
    assert "saved 12 WAV files in my_sounds/" in trainer.readout.value
    buttons[2].click()
    assert (tmp_path / "my_sounds.npz").is_file()
    assert SoundTrainer.load(tmp_path / "my_sounds.npz").class_names == list(KINDS)


def test_outside_a_running_notebook_it_says_it_needs_one(trainer):
    data = trainer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "needs a running notebook" in data["text/html"] and "kick, hi_hat, fm_bell" in data["text/html"]
    assert data["text/plain"].startswith("SoundTrainer(kick: 4, hi_hat: 4, fm_bell: 4; not trained)")
