"""Seeing and hearing sounds: waveform and spectrogram figures, and rows of sound players.

Introduced in chapter 9, Audio features.
"""

import base64
import html

import numpy as np

from nblib.audio.features import HOP_LENGTH, N_MELS, log_mel, power_to_db, spectrogram
from nblib.audio.io import wav_bytes
from nblib.audio.synth import SAMPLE_RATE
from nblib.plots import BLUE, axes_or_new, book_style
from nblib.validation import as_float_array

SPECTROGRAM_CMAP = "magma"
"""Dark for quiet, bright for loud; perceptually even and readable in grey."""


def plot_waveform(signal, sample_rate=SAMPLE_RATE, ax=None, title=None, seconds=None):
    """The samples of a clip (n_samples,) against time; `seconds` = (start, end) zooms in."""
    signal = as_float_array(signal, "signal")
    ax = axes_or_new(ax, (6.0, 2.2))
    t = np.arange(len(signal)) / sample_rate
    with book_style():
        ax.plot(t, signal, color=BLUE, linewidth=0.8)
        ax.set_xlabel("time (s)")
        ax.set_ylabel("amplitude")
        if seconds is not None:
            ax.set_xlim(*seconds)
        if title:
            ax.set_title(title)
    return ax


def plot_spectrogram(signal, sample_rate=SAMPLE_RATE, ax=None, mel=False, title=None, colorbar=True, db_range=None):
    """A clip's spectrogram in decibels: time across, frequency (or mel band with mel=True) up.

    Every cell is one frame × one frequency bin (or mel band), drawn as a sharp block.
    db_range: (quietest, loudest) dB the colours span; default from the clip's loudest to 80 dB
    below it. Give spectrograms shown side by side the same range, so a colour means one level.
    """
    ax = axes_or_new(ax, (6.0, 2.6))
    if mel:
        image = log_mel(signal, sample_rate)
        top, label = N_MELS, "mel band"
    else:
        image = power_to_db(spectrogram(signal))
        top, label = sample_rate / 2, "frequency (Hz)"
    duration = image.shape[0] * HOP_LENGTH / sample_rate
    low, high = (image.max() - 80, image.max()) if db_range is None else _as_db_range(db_range)
    with book_style():
        shown = ax.imshow(image.T, origin="lower", aspect="auto", cmap=SPECTROGRAM_CMAP, interpolation="nearest",
                          extent=(0, duration, 0, top), vmin=low, vmax=high)
        if colorbar:
            ax.figure.colorbar(shown, ax=ax, label="dB", pad=0.02)
        ax.set_xlabel("time (s)")
        ax.set_ylabel(label)
        ax.grid(False)
        if title:
            ax.set_title(title)
    return ax


def _as_db_range(db_range):
    try:
        low, high = (float(value) for value in db_range)
    except (TypeError, ValueError):
        raise TypeError(f"db_range should be two numbers (quietest, loudest) in dB, such as (-60, 20); "
                        f"got {db_range!r}.") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"db_range should be two finite numbers, the quietest below the loudest; got {db_range!r}.")
    return low, high


class SoundPlayers:
    """A row of labelled players, one per clip; shows as HTML in a notebook (and in a static page)."""

    def __init__(self, clips, labels, sample_rate=SAMPLE_RATE):
        self.clips, self.labels, self.sample_rate = clips, labels, sample_rate

    def _repr_html_(self):
        cells = []
        for clip, label in zip(self.clips, self.labels):
            peak = max(float(np.abs(clip).max()), 1e-12)
            data = base64.b64encode(wav_bytes(np.asarray(clip, dtype=float) / peak * 0.9, self.sample_rate)).decode()
            cells.append(
                f'<div style="display:inline-block;margin:0 1em 0.6em 0;text-align:center">'
                f"<div>{html.escape(str(label))}</div>"
                f'<audio controls preload="none" src="data:audio/wav;base64,{data}" style="width:14em"></audio></div>'
            )
        return "<div>" + "".join(cells) + "</div>"

    def __repr__(self):
        return f"SoundPlayers({len(self.clips)} clips: {', '.join(str(label) for label in self.labels)})"


def sound_players(clips, labels, sample_rate=SAMPLE_RATE):
    """Players for clips (n_clips, n_samples) with their labels, side by side (each at the same loudness)."""
    clips = as_float_array(clips, "clips")
    clips = clips[None, :] if clips.ndim == 1 else clips
    labels = list(labels)
    if len(labels) != len(clips):
        raise ValueError(f"labels should name every clip: {len(clips)} clips but {len(labels)} labels.")
    return SoundPlayers(clips, labels, sample_rate)


