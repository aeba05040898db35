"""What every explorer shares: a figure shown as a PNG image, a readout line, and its controls."""

import ipywidgets as widgets
import numpy as np

from nblib.activations import ACTIVATIONS, get_activation
from nblib.plots import figure_png

CONTROL_STYLE = {"description_width": "3.5em"}
CONTROL_WIDTH = "19em"

ACTIVATION_OPTIONS = [(activation.label, name) for name, activation in ACTIVATIONS.items()]
"""Dropdown entries (label shown, name returned) for every activation in the registry."""


def signed(number):
    """'+ 0.50' or '− 0.50': a number written after a plus or minus sign."""
    return f"{'−' if number < 0 else '+'} {abs(number):.2f}"


def slider(description, value, low, high, step):
    """A slider for a number from `low` to `high` that redraws when released."""
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=False, readout_format=".2f", style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH),
    )


def learning_rate_slider(value, low=1e-4, high=10.0):
    """A slider for the learning rate η on a log scale: each notch multiplies η by the same factor."""
    return widgets.FloatLogSlider(
        value=value, base=10, min=np.log10(low), max=np.log10(high), step=0.05, description="η",
        continuous_update=False, readout_format=".2g", style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH),
    )


def activation_dropdown(activation):
    """A dropdown of every activation in the registry, set to `activation`."""
    return widgets.Dropdown(
        options=ACTIVATION_OPTIONS, value=get_activation(activation).name, description="f",
        style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH),
    )


class Explorer:
    """What every explorer shares: a figure shown as an image, a readout line, controls."""

    def _build(self, controls, figure):
        """Show `figure` beside `controls`, redraw whenever one of them changes, and draw once now."""
        self.figure = figure
        # The figure shrinks to fit a narrow notebook instead of being cut off.
        width = f"{figure.get_figwidth() * figure.dpi:.0f}px"
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            max_width=width, width="auto", min_width="0", flex="1 1 auto", object_fit="contain"))
        self.readout = widgets.HTML()
        for control in controls:
            control.observe(lambda change: self.redraw(), names="value")
        self.widget = self._arrange(controls)
        self.redraw()

    def _arrange(self, controls):
        """The explorer's widget: controls and readout on the left, the figure on the right."""
        return widgets.HBox(
            [widgets.VBox([*controls, self.readout], layout=widgets.Layout(width="20em", flex="0 0 auto")), self.image],
            layout=widgets.Layout(align_items="center"),
        )

    def redraw(self):
        """Update the figure from the controls and show it."""
        self.update()
        self.show_figure()

    def show_figure(self):
        """Draw the figure into the image. After the first drawing its layout stays fixed,
        so a redraw only moves data instead of placing every axis again."""
        self.image.value = figure_png(self.figure)
        self.figure.set_layout_engine("none")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
