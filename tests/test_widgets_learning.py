"""The explorers of chapters 4, 5 and 7, headless: each control changes the state, the figure data and the image."""

import numpy as np
import pytest

from nblib.datasets import blobs, moons
from nblib.widgets import learning_rate_explorer, loss_explorer, training_explorer


@pytest.fixture
def line_data():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, 20)
    return x, 1.5 * x + 0.3 * rng.normal(size=20)


class TestLossExplorer:
    def test_the_dot_sits_on_the_loss_curve_at_the_slider(self, line_data):
        x, y = line_data
        explorer = loss_explorer(x, y, weight=0.5)
        (w,), (loss,) = explorer.loss_point.get_data()
        assert w == 0.5
        assert loss == pytest.approx(np.mean((0.5 * x - y) ** 2))
        assert "loss <b>" in explorer.readout.value

    def test_moving_the_weight_moves_the_output_line_and_redraws(self, line_data):
        x, y = line_data
        explorer = loss_explorer(x, y)
        before = explorer.image.value
        explorer.weight.value = 1.5
        xs, outputs = explorer.output_line.get_data()
        np.testing.assert_allclose(outputs, 1.5 * xs)
        assert explorer.image.value != before
        assert "w = 1.50" in explorer.readout_text

    def test_the_lowest_loss_on_the_slider_is_near_the_least_squares_weight(self, line_data):
        x, y = line_data
        explorer = loss_explorer(x, y)
        best = explorer.weights[np.argmin(explorer.losses)]
        assert best == pytest.approx(np.sum(x * y) / np.sum(x * x), abs=0.04)

    def test_binary_cross_entropy_uses_a_sigmoid_neuron(self):
        x = np.linspace(-2, 2, 10)
        explorer = loss_explorer(x, (x > 0).astype(int), loss="binary_cross_entropy", weight=2.0)
        xs, outputs = explorer.output_line.get_data()
        np.testing.assert_allclose(outputs, 1 / (1 + np.exp(-2 * xs)))
        assert explorer.losses[-1] < explorer.losses[0]  # larger weights fit these labels better

    def test_unsupported_losses_and_bad_data_are_explained(self):
        with pytest.raises(ValueError, match="for this explorer"):
            loss_explorer([1.0, 2.0], [0, 1], loss="softmax_cross_entropy")
        with pytest.raises(ValueError, match="same length and of non-zero length"):
            loss_explorer([1.0, 2.0], [1.0])


class TestLearningRateExplorer:
    @pytest.mark.parametrize(
        "learning_rate, behaviour",
        [(1e-4, "Crawls"), (0.1, "Converges"), (0.5, "Overshoots and oscillates"), (10.0, "Diverges")],
    )
    def test_names_the_four_behaviours(self, line_data, learning_rate, behaviour):
        x, y = line_data
        explorer = learning_rate_explorer(x, y, learning_rate=learning_rate)
        assert behaviour in explorer.readout_text

    def test_steps_follow_the_gradient_descent_rule(self, line_data):
        x, y = line_data
        explorer = learning_rate_explorer(x, y, learning_rate=0.05, steps=3, start=-1.0)
        weights = [-1.0]
        for _ in range(3):
            weights.append(weights[-1] - 0.05 * 2 * np.mean((weights[-1] * x - y) * x))
        np.testing.assert_allclose(explorer.path.get_xdata(), weights)
        assert len(explorer.step_losses.get_xdata()) == 4

    def test_the_critical_learning_rate_separates_convergence_from_divergence(self, line_data):
        x, y = line_data
        explorer = learning_rate_explorer(x, y)
        critical = 2 / explorer.curvature
        explorer.learning_rate.value = critical * 0.95
        assert "Diverges" not in explorer.readout_text
        explorer.learning_rate.value = critical * 1.05
        assert "Diverges" in explorer.readout_text and "try a smaller learning rate" in explorer.readout_text

    def test_divergence_stops_the_path_instead_of_overflowing(self, line_data):
        x, y = line_data
        explorer = learning_rate_explorer(x, y, learning_rate=10.0, steps=50)
        assert "stopped after" in explorer.readout_text
        assert np.isfinite(explorer.step_losses.get_ydata()).all()

    def test_every_control_redraws(self, line_data):
        x, y = line_data
        explorer = learning_rate_explorer(x, y)
        for control, value in ((explorer.learning_rate, 0.02), (explorer.steps, 5), (explorer.start, 1.0)):
            before = explorer.image.value
            control.value = value
            assert explorer.image.value != before


@pytest.fixture(scope="module")
def data():
    return moons(120, noise=0.15, seed=0)


class TestTrainingExplorer:
    def test_trains_from_the_seed_and_shows_the_result(self, data):
        X, y = data
        explorer = training_explorer(X, y, epochs=100)
        assert explorer.history.epochs == 100
        np.testing.assert_allclose(explorer.train_line.get_ydata(), explorer.history.loss)
        assert "after 100 epochs" in explorer.readout_text
        again = training_explorer(X, y, epochs=100)
        assert again.history.loss == explorer.history.loss

    def test_changing_the_learning_rate_retrains_and_redraws(self, data):
        X, y = data
        explorer = training_explorer(X, y, epochs=50, learning_rate=0.01)
        loss_before, image_before = explorer.history.loss[-1], explorer.image.value
        map_before = np.array(explorer.map.get_array())
        explorer.learning_rate.value = 1.0
        assert explorer.history.loss[-1] < loss_before
        assert explorer.image.value != image_before
        assert not np.allclose(explorer.map.get_array(), map_before)

    def test_binary_step_cannot_learn_and_linear_cannot_bend(self, data):
        X, y = data
        explorer = training_explorer(X, y, epochs=100, learning_rate=0.5)
        explorer.activation.value = "binary_step"
        assert explorer.network.layers[0].activation.name == "binary_step"
        np.testing.assert_array_equal(explorer.network.layers[0].weights,
                                      training_explorer(X, y, epochs=1, activation="binary_step").network.layers[0].weights)
        explorer.activation.value = "tanh"
        tanh_accuracy = explorer.history.accuracy[-1]
        explorer.activation.value = "linear"
        assert explorer.history.accuracy[-1] < tanh_accuracy

    def test_divergence_shows_its_message_and_what_was_learned_before(self, data, monkeypatch):
        import nblib.widgets.training as module
        from nblib.training import History, TrainingDiverged

        def diverging_fit(network, X, y, **kwargs):
            history = History(loss=[0.7, 0.6], accuracy=[0.5, 0.6])
            raise TrainingDiverged("Training stopped: the loss became inf at epoch 3 with learning rate 10", history)

        X, y = data
        explorer = training_explorer(X, y, epochs=50)
        monkeypatch.setattr(module, "fit", diverging_fit)
        explorer.learning_rate.value = 10.0
        assert "Training stopped: the loss became inf at epoch 3" in explorer.readout_text
        assert "after 2 epochs" in explorer.readout_text
        np.testing.assert_allclose(explorer.train_line.get_ydata(), [0.7, 0.6])
        assert np.isfinite(np.asarray(explorer.map.get_array(), dtype=float)).all()

    def test_several_classes_and_validation_data(self):
        X, y = blobs(90, seed=0)
        explorer = training_explorer(X, y, loss="softmax_cross_entropy", epochs=30, validation_data=(X[:20], y[:20]))
        assert set(np.unique(explorer.map.get_array())) <= {0, 1, 2}
        assert len(explorer.val_line.get_ydata()) == 30
        assert "validation: loss" in explorer.readout_text


def _same_as_a_whole_drawing(explorer):
    """Every panel's image equals the figure drawn whole (the explorer draws only what moves)."""
    from io import BytesIO

    from PIL import Image

    from nblib.plots import figure_png

    for image, figure in zip(explorer.images, explorer.figures):
        shown = np.asarray(Image.open(BytesIO(image.value)).convert("RGB"))
        whole = np.asarray(Image.open(BytesIO(figure_png(figure, palette=explorer.palette))).convert("RGB"))
        assert np.array_equal(shown, whole)


@pytest.mark.parametrize("validation", [False, True])
def test_training_explorer_redraws_only_what_moves_and_shows_the_whole_picture(validation):
    X, y = moons(80, noise=0.2, seed=1)
    explorer = training_explorer(X, y, epochs=20, validation_data=(X[:20], y[:20]) if validation else None)
    explorer.palette = False  # compare exact colours
    for name, value in [("learning_rate", 0.05), ("activation", "relu"), ("learning_rate", 9.0), ("activation", "sigmoid")]:
        getattr(explorer, name).value = value
        _same_as_a_whole_drawing(explorer)
