"""The learning-rate explorer: gradient descent on one weight, step by step.

Introduced in chapter 5, Gradient descent.

The neuron is ŷ = w·x with one weight and no bias, and the loss is the mean
squared error L(w) = mean((w·x − y)²), a parabola in w with curvature
L″ = 2·mean(x²). A gradient step multiplies the distance to the best weight by
(1 − η·L″), so η below 1/L″ creeps there from one side, η between 1/L″ and 2/L″
overshoots and oscillates but still arrives, and η above 2/L″ diverges.
"""

import ipywidgets as widgets
import numpy as np

from nblib.plots import BLUE, GREY, VERMILLION, book_style, new_figure
from nblib.validation import as_float_array
from nblib.widgets.base import CONTROL_STYLE, CONTROL_WIDTH, Explorer, fixed, learning_rate_slider, number, readout_html
from nblib.widgets.base import slider
from nblib.widgets.arguments import check_learning_rate_explorer

ESCAPE = 1e6
"""A weight farther than this from the best one counts as diverged: the path stops there."""


class LearningRateExplorer(Explorer):
    """Gradient descent on the weight of ŷ = w·x with the MSE loss.

    x, y: 1-D arrays of the same length. Controls: the learning rate (log scale),
    the number of steps and the starting weight.
    """

    def __init__(self, x, y, learning_rate=0.1, steps=20, start=-2.0):
        x = as_float_array(x, "x").ravel()
        y = as_float_array(y, "y").ravel()
        if len(x) != len(y) or len(x) == 0 or not np.any(x):
            raise ValueError("x and y should be 1-D arrays of the same length, and x not all 0.")
        self.x, self.y = x, y
        self.curvature = 2 * np.mean(x * x)
        self.best = np.mean(x * y) / np.mean(x * x)
        self.learning_rate = learning_rate_slider(learning_rate)
        self.steps = widgets.IntSlider(value=steps, min=1, max=50, description="steps",
                                       continuous_update=False, style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH))
        reach = max(3.0, abs(start - self.best) * 1.5)
        self.start = slider("start", start, self.best - reach, self.best + reach, 0.1)
        self.ws = np.linspace(self.best - reach, self.best + reach, 301)

        figures = [new_figure(size=(3.6, 2.9), pyplot=False)[0] for _ in range(2)]  # one image per panel
        self.ax_curve, self.ax_steps = (figure.axes[0] for figure in figures)
        with book_style():
            self.ax_curve.plot(self.ws, self.loss(self.ws), color=BLUE)
            (self.path,) = self.ax_curve.plot([], [], "-o", color=VERMILLION, markersize=4, linewidth=1)
            self.ax_curve.set_xlabel("weight $w$")
            self.ax_curve.set_ylabel("loss $L(w)$")
            self.ax_curve.set_xlim(self.ws[0], self.ws[-1])
            self.ax_curve.set_ylim(-0.05 * self.loss(self.ws).max(), 1.1 * self.loss(self.ws).max())
            (self.step_losses,) = self.ax_steps.plot([0], [1.0], "-o", color=VERMILLION, markersize=3)  # replaced by update()
            self.ax_steps.axhline(self.loss(self.best), color=GREY, linestyle=":", linewidth=1)
            self.ax_steps.set_yscale("log")
            self.ax_steps.set_xlabel("step")
            self.ax_steps.set_ylabel("loss")
        self._build([self.learning_rate, self.steps, self.start], figures)

    def loss(self, w):
        """L(w) = mean((w·x − y)²) for a weight or an array of weights."""
        w = np.asarray(w, dtype=float)
        return np.mean((np.multiply.outer(w, self.x) - self.y) ** 2, axis=-1)

    def path_of_weights(self):
        """The weights w₀ = start, w₁, … after each step, stopping early if they escape."""
        eta, weights = float(self.learning_rate.value), [float(self.start.value)]
        for _ in range(int(self.steps.value)):
            w = weights[-1]
            gradient = 2 * np.mean((w * self.x - self.y) * self.x)
            weights.append(w - eta * gradient)
            if abs(weights[-1] - self.best) > ESCAPE:
                break
        return np.array(weights)

    def behaviour(self, weights):
        """A sentence about what the steps did."""
        eta = float(self.learning_rate.value)
        factor = 1 - eta * self.curvature  # each step multiplies the distance to the best weight by this
        critical = 2 / self.curvature
        if abs(factor) > 1:
            return (f"<b>Diverges</b>: every step lands farther from the minimum. η = {number(eta)} is above "
                    f"{number(critical)}, the largest rate this curve allows; try a smaller learning rate.")
        start_gap, end_gap = abs(weights[0] - self.best), abs(weights[-1] - self.best)
        if factor < 0:
            return (f"<b>Overshoots and oscillates</b>: each step jumps across the minimum, "
                    f"{'and still gets there' if end_gap < 0.05 * max(start_gap, 1e-12) else 'closing in slowly'}.")
        if start_gap > 0 and end_gap > 0.5 * start_gap:
            return f"<b>Crawls</b>: after {len(weights) - 1} steps it has covered less than half the way."
        return "<b>Converges</b>: the steps slide down to the minimum."

    def update(self):
        weights = self.path_of_weights()
        with np.errstate(over="ignore"):
            losses = self.loss(weights)
        shown = np.abs(weights - self.best) <= (self.ws[-1] - self.ws[0])
        self.path.set_data(weights[shown], losses[shown])
        self.step_losses.set_data(np.arange(len(losses)), np.maximum(losses, 1e-12))
        self.ax_steps.set_xlim(-0.5, max(len(losses) - 0.5, 1.5))
        finite = losses[np.isfinite(losses)]
        self.ax_steps.set_ylim(max(min(finite.min(), self.loss(self.best)) / 3, 1e-12), max(finite.max() * 3, 1e-11))
        stopped = "" if len(weights) - 1 == self.steps.value else f" (stopped after {len(weights) - 1} steps: the weight ran away)"
        self.readout.value = readout_html(
            [f"η = {number(self.learning_rate.value)}", f"{len(weights) - 1} steps{stopped}"],
            [f"w: {fixed(weights[0])} → {number(weights[-1])}", f"(best {fixed(self.best)})"],
            f"loss: {number(losses[0])} → {number(losses[-1])}",
            self.behaviour(weights),
        )


def learning_rate_explorer(x, y, learning_rate=0.1, steps=20, start=-2.0):
    """A `LearningRateExplorer`: watch gradient descent crawl, converge, oscillate or diverge."""
    check_learning_rate_explorer(x, y, learning_rate, steps, start)
    return LearningRateExplorer(x, y, learning_rate=learning_rate, steps=steps, start=start)
