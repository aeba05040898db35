"""The sound explorer: choose a sound, its pitch and its noise; hear it and see its features.

Introduced in chapter 9, Audio features.
"""

import ipywidgets as widgets
import numpy as np

from nblib.audio.features import HOP_LENGTH, N_MELS, log_mel, power_to_db, spectrogram
from nblib.audio.io import wav_bytes
from nblib.audio.synth import INSTRUMENTS, SAMPLE_RATE, WAVEFORMS, clip
from nblib.plots import BLUE, book_style, new_figure
from nblib.widgets.base import CONTROL_STYLE, CONTROL_WIDTH, Explorer, fixed, panels_row, readout_html, slider
from nblib.widgets.base import wrapping_row
from nblib.widgets.log_slider import LogSlider
from nblib.widgets.arguments import check_sound_explorer

LOUDEST_DB = 0.0
QUIETEST_DB = -90.0
UNPITCHED = ("kick", "snare", "hi_hat")
"""The drums: they keep their own tuning, so the pitch slider means nothing for them and is disabled."""
SHOWN_MS = 40
"""The waveform panel shows this many milliseconds from the sound's onset."""


def onset(signal, frame=16):
    """The index where the sound starts: the first frame of `frame` samples whose RMS reaches half
    the loudest frame's, moved back one frame so the start itself shows."""
    n_frames = len(signal) // frame
    rms = np.sqrt(np.mean(signal[: n_frames * frame].reshape(n_frames, frame) ** 2, axis=1))
    first = int(np.argmax(rms >= 0.5 * rms.max()))
    return max(first - 1, 0) * frame


class SoundExplorer(Explorer):
    """A clip of any class of `nblib.audio.synth` (medium level, fixed seed and index), with
    sliders for its pitch (Hz, log scale; disabled for the drums, which ignore it) and its
    signal-to-noise ratio (dB). Shows 40 ms of the waveform from the sound's onset, the spectrogram
    and the log-mel spectrogram (with the colour scale they share), and a player for the sound."""

    def __init__(self, kind="square", pitch=220.0, snr_db=30.0, index=0, seed=0):
        self.kind = widgets.Dropdown(options=list(WAVEFORMS + INSTRUMENTS), value=kind, description="sound",
                                     style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH))
        self.pitch = LogSlider(value=pitch, base=2, min=float(np.log2(55)), max=float(np.log2(1760)), step=1 / 12,
                               description="pitch", readout_format=".0f", layout=widgets.Layout(width=CONTROL_WIDTH))
        self.snr_db = slider("SNR", snr_db, 0.0, 40.0, 1.0)
        self.index, self.seed = index, seed
        self.player = widgets.Audio(format="wav", autoplay=False, loop=False)
        figures = [new_figure(size=size, pyplot=False)[0] for size in ((2.9, 2.8), (3.1, 2.8), (3.1, 2.8))]
        self.ax_wave, self.ax_spectrum, self.ax_mel = (figure.axes[0] for figure in figures)  # one image per panel
        n_frames = 1 + SAMPLE_RATE // 2 // HOP_LENGTH
        duration = n_frames * HOP_LENGTH / SAMPLE_RATE
        with book_style():
            (self.wave_line,) = self.ax_wave.plot([], [], color=BLUE, linewidth=1)
            self.ax_wave.set_xlabel("time (ms)")
            self.ax_wave.set_title(f"waveform, {SHOWN_MS} ms from the onset", fontsize=10)
            self.ax_wave.set_ylim(-1, 1)
            self.spectrum_image = self.ax_spectrum.imshow(np.zeros((2, 2)), origin="lower", aspect="auto", cmap="magma",
                                                          extent=(0, duration, 0, SAMPLE_RATE / 2),
                                                          vmin=QUIETEST_DB, vmax=LOUDEST_DB)
            self.ax_spectrum.set_title("spectrogram", fontsize=10)
            self.ax_spectrum.set_ylabel("Hz")
            self.mel_image = self.ax_mel.imshow(np.zeros((2, 2)), origin="lower", aspect="auto", cmap="magma",
                                                extent=(0, duration, 0, N_MELS), vmin=QUIETEST_DB, vmax=LOUDEST_DB)
            self.ax_mel.set_title("log-mel", fontsize=10)
            self.ax_mel.set_ylabel("mel band")
            for ax in (self.ax_spectrum, self.ax_mel):
                ax.set_xlabel("time (s)")
                ax.grid(False)
            for figure, image in ((figures[1], self.spectrum_image), (figures[2], self.mel_image)):
                # the same colour scale in both: dB below the loudest point of each picture
                figure.colorbar(image, ax=image.axes, shrink=0.9, ticks=[QUIETEST_DB, -60, -30, LOUDEST_DB], label="dB")
        self._build([self.kind, self.pitch, self.snr_db], figures)

    def _arrange(self, controls):
        return widgets.VBox([wrapping_row([widgets.VBox(controls, layout=widgets.Layout(flex="0 0 auto")),
                                           widgets.VBox([self.player, self.readout], layout=widgets.Layout(flex="0 1 20em"))]),
                             panels_row(self.images)])

    def sound(self):
        """The clip the controls describe: (n_samples,) floats."""
        return clip(self.kind.value, index=self.index, seed=self.seed, pitch=self.pitch.value, snr_db=self.snr_db.value)

    def update(self):
        pitched = self.kind.value not in UNPITCHED
        self.pitch.disabled = not pitched
        signal = self.sound()
        start = onset(signal)  # skip the silence before the sound starts
        shown = signal[start:start + int(SHOWN_MS / 1000 * SAMPLE_RATE)]
        self.wave_line.set_data(np.arange(len(shown)) / SAMPLE_RATE * 1000, shown)
        self.ax_wave.set_xlim(0, SHOWN_MS)
        power = power_to_db(spectrogram(signal))
        bands = log_mel(signal)
        self.spectrum_image.set_data(power.T - power.max())  # 0 dB is the loudest point of each picture
        self.mel_image.set_data(bands.T - bands.max())
        self.player.value = wav_bytes(signal / max(np.abs(signal).max(), 1e-12) * 0.9)
        name = self.kind.value.replace("_", " ")
        sound = f"{name} at {fixed(self.pitch.value, 0)} Hz" if pitched else f"{name} (a drum: its own tuning, no pitch)"
        self.readout.value = readout_html([sound, f"signal {fixed(self.snr_db.value, 0)} dB above the noise"])


def sound_explorer(kind="square", pitch=220.0, snr_db=30.0):
    """A `SoundExplorer`: pick a sound, its pitch and noise; hear it and see its spectrogram and log-mel."""
    check_sound_explorer(kind, pitch, snr_db)
    return SoundExplorer(kind=kind, pitch=pitch, snr_db=snr_db)
