"""A slider on a log scale that speaks the number it shows: the learning rate η, a pitch.

ipywidgets' FloatLogSlider moves over the exponent, and that is what it tells a screen reader
(η ≈ 0.35 is read as "−0.45", its exponent). `LogSlider` has the same fields (value, base, min and max as
exponents, step, description, readout_format), but its handle is a native range input whose
accessible value is the number the reader sees, and its box takes a typed value such as 0.3,
kept as typed. Each notch multiplies the value by base ** step. Introduced in chapter 5,
Gradient descent (an anywidget: its browser side is log_slider.js).
"""

from pathlib import Path

import anywidget
import numpy as np
import traitlets


class LogSlider(anywidget.AnyWidget):
    """A number from base ** min to base ** max on a log scale; changes when a notch is released,
    an arrow key pressed or a value typed."""

    _esm = Path(__file__).with_name("log_slider.js")
    _css = Path(__file__).with_name("log_slider.css")

    value = traitlets.Float(1.0).tag(sync=True)
    base = traitlets.Float(10.0).tag(sync=True)
    min = traitlets.Float(-4.0).tag(sync=True)
    max = traitlets.Float(1.0).tag(sync=True)
    step = traitlets.Float(0.05).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    readout_format = traitlets.Unicode(".2g").tag(sync=True)

    @traitlets.validate("value")
    def _within_range(self, proposal):
        """Like FloatLogSlider: a value outside the range is moved to its nearest end."""
        value = float(proposal["value"])
        if not np.isfinite(value):
            raise traitlets.TraitError(f"{self.description or 'value'} should be a finite number; got {value!r}.")
        return float(np.clip(value, self.base ** self.min, self.base ** self.max))

    def readout(self):
        """The value as the box shows it."""
        return format(self.value, self.readout_format)
