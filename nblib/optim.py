"""Gradient descent: move every parameter a small step against its gradient.

Introduced in chapter 5, Gradient descent.

The gradient says in which direction the loss grows fastest; a step against it,
scaled by the learning rate η, lowers the loss when η is small enough:

    w ← w − η · dL/dw

With momentum β (chapter 7), each step also keeps a fraction β of the step
before, so steps that agree add up and steps that zig-zag cancel:

    v ← β · v − η · dL/dw        w ← w + v
"""

import math
import signal
import threading

import numpy as np

from nblib.validation import describe


def check_learning_rate(learning_rate):
    """`learning_rate` as a float, if it is a positive, finite number."""
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.integer, np.floating)):
        raise TypeError(f"learning_rate should be a positive number such as 0.1; got {describe(learning_rate)}.")
    if not math.isfinite(learning_rate) or learning_rate <= 0:
        raise ValueError(
            f"learning_rate should be a positive, finite number such as 0.1; got {learning_rate}. "
            "A step of size 0 or less never moves the weights downhill."
        )
    return float(learning_rate)


class InterruptsWait:
    """While started, Ctrl-C (KeyboardInterrupt) waits: it is noted in `pressed` instead of raised
    wherever the program happens to be. An optimizer step runs inside one, so it updates every
    parameter or none, and never leaves the layers out of step with each other; `fit` keeps one
    for its whole loop and stops between two steps.

    Only the main thread receives Ctrl-C, and only Python's own handler is replaced; elsewhere
    this does nothing. Used as `with InterruptsWait():`, the interrupt is raised when the block ends.
    """

    active = None
    """The InterruptsWait now started, if any (steps inside it need no second one)."""

    def __init__(self):
        self.pressed = False
        self.waiting = False

    def _note(self, signal_number, frame):
        self.pressed = True

    def start(self):
        if InterruptsWait.active is None and threading.current_thread() is threading.main_thread() \
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, self._note)
            InterruptsWait.active, self.waiting = self, True
        return self

    def stop(self):
        """Give Ctrl-C back to Python (the caller decides whether to raise for a press noted meanwhile)."""
        if self.waiting:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            InterruptsWait.active, self.waiting = None, False

    def __enter__(self):
        return self.start()

    def __exit__(self, kind, error, traceback):
        self.stop()
        if self.pressed and kind is None:
            raise KeyboardInterrupt


class GradientDescent:
    """Gradient descent with a learning rate and optional momentum (0 ≤ momentum < 1)."""

    def __init__(self, learning_rate=0.1, momentum=0.0):
        self.learning_rate = check_learning_rate(learning_rate)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float, np.integer, np.floating)):
            raise TypeError(f"momentum should be a number from 0 to just below 1, such as 0.9; got {describe(momentum)}.")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum should be from 0 to just below 1, such as 0.9; got {momentum}.")
        self.momentum = float(momentum)
        self.velocities = None

    def step(self, network):
        """Update every parameter of `network` in place from the gradients its last backward pass left."""
        if InterruptsWait.active is None:  # called on its own: Ctrl-C waits for this step only
            with InterruptsWait():
                self._update(network.parameters())
        else:
            self._update(network.parameters())

    def _update(self, pairs):
        if self.momentum == 0:
            for parameter, gradient in pairs:
                parameter -= self.learning_rate * gradient
            return
        if self.velocities is None:
            self.velocities = [np.zeros_like(parameter) for parameter, _ in pairs]
        for (parameter, gradient), velocity in zip(pairs, self.velocities):
            velocity *= self.momentum
            velocity -= self.learning_rate * gradient
            parameter += velocity

    def __repr__(self):
        return f"GradientDescent(learning_rate={self.learning_rate:g}, momentum={self.momentum:g})"
