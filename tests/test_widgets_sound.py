"""The sound explorer, headless: each control changes the sound, the pictures and the player."""

import numpy as np

from nblib.audio.synth import clip
from nblib.widgets import sound_explorer


def test_shows_the_chosen_sound_and_plays_it():
    explorer = sound_explorer("square", pitch=220.0, snr_db=30.0)
    np.testing.assert_array_equal(explorer.sound(), clip("square", pitch=220.0, snr_db=30.0))
    assert explorer.player.value[:4] == b"RIFF"
    assert "square at 220 Hz" in explorer.readout_text
    assert explorer.mel_image.get_array().shape == (40, 51)


def test_every_control_changes_sound_pictures_and_player():
    explorer = sound_explorer()
    for control, value in ((explorer.kind, "fm_bell"), (explorer.pitch, 880.0), (explorer.snr_db, 5.0)):
        sound, picture, image = explorer.player.value, np.array(explorer.mel_image.get_array()), explorer.image.value
        control.value = value
        assert explorer.player.value != sound and explorer.image.value != image
        assert not np.allclose(explorer.mel_image.get_array(), picture)


def test_higher_pitch_moves_the_energy_up_the_mel_bands():
    explorer = sound_explorer("sine", pitch=110.0, snr_db=40.0)
    low = np.argmax(np.asarray(explorer.mel_image.get_array()).mean(axis=1))
    explorer.pitch.value = 1760.0
    high = np.argmax(np.asarray(explorer.mel_image.get_array()).mean(axis=1))
    assert high > low + 10
