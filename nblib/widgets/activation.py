"""The activation explorer: an activation f, its derivative f′, and the tangent at a point z.

Introduced in chapter 2, Activation functions.
"""

import html
import re

import numpy as np

from nblib.activations import get_activation
from nblib.plots import BLUE, GREY, VERMILLION, book_style, new_figure, with_gaps_at_jumps
from nblib.widgets.base import Explorer, activation_dropdown, fixed, readout_html, slider
from nblib.widgets.arguments import check_activation_explorer


class ActivationExplorer(Explorer):
    """An activation f and its derivative f′, with a slider for z.

    The dropdown picks f; the slider moves a point along f, with the tangent whose
    slope is f′(z), and the same point on f′. Introduced in chapter 2, Activation functions.
    """

    def __init__(self, activation="sigmoid", z=1.0, limits=(-5.0, 5.0)):
        self.activation = activation_dropdown(activation)
        self.z = slider("z", z, limits[0], limits[1], 0.1)
        self.zs = np.linspace(*limits, 501)

        figures = [new_figure(size=(3.6, 2.8), pyplot=False)[0] for _ in range(2)]  # one image per panel
        self.ax_f, self.ax_slope = (figure.axes[0] for figure in figures)
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
        self._build([self.activation, self.z], figures)

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
        self.readout.value = readout_html(
            f"<b>{html.escape(activation.label)}</b>: {formula_html(activation.formula)}",
            f"outputs: {html.escape(activation.output_range)}",
            [f"f({fixed(z)}) = {fixed(f_z, 3)}", f"slope f′({fixed(z)}) = {fixed(slope_z, 3)}"],
        )


def formula_html(formula):
    """A formula written in plain text, 'f(z) = 1 / (1 + e^(−z))', with its powers raised as the
    text's typeset maths shows them: e<sup>−z</sup>."""
    text = html.escape(formula)
    text = re.sub(r"e\^\(([^()]*)\)", r"e<sup>\1</sup>", text)
    return re.sub(r"e\^(\w)", r"e<sup>\1</sup>", text)


def activation_explorer(activation="sigmoid", z=1.0):
    """An `ActivationExplorer`: pick f and move z; f, f′ and the tangent at z redraw."""
    check_activation_explorer(activation, z)
    return ActivationExplorer(activation=activation, z=z)
