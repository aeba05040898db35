"""The neuron explorer: a neuron with two inputs, its output map and its decision line.

Introduced in chapter 1, The neuron.
"""

import numpy as np

from nblib.activations import get_activation
from nblib.plots import OUTPUT_CMAP, book_style, decision_line_points, finish_plane, new_figure, output_limits
from nblib.plots import plane_grid
from nblib.validation import as_float_array
from nblib.widgets.base import Explorer, activation_dropdown, fixed, readout_html, signed, slider
from nblib.widgets.arguments import check_neuron_explorer


class NeuronExplorer(Explorer):
    """A neuron with two inputs: sliders for w₁, w₂ and b, a dropdown for f.

    Shows the neuron's output f(w₁x₁ + w₂x₂ + b) over the plane as a map, the
    decision line w₁x₁ + w₂x₂ + b = 0, and, if given, the points X (n_samples, 2)
    of classes y (n_samples,) with how many the neuron gets right.
    Introduced in chapter 1, The neuron.
    """

    def __init__(self, w1=1.0, w2=-1.0, b=0.0, activation="sigmoid", X=None, y=None, limits=(-3.0, 3.0)):
        self.w1 = slider("w₁", w1, -3.0, 3.0, 0.1)
        self.w2 = slider("w₂", w2, -3.0, 3.0, 0.1)
        self.b = slider("b", b, -3.0, 3.0, 0.1)
        self.activation = activation_dropdown(activation)
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
        lines = [f"output = {activation.label}({fixed(w1)}·x₁ {signed(w2)}·x₂ {signed(b)})"]
        if line is None:
            lines.append(["With w₁ = w₂ = 0 the inputs do not matter:", "the output is the same everywhere."])
        if self.X is not None:
            correct = int(((self.outputs(self.X) > activation.threshold).astype(int) == self.y).sum())
            lines.append(f"Correct: <b>{correct} of {len(self.y)}</b> points.")
        self.readout.value = readout_html(*lines)


def neuron_explorer(w1=1.0, w2=-1.0, b=0.0, activation="sigmoid", X=None, y=None):
    """A `NeuronExplorer`: move w₁, w₂, b and pick f; the output map and decision line redraw."""
    check_neuron_explorer(w1, w2, b, activation, X, y)
    return NeuronExplorer(w1=w1, w2=w2, b=b, activation=activation, X=X, y=y)
