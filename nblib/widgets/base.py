"""What every explorer shares: a figure shown as a PNG image, a readout line, and its controls."""

import base64
import html
import math
import re
from io import BytesIO

import ipywidgets as widgets
import numpy as np
from PIL import Image

from nblib.activations import ACTIVATIONS, get_activation
from nblib.plots import figure_png
from nblib.widgets.log_slider import LogSlider

CONTROL_STYLE = {"description_width": "3.5em"}
CONTROL_WIDTH = "21em"
PANEL_WIDTH = "22em"
"""The column of controls and readout: narrow enough to fit a 450 px notebook beside nothing."""

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
    return f"{MINUS if value < 0 else '+'}\u00a0{fixed(abs(value))}"  # a no-break space: the sign stays with its number


def readout_html(*lines):
    """The readout: one line per entry, each entry a list of phrases. A line wraps between its
    phrases first (a phrase moves to the next line whole), and inside a phrase only where it is
    wider than the readout; entries may hold HTML already escaped."""
    rows = []
    for line in lines:
        phrases = [line] if isinstance(line, str) else list(line)
        rows.append("<div>" + ", ".join(f"<span style='display:inline-block;max-width:100%'>{phrase}</span>"
                                        for phrase in phrases) + "</div>")
    return "<div style='line-height:1.4;padding:0.25em 0;white-space:normal'>" + "".join(rows) + "</div>"


def slider(description, value, low, high, step):
    """A slider for a number from `low` to `high` that redraws when released."""
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=False, readout_format=".2f", style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH),
    )


def learning_rate_slider(value, low=1e-4, high=10.0):
    """A slider for the learning rate η on a log scale: each notch multiplies η by the same factor
    (20 notches from 0.1 to 1). Its box takes a typed value too, such as 0.3; a screen reader
    hears η itself."""
    return LogSlider(value=value, base=10, min=float(np.log10(low)), max=float(np.log10(high)), step=0.05,
                     description="η", readout_format=".2g", layout=widgets.Layout(width=CONTROL_WIDTH))


def activation_dropdown(activation):
    """A dropdown of every activation in the registry, set to `activation`."""
    return widgets.Dropdown(
        options=ACTIVATION_OPTIONS, value=get_activation(activation).name, description="f",
        style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH),
    )


def image_for(figure):
    """An image widget for `figure`: shown at the page size of the book's figures, shrinking in a
    narrow notebook down to SMALLEST_SCALE of it, never growing."""
    width = figure.get_figwidth() * PAGE_DPI
    return widgets.Image(format="png", layout=widgets.Layout(
        width=f"{width:.0f}px", max_width="100%", min_width=f"{SMALLEST_SCALE * width:.0f}px",
        height="auto", flex="0 1 auto", object_fit="contain"))


def wrapping_row(children, gap="0.5em 1.5em"):
    """A row whose children move to the next line when the notebook is too narrow for them."""
    return widgets.HBox(children, layout=widgets.Layout(
        flex_flow="row wrap", align_items="flex-start", grid_gap=gap, width="100%", overflow="auto"))


def panels_row(images):
    """The panels' images side by side, as one piece: beside the controls when the notebook is
    wide enough for all of them, below the controls otherwise, and one under another when even
    that is too narrow."""
    return widgets.HBox(images, layout=widgets.Layout(
        flex_flow="row wrap", align_items="flex-start", grid_gap="0.5em 0.8em", flex="0 1 auto", max_width="100%"))


class Explorer:
    """What every explorer shares: a figure shown as an image, a readout line, controls."""

    pixel_ratio = PIXEL_RATIO
    palette = False  # True: images of 256 colours, quicker to make and to send (see figure_png)

    def _build(self, controls, figures):
        """Show `figures` (one figure or a list, one per panel) beside `controls`, redraw whenever
        one of them changes, and draw once now. Each panel is an image of its own, so the panels
        move below one another in a narrow notebook instead of shrinking."""
        self.figures = list(figures) if isinstance(figures, (list, tuple)) else [figures]
        self.figure = self.figures[0]
        for figure in self.figures:
            figure.set_dpi(PAGE_DPI * self.pixel_ratio)
        self.images = [image_for(figure) for figure in self.figures]
        self.image = self.images[0]
        self.readout = widgets.HTML(layout=widgets.Layout(width="auto"))
        for control in controls:
            control.observe(lambda change: self.redraw(), names="value")
        self.widget = self._arrange(controls)
        self.redraw()

    def _arrange(self, controls):
        """The explorer's widget: controls and readout, then the panels beside them or, when the
        notebook is narrow, below them."""
        panel = widgets.VBox([*controls, self.readout], layout=widgets.Layout(flex="0 0 auto", width=PANEL_WIDTH))
        return wrapping_row([panel, self.images[0] if len(self.images) == 1 else panels_row(self.images)])

    @property
    def readout_text(self):
        """The readout as plain text, its lines separated by newlines."""
        text = self.readout.value.replace("</div><div>", "\n").replace("\u00a0", " ")
        return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()

    def redraw(self):
        """Update the figure from the controls and show it."""
        self.update()
        self.show_figure()

    def show_figure(self):
        """Draw every figure into its image. After the first drawing their layout stays fixed,
        so a redraw only moves data instead of placing every axis again."""
        moving = self.moving_artists() or [None] * len(self.figures)
        for figure, image, artists in zip(self.figures, self.images, moving):
            image.value = figure_png(figure, palette=self.palette, moving=artists)
            figure.set_layout_engine("none")

    def moving_artists(self):
        """None (every redraw draws the whole figure), or one list per figure of the only artists
        that change when the controls move: the rest is then drawn once and kept (`draw_moving`)."""
        return None

    def picture(self):
        """The panels as they are now, side by side, as PNG bytes at the page's size (one pixel
        per page pixel, to keep a stored notebook small)."""
        panels = []
        for figure in self.figures:
            figure.set_dpi(PAGE_DPI)
            try:
                panels.append(Image.open(BytesIO(figure_png(figure))).convert("RGB"))
            finally:
                figure.set_dpi(PAGE_DPI * self.pixel_ratio)
        gap = 16
        whole = Image.new("RGB", (sum(panel.width for panel in panels) + gap * (len(panels) - 1),
                                  max(panel.height for panel in panels)), "white")
        left = 0
        for panel in panels:
            whole.paste(panel, (left, 0))
            left += panel.width + gap
        buffer = BytesIO()
        whole.save(buffer, format="png")
        return buffer.getvalue(), whole.width

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, and beside it a picture of the figure and the readout: what a page
        shows where no kernel runs (a notebook not yet run, GitHub, the static book)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data, metadata = (bundle if isinstance(bundle, tuple) else (bundle, {}))
        picture, width = self.picture()
        data["image/png"] = base64.b64encode(picture).decode("ascii")
        metadata = {**metadata, "image/png": {"width": width}}
        data["text/plain"] = f"{type(self).__name__}: run the chapter's cells to move its controls"
        return data, metadata
