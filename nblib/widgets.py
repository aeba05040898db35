"""Interactive explorers: sliders and dropdowns that redraw a figure as you move them.

Used from chapter 1 on. Each explorer keeps one matplotlib figure, updates its
lines and images when a control changes, and shows the redrawn figure as a PNG
in an `ipywidgets.Image`. It works in JupyterLab and in the classic notebook
with nothing but ipywidgets installed.

Every explorer displays itself when it is the last line of a cell, and keeps
its controls as attributes, so a cell can also set them:

    explorer = neuron_explorer()
    explorer                      # shows it
    explorer.w1.value = 2.0       # moves the slider and redraws
"""

import html

import ipywidgets as widgets
import numpy as np

from nblib.activations import ACTIVATIONS, get_activation
from nblib.plots import BLUE, GREY, OUTPUT_CMAP, VERMILLION, book_style, with_gaps_at_jumps
from nblib.plots import decision_line_points, figure_png, finish_plane, new_figure, plane_grid
from nblib.validation import as_float_array

ACTIVATION_OPTIONS = [(activation.label, name) for name, activation in ACTIVATIONS.items()]
"""Dropdown entries (label shown, name returned) for every activation in the registry."""


def output_limits(activation, values):
    """Colour limits for a map of neuron outputs: the whole range f can reach if it is
    bounded (sigmoid, tanh, ...), otherwise symmetric around the threshold."""
    low, high = activation.function(np.array([-1e3, 1e3]))
    if high - low < 10:
        return float(low), float(high)
    half = max(float(np.abs(values - activation.threshold).max()), 1e-6)
    return activation.threshold - half, activation.threshold + half


def _signed(number):
    """'+ 0.50' or '− 0.50': a number written after a plus or minus sign."""
    return f"{'−' if number < 0 else '+'} {abs(number):.2f}"


def _slider(description, value, low, high, step):
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=False, readout_format=".2f", style={"description_width": "2.5em"},
        layout=widgets.Layout(width="18em"),
    )


class Explorer:
    """What every explorer shares: a figure shown as an image, a readout line, controls."""

    def _build(self, controls, figure):
        self.figure = figure
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{figure.get_figwidth() * 100:.0f}px"))
        self.readout = widgets.HTML()
        for control in controls:
            control.observe(lambda change: self.redraw(), names="value")
        self.widget = widgets.HBox(
            [widgets.VBox([*controls, self.readout], layout=widgets.Layout(width="20em")), self.image],
            layout=widgets.Layout(align_items="center"),
        )
        self.redraw()

    def redraw(self):
        """Update the figure from the controls and show it."""
        self.update()
        self.image.value = figure_png(self.figure)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class NeuronExplorer(Explorer):
    """A neuron with two inputs: sliders for w₁, w₂ and b, a dropdown for f.

    Shows the neuron's output f(w₁x₁ + w₂x₂ + b) over the plane as a map, the
    decision line w₁x₁ + w₂x₂ + b = 0, and, if given, the points X (n_samples, 2)
    of classes y (n_samples,) with how many the neuron gets right.
    Introduced in chapter 1, The neuron.
    """

    def __init__(self, w1=1.0, w2=-1.0, b=0.0, activation="sigmoid", X=None, y=None, limits=(-3.0, 3.0)):
        self.w1 = _slider("w₁", w1, -3.0, 3.0, 0.1)
        self.w2 = _slider("w₂", w2, -3.0, 3.0, 0.1)
        self.b = _slider("b", b, -3.0, 3.0, 0.1)
        self.activation = widgets.Dropdown(
            options=ACTIVATION_OPTIONS, value=get_activation(activation).name, description="f",
            style={"description_width": "2.5em"}, layout=widgets.Layout(width="18em"),
        )
        self.X = None if X is None else as_float_array(X, "X")
        self.y = None if y is None else np.asarray(y).astype(int)
        self.points, x1, x2 = plane_grid(limits, resolution=101)
        self.grid_shape = (len(x2), len(x1))
        self.limits = limits

        figure, ax = new_figure(size=(4.4, 3.5), pyplot=False)
        with book_style():
            self.map = ax.imshow(np.zeros(self.grid_shape), origin="lower", extent=(*limits, *limits),
                                 cmap=OUTPUT_CMAP, aspect="auto", interpolation="bilinear")
            self.colorbar = figure.colorbar(self.map, ax=ax, shrink=0.85)
            (self.line,) = ax.plot([], [], color="black", linewidth=2)
            finish_plane(ax, limits, self.X, self.y)
        self.ax = ax
        self._build([self.w1, self.w2, self.b, self.activation], figure)

    def outputs(self, X):
        """The neuron's output for points X of shape (n_samples, 2): shape (n_samples,)."""
        weights = np.array([self.w1.value, self.w2.value])
        return get_activation(self.activation.value).function(X @ weights + self.b.value)

    def update(self):
        activation = get_activation(self.activation.value)
        values = self.outputs(self.points).reshape(self.grid_shape)
        self.map.set_data(values)
        self.map.set_clim(*output_limits(activation, values))
        self.colorbar.set_label(f"{activation.label} output")
        line = decision_line_points([self.w1.value, self.w2.value], self.b.value, self.limits)
        self.line.set_data(*(line if line is not None else ([], [])))

        w1, w2, b = self.w1.value, self.w2.value, self.b.value
        text = f"output = {activation.label}({w1:.2f}·x₁ {_signed(w2)}·x₂ {_signed(b)})"
        if line is None:
            text += "<br>With w₁ = w₂ = 0 the inputs do not matter: the output is the same everywhere."
        if self.X is not None:
            correct = int(((self.outputs(self.X) > activation.threshold).astype(int) == self.y).sum())
            text += f"<br>Correct: <b>{correct} of {len(self.y)}</b> points."
        self.readout.value = text


class ActivationExplorer(Explorer):
    """An activation f and its derivative f′, with a slider for z.

    The dropdown picks f; the slider moves a point along f, with the tangent whose
    slope is f′(z), and the same point on f′. Introduced in chapter 2, Activation functions.
    """

    def __init__(self, activation="sigmoid", z=1.0, limits=(-5.0, 5.0)):
        self.activation = widgets.Dropdown(
            options=ACTIVATION_OPTIONS, value=get_activation(activation).name, description="f",
            style={"description_width": "2.5em"}, layout=widgets.Layout(width="18em"),
        )
        self.z = _slider("z", z, limits[0], limits[1], 0.1)
        self.zs = np.linspace(*limits, 501)

        figure, (self.ax_f, self.ax_slope) = new_figure(ncols=2, size=(7.0, 2.8), pyplot=False)
        with book_style():
            (self.f_line,) = self.ax_f.plot([], [], color=BLUE)
            (self.tangent,) = self.ax_f.plot([], [], color=GREY, linestyle="--", linewidth=1.2)
            (self.f_point,) = self.ax_f.plot([], [], "o", color="black")
            (self.slope_line,) = self.ax_slope.plot([], [], color=VERMILLION)
            (self.slope_point,) = self.ax_slope.plot([], [], "o", color="black")
            for ax in (self.ax_f, self.ax_slope):
                ax.axhline(0, color=GREY, linewidth=0.8)
                ax.axvline(0, color=GREY, linewidth=0.8)
                ax.set_xlim(limits)
                ax.set_xlabel("$z$")
            self.ax_f.set_title("$f(z)$")
            self.ax_slope.set_title("$f'(z)$, the slope of $f$")
        self._build([self.activation, self.z], figure)

    def update(self):
        activation = get_activation(self.activation.value)
        zs, z = self.zs, float(self.z.value)
        values, slopes = with_gaps_at_jumps(activation.function(zs)), with_gaps_at_jumps(activation.derivative(zs))
        f_z = float(activation.function(np.array(z)))
        slope_z = float(activation.derivative(np.array(z)))
        self.f_line.set_data(zs, values)
        self.slope_line.set_data(zs, slopes)
        self.f_point.set_data([z], [f_z])
        self.slope_point.set_data([z], [slope_z])
        self.tangent.set_data([z - 1.0, z + 1.0], [f_z - slope_z, f_z + slope_z])
        for ax, shown in ((self.ax_f, values), (self.ax_slope, slopes)):
            low, high = float(np.nanmin(shown)), float(np.nanmax(shown))
            margin = 0.1 * max(high - low, 1.0)
            ax.set_ylim(low - margin, high + margin)
        self.readout.value = (
            f"<b>{html.escape(activation.label)}</b>: {html.escape(activation.formula)}<br>"
            f"outputs: {html.escape(activation.output_range)}<br>"
            f"f({z:.2f}) = {f_z:.3f}, slope f′({z:.2f}) = {slope_z:.3f}"
        )


def neuron_explorer(w1=1.0, w2=-1.0, b=0.0, activation="sigmoid", X=None, y=None):
    """A `NeuronExplorer`: move w₁, w₂, b and pick f; the output map and decision line redraw."""
    return NeuronExplorer(w1=w1, w2=w2, b=b, activation=activation, X=X, y=y)


def activation_explorer(activation="sigmoid", z=1.0):
    """An `ActivationExplorer`: pick f and move z; f, f′ and the tangent at z redraw."""
    return ActivationExplorer(activation=activation, z=z)
