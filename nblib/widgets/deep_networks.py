"""The playground: choose a data set and a network, train it, and watch every neuron learn.

Introduced in chapter 8, Deep networks.

Controls: data set, noise, test share, hidden layers (0–4), neurons per layer
(1–16), activation, learning rate, batch size; buttons Train (more epochs, with a
live loss curve), Step (one epoch) and Reset (the seeded starting weights, epoch 0).
Changing a control builds the network again from the seed and trains it for the
preset number of epochs, so one cell always reproduces one configuration.

Views: the output's decision map with the training points (filled) and test
points (hollow); a small map of every hidden neuron's output, one column per
layer; the loss curves for training and test data; a line of numbers.

Every control can be preset and hidden, so an instructor can fix what students
may change: ``playground(dataset="spiral", hidden=[8, 8], hide=["dataset"])``.
See `nblib.widgets.playground` and the `Playground` class.
"""

import time

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import ListedColormap

from nblib.activations import get_activation
from nblib.datasets import DATASETS, make_dataset, train_test_split
from nblib.network import Network
from nblib.plots import BLUE, CLASS_COLORS, CLASS_MARKERS, OUTPUT_CMAP, VERMILLION, book_style, new_figure
from nblib.plots import output_limits, plane_grid
from nblib.training import TrainingDiverged, fit
from nblib.validation import as_positive_int, describe
from nblib.widgets.base import CONTROL_STYLE, CONTROL_WIDTH, Explorer, activation_dropdown, fixed, learning_rate_slider
from nblib.widgets.base import message_html, number, panels_row, readout_html, wrapping_row
from nblib.widgets.arguments import check_playground

MAX_LAYERS, MAX_NEURONS = 4, 16
BATCH_SIZES = [1, 4, 8, 16, 32, 64, "all"]
"""Choices of the batch-size dropdown; "all" is the whole training set in every step."""
CONTROL_NAMES = ("dataset", "noise", "test_share", "hidden_layers", "neurons", "activation", "learning_rate", "batch_size")
MAP_RESOLUTION, NEURON_RESOLUTION = 60, 24
LIVE_FRAME_SECONDS = 0.3
"""While Train runs, a new picture at most this often (and always the last one)."""
LIMITS = (-2.0, 2.0)


def _layout():
    return widgets.Layout(width=CONTROL_WIDTH)


class Playground(Explorer):
    """A network playground in the notebook; see the module's docstring. Controls are attributes named
    like the arguments (`dataset`, `noise`, ...); buttons are `train_button`, `step_button`, `reset_button`."""

    palette = True  # every change retrains and redraws: smaller images arrive sooner
    pixel_ratio = 1.5  # sharper than the page's pixels, and quick enough to follow the controls

    def __init__(self, dataset="circles", noise=0.1, test_share=0.3, hidden=(4, 4), activation="tanh",
                 learning_rate=1.0, batch_size="all", epochs=60, train_epochs=100, seed=0, n_samples=200, hide=()):
        hidden = self._check_hidden(hidden)
        unknown = [name for name in hide if name not in CONTROL_NAMES]
        if isinstance(hide, str) or unknown:
            raise ValueError(f"hide should list control names from {', '.join(CONTROL_NAMES)}; got {hide!r}.")
        if dataset not in DATASETS:
            raise ValueError(f"dataset should be one of {', '.join(DATASETS)}; got {dataset!r}.")
        batch_size = "all" if batch_size is None else batch_size
        if batch_size not in BATCH_SIZES:
            raise ValueError(f"batch_size should be one of 1, 4, 8, 16, 32, 64 or 'all'; got {describe(batch_size)}.")
        self.epochs = as_positive_int(epochs, "epochs", minimum=0)
        self.train_epochs = as_positive_int(train_epochs, "train_epochs")
        self.seed, self.n_samples = seed, as_positive_int(n_samples, "n_samples", minimum=20)
        self.hidden = hidden

        self.dataset = widgets.Dropdown(options=list(DATASETS), value=dataset, description="data",
                                        style=CONTROL_STYLE, layout=_layout())
        self.noise = widgets.FloatSlider(value=noise, min=0.0, max=0.5, step=0.05, description="noise",
                                         continuous_update=False, style=CONTROL_STYLE, layout=_layout())
        self.test_share = widgets.FloatSlider(value=test_share, min=0.1, max=0.9, step=0.05, description="test",
                                              continuous_update=False, style=CONTROL_STYLE, layout=_layout())
        self.hidden_layers = widgets.IntSlider(value=len(hidden), min=0, max=MAX_LAYERS, description="layers",
                                               continuous_update=False, style=CONTROL_STYLE, layout=_layout())
        self.neurons = widgets.IntSlider(value=max(hidden, default=4), min=1, max=MAX_NEURONS, description="width",
                                         continuous_update=False, style=CONTROL_STYLE, layout=_layout())
        self.activation = activation_dropdown(activation)
        self.learning_rate = learning_rate_slider(learning_rate, low=1e-3, high=10.0)
        self.batch_size = widgets.Dropdown(options=BATCH_SIZES, value=batch_size, description="batch",
                                           style=CONTROL_STYLE, layout=_layout())
        self.train_button = widgets.Button(description=f"Train {self.train_epochs}", icon="play", layout=widgets.Layout(width="8em"))
        self.step_button = widgets.Button(description="Step", icon="step-forward", layout=widgets.Layout(width="6em"))
        self.reset_button = widgets.Button(description="Reset", icon="undo", layout=widgets.Layout(width="6.5em"))
        self.train_button.on_click(lambda _: self.train(self.train_epochs, live=True))
        self.step_button.on_click(lambda _: self.train(1))
        self.reset_button.on_click(lambda _: self.reset_and_show())
        self.hide = list(hide)

        self.grid, x1, x2 = plane_grid(LIMITS, MAP_RESOLUTION)
        self.map_shape = (len(x2), len(x1))
        self.neuron_grid = plane_grid(LIMITS, NEURON_RESOLUTION)[0]
        self.shape_controls = (self.hidden_layers.value, self.neurons.value)
        for name in self.hide:
            getattr(self, name).layout.display = "none"
        self._build([getattr(self, name) for name in CONTROL_NAMES], self._make_figure())

    def _arrange(self, controls):
        """Controls in two columns, the buttons and the readout beside them (each moving below the
        others when the notebook is narrow), and the figure under them all."""
        half = (len(controls) + 1) // 2
        buttons = widgets.HBox([self.train_button, self.step_button, self.reset_button],
                               layout=widgets.Layout(flex_flow="row wrap"))
        column = widgets.Layout(flex="0 0 auto")
        return widgets.VBox([
            wrapping_row([widgets.VBox(controls[:half], layout=column), widgets.VBox(controls[half:], layout=column),
                          widgets.VBox([buttons, self.readout], layout=widgets.Layout(flex="0 1 23em", min_width="18em"))]),
            panels_row(self.images),
        ])

    # ── building ────────────────────────────────────────────────────────────────────────────────
    @staticmethod
    def _check_hidden(hidden):
        try:
            hidden = [int(size) for size in hidden]
        except (TypeError, ValueError):
            raise TypeError(f"hidden should list the neurons of each hidden layer, such as [8, 8]; got {describe(hidden)}.") from None
        if len(hidden) > MAX_LAYERS or any(not 1 <= size <= MAX_NEURONS for size in hidden):
            raise ValueError(
                f"hidden should list 0 to {MAX_LAYERS} layer sizes, each from 1 to {MAX_NEURONS}; got {hidden}."
            )
        return hidden

    def _make_figure(self):
        figures = [new_figure(size=(3.0, 3.2), pyplot=False)[0] for _ in range(3)]  # one image per panel
        self.ax_map, self.ax_neurons, self.ax_loss = (figure.axes[0] for figure in figures)
        with book_style():
            self.map = self.ax_map.imshow(np.zeros(self.map_shape), origin="lower", extent=(*LIMITS, *LIMITS),
                                          cmap=OUTPUT_CMAP, vmin=0, vmax=1, aspect="auto", interpolation="bilinear")
            self.train_points = [self.ax_map.scatter([], [], s=16, color=color, marker=marker, edgecolors="black",
                                                     linewidths=0.5, zorder=3)
                                 for color, marker in zip(CLASS_COLORS, CLASS_MARKERS)]
            self.test_points = [self.ax_map.scatter([], [], s=16, facecolors="none", edgecolors=color, marker=marker,
                                                    linewidths=1.0, zorder=3)
                                for color, marker in zip(CLASS_COLORS, CLASS_MARKERS)]
            self.ax_map.set_xlim(LIMITS)
            self.ax_map.set_ylim(LIMITS)
            self.ax_map.set_xticks([])
            self.ax_map.set_yticks([])
            self.ax_map.set_title("output · filled: training, hollow: test", fontsize=9)
            self.neuron_mosaic = self.ax_neurons.imshow(np.zeros((2, 2)), cmap=OUTPUT_CMAP, vmin=0, vmax=1,
                                                        interpolation="nearest", aspect="equal")
            self.ax_neurons.grid(False)
            self.ax_neurons.set_yticks([])
            self.ax_neurons.xaxis.set_ticks_position("top")
            self.ax_neurons.tick_params(axis="x", length=0, labelsize=9, pad=1)
            for spine in self.ax_neurons.spines.values():
                spine.set_visible(False)
            self.ax_neurons.set_title("hidden layer", fontsize=10)
            self.ax_neurons.set_xlabel("each square: one neuron's output", fontsize=9)
            self.neurons_note = self.ax_neurons.text(0.5, 0.5, "", ha="center", va="center", fontsize=9,
                                                     transform=self.ax_neurons.transAxes)
            (self.train_line,) = self.ax_loss.plot([], [], color=BLUE, label="training")
            (self.test_line,) = self.ax_loss.plot([], [], color=VERMILLION, linestyle="--", label="test")
            self.ax_loss.set_xlabel("epoch")
            self.ax_loss.set_title("loss", fontsize=10)
            self.ax_loss.locator_params(nbins=4)
            self.ax_loss.legend(loc="upper right", fontsize=9)
        return figures

    # ── state ───────────────────────────────────────────────────────────────────────────────────
    def make_data(self):
        """The data set of the controls, split into training and test data, scaled to fit the map."""
        X, y = make_dataset(self.dataset.value, n_samples=self.n_samples, noise=float(self.noise.value), seed=self.seed)
        X = X / max(float(np.abs(X).max()), 1e-12) * (LIMITS[1] * 0.9)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_fraction=float(self.test_share.value), seed=self.seed)
        self.n_classes = int(y.max()) + 1

    def reset(self):
        """New data from the controls and a network with the seeded starting weights, at epoch 0."""
        self.make_data()
        binary = self.n_classes == 2
        self.loss = "binary_cross_entropy" if binary else "softmax_cross_entropy"
        self.network = Network.from_sizes(
            [2, *self.hidden, 1 if binary else self.n_classes], activation=self.activation.value,
            output_activation="sigmoid" if binary else "linear", rng=self.seed,
        )
        self.shuffle = np.random.default_rng(self.seed)
        self.train_loss, self.test_loss, self.train_accuracy, self.test_accuracy = [], [], [], []
        self.message = ""

    def train(self, epochs, live=False):
        """Train for `epochs` more epochs (with live=True, redrawing every few epochs, at most one
        picture per LIVE_FRAME_SECONDS, so drawing does not slow the training down) and show the result."""
        chunks = [epochs] if not live else [min(10, epochs - done) for done in range(0, epochs, 10)]
        last_frame = time.perf_counter()
        for number, chunk in enumerate(chunks):
            if self.message or chunk == 0:
                break
            batch = self.batch_size.value
            batch = None if batch == "all" or batch >= len(self.X_train) else batch
            try:
                history = fit(self.network, self.X_train, self.y_train, loss=self.loss,
                              learning_rate=float(self.learning_rate.value), epochs=chunk, batch_size=batch,
                              rng=self.shuffle, validation_data=(self.X_test, self.y_test), progress=False)
            except TrainingDiverged as stopped:
                history, self.message = stopped.history, str(stopped)
            self.train_loss += history.loss
            self.test_loss += history.val_loss
            self.train_accuracy += history.accuracy
            self.test_accuracy += history.val_accuracy
            due = number == len(chunks) - 1 or time.perf_counter() - last_frame >= LIVE_FRAME_SECONDS
            if live and not self.message and due:
                self.show()
                last_frame = time.perf_counter()
        if not live or self.message:
            self.show()

    def reset_and_show(self):
        self.reset()
        self.show()

    def redraw(self):
        """A control changed: rebuild from the seed, train the preset epochs, and show."""
        shape = (self.hidden_layers.value, self.neurons.value)
        if shape != self.shape_controls:  # the sliders make every hidden layer equally wide
            self.hidden, self.shape_controls = [shape[1]] * shape[0], shape
        self.reset()
        self.train(self.epochs)

    def show(self):
        """Draw the current state."""
        self.update()
        self.show_figure()

    # ── drawing ─────────────────────────────────────────────────────────────────────────────────
    def update(self):
        with np.errstate(over="ignore", invalid="ignore"):  # a network near divergence may overflow: draw it anyway
            self._draw()

    def _draw(self):
        output = self.network.forward(self.grid)
        if output.shape[1] == 1:
            self.map.set_cmap(OUTPUT_CMAP)
            self.map.set_data(output[:, 0].reshape(self.map_shape))
            self.map.set_clim(0, 1)
            self.map.set_alpha(1.0)
        else:
            self.map.set_cmap(ListedColormap(CLASS_COLORS[: output.shape[1]]))
            self.map.set_data(output.argmax(axis=1).reshape(self.map_shape))
            self.map.set_clim(-0.5, output.shape[1] - 0.5)
            self.map.set_alpha(0.35)
        for label, (filled, hollow) in enumerate(zip(self.train_points, self.test_points)):
            filled.set_offsets(self.X_train[self.y_train == label].reshape(-1, 2))
            hollow.set_offsets(self.X_test[self.y_test == label].reshape(-1, 2))
        self._draw_neurons()
        epochs = np.arange(1, len(self.train_loss) + 1)
        self.train_line.set_data(epochs, self.train_loss)
        self.test_line.set_data(epochs, self.test_loss)
        self.ax_loss.set_xlim(0, max(len(epochs), 1))
        finite = [value for value in self.train_loss + self.test_loss if np.isfinite(value)]
        self.ax_loss.set_ylim(0, 1.1 * max(finite, default=1.0))
        self.readout.value = self._status()

    def moving_artists(self):
        """What a redraw changes, with what is drawn over it: the map and the points and frame over it;
        the loss curves, both axes' scales, the frame and the legend over them. The neurons' panel is
        drawn whole (None): its squares set the shape of its axes."""
        return [[self.map, *self.train_points, *self.test_points, *self.ax_map.spines.values()],
                None,
                [self.train_line, self.test_line, self.ax_loss.xaxis, self.ax_loss.yaxis,
                 *self.ax_loss.spines.values(), self.ax_loss.get_legend()]]

    def _draw_neurons(self):
        """Every hidden neuron's output over the plane as a small square, one column per layer."""
        if not self.hidden:
            self.neuron_mosaic.set_data(np.full((2, 2), np.nan))
            self.ax_neurons.set_xticks([])
            self.neurons_note.set_text("no hidden layers:\nthe output neuron alone\ndraws a straight line")
            return
        self.neurons_note.set_text("")
        size, gap = NEURON_RESOLUTION, 4
        rows, columns = max(self.hidden), len(self.hidden)
        mosaic = np.full((rows * (size + gap), columns * (size + gap * 3)), np.nan)
        activation = get_activation(self.activation.value)
        for column, outputs in enumerate(self.network.layer_outputs(self.neuron_grid)[:-1]):
            low, high = output_limits(activation, outputs)
            scaled = (outputs - low) / (high - low)
            for row in range(outputs.shape[1]):
                top, left = row * (size + gap), column * (size + gap * 3)
                mosaic[top:top + size, left:left + size] = scaled[:, row].reshape(size, size)[::-1]
        self.neuron_mosaic.set_data(mosaic)
        self.neuron_mosaic.set_extent((0, mosaic.shape[1], mosaic.shape[0], 0))
        self.ax_neurons.set_xticks([column * (size + gap * 3) + size / 2 for column in range(columns)],
                                   [str(column + 1) for column in range(columns)])

    def _status(self):
        if not self.train_loss:
            lines = [["epoch 0: press Train or Step to learn",
                      f"{len(self.X_train)} training and {len(self.X_test)} test points"]]
        else:
            lines = [[f"epoch {len(self.train_loss)} · loss: training {number(self.train_loss[-1])}",
                      f"test {number(self.test_loss[-1])}"],
                     [f"accuracy: training {fixed(self.train_accuracy[-1])}", f"test {fixed(self.test_accuracy[-1])}"]]
        if self.message:
            lines.append(message_html(self.message))
        return readout_html(*lines)


def playground(dataset="circles", noise=0.1, test_share=0.3, hidden=(4, 4), activation="tanh", learning_rate=1.0,
               batch_size="all", epochs=60, train_epochs=100, seed=0, n_samples=200, hide=()):
    """A `Playground`: pick data and a network, press Train, and watch it learn. See `nblib.widgets.playground`."""
    check_playground(noise, test_share, activation, learning_rate)
    return Playground(dataset=dataset, noise=noise, test_share=test_share, hidden=hidden, activation=activation,
                      learning_rate=learning_rate, batch_size=batch_size, epochs=epochs, train_epochs=train_epochs,
                      seed=seed, n_samples=n_samples, hide=hide)
