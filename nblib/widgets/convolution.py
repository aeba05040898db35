"""The kernel explorer: slide one filter along a real spectrogram and watch where it responds.

Introduced in chapter 12, Convolution.

The filter is a Conv1D kernel of 5 frames × all mel bands. Its shape in time is drawn with
five sliders (or picked from a few ready-made shapes) and it listens only to a range of
mel bands. Its response, computed by `nblib.convolution.Conv1D`, is drawn under the
spectrogram, frame by frame.
"""

import ipywidgets as widgets
import numpy as np

from nblib.convolution import Conv1D
from nblib.plots import BLUE, ORANGE, book_style, new_figure
from nblib.validation import as_float_array, describe
from nblib.widgets.base import CONTROL_STYLE, CONTROL_WIDTH, Explorer, slider

KERNEL_SIZE = 5

KERNEL_SHAPES = {
    "onset: quiet, then loud": (-1.0, -1.0, 0.0, 1.0, 1.0),
    "offset: loud, then quiet": (1.0, 1.0, 0.0, -1.0, -1.0),
    "steady: loud for 5 frames": (0.4, 0.4, 0.4, 0.4, 0.4),
    "blip: loud for 1 frame": (-0.5, -0.5, 1.0, -0.5, -0.5),
}
"""Ready-made shapes in time (one weight per frame of the kernel)."""


def kernel_weights(shape_in_time, low_band, high_band, n_bands):
    """The kernel (KERNEL_SIZE, n_bands, 1): the weights of `shape_in_time` on the mel bands
    low_band to high_band (both included), and 0 on every other band, averaged over those bands."""
    bands = np.zeros(n_bands)
    bands[low_band:high_band + 1] = 1.0 / (high_band - low_band + 1)
    return np.outer(shape_in_time, bands)[:, :, np.newaxis]


class KernelExplorer(Explorer):
    """One filter slid along a spectrogram. spectrograms: name → log-mel (n_frames, n_bands),
    as the network sees them (e.g. with every band's mean over time removed); frame_seconds:
    the time between two frames."""

    def __init__(self, spectrograms, frame_seconds, kernel="onset: quiet, then loud", bands=(0, 39)):
        if not isinstance(spectrograms, dict) or not spectrograms:
            raise TypeError(f"spectrograms should be a dict, name → log-mel of shape (n_frames, n_bands); got {describe(spectrograms)}.")
        self.spectrograms = {}
        for name, image in spectrograms.items():
            image = as_float_array(image, f"spectrograms[{name!r}]")
            if image.ndim != 2 or image.shape[0] < KERNEL_SIZE:
                raise ValueError(f"spectrograms[{name!r}] should have shape (n_frames ≥ {KERNEL_SIZE}, n_bands); got {image.shape}.")
            self.spectrograms[name] = image
        shapes = {image.shape[1] for image in self.spectrograms.values()}
        if len(shapes) != 1:
            raise ValueError(f"every spectrogram should have the same number of bands; got {sorted(shapes)}.")
        if kernel not in KERNEL_SHAPES:
            raise ValueError(f"kernel should be one of {list(KERNEL_SHAPES)}; got {kernel!r}.")
        self.n_bands, self.frame_seconds = shapes.pop(), float(frame_seconds)
        self.sound = widgets.Dropdown(options=list(self.spectrograms), description="sound",
                                      style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH))
        self.shape = widgets.Dropdown(options=list(KERNEL_SHAPES) + ["your own (the sliders)"], value=kernel,
                                      description="kernel", style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH))
        self.weights = [slider(f"w{j}", value, -1.0, 1.0, 0.1) for j, value in enumerate(KERNEL_SHAPES[kernel])]
        self.bands = widgets.IntRangeSlider(value=bands, min=0, max=self.n_bands - 1, description="bands",
                                            continuous_update=False, style=CONTROL_STYLE,
                                            layout=widgets.Layout(width=CONTROL_WIDTH))
        self._setting_shape = False
        self.shape.observe(self._use_shape, names="value")
        for weight in self.weights:
            weight.observe(self._drawn_by_hand, names="value")

        first = next(iter(self.spectrograms.values()))
        duration = len(first) * self.frame_seconds
        figure, (self.ax_image, self.ax_kernel, self.ax_response) = new_figure(
            nrows=3, size=(7.5, 6.0), pyplot=False)
        figure.set_dpi(80)
        with book_style():
            self.image_artist = self.ax_image.imshow(first.T, origin="lower", aspect="auto", cmap="magma", interpolation="nearest",
                                                     extent=(0, duration, -0.5, self.n_bands - 0.5))
            self.band_lines = [self.ax_image.axhline(0, color="white", linewidth=1.5, linestyle="--") for _ in range(2)]
            self.ax_image.set_ylabel("mel band")
            self.ax_image.set_title("log-mel spectrogram (the network's input)", fontsize=10)
            self.kernel_artist = self.ax_kernel.imshow(np.zeros((self.n_bands, KERNEL_SIZE)), origin="lower", aspect="auto",
                                                       cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest",
                                                       extent=(-0.5, KERNEL_SIZE - 0.5, -0.5, self.n_bands - 0.5))
            self.ax_kernel.set_title(f"the kernel: {KERNEL_SIZE} frames × {self.n_bands} bands (red +, blue −)", fontsize=10)
            self.ax_kernel.set_xlabel("frame of the kernel")
            (self.response_line,) = self.ax_response.plot([], [], color=BLUE, linewidth=1.5)
            (self.best_marker,) = self.ax_response.plot([], [], "o", color=ORANGE)
            self.ax_response.axhline(0, color="grey", linewidth=0.8)
            self.ax_response.set_xlim(0, duration)
            self.ax_response.set_xlabel("time (s)")
            self.ax_response.set_ylabel("response")
            for ax in (self.ax_image, self.ax_kernel):
                ax.grid(False)
        self._build([self.sound, self.shape, *self.weights, self.bands], figure)

    def _use_shape(self, change):
        """A ready-made shape moves the five sliders (and redraws once)."""
        if change["new"] not in KERNEL_SHAPES:
            return
        self._setting_shape = True
        try:
            with self.figure_held():
                for weight, value in zip(self.weights, KERNEL_SHAPES[change["new"]]):
                    weight.value = value
        finally:
            self._setting_shape = False

    def _drawn_by_hand(self, change):
        if not self._setting_shape and tuple(w.value for w in self.weights) != KERNEL_SHAPES.get(self.shape.value):
            self.shape.unobserve(self._use_shape, names="value")
            self.shape.value = "your own (the sliders)"
            self.shape.observe(self._use_shape, names="value")

    def figure_held(self):
        """While inside, control changes do not redraw; one redraw follows at the end."""
        explorer = self

        class Held:
            def __enter__(self):
                explorer._held = True

            def __exit__(self, *exc):
                explorer._held = False
                explorer.redraw()

        return Held()

    def redraw(self):
        if getattr(self, "_held", False):
            return
        super().redraw()

    def kernel(self):
        """The filter the controls describe, as weights (KERNEL_SIZE, n_bands, 1)."""
        low, high = self.bands.value
        return kernel_weights([w.value for w in self.weights], low, high, self.n_bands)

    def response(self):
        """The filter's response to the chosen spectrogram, frame by frame: (n_frames,), by Conv1D."""
        layer = Conv1D.from_weights(self.kernel(), np.zeros(1), "linear")
        return layer.forward(self.spectrograms[self.sound.value][np.newaxis])[0, :, 0]

    def update(self):
        image = self.spectrograms[self.sound.value]
        low, high = self.bands.value
        self.image_artist.set_data(image.T)
        self.image_artist.set_clim(image.min(), image.max())
        self.band_lines[0].set_ydata([low - 0.5] * 2)
        self.band_lines[1].set_ydata([high + 0.5] * 2)
        kernel = self.kernel()[:, :, 0]
        self.kernel_artist.set_data(kernel.T / max(np.abs(kernel).max(), 1e-12))
        response = self.response()
        times = (np.arange(len(response)) + 0.5) * self.frame_seconds
        self.response_line.set_data(times, response)
        best = int(np.argmax(response))
        self.best_marker.set_data([times[best]], [response[best]])
        spread = max(np.abs(response).max(), 1e-6)
        self.ax_response.set_ylim(-1.1 * spread, 1.1 * spread)
        self.readout.value = (f"strongest response {response[best]:.2f} at {times[best]:.2f} s "
                              f"(frame {best}), bands {low}–{high}")


def kernel_explorer(spectrograms, frame_seconds, kernel="onset: quiet, then loud", bands=(0, 39)):
    """A `KernelExplorer`: draw or pick a kernel and see its response along real spectrograms."""
    return KernelExplorer(spectrograms, frame_seconds, kernel=kernel, bands=bands)
