"""Gradient checking: is a backward pass right? Compare it with finite differences.

Introduced in chapter 6, Backpropagation.

A gradient computed by the chain rule can be checked without any calculus:
nudge one parameter by a tiny h each way, recompute the loss, and measure the
slope (L(p + h) − L(p − h)) / 2h. If the backward pass is right, the two agree
to many digits; if it is wrong, they usually differ in the first digit.

    report = gradient_check(loss_of, {"W": W, "b": b}, {"W": dW, "b": db})
    print(report)           # one line per parameter and a verdict
    report.passed           # True or False
"""

from dataclasses import dataclass, field

import numpy as np

from nblib.losses import get_loss
from nblib.validation import as_float_array

TOLERANCE = 1e-6
"""Largest relative error at which an analytic gradient counts as agreeing with finite differences."""


def numerical_gradient(loss_of, parameter, h=1e-5):
    """Central-difference gradient of `loss_of()` (a function of no arguments returning a number)
    with respect to every element of the float array `parameter`, which is nudged in place and restored.

    Returns an array of the shape of `parameter`. h = 1e-5 balances the two errors of float64:
    a larger h bends with the curve, a smaller one drowns in rounding.
    """
    gradient = np.zeros(parameter.shape, dtype=np.float64)
    for index in np.ndindex(parameter.shape):
        original = parameter[index]
        parameter[index] = original + h
        above = loss_of()
        parameter[index] = original - h
        below = loss_of()
        parameter[index] = original
        gradient[index] = (above - below) / (2 * h)
    return gradient


def relative_error(analytic, numerical):
    """‖analytic − numerical‖ / (‖analytic‖ + ‖numerical‖): 0 when they are equal, 1 when one is 0 and
    the other not, and tiny (1e-8 or less in float64) when a backward pass is right. 0 if both are 0."""
    analytic = np.asarray(analytic, dtype=np.float64)
    numerical = np.asarray(numerical, dtype=np.float64)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numerical)
    return 0.0 if scale == 0 else float(np.linalg.norm(analytic - numerical) / scale)


@dataclass
class GradientReport:
    """The result of a gradient check: one relative error per parameter."""

    errors: dict = field(default_factory=dict)
    """Parameter name → relative error between its analytic and numerical gradient."""
    problems: dict = field(default_factory=dict)
    """Parameter name → what is wrong before any comparison (e.g. a gradient of the wrong shape)."""
    tolerance: float = TOLERANCE
    names: list = field(default_factory=list)
    """Every parameter's name, in the order they were given."""

    @property
    def passed(self):
        """True if every gradient agrees with finite differences within the tolerance."""
        return not self.problems and all(error <= self.tolerance for error in self.errors.values())

    def __str__(self):
        width = max((len(name) for name in self.names), default=0)
        lines = []
        for name in self.names:
            if name in self.problems:
                lines.append(f"✘ {name:<{width}}  {self.problems[name]}")
            elif self.errors[name] <= self.tolerance:
                lines.append(f"✔ {name:<{width}}  agrees with finite differences")
            else:
                lines.append(f"✘ {name:<{width}}  differs: relative error {self.errors[name]:.2g}")
        if self.passed:
            lines.append(f"All {len(self.errors)} gradients agree (relative error at most {self.tolerance:g}).")
        else:
            wrong = len(self.problems) + sum(error > self.tolerance for error in self.errors.values())
            lines.append(
                f"{wrong} of {len(self.names)} gradients {'is' if wrong == 1 else 'are'} wrong "
                f"(relative error above {self.tolerance:g}). Look at the backward pass for those parameters."
            )
        return "\n".join(lines)

    def __repr__(self):
        return f"GradientReport(passed={self.passed})"


def gradient_check(loss_of, parameters, gradients, h=1e-5, tolerance=TOLERANCE):
    """Compare analytic gradients with central differences.

    loss_of: a function of no arguments that returns the loss computed from the current parameters.
    parameters: name → float64 array the loss depends on (nudged in place and restored).
    gradients: name → your gradient for that parameter, of the same shape.
    Returns a `GradientReport`.
    """
    report = GradientReport(tolerance=tolerance, names=list(parameters))
    for name, parameter in parameters.items():
        if name not in gradients:
            report.problems[name] = "no gradient was given for it"
            continue
        gradient = as_float_array(gradients[name], f"gradients[{name!r}]")
        if gradient.shape != np.shape(parameter):
            report.problems[name] = f"gradient has shape {gradient.shape}, the parameter {np.shape(parameter)}"
            continue
        report.errors[name] = relative_error(gradient, numerical_gradient(loss_of, parameter, h))
    return report


def check_network_gradients(network, X, y, loss, h=1e-5, tolerance=TOLERANCE):
    """Gradient check of a whole `Network` (whose parameters should be float64) on a batch X, y."""
    loss = get_loss(loss)
    network.loss_and_gradients(X, y, loss)
    parameters, gradients = {}, {}
    for number, layer in enumerate(network.layers, start=1):
        pairs = layer.parameters()
        kinds = ("weights", "bias") if len(pairs) == 2 else [f"parameter {k + 1}" for k in range(len(pairs))]
        for kind, (parameter, gradient) in zip(kinds, pairs):
            name = f"layer {number} {kind}"
            parameters[name] = parameter
            gradients[name] = gradient.copy()

    def loss_of():
        return network.loss(X, y, loss)

    return gradient_check(loss_of, parameters, gradients, h, tolerance)
