"""The book's figures, in one consistent, colour-blind-safe style.

Used from chapter 1 on. Colours come from the Okabe–Ito palette, which stays
distinguishable for the common kinds of colour blindness; classes are told apart
by marker shape as well as colour.

Every helper draws into `ax` when you pass one, and otherwise makes a new
figure of a modest size. Inputs are batch-first: X has shape (n_samples, 2).
"""

from contextlib import contextmanager
from io import BytesIO

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from PIL import Image

from nblib.activations import ACTIVATIONS, get_activation
from nblib.validation import as_float_array

# Okabe & Ito (2008), "Color Universal Design".
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
ORANGE = "#E69F00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#555555"

CLASS_COLORS = [BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY]
CLASS_MARKERS = ["o", "^", "s", "D", "v", "P"]

# Output maps go from blue (low, class 0) through white to vermillion (high, class 1).
OUTPUT_CMAP = LinearSegmentedColormap.from_list("nblib_output", [BLUE, "#F7F7F7", VERMILLION])

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.figsize": (5.0, 3.2),
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": mpl.cycler(color=[BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY]),
    "lines.linewidth": 2.0,
    "legend.frameon": False,
    "image.cmap": "nblib_output",
}
"""The book's matplotlib settings; applied only inside the helpers, never globally."""

mpl.colormaps.register(OUTPUT_CMAP, force=True)


@contextmanager
def book_style():
    """Use the book's style for the figures made inside a `with book_style():` block."""
    with mpl.rc_context(STYLE):
        try:
            yield
        finally:
            # The notebook's inline backend turns interactive mode on when the first figure
            # is made; rc_context would undo that on exit and hide every later figure.
            interactive = mpl.is_interactive()
    mpl.interactive(interactive)


def new_figure(ncols=1, nrows=1, size=None, pyplot=True):
    """A figure with a grid of axes in the book's style: returns (figure, axes).

    With `pyplot=True` the figure shows itself at the end of a notebook cell; the
    explorers use `pyplot=False`, a figure that only draws where they ask.
    """
    with book_style():
        if size is None:
            size = (min(3.6 * ncols, 10.0), 3.0 * nrows)
        if pyplot:
            figure, axes = plt.subplots(nrows, ncols, figsize=size, layout="constrained", squeeze=False)
        else:
            figure = Figure(figsize=size, layout="constrained")
            FigureCanvasAgg(figure)  # draws to pixels, keeping what it can between redraws
            axes = figure.subplots(nrows, ncols, squeeze=False)
    axes = axes[0, 0] if axes.size == 1 else axes.ravel()
    return figure, axes


def axes_or_new(ax, size=None):
    """`ax` if one was given, otherwise the axes of a new figure of `size` in the book's style."""
    if ax is not None:
        return ax
    return new_figure(size=size)[1]


def output_limits(activation, values):
    """Colour limits for a map of neuron outputs: the whole range f can reach if it is
    bounded (sigmoid, tanh, ...), otherwise symmetric around the threshold."""
    activation = get_activation(activation)
    low, high = activation.function(np.array([-1e3, 1e3]))
    if high - low < 10:
        return float(low), float(high)
    finite = np.asarray(values)[np.isfinite(values)]
    half = max(float(np.abs(finite - activation.threshold).max(initial=0.0)), 1e-6)
    return activation.threshold - half, activation.threshold + half


def plane_grid(limits=(-3.0, 3.0), resolution=121):
    """Points on a square grid over the plane: returns (points of shape (resolution², 2), x1 values, x2 values)."""
    low, high = limits
    x1 = np.linspace(low, high, resolution)
    x2 = np.linspace(low, high, resolution)
    grid1, grid2 = np.meshgrid(x1, x2)
    return np.column_stack([grid1.ravel(), grid2.ravel()]), x1, x2


def plot_points(X, y, ax=None, size=28):
    """Scatter 2-D points X (n_samples, 2) coloured and shaped by their integer class y (n_samples,)."""
    X = as_float_array(X, "X")
    y = np.asarray(y).astype(int)
    ax = axes_or_new(ax)
    with book_style():
        for label in np.unique(y):
            chosen = y == label
            ax.scatter(
                X[chosen, 0], X[chosen, 1], s=size,
                color=CLASS_COLORS[label % len(CLASS_COLORS)],
                marker=CLASS_MARKERS[label % len(CLASS_MARKERS)],
                edgecolors="black", linewidths=0.6, label=f"class {label}", zorder=3,
            )
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    return ax


def finish_plane(ax, limits, X=None, y=None):
    """Draw the points X, y (if given) and frame the square `limits` × `limits` of the input plane."""
    if X is not None:
        plot_points(X, y, ax=ax)
    ax.set_xlim(limits)
    ax.set_ylim(limits)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)


def with_gaps_at_jumps(values):
    """`values` of a curve sampled densely, with NaN where it jumps, so a line plot shows a gap there
    instead of a steep segment (the binary step at z = 0, the slope of ReLU at z = 0)."""
    values = np.array(values, dtype=float)
    spread = np.nanmax(values) - np.nanmin(values)
    jumps = np.abs(np.diff(values)) > 0.25 * spread
    values[:-1][jumps] = np.nan
    return values


def decision_line_points(weights, bias, limits=(-3.0, 3.0)):
    """Two points (x1 values, x2 values) on the line w₁x₁ + w₂x₂ + b = 0, or None if w₁ = w₂ = 0."""
    w1, w2 = (float(w) for w in np.ravel(weights)[:2])
    low, high = limits
    if abs(w2) > 1e-12:
        x1 = np.array([low, high])
        return x1, -(w1 * x1 + bias) / w2
    if abs(w1) > 1e-12:
        x2 = np.array([low, high])
        return np.full(2, -bias / w1), x2
    return None


def plot_decision_line(weights, bias, X=None, y=None, activation=None, ax=None, limits=(-3.0, 3.0)):
    """The line w₁x₁ + w₂x₂ + b = 0 where a neuron with two inputs changes its mind.

    weights: shape (2,); bias: a number. With `activation`, the neuron's output
    f(wᵀx + b) is drawn underneath as a map; with X (n_samples, 2) and y, the points.
    """
    weights = as_float_array(weights, "weights").ravel()
    ax = axes_or_new(ax, size=(4.2, 3.4))
    with book_style():
        if activation is not None:
            activation = get_activation(activation)
            points, x1, x2 = plane_grid(limits)
            output = activation.function(points @ weights + bias).reshape(len(x2), len(x1))
            image = ax.imshow(output, origin="lower", extent=(*limits, *limits), cmap=OUTPUT_CMAP,
                              aspect="auto", interpolation="bilinear", clim=output_limits(activation, output))
            ax.figure.colorbar(image, ax=ax, label=f"{activation.label} output", shrink=0.85)
        line = decision_line_points(weights, bias, limits)
        if line is not None:
            ax.plot(*line, color="black", linewidth=2, label="$w^Tx + b = 0$")
        finish_plane(ax, limits, X, y)
    return ax


def plot_decision_map(model, X=None, y=None, ax=None, limits=None, resolution=121, title=None):
    """What a model with two inputs outputs everywhere on the plane, with the data on top.

    model: a `Network` or any function from points (n, 2) to outputs (n, 1) or (n, k).
    One output is drawn as a map of its value, with its threshold as a black line;
    several outputs as a map of the winning class.
    """
    if limits is None:
        if X is not None:
            X = as_float_array(X, "X")
            reach = float(np.abs(X).max()) * 1.1
            limits = (-reach, reach)
        else:
            limits = (-3.0, 3.0)
    ax = axes_or_new(ax, size=(3.8, 3.4))
    points, x1, x2 = plane_grid(limits, resolution)
    output = np.asarray(model(points))
    if output.ndim == 1:
        output = output[:, None]
    with book_style():
        if output.shape[1] == 1:
            values = output[:, 0].reshape(len(x2), len(x1))
            layers = getattr(model, "layers", None)
            activation = layers[-1].activation if layers else get_activation("sigmoid")
            threshold = activation.threshold
            ax.imshow(values, origin="lower", extent=(*limits, *limits), cmap=OUTPUT_CMAP,
                      aspect="auto", interpolation="bilinear", clim=output_limits(activation, values))
            if values.min() < threshold < values.max():
                ax.contour(x1, x2, values, levels=[threshold], colors="black", linewidths=1.5)
        else:
            winners = output.argmax(axis=1).reshape(len(x2), len(x1))
            colors = mpl.colors.ListedColormap(CLASS_COLORS[: output.shape[1]])
            ax.imshow(winners, origin="lower", extent=(*limits, *limits), cmap=colors, alpha=0.35,
                      aspect="auto", interpolation="nearest", vmin=-0.5, vmax=output.shape[1] - 0.5)
        finish_plane(ax, limits, X, y)
        if title:
            ax.set_title(title)
    return ax


def plot_activation(activation, axes=None, limits=(-5.0, 5.0)):
    """An activation f and its derivative f′ side by side over z in `limits`: returns the two axes."""
    activation = get_activation(activation)
    if axes is None:
        axes = new_figure(ncols=2, size=(7.0, 2.6))[1]
    z = np.linspace(*limits, 501)
    with book_style():
        for ax, values, color, name in (
            (axes[0], with_gaps_at_jumps(activation.function(z)), BLUE, f"{activation.label}: $f(z)$"),
            (axes[1], with_gaps_at_jumps(activation.derivative(z)), VERMILLION, "its derivative: $f'(z)$"),
        ):
            ax.plot(z, values, color=color)
            ax.axhline(0, color=GREY, linewidth=0.8)
            ax.axvline(0, color=GREY, linewidth=0.8)
            ax.set_title(name)
            ax.set_xlabel("$z$")
    return axes


def plot_activations(names=None, limits=(-4.0, 4.0), size=None):
    """Small multiples: every activation (or those in `names`) with f solid and f′ dashed."""
    names = list(ACTIVATIONS) if names is None else list(names)
    ncols = min(4, len(names))
    nrows = int(np.ceil(len(names) / ncols))
    figure, axes = new_figure(ncols=ncols, nrows=nrows, size=size or (2.0 * ncols, 1.9 * nrows))
    axes = np.atleast_1d(axes)
    z = np.linspace(*limits, 401)
    with book_style():
        for ax, name in zip(axes, names):
            activation = get_activation(name)
            ax.plot(z, with_gaps_at_jumps(activation.function(z)), color=BLUE, label="$f$")
            ax.plot(z, with_gaps_at_jumps(activation.derivative(z)), color=VERMILLION, linestyle="--", label="$f'$")
            ax.set_title(activation.label)
            ax.set_ylim(-2.2, 2.2)
            ax.axhline(0, color=GREY, linewidth=0.6)
            ax.axvline(0, color=GREY, linewidth=0.6)
        for ax in axes[len(names):]:
            ax.axis("off")
        figure.legend(*axes[0].get_legend_handles_labels(), loc="lower right")
    return figure


def plot_network(network, ax=None, show_weights=True):
    """A diagram of a network: neurons as circles, layer by layer, joined by their connections.

    network: a `Network`, or a list of layer sizes such as [2, 3, 1]. With the
    weights of a Network, a connection's width shows the size of its weight and its
    colour the sign (blue positive, vermillion negative).
    """
    sizes = list(network.sizes) if hasattr(network, "sizes") else [int(s) for s in network]
    weights = [layer.weights for layer in network.layers] if hasattr(network, "layers") else None
    ax = axes_or_new(ax, size=(1.6 * len(sizes) + 1.0, 0.55 * max(sizes) + 1.4))
    tallest = max(sizes)

    def position(layer, neuron):
        return layer, (sizes[layer] - 1) / 2 - neuron

    with book_style():
        for layer in range(len(sizes) - 1):
            largest = np.abs(weights[layer]).max() if weights is not None and show_weights else 1.0
            for i in range(sizes[layer]):
                for j in range(sizes[layer + 1]):
                    (xa, ya), (xb, yb) = position(layer, i), position(layer + 1, j)
                    if weights is not None and show_weights:
                        w = weights[layer][i, j]
                        color = BLUE if w >= 0 else VERMILLION
                        width = 0.4 + 2.6 * abs(w) / (largest or 1.0)
                    else:
                        color, width = GREY, 0.8
                    ax.plot([xa, xb], [ya, yb], color=color, linewidth=width, alpha=0.8, zorder=1)
        for layer, size in enumerate(sizes):
            face = SKY if layer == 0 else (ORANGE if layer == len(sizes) - 1 else GREEN)
            for neuron in range(size):
                ax.scatter(*position(layer, neuron), s=420, color=face, edgecolors="black", linewidths=1, zorder=2)
            if layer == 0:
                label = f"input\n{size} value{'s' * (size != 1)}"
            else:
                kind = "output" if layer == len(sizes) - 1 else f"hidden {layer}"
                label = f"{kind}\n{size} neuron{'s' * (size != 1)}"
            ax.text(layer, (tallest - 1) / 2 + 0.75, label,
                    ha="center", va="bottom", fontsize=9)
        ax.set_xlim(-0.5, len(sizes) - 0.5)
        ax.set_ylim(-(tallest - 1) / 2 - 0.6, (tallest - 1) / 2 + 1.6)
        ax.axis("off")
    return ax


def plot_history(history, ax=None, log_scale=False):
    """Loss per epoch of a training `History`: training loss, and validation loss if there is one."""
    ax = axes_or_new(ax, size=(4.6, 3.0))
    epochs = np.arange(1, history.epochs + 1)
    with book_style():
        ax.plot(epochs, history.loss, color=BLUE, label="training")
        if history.val_loss:
            ax.plot(epochs, history.val_loss, color=VERMILLION, linestyle="--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        if log_scale:
            ax.set_yscale("log")
        ax.legend()
    return ax


def figure_png(figure, palette=False, moving=None):
    """The figure drawn as PNG bytes (used by the explorers to show a redrawn figure).

    Drawn straight to pixels and written with light compression: several times quicker than
    `savefig`, which matters when a slider redraws. With `palette=True` the pixels are reduced to
    256 colours first: quicker still and a third of the size, at the price of faint steps in
    smooth colour maps (the explorers that retrain a network use it). With `moving`, a list of the
    artists that change between calls, only those are drawn again (see `draw_moving`).
    """
    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    if moving:
        draw_moving(canvas, moving)
    else:
        canvas.draw()
    pixels = Image.frombuffer("RGBA", canvas.get_width_height(physical=True), canvas.buffer_rgba()).convert("RGB")
    if palette:
        pixels = pixels.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = BytesIO()
    pixels.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def draw_moving(canvas, moving):
    """Draw a figure whose only changes are the artists `moving` (lines, an image, an axis...).

    The first call lays the figure out with everything in it and fixes that layout, then draws
    everything else once and keeps those pixels; later calls paste them back and draw the moving
    artists over them, in the order of their zorder. Artists that lie above a moving one (points
    over a map, the frame around it) belong in `moving` too, and the axes must keep their place
    (no aspect tied to the data, as imshow's default 'equal'). The kept pixels are drawn again when
    the figure's size or resolution changes.
    """
    figure = canvas.figure
    size = (figure.dpi, canvas.get_width_height(physical=True))
    kept = getattr(figure, "_still_pixels", None)
    if kept is None or kept[0] != size:
        canvas.draw()  # the layout, made with the moving artists in place, then kept
        figure.set_layout_engine("none")
        shown = [artist.get_visible() for artist in moving]
        for artist in moving:
            artist.set_visible(False)
        canvas.draw()
        kept = figure._still_pixels = (size, canvas.copy_from_bbox(figure.bbox))
        for artist, visible in zip(moving, shown):
            artist.set_visible(visible)
    canvas.restore_region(kept[1])
    renderer = canvas.get_renderer()
    for artist in sorted(moving, key=lambda artist: artist.get_zorder()):
        artist.draw(renderer)
