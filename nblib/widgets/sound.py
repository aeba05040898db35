"""The sound explorer: choose a sound, its pitch and its noise; hear it and see its features.

Introduced in chapter 9, Audio features.
"""

import ipywidgets as widgets
import numpy as np

from nblib.audio.features import HOP_LENGTH, N_MELS, log_mel, power_to_db, spectrogram
from nblib.audio.io import wav_bytes
from nblib.audio.synth import INSTRUMENTS, SAMPLE_RATE, WAVEFORMS, clip
from nblib.plots import BLUE, book_style, new_figure
from nblib.widgets.base import CONTROL_STYLE, CONTROL_WIDTH, Explorer, slider
from nblib.widgets.arguments import check_sound_explorer

LOUDEST_DB = 0.0
QUIETEST_DB = -90.0


class SoundExplorer(Explorer):
    """A clip of any class of `nblib.audio.synth` (medium level, fixed seed and index), with
    sliders for its pitch (Hz, log scale) and its signal-to-noise ratio (dB). Shows 40 ms of the
    waveform, the spectrogram and the log-mel spectrogram, and a player for the sound."""

    def __init__(self, kind="square", pitch=220.0, snr_db=30.0, index=0, seed=0):
        self.kind = widgets.Dropdown(options=list(WAVEFORMS + INSTRUMENTS), value=kind, description="sound",
                                     style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH))
        self.pitch = widgets.FloatLogSlider(value=pitch, base=2, min=np.log2(55), max=np.log2(1760), step=1 / 12,
                                            description="pitch", continuous_update=False, readout_format=".0f",
                                            style=CONTROL_STYLE, layout=widgets.Layout(width=CONTROL_WIDTH))
        self.snr_db = slider("SNR", snr_db, 0.0, 40.0, 1.0)
        self.index, self.seed = index, seed
        self.player = widgets.Audio(format="wav", autoplay=False, loop=False)
        figure, (self.ax_wave, self.ax_spectrum, self.ax_mel) = new_figure(ncols=3, size=(9.6, 2.8), pyplot=False)
        figure.set_dpi(80)
        n_frames = 1 + SAMPLE_RATE // 2 // HOP_LENGTH
        duration = n_frames * HOP_LENGTH / SAMPLE_RATE
        with book_style():
            (self.wave_line,) = self.ax_wave.plot([], [], color=BLUE, linewidth=1)
            self.ax_wave.set_xlabel("time (ms)")
            self.ax_wave.set_title("waveform, 40 ms", fontsize=10)
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
        self._build([self.kind, self.pitch, self.snr_db], figure)

    def _arrange(self, controls):
        return widgets.VBox([widgets.HBox([widgets.VBox(controls), widgets.VBox([self.player, self.readout])]), self.image])

    def sound(self):
        """The clip the controls describe: (n_samples,) floats."""
        return clip(self.kind.value, index=self.index, seed=self.seed, pitch=self.pitch.value, snr_db=self.snr_db.value)

    def update(self):
        signal = self.sound()
        start = int(np.argmax(np.abs(signal) > 0.05 * np.abs(signal).max()))  # skip the silence before the onset
        shown = signal[start:start + int(0.04 * SAMPLE_RATE)]
        self.wave_line.set_data(np.arange(len(shown)) / SAMPLE_RATE * 1000, shown)
        self.ax_wave.set_xlim(0, 40)
        power = power_to_db(spectrogram(signal))
        bands = log_mel(signal)
        self.spectrum_image.set_data(power.T - power.max())  # 0 dB is the loudest point of each picture
        self.mel_image.set_data(bands.T - bands.max())
        self.player.value = wav_bytes(signal / max(np.abs(signal).max(), 1e-12) * 0.9)
        self.readout.value = (f"{self.kind.value.replace('_', ' ')} at {self.pitch.value:.0f} Hz, "
                              f"signal {self.snr_db.value:.0f} dB above the noise")


def sound_explorer(kind="square", pitch=220.0, snr_db=30.0):
    """A `SoundExplorer`: pick a sound, its pitch and noise; hear it and see its spectrogram and log-mel."""
    check_sound_explorer(kind, pitch, snr_db)
    return SoundExplorer(kind=kind, pitch=pitch, snr_db=snr_db)
