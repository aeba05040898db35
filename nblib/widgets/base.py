"""What every explorer shares: a figure shown as a PNG image, a readout line, and its controls."""

import base64
import html
import math
import re

import ipywidgets as widgets
import numpy as np

from nblib.activations import ACTIVATIONS, get_activation
from nblib.plots import figure_png

CONTROL_STYLE = {"description_width": "3.5em"}
CONTROL_WIDTH = "19em"

PAGE_DPI = 100
"""Pixels on the page per inch of figure: the size the book's static figures are shown at."""
PIXEL_RATIO = 2
"""Explorers draw this many image pixels per page pixel, so they stay sharp on HiDPI screens."""
SMALLEST_SCALE = 0.8
"""A figure never shrinks below this share of its size: its 9-point text stays at 10 page pixels or more."""

ACTIVATION_OPTIONS = [(activation.label, name) for name, activation in ACTIVATIONS.items()]
"""Dropdown entries (label shown, name returned) for every activation in the registry."""

MINUS = "−"
SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def number(value, digits=3):
    """`value` with `digits` significant digits as a reader writes it: a true minus sign, and
    1.2 × 10¹⁵ rather than 1.2e+15 or 300 digits; ∞ and 'not a number' for what overflowed."""
    value = float(value)
    if math.isnan(value):
        return "not a number"
    if math.isinf(value):
        return f"{MINUS if value < 0 else ''}∞"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"
    return text.replace("-", MINUS)


def fixed(value, decimals=2):
    """`value` with `decimals` decimals and a true minus sign, as the sliders show it ('−2.00');
    very large values fall back to `number`."""
    value = float(value)
    if not math.isfinite(value) or abs(value) >= 1e6:
        return number(value)
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # no "−0.00"
    return text.replace("-", MINUS)


def message_html(message):
    """A message (such as fit's note that training stopped) escaped for the readout, its numbers
    in e-notation written as `number` writes them, in the book's vermillion."""
    text = re.sub(r"-?\d+(?:\.\d+)?e[+-]?\d+", lambda match: number(float(match.group())), message)
    return f"<span style='color:#D55E00'>{html.escape(text)}</span>"


def signed(value):
    """'+ 0.50' or '− 0.50': a number written after a plus or minus sign."""
    return f"{MINUS if value < 0 else '+'} {fixed(abs(value))}"


def readout_html(*lines):
    """The readout: one line per entry, each entry a list of phrases that wrap only between
    them (a phrase is never cut in two); entries may hold HTML already escaped."""
    rows = []
    for line in lines:
        phrases = [line] if isinstance(line, str) else list(line)
        rows.append("<div>" + ", ".join(f"<span style='white-space:nowrap'>{phrase}</span>" for phrase in phrases) + "</div>")
    return "<div style='line-height:1.4;padding:0.25em 0'>" + "".join(rows) + "</div>"


def slider(description, value, low, high, step):
    """A slider for a number from `low` to `high` that redraws when released."""
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=False, readout_format=".2f", style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH),
    )


def learning_rate_slider(value, low=1e-4, high=10.0):
    """A slider for the learning rate η on a log scale: each notch multiplies η by the same factor.
    Its box takes a typed value too, such as 0.3."""
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


def image_for(figure):
    """An image widget for `figure`: shown at the page size of the book's figures, shrinking in a
    narrow notebook down to SMALLEST_SCALE of it (and scrolling below that), never growing."""
    width = figure.get_figwidth() * PAGE_DPI
    return widgets.Image(format="png", layout=widgets.Layout(
        width=f"{width:.0f}px", max_width="100%", min_width=f"{SMALLEST_SCALE * width:.0f}px",
        height="auto", flex="0 1 auto", object_fit="contain"))


def wrapping_row(children, gap="0.5em 1.5em"):
    """A row whose children move to the next line when the notebook is too narrow for them."""
    return widgets.HBox(children, layout=widgets.Layout(
        flex_flow="row wrap", align_items="flex-start", grid_gap=gap, width="100%", overflow="auto"))


class Explorer:
    """What every explorer shares: a figure shown as an image, a readout line, controls."""

    pixel_ratio = PIXEL_RATIO
    palette = False  # True: images of 256 colours, quicker to make and to send (see figure_png)

    def _build(self, controls, figure):
        """Show `figure` beside `controls`, redraw whenever one of them changes, and draw once now."""
        self.figure = figure
        figure.set_dpi(PAGE_DPI * self.pixel_ratio)
        self.image = image_for(figure)
        self.readout = widgets.HTML(layout=widgets.Layout(width="auto"))
        for control in controls:
            control.observe(lambda change: self.redraw(), names="value")
        self.widget = self._arrange(controls)
        self.redraw()

    def _arrange(self, controls):
        """The explorer's widget: controls and readout, then the figure beside them or, when the
        notebook is narrow, below them."""
        panel = widgets.VBox([*controls, self.readout], layout=widgets.Layout(flex="0 0 20em", width="20em"))
        return wrapping_row([panel, self.image])

    @property
    def readout_text(self):
        """The readout as plain text, its lines separated by newlines."""
        text = self.readout.value.replace("</div><div>", "\n")
        return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()

    def redraw(self):
        """Update the figure from the controls and show it."""
        self.update()
        self.show_figure()

    def show_figure(self):
        """Draw the figure into the image. After the first drawing its layout stays fixed,
        so a redraw only moves data instead of placing every axis again."""
        self.image.value = figure_png(self.figure, palette=self.palette)
        self.figure.set_layout_engine("none")

    def picture(self):
        """The figure as it is now, as PNG bytes at the page's size (one pixel per page pixel,
        to keep a stored notebook small)."""
        self.figure.set_dpi(PAGE_DPI)
        try:
            return figure_png(self.figure)
        finally:
            self.figure.set_dpi(PAGE_DPI * self.pixel_ratio)

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, and beside it a picture of the figure and the readout: what a page
        shows where no kernel runs (a notebook not yet run, GitHub, the static book)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data, metadata = (bundle if isinstance(bundle, tuple) else (bundle, {}))
        width = round(self.figure.get_figwidth() * PAGE_DPI)
        data["image/png"] = base64.b64encode(self.picture()).decode("ascii")
        metadata = {**metadata, "image/png": {"width": width}}
        data["text/plain"] = f"{type(self).__name__}: run the chapter's cells to move its controls"
        return data, metadata
