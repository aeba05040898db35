"""The kernel explorer, headless: every control changes the kernel, the response and the picture,
and the response is the Conv1D of the chosen spectrogram with the drawn kernel."""

import numpy as np
import pytest

from nblib.widgets.convolution import KERNEL_SHAPES, KERNEL_SIZE, kernel_explorer, kernel_weights


@pytest.fixture
def spectrograms():
    rng = np.random.default_rng(0)
    quiet_then_loud = np.full((30, 8), -1.0)
    quiet_then_loud[12:20, 2:5] = 1.0  # a sound in bands 2-4 from frame 12 to frame 19
    return {"made up": quiet_then_loud, "noise": rng.normal(size=(30, 8))}


def test_the_response_is_the_kernel_slid_along_the_spectrogram(spectrograms):
    explorer = kernel_explorer(spectrograms, 0.016, bands=(2, 4))
    image, kernel = spectrograms["made up"], explorer.kernel()[:, :, 0]
    padded = np.vstack([np.zeros((2, 8)), image, np.zeros((2, 8))])
    by_loops = [float(np.sum(padded[t:t + KERNEL_SIZE] * kernel)) for t in range(30)]
    np.testing.assert_allclose(explorer.response(), by_loops, atol=1e-12)
    np.testing.assert_allclose(np.asarray(explorer.response_line.get_ydata()), by_loops, atol=1e-12)
    assert kernel[:, [0, 1, 5, 6, 7]].max() == 0  # bands outside the range get no weight


def test_the_onset_kernel_fires_where_the_sound_starts_and_the_offset_where_it_ends(spectrograms):
    explorer = kernel_explorer(spectrograms, 0.016, bands=(2, 4))
    assert int(np.argmax(explorer.response())) in (11, 12)  # the rising edge, between frames 11 and 12
    assert "frame 1" in explorer.readout.value
    explorer.shape.value = "offset: loud, then quiet"
    assert int(np.argmax(explorer.response())) in (19, 20)
    assert [w.value for w in explorer.weights] == list(KERNEL_SHAPES["offset: loud, then quiet"])


def test_every_control_redraws(spectrograms):
    explorer = kernel_explorer(spectrograms, 0.016)
    changes = [(explorer.sound, "noise"), (explorer.shape, "blip: loud for 1 frame"), (explorer.weights[2], -0.3),
               (explorer.bands, (1, 3))]
    for control, value in changes:
        image, response, readout = explorer.image.value, explorer.response().copy(), explorer.readout.value
        control.value = value
        assert explorer.image.value != image
        assert not np.allclose(explorer.response(), response)
        assert explorer.readout.value != readout or control is explorer.weights[2]


def test_moving_a_slider_makes_the_kernel_your_own(spectrograms):
    explorer = kernel_explorer(spectrograms, 0.016)
    explorer.weights[0].value = 0.5
    assert explorer.shape.value == "your own (the sliders)"
    assert explorer.kernel()[0, :, 0] == pytest.approx(np.full(8, 0.5 / 8))
    explorer.shape.value = "steady: loud for 5 frames"  # choosing a shape again moves every slider
    assert [w.value for w in explorer.weights] == list(KERNEL_SHAPES["steady: loud for 5 frames"])


def test_kernel_weights_average_over_the_chosen_bands():
    weights = kernel_weights([1, 0, 0, 0, -1], 1, 2, 4)
    assert weights.shape == (5, 4, 1)
    np.testing.assert_allclose(weights[0, :, 0], [0, 0.5, 0.5, 0])
    np.testing.assert_allclose(weights[4, :, 0], [0, -0.5, -0.5, 0])


@pytest.mark.parametrize("spectrograms, message", [
    ([np.zeros((30, 8))], "dict"),
    ({"short": np.zeros((3, 8))}, "n_frames"),
    ({"a": np.zeros((30, 8)), "b": np.zeros((30, 6))}, "same number of bands"),
    ({"text": [["a"] * 8] * 30}, "numbers"),
])
def test_bad_spectrograms_are_explained(spectrograms, message):
    with pytest.raises((TypeError, ValueError), match=message):
        kernel_explorer(spectrograms, 0.016)


def test_three_hundred_random_changes_never_fail(spectrograms):
    explorer = kernel_explorer(spectrograms, 0.016)
    rng = np.random.default_rng(12)
    for _ in range(300):
        choice = rng.integers(4)
        if choice == 0:
            explorer.sound.value = str(rng.choice(list(spectrograms)))
        elif choice == 1:
            explorer.shape.value = str(rng.choice(explorer.shape.options))
        elif choice == 2:
            explorer.weights[rng.integers(KERNEL_SIZE)].value = float(rng.uniform(-1, 1))
        else:
            low = int(rng.integers(8))
            explorer.bands.value = (low, int(rng.integers(low, 8)))
        assert np.isfinite(explorer.response()).all() and explorer.readout.value
        assert explorer.image.value[:4] == b"\x89PNG"
