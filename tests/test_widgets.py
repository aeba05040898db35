"""nblib.widgets, headless: moving a control changes the state, the figure's data and the image shown."""

import base64

import numpy as np
import pytest

from nblib.activations import ACTIVATIONS
from nblib.plots import output_limits
from nblib.widgets import ACTIVATION_OPTIONS, activation_explorer, neuron_explorer
from nblib.widgets.base import fixed, number, signed


def test_every_activation_is_in_the_dropdowns():
    assert [name for _, name in ACTIVATION_OPTIONS] == list(ACTIVATIONS)
    assert [name for _, name in neuron_explorer().activation.options] == list(ACTIVATIONS)
    assert [name for _, name in activation_explorer().activation.options] == list(ACTIVATIONS)


def test_explorers_display_as_widgets_with_a_picture_for_pages_without_a_kernel():
    for explorer in (neuron_explorer(), activation_explorer()):
        data, metadata = explorer._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in data
        assert explorer.image.value[:4] == b"\x89PNG"
        picture = base64.b64decode(data["image/png"])
        assert picture[:4] == b"\x89PNG"
        width = int.from_bytes(picture[16:20], "big")  # the PNG header's width: one pixel per page pixel
        panels = sum(round(figure.get_figwidth() * 100) for figure in explorer.figures)
        assert width == metadata["image/png"]["width"] == panels + 16 * (len(explorer.figures) - 1)  # side by side
        assert "HBox" not in data["text/plain"] and "run the chapter" in data["text/plain"]
        for figure, image in zip(explorer.figures, explorer.images):  # one image per panel, for HiDPI screens
            assert figure.dpi == 200 and image.layout.width == f"{figure.get_figwidth() * 100:.0f}px"


def test_explorer_text_stays_readable_at_the_smallest_size_shown():
    """9-point text at 100 page pixels per inch is 12.5 px; shrunk to 80 % it is still 10 px."""
    from matplotlib.text import Text

    from nblib.datasets import moons
    from nblib.widgets import learning_rate_explorer, loss_explorer, playground, sound_explorer, training_explorer
    from nblib.widgets.base import SMALLEST_SCALE

    x = np.linspace(-1, 1, 5)
    X, y = moons(40, noise=0.1, seed=0)
    for explorer in (neuron_explorer(), activation_explorer(), loss_explorer(x, 2 * x), learning_rate_explorer(x, 2 * x),
                     training_explorer(X, y, epochs=5), playground(epochs=2), sound_explorer()):
        for figure in explorer.figures:
            sizes = [text.get_fontsize() for text in figure.findobj(Text) if text.get_text()]
            assert min(sizes) * 100 / 72 * SMALLEST_SCALE >= 10, (type(explorer).__name__, min(sizes))


def test_readouts_write_numbers_as_a_reader_does():
    assert number(-2.0) == "−2" and fixed(-2.0) == "−2.00" and fixed(-0.001) == "0.00"
    assert number(1.234e300) == "1.23 × 10³⁰⁰" and number(-5e-7) == "−5 × 10⁻⁷"
    assert number(float("inf")) == "∞" and number(float("nan")) == "not a number"
    assert signed(-1.0) == "−\u00a01.00" and signed(0.5) == "+\u00a00.50"  # the sign never left alone at a line end


class TestNeuronExplorer:
    def test_starts_from_the_given_values(self):
        explorer = neuron_explorer(w1=0.5, w2=2.0, b=-1.0, activation="tanh")
        assert (explorer.w1.value, explorer.w2.value, explorer.b.value) == (0.5, 2.0, -1.0)
        assert explorer.activation.value == "tanh"
        assert "tanh(0.50·x₁ + 2.00·x₂ − 1.00)" in explorer.readout_text

    def test_map_shows_the_neurons_output(self):
        explorer = neuron_explorer(w1=1.0, w2=-1.0, b=0.5, activation="sigmoid")
        points = explorer.points
        expected = 1 / (1 + np.exp(-(points[:, 0] - points[:, 1] + 0.5)))
        np.testing.assert_allclose(explorer.map.get_array().ravel(), expected)
        assert explorer.map.get_clim() == pytest.approx((0.0, 1.0))

    def test_moving_a_slider_redraws_the_line_the_map_and_the_image(self):
        explorer = neuron_explorer(w1=1.0, w2=1.0, b=0.0)
        image_before = explorer.image.value
        map_before = np.array(explorer.map.get_array())
        explorer.b.value = 1.0
        x1, x2 = explorer.line.get_data()
        np.testing.assert_allclose(np.asarray(x1) + np.asarray(x2) + 1.0, 0.0, atol=1e-12)
        assert not np.allclose(explorer.map.get_array(), map_before)
        assert explorer.image.value != image_before
        assert "+ 1.00)" in explorer.readout_text

    def test_changing_the_activation_redraws_with_its_range(self):
        explorer = neuron_explorer(activation="sigmoid")
        explorer.activation.value = "tanh"
        assert explorer.map.get_clim() == pytest.approx((-1.0, 1.0))
        assert explorer.colorbar.ax.get_ylabel() == "tanh output"
        assert explorer.map.get_array().min() < 0
        explorer.activation.value = "relu"
        assert explorer.map.get_array().min() == 0
        assert "ReLU(" in explorer.readout_text

    def test_zero_weights_have_no_line_and_say_why(self):
        explorer = neuron_explorer(w1=0.0, w2=0.0, b=0.3)
        assert len(explorer.line.get_xdata()) == 0
        assert "the output is the same everywhere" in explorer.readout_text

    def test_counts_the_points_the_neuron_gets_right(self):
        X = np.array([[1.0, 0.0], [-1.0, 0.0], [2.0, 1.0], [-2.0, 1.0]])
        y = np.array([1, 0, 1, 0])
        explorer = neuron_explorer(w1=1.0, w2=0.0, b=0.0, X=X, y=y)
        assert "4 of 4" in explorer.readout_text
        explorer.b.value = 1.5  # moves the line to x1 = -1.5: the point (-1, 0) is now on the wrong side
        assert "3 of 4" in explorer.readout_text

    def test_sliders_clamp_to_their_range(self):
        explorer = neuron_explorer()
        explorer.w1.value = 100
        assert explorer.w1.value == explorer.w1.max == 3.0


class TestActivationExplorer:
    @pytest.mark.parametrize("name", list(ACTIVATIONS))
    def test_draws_f_and_its_slope_for_every_activation(self, name):
        explorer = activation_explorer(name, z=1.5)
        activation = ACTIVATIONS[name]
        zs = explorer.f_line.get_xdata()
        shown = np.asarray(explorer.f_line.get_ydata())
        drawn = ~np.isnan(shown)
        np.testing.assert_allclose(shown[drawn], activation.function(zs)[drawn])
        slopes = np.asarray(explorer.slope_line.get_ydata())
        np.testing.assert_allclose(slopes[~np.isnan(slopes)], activation.derivative(zs)[~np.isnan(slopes)])
        assert explorer.f_point.get_ydata()[0] == pytest.approx(float(activation(1.5)))
        assert activation.label in explorer.readout_text

    def test_the_tangent_has_the_slope_of_the_derivative(self):
        explorer = activation_explorer("tanh", z=0.5)
        (za, zb), (fa, fb) = explorer.tangent.get_data()
        assert (fb - fa) / (zb - za) == pytest.approx(1 - np.tanh(0.5) ** 2)
        assert "f′(0.50) = 0.786" in explorer.readout_text

    def test_moving_z_moves_the_points_and_redraws(self):
        explorer = activation_explorer("sigmoid", z=0.0)
        before = explorer.image.value
        explorer.z.value = -2.0
        assert explorer.f_point.get_xdata()[0] == -2.0
        assert explorer.slope_point.get_ydata()[0] == pytest.approx(ACTIVATIONS["sigmoid"].slope(-2.0))
        assert explorer.image.value != before

    def test_changing_the_activation_changes_curves_and_text(self):
        explorer = activation_explorer("sigmoid")
        explorer.activation.value = "binary_step"
        assert np.all(np.asarray(explorer.slope_line.get_ydata()) == 0)  # no jump: no gap
        assert "binary step" in explorer.readout_text
        low, high = explorer.ax_f.get_ylim()
        assert low < 0 and high > 1


def test_output_limits():
    values = np.array([[0.0, 4.0]])
    assert output_limits(ACTIVATIONS["sigmoid"], values) == pytest.approx((0, 1))
    assert output_limits(ACTIVATIONS["relu"], values) == pytest.approx((-4, 4))


def test_the_log_slider_keeps_values_in_its_range_and_shows_them_as_written():
    from traitlets import TraitError

    from nblib.widgets.base import learning_rate_slider

    eta = learning_rate_slider(1.0, low=1e-3, high=10.0)
    assert (eta.base, eta.min, eta.max, eta.description) == (10, -3, 1, "η")
    eta.value = 0.3  # typed values are kept as typed, between the notches
    assert eta.value == 0.3 and eta.readout() == "0.3"
    eta.value = 50.0
    assert eta.value == 10.0  # beyond the range: its nearest end, as ipywidgets' log slider does
    eta.value = 1e-9
    assert eta.value == pytest.approx(1e-3)
    with pytest.raises(TraitError, match="η should be a finite number"):
        eta.value = float("nan")
    assert learning_rate_slider(0.012).readout() == "0.012"
