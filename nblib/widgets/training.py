"""The training explorer: retrain a small network whenever the learning rate or the activation changes.

Introduced in chapter 7, Training a network.
"""

import numpy as np
from matplotlib.colors import ListedColormap

from nblib.losses import get_loss
from nblib.network import Network
from nblib.plots import BLUE, CLASS_COLORS, OUTPUT_CMAP, VERMILLION, book_style, finish_plane, new_figure
from nblib.plots import plane_grid
from nblib.training import TrainingDiverged, fit
from nblib.validation import as_batch
from nblib.widgets.base import Explorer, activation_dropdown, fixed, learning_rate_slider, message_html, number
from nblib.widgets.base import readout_html
from nblib.widgets.arguments import check_training_explorer


class TrainingExplorer(Explorer):
    """Train a network with hidden layers `hidden` on 2-D data X (n_samples, 2), labels y (n_samples,).

    Every change of the learning rate or the activation retrains from the same seed
    (full batch, `epochs` epochs) and redraws the loss curves and the decision map.
    A run that diverges shows its message and what it had learned before.
    """

    palette = True  # every change retrains and redraws: smaller images arrive sooner
    pixel_ratio = 1.5  # sharper than the page's pixels, and quick enough to follow the controls

    def __init__(self, X, y, hidden=(8,), activation="tanh", learning_rate=1.0, epochs=200,
                 loss="binary_cross_entropy", seed=0, validation_data=None):
        self.X = as_batch(X, "X", 2)
        self.y = np.asarray(y).astype(int)
        self.loss = get_loss(loss)
        self.hidden, self.epochs, self.seed = list(hidden), epochs, seed
        self.validation_data = validation_data
        self.n_outputs = int(self.y.max()) + 1 if self.loss.name == "softmax_cross_entropy" else 1
        self.output_activation = self.loss.output_activation or "sigmoid"
        self.learning_rate = learning_rate_slider(learning_rate, low=1e-3, high=10.0)
        self.activation = activation_dropdown(activation)
        self.history, self.message = None, ""
        reach = float(np.abs(self.X).max()) * 1.1
        self.limits = (-reach, reach)
        self.points, x1, x2 = plane_grid(self.limits, resolution=61)
        self.grid_shape = (len(x2), len(x1))

        figures = [new_figure(size=size, pyplot=False)[0] for size in ((3.5, 3.1), (4.1, 3.1))]  # one image per panel
        self.ax_loss, self.ax_map = (figure.axes[0] for figure in figures)
        with book_style():
            (self.train_line,) = self.ax_loss.plot([], [], color=BLUE, label="training")
            (self.val_line,) = self.ax_loss.plot([], [], color=VERMILLION, linestyle="--", label="validation")
            self.ax_loss.set_xlabel("epoch")
            self.ax_loss.set_title("loss")
            self.ax_loss.set_xlim(0, epochs)
            self.ax_loss.locator_params(nbins=4)  # few tick labels: text is what costs most in a redraw
            if validation_data is not None:
                self.ax_loss.legend(loc="upper right")
            if self.n_outputs == 1:
                self.map = self.ax_map.imshow(np.zeros(self.grid_shape), origin="lower", extent=(*self.limits, *self.limits),
                                              cmap=OUTPUT_CMAP, vmin=0, vmax=1, aspect="auto", interpolation="bilinear")
            else:
                self.map = self.ax_map.imshow(np.zeros(self.grid_shape), origin="lower", extent=(*self.limits, *self.limits),
                                              cmap=ListedColormap(CLASS_COLORS[: self.n_outputs]), alpha=0.35,
                                              vmin=-0.5, vmax=self.n_outputs - 0.5, aspect="auto", interpolation="nearest")
            finish_plane(self.ax_map, self.limits, self.X, self.y)
            self.ax_map.set_title("the trained network's output")
            if self.n_outputs == 1:
                figures[1].colorbar(self.map, ax=self.ax_map, shrink=0.85, ticks=[0, 0.5, 1], label="output")
            self.ax_map.set_xticks([])  # the map's coordinates carry no meaning here
            self.ax_map.set_yticks([])
        self._build([self.learning_rate, self.activation], figures)

    def train(self):
        """A new network from the seed, trained with the current controls; sets `history` and `message`."""
        self.network = Network.from_sizes(
            [2, *self.hidden, self.n_outputs], activation=self.activation.value,
            output_activation=self.output_activation, rng=self.seed,
        )
        try:
            self.history = fit(self.network, self.X, self.y, loss=self.loss, learning_rate=self.learning_rate.value,
                               epochs=self.epochs, validation_data=self.validation_data, progress=False)
            self.message = ""
        except TrainingDiverged as stopped:
            self.history, self.message = stopped.history, str(stopped)

    def update(self):
        self.train()
        with np.errstate(over="ignore", invalid="ignore"):  # a network near divergence may overflow: draw it anyway
            self._draw()

    def moving_artists(self):
        """What a retraining changes: the loss curves and the loss axis's scale (with what is drawn over
        them); the map, and the points and frame drawn over it."""
        legend = [self.ax_loss.get_legend()] if self.ax_loss.get_legend() else []
        return [[self.train_line, self.val_line, self.ax_loss.yaxis, *self.ax_loss.spines.values(), *legend],
                [self.map, *self.ax_map.collections, *self.ax_map.spines.values()]]

    def _draw(self):
        history = self.history
        epochs = np.arange(1, history.epochs + 1)
        self.train_line.set_data(epochs, history.loss)
        self.val_line.set_data(epochs[: len(history.val_loss)], history.val_loss)
        shown = [value for value in history.loss + history.val_loss if np.isfinite(value)]
        self.ax_loss.set_ylim(0, 1.1 * max(shown, default=1.0))
        output = self.network.forward(self.points)
        if self.n_outputs == 1:
            self.map.set_data(output[:, 0].reshape(self.grid_shape))
        else:
            self.map.set_data(output.argmax(axis=1).reshape(self.grid_shape))
        if history.epochs:
            lines = [[f"after {history.epochs} epochs: loss {number(history.loss[-1])}",
                      f"accuracy {fixed(history.accuracy[-1])}"]]
            if history.val_loss:
                lines.append([f"validation: loss {number(history.val_loss[-1])}",
                              f"accuracy {fixed(history.val_accuracy[-1])}"])
        else:
            lines = ["no epoch finished"]
        if self.message:
            lines.append(message_html(self.message))
        self.readout.value = readout_html(*lines)


def training_explorer(X, y, hidden=(8,), activation="tanh", learning_rate=1.0, epochs=200,
                      loss="binary_cross_entropy", seed=0, validation_data=None):
    """A `TrainingExplorer`: pick a learning rate and an activation, and the network retrains and redraws."""
    check_training_explorer(X, y, hidden, activation, learning_rate, epochs, loss, seed, validation_data)
    return TrainingExplorer(X, y, hidden=hidden, activation=activation, learning_rate=learning_rate, epochs=epochs,
                            loss=loss, seed=seed, validation_data=validation_data)
