"""Gradient descent: move every parameter a small step against its gradient.

Introduced in chapter 5, Gradient descent.

The gradient says in which direction the loss grows fastest; a step against it,
scaled by the learning rate η, lowers the loss when η is small enough:

    w ← w − η · dL/dw

With momentum β (chapter 7), each step also keeps a fraction β of the step
before, so steps that agree add up and steps that zig-zag cancel:

    v ← β · v − η · dL/dw        w ← w + v

Chapter 11, Real voices, adds two tools against overfitting and slow training:

L2 weight decay λ adds λ/2 · Σ w² over every weight matrix (not the biases) to the loss, so its
gradient adds λ · w: every step pulls the weights a little towards zero, and only weights the
data keeps asking for stay large.

Adam keeps, for every parameter, a running mean m of its gradients and a running mean v of
their squares, and steps by m / (√v + ε): a step of about the learning rate in every
direction, whatever the size of its gradient.

    m ← β₁ m + (1 − β₁) g     v ← β₂ v + (1 − β₂) g²     w ← w − η · m̂ / (√v̂ + ε)

where m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ) undo the start at zero (step t = 1, 2, ...).
"""

import math

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


def check_weight_decay(weight_decay):
    """`weight_decay` as a float, if it is a finite number ≥ 0."""
    if isinstance(weight_decay, bool) or not isinstance(weight_decay, (int, float, np.integer, np.floating)):
        raise TypeError(f"weight_decay should be a number ≥ 0 such as 1e-3; got {describe(weight_decay)}.")
    if not math.isfinite(weight_decay) or weight_decay < 0:
        raise ValueError(f"weight_decay should be a finite number ≥ 0 such as 1e-3 (0: none); got {weight_decay}.")
    return float(weight_decay)


def decays(parameter):
    """True for the arrays weight decay pulls towards zero: weights (2-D or more), not biases (1-D)."""
    return parameter.ndim >= 2


def l2_penalty(network, weight_decay):
    """λ/2 · Σ w² over every weight array of `network` (biases excluded): the loss weight decay adds.

    Introduced in chapter 11, Real voices. Its gradient, λ · w, is what `decayed_gradient` adds.
    """
    weight_decay = check_weight_decay(weight_decay)
    return 0.5 * weight_decay * sum(float(np.sum(parameter ** 2)) for parameter, _ in network.parameters() if decays(parameter))


def decayed_gradient(parameter, gradient, weight_decay):
    """The gradient of loss + l2_penalty for one parameter: gradient + λ · parameter for weights."""
    return gradient + weight_decay * parameter if weight_decay and decays(parameter) else gradient


class GradientDescent:
    """Gradient descent with a learning rate, optional momentum (0 ≤ momentum < 1) and optional
    L2 weight decay (≥ 0, chapter 11)."""

    def __init__(self, learning_rate=0.1, momentum=0.0, weight_decay=0.0):
        self.learning_rate = check_learning_rate(learning_rate)
        self.weight_decay = check_weight_decay(weight_decay)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float, np.integer, np.floating)):
            raise TypeError(f"momentum should be a number from 0 to just below 1, such as 0.9; got {describe(momentum)}.")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum should be from 0 to just below 1, such as 0.9; got {momentum}.")
        self.momentum = float(momentum)
        self.velocities = None

    def step(self, network):
        """Update every parameter of `network` in place from the gradients its last backward pass left."""
        pairs = [(parameter, decayed_gradient(parameter, gradient, self.weight_decay))
                 for parameter, gradient in network.parameters()]
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
        decay = f", weight_decay={self.weight_decay:g}" if self.weight_decay else ""
        return f"GradientDescent(learning_rate={self.learning_rate:g}, momentum={self.momentum:g}{decay})"


class Adam:
    """Adam (Kingma and Ba, 2015): steps scaled per parameter by running means of the gradient and
    of its square. learning_rate 0.001 is the usual start; beta1, beta2 in [0, 1); weight_decay ≥ 0
    adds L2 weight decay to the gradient (as `GradientDescent` does). Chapter 11, Real voices."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.0):
        self.learning_rate = check_learning_rate(learning_rate)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if isinstance(beta, bool) or not isinstance(beta, (int, float, np.integer, np.floating)) or not 0 <= beta < 1:
                raise ValueError(f"{name} should be a number from 0 to just below 1, such as 0.9; got {describe(beta)}.")
        if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not 0 < epsilon < 1:
            raise ValueError(f"epsilon should be a small positive number such as 1e-8; got {describe(epsilon)}.")
        self.beta1, self.beta2, self.epsilon = float(beta1), float(beta2), float(epsilon)
        self.weight_decay = check_weight_decay(weight_decay)
        self.means = self.squares = None
        self.steps = 0

    def step(self, network):
        """Update every parameter of `network` in place from the gradients its last backward pass left."""
        pairs = network.parameters()
        if self.means is None:
            self.means = [np.zeros_like(parameter) for parameter, _ in pairs]
            self.squares = [np.zeros_like(parameter) for parameter, _ in pairs]
        self.steps += 1
        scale = self.learning_rate * math.sqrt(1 - self.beta2 ** self.steps) / (1 - self.beta1 ** self.steps)
        for (parameter, gradient), mean, square in zip(pairs, self.means, self.squares, strict=True):
            gradient = decayed_gradient(parameter, gradient, self.weight_decay)
            mean *= self.beta1
            mean += (1 - self.beta1) * gradient
            square *= self.beta2
            square += (1 - self.beta2) * gradient * gradient
            # the bias corrections folded into one scale: η·m̂/(√v̂ + ε) with ε scaled alike
            parameter -= scale * mean / (np.sqrt(square) + self.epsilon * math.sqrt(1 - self.beta2 ** self.steps))

    def __repr__(self):
        decay = f", weight_decay={self.weight_decay:g}" if self.weight_decay else ""
        return f"Adam(learning_rate={self.learning_rate:g}, beta1={self.beta1:g}, beta2={self.beta2:g}{decay})"


OPTIMIZERS = {"sgd": GradientDescent, "adam": Adam}
"""The optimizers `fit` knows by name."""
