"""The loss explorer: the loss of a one-input neuron as its weight moves.

Introduced in chapter 4, Loss functions.
"""

import numpy as np

from nblib.activations import get_activation
from nblib.losses import get_loss
from nblib.plots import BLUE, VERMILLION, book_style, new_figure, plot_points
from nblib.validation import as_float_array
from nblib.widgets.base import Explorer, fixed, number, readout_html, slider
from nblib.widgets.arguments import check_loss_explorer

NEURON_FOR_LOSS = {"mse": "linear", "binary_cross_entropy": "sigmoid"}
"""The activation of the explorer's neuron for each loss it can show."""


class LossExplorer(Explorer):
    """A neuron with one input, output f(w·x + b), and a slider for its weight w.

    x, y: 1-D arrays of the same length (inputs and targets; 0/1 labels for binary
    cross-entropy). Left: the data and the neuron's output; right: the loss for every
    weight on the slider, with a dot at the current one.
    """

    def __init__(self, x, y, loss="mse", weight=0.0, bias=0.0, weight_range=(-4.0, 4.0)):
        self.loss = get_loss(loss)
        if self.loss.name not in NEURON_FOR_LOSS:
            raise ValueError(f"loss should be one of {', '.join(NEURON_FOR_LOSS)} for this explorer; got {loss!r}.")
        self.activation = get_activation(NEURON_FOR_LOSS[self.loss.name])
        self.x = as_float_array(x, "x").ravel()
        self.y = as_float_array(y, "y").ravel()
        if len(self.x) != len(self.y) or len(self.x) == 0:
            raise ValueError(f"x and y should be 1-D arrays of the same, non-zero length; got {len(self.x)} and {len(self.y)}.")
        self.bias = float(bias)
        self.weight = slider("w", weight, *weight_range, 0.05)
        self.weights = np.linspace(*weight_range, 241)
        self.losses = np.array([self.loss_at(w) for w in self.weights])
        self.xs = np.linspace(self.x.min() - 0.5, self.x.max() + 0.5, 200)

        figures = [new_figure(size=(3.6, 2.9), pyplot=False)[0] for _ in range(2)]  # one image per panel
        self.ax_data, self.ax_loss = (figure.axes[0] for figure in figures)
        with book_style():
            if self.loss.name == "binary_cross_entropy":
                plot_points(np.column_stack([self.x, self.y]), self.y.astype(int), ax=self.ax_data)
            else:
                self.ax_data.scatter(self.x, self.y, color=BLUE, s=20, zorder=3, label="data")
            (self.output_line,) = self.ax_data.plot([], [], color=VERMILLION, label="neuron's output")
            self.ax_data.set_xlabel("input $x$")
            self.ax_data.set_ylabel("target / output")
            self.ax_data.set_title(f"{self.activation.label} neuron")
            self.ax_loss.plot(self.weights, self.losses, color=BLUE)
            (self.loss_point,) = self.ax_loss.plot([], [], "o", color="black")
            self.ax_loss.set_xlabel("weight $w$")
            self.ax_loss.set_ylabel("loss")
            self.ax_loss.set_title(self.loss.label)
        self._build([self.weight], figures)

    def loss_at(self, weight):
        """The loss of the neuron with weight `weight` on the data."""
        z = weight * self.x + self.bias
        values = z if self.loss.takes == "logits" else self.activation.function(z)
        return self.loss(values, self.y)[0]

    def update(self):
        w = float(self.weight.value)
        self.output_line.set_data(self.xs, self.activation.function(w * self.xs + self.bias))
        current = self.loss_at(w)
        self.loss_point.set_data([w], [current])
        best = self.weights[np.argmin(self.losses)]
        self.readout.value = readout_html(
            f"w = {fixed(w)}: loss <b>{number(current)}</b>",
            ["lowest loss on the slider:", f"{number(self.losses.min())}, at w ≈ {fixed(best)}"],
        )


def loss_explorer(x, y, loss="mse", weight=0.0, bias=0.0):
    """A `LossExplorer`: move the weight of a one-input neuron and watch its loss."""
    check_loss_explorer(x, y, weight, bias)
    return LossExplorer(x, y, loss=loss, weight=weight, bias=bias)
