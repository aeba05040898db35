"""A network's answer as bars: one bar per class, as long as its probability.

Introduced in chapter 13, Your voice. Shows as HTML in a notebook (and in a static
page), as a small text table elsewhere; `html()` gives the HTML for a widget.
"""

import html

import numpy as np

from nblib.validation import as_float_array, describe

BAR_COLOUR = "#0072b2"
TOP_COLOUR = "#d55e00"


def softmax(logits):
    """Probabilities from a network's outputs (n_classes,) or (n_samples, n_classes); rows add up to 1."""
    logits = as_float_array(logits, "logits")
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


class ProbabilityBars:
    """Class names with their probabilities; `best` is the name of the most probable class."""

    def __init__(self, class_names, probabilities, title=None):
        probabilities = as_float_array(probabilities, "probabilities").ravel()
        class_names = [str(name) for name in class_names]
        if len(class_names) != len(probabilities):
            raise ValueError(f"class_names should name every probability: {len(probabilities)} probabilities "
                             f"but {len(class_names)} names ({describe(class_names)}).")
        if len(probabilities) == 0 or np.any(probabilities < 0) or not np.isclose(probabilities.sum(), 1, atol=1e-3):
            raise ValueError(f"probabilities should be ≥ 0 and add up to 1; they add up to {probabilities.sum():.4g}. "
                             "Turn a network's outputs into probabilities with softmax first.")
        self.class_names, self.probabilities, self.title = class_names, probabilities, title

    @property
    def best(self):
        return self.class_names[int(np.argmax(self.probabilities))]

    def html(self):
        top = int(np.argmax(self.probabilities))
        rows = []
        for index, (name, p) in enumerate(zip(self.class_names, self.probabilities)):
            colour = TOP_COLOUR if index == top else BAR_COLOUR
            rows.append(
                f'<div style="display:flex;align-items:center;gap:0.5em;height:1.3em">'
                f'<span style="width:6em;text-align:right">{html.escape(name)}</span>'
                f'<span style="width:15em;background:#eee;height:0.9em">'
                f'<span style="display:block;width:{100 * p:.1f}%;height:100%;background:{colour}"></span></span>'
                f'<span class="probability" data-class="{html.escape(name)}">{p:.2f}</span></div>')
        title = f"<div><b>{html.escape(self.title)}</b></div>" if self.title else ""
        return f'<div class="nblib-probabilities" data-best="{html.escape(self.best)}">{title}{"".join(rows)}</div>'

    def _repr_html_(self):
        return self.html()

    def __repr__(self):
        width = max(len(name) for name in self.class_names)
        lines = [self.title] if self.title else []
        lines += [f"{name:>{width}}  {p:.2f}  {'█' * int(round(20 * p))}"
                  for name, p in zip(self.class_names, self.probabilities)]
        return "\n".join(lines)


def probability_bars(class_names, probabilities, title=None):
    """Bars for the probabilities (n_classes,) of one sound, named by class_names."""
    return ProbabilityBars(class_names, probabilities, title)
