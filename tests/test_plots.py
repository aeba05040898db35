"""nblib.plots: each helper draws what it says, in the book's style."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

from nblib.activations import ACTIVATIONS
from nblib.layers import Dense
from nblib.network import Network
from nblib import plots


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_the_style_is_applied_only_inside_the_helpers():
    before = plt.rcParams["axes.spines.top"]
    with plots.book_style():
        assert plt.rcParams["axes.spines.top"] is False
    assert plt.rcParams["axes.spines.top"] == before


def test_new_figure_returns_one_axes_or_a_flat_array():
    figure, ax = plots.new_figure()
    assert hasattr(ax, "plot")
    figure, axes = plots.new_figure(ncols=3, nrows=2)
    assert axes.shape == (6,)
    figure, ax = plots.new_figure(pyplot=False)
    assert figure not in [plt.figure(n) for n in plt.get_fignums()]


def test_plane_grid_covers_the_square():
    points, x1, x2 = plots.plane_grid((-2, 2), 5)
    assert points.shape == (25, 2)
    assert points.min() == -2 and points.max() == 2
    np.testing.assert_allclose(x1, [-2, -1, 0, 1, 2])


def test_points_get_a_colour_and_a_marker_per_class():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    ax = plots.plot_points(X, [0, 1, 1])
    collections = ax.collections
    assert len(collections) == 2
    assert to_hex(collections[0].get_facecolor()[0]) == plots.BLUE.lower()
    assert to_hex(collections[1].get_facecolor()[0]) == plots.VERMILLION.lower()
    np.testing.assert_allclose(collections[1].get_offsets(), X[1:])


@pytest.mark.parametrize(
    "weights, bias, check",
    [
        ([1.0, 1.0], -1.0, lambda x1, x2: np.allclose(x1 + x2 - 1.0, 0)),
        ([2.0, 0.0], 1.0, lambda x1, x2: np.allclose(x1, -0.5)),
        ([0.0, -1.0], 0.5, lambda x1, x2: np.allclose(x2, 0.5)),
    ],
)
def test_decision_line_lies_where_the_weighted_sum_is_zero(weights, bias, check):
    x1, x2 = plots.decision_line_points(weights, bias)
    assert check(x1, x2)
    ax = plots.plot_decision_line(weights, bias)
    line = ax.lines[0]
    assert check(line.get_xdata(), line.get_ydata())


def test_no_decision_line_without_weights():
    assert plots.decision_line_points([0.0, 0.0], 1.0) is None


def test_decision_line_with_activation_draws_the_neurons_output():
    ax = plots.plot_decision_line([1.0, 0.0], 0.0, activation="sigmoid", limits=(-3, 3))
    image = ax.images[0].get_array()
    assert image.min() == pytest.approx(1 / (1 + np.exp(3)))
    assert image.max() == pytest.approx(1 / (1 + np.exp(-3)))
    assert image[0, 0] < 0.5 < image[0, -1]  # output grows with x1, left to right


def test_decision_map_of_one_output_shows_its_values(rng):
    network = Network([Dense.from_weights([[1.0], [0.0]], [0.0], "sigmoid")])
    ax = plots.plot_decision_map(network, limits=(-2, 2), resolution=11)
    values = ax.images[0].get_array()
    np.testing.assert_allclose(values[0], 1 / (1 + np.exp(-np.linspace(-2, 2, 11))))
    assert len(ax.collections) >= 1  # the threshold contour


def test_decision_map_of_several_outputs_shows_the_winning_class():
    network = Network([Dense.from_weights([[1.0, -1.0], [0.0, 0.0]], [0.0, 0.0])])
    ax = plots.plot_decision_map(network, limits=(-1, 1), resolution=5)
    np.testing.assert_array_equal(ax.images[0].get_array()[0], [1, 1, 0, 0, 0])


def test_decision_map_limits_follow_the_data(rng):
    X = rng.normal(size=(30, 2))
    ax = plots.plot_decision_map(lambda points: points[:, :1], X, (X[:, 0] > 0).astype(int))
    reach = np.abs(X).max() * 1.1
    assert ax.get_xlim() == pytest.approx((-reach, reach))


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_plot_draws_f_and_its_derivative(name):
    activation = ACTIVATIONS[name]
    axes = plots.plot_activation(name)
    f_line, slope_line = axes[0].lines[0], axes[1].lines[0]
    z = f_line.get_xdata()
    shown = f_line.get_ydata()
    drawn = ~np.isnan(shown)
    np.testing.assert_allclose(shown[drawn], activation.function(z)[drawn])
    slopes = slope_line.get_ydata()
    np.testing.assert_allclose(slopes[~np.isnan(slopes)], activation.derivative(z)[~np.isnan(slopes)])
    assert drawn.sum() >= len(z) - 1 and np.isnan(slopes).sum() <= 1


def test_activations_overview_has_one_panel_each():
    figure = plots.plot_activations()
    titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
    assert titles == [a.label for a in ACTIVATIONS.values()]


def test_network_diagram_draws_every_neuron_and_connection():
    network = Network.from_sizes([2, 3, 1], rng=0)
    ax = plots.plot_network(network)
    assert len(ax.collections) == 2 + 3 + 1
    assert len(ax.lines) == 2 * 3 + 3 * 1
    widths = [line.get_linewidth() for line in ax.lines[:6]]
    weights = np.abs(network.layers[0].weights).ravel()
    assert np.argmax(widths) == np.argmax(weights)  # the strongest weight is the widest line
    colours = {to_hex(line.get_color()) for line in ax.lines}
    assert colours <= {plots.BLUE.lower(), plots.VERMILLION.lower()}


def test_network_diagram_from_sizes_alone():
    ax = plots.plot_network([3, 4, 4, 2])
    assert len(ax.collections) == 13 and len(ax.lines) == 12 + 16 + 8


def test_figure_png_is_a_png():
    figure, _ = plots.new_figure(pyplot=False)
    assert plots.figure_png(figure)[:8] == b"\x89PNG\r\n\x1a\n"


def test_jumps_become_gaps_and_smooth_curves_stay_whole():
    z = np.linspace(-1, 1, 21)
    step = plots.with_gaps_at_jumps(ACTIVATIONS["binary_step"](z))
    assert np.isnan(step).sum() == 1 and np.isnan(step[9]) and step[10] == 1
    relu_slope = plots.with_gaps_at_jumps(ACTIVATIONS["relu"].slope(z))
    assert np.isnan(relu_slope).sum() == 1
    for name in ("linear", "sigmoid", "tanh", "arctan", "relu"):
        curve = plots.with_gaps_at_jumps(ACTIVATIONS[name](np.linspace(-5, 5, 501)))
        assert not np.isnan(curve).any(), name


def test_book_style_keeps_interactive_mode_that_a_backend_switched_on():
    import matplotlib as mpl

    was = mpl.is_interactive()
    try:
        mpl.interactive(False)
        with plots.book_style():
            mpl.interactive(True)  # what the notebook's inline backend does when the first figure is made
        assert mpl.is_interactive()
    finally:
        mpl.interactive(was)


def _pixels(figure, moving=None):
    from io import BytesIO

    from PIL import Image

    return np.asarray(Image.open(BytesIO(plots.figure_png(figure, moving=moving))).convert("RGB"))


def test_drawing_only_the_moving_artists_gives_the_pixels_of_a_whole_drawing():
    figure, ax = plots.new_figure(size=(3, 2.5), pyplot=False)
    image = ax.imshow(np.zeros((5, 5)), extent=(0, 1, 0, 1), vmin=0, vmax=1, aspect="auto")
    points = ax.scatter([0.2, 0.8], [0.3, 0.6], color="black")
    (line,) = ax.plot([0, 1], [0, 1], color="white")
    ax.set_title("still")
    moving = [image, points, line, ax.xaxis, ax.yaxis, *ax.spines.values()]  # the grid lies over the image
    rng = np.random.default_rng(0)
    for step in range(3):
        image.set_data(rng.random((5, 5)))
        line.set_ydata(rng.random(2))
        ax.set_ylim(0, 1 + step)
        quick = _pixels(figure, moving)
        assert np.array_equal(quick, _pixels(figure)), f"step {step}"
    figure.set_dpi(2 * figure.dpi)  # a new resolution: the kept pixels are drawn again at it
    quick = _pixels(figure, moving)
    assert quick.shape == _pixels(figure).shape and np.array_equal(quick, _pixels(figure))


def test_an_artist_missing_from_moving_would_keep_its_old_pixels():
    # The reason `moving` must list what changes: the kept drawing does not follow the others.
    figure, ax = plots.new_figure(size=(3, 2.5), pyplot=False)
    (line,) = ax.plot([0, 1], [0, 1])
    (other,) = ax.plot([0, 1], [1, 0])
    _pixels(figure, [line])
    other.set_ydata([0.5, 0.5])
    assert not np.array_equal(_pixels(figure, [line]), _pixels(figure))
