"""The playground, headless: controls, presets, hiding, buttons, Reset, divergence, and a long fuzz test."""

import numpy as np
import pytest

from nblib.activations import ACTIVATIONS
from nblib.datasets import DATASETS
from nblib.widgets import playground
from nblib.widgets.deep_networks import BATCH_SIZES, CONTROL_NAMES


@pytest.fixture(scope="module")
def small():
    return dict(n_samples=60, epochs=5, train_epochs=10)


def test_starts_trained_for_the_preset_epochs(small):
    ground = playground(**small)
    assert len(ground.train_loss) == len(ground.test_loss) == 5
    assert ground.readout_text.startswith("epoch 5 ·")
    np.testing.assert_allclose(ground.train_line.get_ydata(), ground.train_loss)
    assert ground.image.value[:4] == b"\x89PNG"


def test_presets_set_every_control_and_the_network(small):
    ground = playground(dataset="spiral", noise=0.2, test_share=0.5, hidden=[8, 8, 8], activation="relu",
                        learning_rate=0.05, batch_size=8, **small)
    values = {name: getattr(ground, name).value for name in CONTROL_NAMES}
    assert values == {"dataset": "spiral", "noise": 0.2, "test_share": 0.5, "hidden_layers": 3, "neurons": 8,
                      "activation": "relu", "learning_rate": pytest.approx(0.05), "batch_size": 8}
    assert ground.network.sizes == [2, 8, 8, 8, 1]
    assert [layer.activation.name for layer in ground.network.layers] == ["relu"] * 3 + ["sigmoid"]
    assert len(ground.X_test) == 30


def test_uneven_preset_layers_are_kept_until_the_sliders_move(small):
    ground = playground(hidden=[6, 3], **small)
    assert ground.network.sizes == [2, 6, 3, 1]
    ground.noise.value = 0.2
    assert ground.network.sizes == [2, 6, 3, 1]
    ground.neurons.value = 5
    assert ground.network.sizes == [2, 5, 5, 1]


def test_hidden_controls_are_not_shown_but_keep_their_preset(small):
    ground = playground(dataset="xor", hide=["dataset", "learning_rate"], **small)
    assert ground.dataset.layout.display == "none" and ground.learning_rate.layout.display == "none"
    assert ground.noise.layout.display != "none"
    assert ground.dataset.value == "xor"


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"hide": ["colour"]}, ["hide should list control names"]),
        ({"hide": "dataset"}, ["hide should list"]),
        ({"dataset": "swirl"}, ["dataset should be one of"]),
        ({"hidden": [8, 0]}, ["hidden should list 0 to 4 layer sizes, each from 1 to 16"]),
        ({"hidden": [4] * 5}, ["hidden should list 0 to 4"]),
        ({"hidden": "big"}, ["hidden should list"]),
        ({"batch_size": 3}, ["batch_size should be one of"]),
        ({"batch_size": "some"}, ["batch_size should be one of"]),
        ({"activation": "swish"}, ["activation should be one of"]),
    ],
)
def test_bad_presets_are_explained(kwargs, words, small):
    with pytest.raises((ValueError, TypeError)) as raised:
        playground(**{**small, **kwargs})
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize(
    "name, value, check",
    [
        ("dataset", "blobs", lambda g: g.network.sizes[-1] == 3 and g.loss == "softmax_cross_entropy"),
        ("noise", 0.4, lambda g: g.noise.value == 0.4),
        ("test_share", 0.5, lambda g: len(g.X_test) == 30),
        ("hidden_layers", 3, lambda g: g.network.sizes == [2, 4, 4, 4, 1]),
        ("neurons", 9, lambda g: g.network.sizes == [2, 9, 9, 1]),
        ("activation", "leaky_relu", lambda g: g.network.layers[0].activation.name == "leaky_relu"),
        ("learning_rate", 0.01, lambda g: g.train_loss[-1] > 0.5),
        ("batch_size", 4, lambda g: g.batch_size.value == 4),
    ],
)
def test_each_control_changes_what_it_should_and_redraws(name, value, check, small):
    ground = playground(**small)
    image, loss = ground.image.value, list(ground.train_loss)
    getattr(ground, name).value = value
    assert check(ground)
    assert len(ground.train_loss) == 5  # retrained from the seed for the preset epochs
    assert ground.image.value != image
    if name in ("dataset", "noise", "test_share", "hidden_layers", "neurons", "activation", "learning_rate", "batch_size"):
        assert ground.train_loss != loss or name == "batch_size" and loss == ground.train_loss


def test_batch_size_all_is_the_default_and_none_means_all(small):
    assert playground(**small).batch_size.value == "all"
    assert playground(batch_size=None, **small).batch_size.value == "all"


def test_data_and_points_on_the_map(small):
    ground = playground(dataset="moons", **small)
    shown = np.concatenate([points.get_offsets() for points in ground.train_points])
    assert len(shown) == len(ground.X_train)
    assert np.abs(ground.X_train).max() <= 2.0


def test_step_adds_one_epoch_and_train_adds_the_preset_number(small):
    ground = playground(**small)
    ground.step_button.click()
    assert len(ground.train_loss) == 6
    ground.train_button.click()
    assert len(ground.train_loss) == 16
    assert ground.readout_text.startswith("epoch 16 ·")


def test_reset_restores_the_seeded_weights_exactly(small):
    ground = playground(**small)
    ground.reset_button.click()
    start = ground.network.copy_parameters()
    ground.train_button.click()
    assert not np.array_equal(ground.network.layers[0].weights, start[0])
    ground.reset_button.click()
    for saved, now in zip(start, ground.network.copy_parameters()):
        np.testing.assert_array_equal(saved, now)
    assert ground.train_loss == [] and ground.readout_text.startswith("epoch 0:")


def test_every_hidden_neuron_gets_a_map(small):
    ground = playground(hidden=[3, 5], **small)
    mosaic = np.asarray(ground.neuron_mosaic.get_array())
    filled = ~np.isnan(mosaic)
    assert filled.sum() == (3 + 5) * 24 * 24
    assert np.nanmin(mosaic) >= 0 and np.nanmax(mosaic) <= 1
    ground.hidden_layers.value = 0
    assert "no hidden layers" in ground.neurons_note.get_text()


def test_a_diverging_run_shows_its_message_and_the_playground_keeps_working(small, monkeypatch):
    import nblib.widgets.deep_networks as module
    from nblib.training import History, TrainingDiverged

    ground = playground(**small)

    def diverging_fit(*args, **kwargs):
        raise TrainingDiverged("Training stopped: the loss became nan at epoch 2 with learning rate 10", History(loss=[0.7], accuracy=[0.5], val_loss=[0.7], val_accuracy=[0.5]))

    monkeypatch.setattr(module, "fit", diverging_fit)
    ground.learning_rate.value = 10.0
    assert "Training stopped: the loss became nan" in ground.readout.value
    ground.step_button.click()  # further training waits for a change of settings
    assert len(ground.train_loss) == 1
    monkeypatch.undo()
    ground.learning_rate.value = 0.5
    assert "Training stopped" not in ground.readout.value and len(ground.train_loss) == 5


def test_one_thousand_random_control_changes_never_fail():
    """Seeded fuzz test: random valid values for random controls, and random button presses."""
    rng = np.random.default_rng(2026)
    ground = playground(n_samples=40, epochs=1, train_epochs=2)
    choices = {
        "dataset": list(DATASETS), "activation": list(ACTIVATIONS), "batch_size": BATCH_SIZES,
    }
    for _ in range(1000):
        action = rng.integers(len(CONTROL_NAMES) + 3)
        if action >= len(CONTROL_NAMES):
            [ground.train_button, ground.step_button, ground.reset_button][action - len(CONTROL_NAMES)].click()
            continue
        name = CONTROL_NAMES[action]
        control = getattr(ground, name)
        if name in choices:
            control.value = choices[name][rng.integers(len(choices[name]))]
        elif name == "learning_rate":
            control.value = float(10 ** rng.uniform(control.min, control.max))
        elif isinstance(control.value, int):
            control.value = int(rng.integers(control.min, control.max + 1))
        else:
            control.value = float(np.round(rng.uniform(control.min, control.max), 2))
        assert ground.readout_text.startswith("epoch ")
        assert ground.network.sizes[1:-1] == ground.hidden


def test_the_images_are_the_whole_picture_after_every_kind_of_change(small):
    # The playground redraws only what moves in its map and loss panels: the result must be the same pixels.
    from io import BytesIO

    from PIL import Image

    from nblib.plots import figure_png

    ground = playground(**small)
    ground.palette = False  # compare exact colours
    changes = [("learning_rate", 0.3), ("noise", 0.3), ("dataset", "xor"), ("dataset", "spiral"), ("hidden_layers", 3),
               ("neurons", 7), ("hidden_layers", 0), ("hidden_layers", 2), ("activation", "relu"), ("batch_size", 8)]
    for name, value in changes + [("Train", None), ("Step", None)]:
        if value is None:
            (ground.train_button if name == "Train" else ground.step_button).click()
        else:
            getattr(ground, name).value = value
        for image, figure in zip(ground.images, ground.figures):
            shown = np.asarray(Image.open(BytesIO(image.value)).convert("RGB"))
            whole = np.asarray(Image.open(BytesIO(figure_png(figure))).convert("RGB"))
            assert np.array_equal(shown, whole), f"after {name} = {value!r}"
