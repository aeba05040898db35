"""From a sound to numbers a network can use: frames, spectrum, spectrogram, mel scale, log-mel.

Introduced in chapter 9, Audio features.

A clip is a 1-D array of samples (or a batch of clips, shape (n_clips, n_samples)).
The steps, each a function here:

    frames            cut the clip into short overlapping frames          (n_frames, frame_length)
    hann_window       taper each frame's ends to zero
    spectrogram       |rfft(window · frame)|² for every frame              (n_frames, n_fft // 2 + 1)
    mel_filterbank    triangles that add up neighbouring frequencies, spaced evenly in mels
    mel_spectrogram   spectrogram @ filterbankᵀ                            (n_frames, n_mels)
    log_mel           10 · log10 of it, in decibels: loudness as the ear hears it
    clip_features     mean and spread of every log-mel band over time      (n_clips, 2 · n_mels)

Times run down the first axis (batch-first, like everything in nblib); librosa
puts frequency first, so its arrays are the transpose of these.
"""

import numpy as np

from nblib.audio.synth import SAMPLE_RATE
from nblib.validation import as_float_array, as_positive_int, check_finite

N_FFT = 512
HOP_LENGTH = 160  # 10 ms at 16 kHz
N_MELS = 40
LOG_FLOOR = 1e-10
"""Power below this counts as silence in log_mel (−100 dB), so log10 never sees 0."""


def _as_clips(signal, name="signal"):
    signal = as_float_array(signal, name)
    if signal.ndim not in (1, 2) or signal.shape[-1] == 0:
        raise ValueError(f"{name} should be a clip (n_samples,) or a batch of clips (n_clips, n_samples); got shape {signal.shape}.")
    check_finite(signal, name)  # one NaN would spread over a whole row of features
    return signal


def frames(signal, frame_length=N_FFT, hop_length=HOP_LENGTH, center=True):
    """Overlapping frames of a clip (n_samples,) → (n_frames, frame_length), or of a batch → (n_clips, n_frames, frame_length).

    With center=True the clip is first padded by frame_length // 2 on both sides (mirrored),
    so frame t is centred on sample t · hop_length.
    """
    signal = _as_clips(signal)
    frame_length = as_positive_int(frame_length, "frame_length")
    hop_length = as_positive_int(hop_length, "hop_length")
    if center:
        pad = [(0, 0)] * (signal.ndim - 1) + [(frame_length // 2, frame_length // 2)]
        signal = np.pad(signal, pad, mode="reflect" if signal.shape[-1] > frame_length // 2 else "constant")
    if signal.shape[-1] < frame_length:
        raise ValueError(
            f"signal should be at least frame_length = {frame_length} samples long; got {signal.shape[-1]}."
        )
    windows = np.lib.stride_tricks.sliding_window_view(signal, frame_length, axis=-1)
    return windows[..., ::hop_length, :]


def hann_window(length):
    """The periodic Hann window, 0.5 − 0.5·cos(2πn / length): 0 at the start, 1 in the middle."""
    n = np.arange(as_positive_int(length, "length"))
    return 0.5 - 0.5 * np.cos(2 * np.pi * n / length)


def spectrogram(signal, n_fft=N_FFT, hop_length=HOP_LENGTH, power=2.0, center=True):
    """|rfft(hann · frame)|^power for every frame: (n_frames, n_fft // 2 + 1), or with a batch (n_clips, n_frames, …).

    Column k holds the frequency k · sample_rate / n_fft.
    """
    framed = frames(signal, n_fft, hop_length, center)
    return np.abs(np.fft.rfft(framed * hann_window(n_fft), axis=-1)) ** power


def hz_to_mel(hz):
    """Mels for frequencies in Hz: 2595 · log10(1 + hz / 700). Equal steps in mels sound like equal steps in pitch."""
    return 2595.0 * np.log10(1.0 + np.asarray(hz, dtype=float) / 700.0)


def mel_to_hz(mel):
    """Hz for mels, the inverse of hz_to_mel."""
    return 700.0 * (10.0 ** (np.asarray(mel, dtype=float) / 2595.0) - 1.0)


def mel_filterbank(sample_rate=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS, fmin=0.0, fmax=None, normalize=True):
    """Triangular filters, spaced evenly in mels from fmin to fmax: shape (n_mels, n_fft // 2 + 1).

    Filter m rises from 0 at mel point m to 1 at point m + 1 and falls back to 0 at point m + 2.
    With normalize=True each triangle is scaled by 2 / (its width in Hz), so wide filters
    do not count more energy just for being wide (librosa's norm="slaney").
    """
    fmax = sample_rate / 2 if fmax is None else fmax
    if not 0 <= fmin < fmax <= sample_rate / 2:
        raise ValueError(f"fmin and fmax should satisfy 0 ≤ fmin < fmax ≤ {sample_rate / 2:g} (half the sample rate); got {fmin} and {fmax}.")
    frequencies = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    edges = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), as_positive_int(n_mels, "n_mels") + 2))
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (frequencies - lower) / (centre - lower)
    falling = (upper - frequencies) / (upper - centre)
    filters = np.maximum(0.0, np.minimum(rising, falling))
    empty = np.flatnonzero(filters.max(axis=1) == 0)
    if len(empty):
        raise ValueError(
            f"n_mels = {n_mels} is too many for n_fft = {n_fft}: {len(empty)} mel filter(s) fall between two "
            f"frequency bins (which are {sample_rate / n_fft:g} Hz apart) and would always be 0, the first at "
            f"{float(centre[empty[0], 0]):.0f} Hz. Use fewer mels or a larger n_fft."
        )
    if normalize:
        filters *= 2.0 / (upper - lower)
    return filters


def mel_spectrogram(signal, sample_rate=SAMPLE_RATE, n_fft=N_FFT, hop_length=HOP_LENGTH, n_mels=N_MELS, fmin=0.0, fmax=None):
    """Power in each mel band for every frame: (n_frames, n_mels), or with a batch (n_clips, n_frames, n_mels)."""
    filters = mel_filterbank(sample_rate, n_fft, n_mels, fmin, fmax)
    return spectrogram(signal, n_fft, hop_length) @ filters.T


def power_to_db(power, floor=LOG_FLOOR):
    """10 · log10(power) in decibels, with power below `floor` counted as `floor`."""
    return 10.0 * np.log10(np.maximum(power, floor))


def log_mel(signal, sample_rate=SAMPLE_RATE, n_fft=N_FFT, hop_length=HOP_LENGTH, n_mels=N_MELS):
    """The log-mel spectrogram in decibels: (n_frames, n_mels), or (n_clips, n_frames, n_mels) for a batch."""
    return power_to_db(mel_spectrogram(signal, sample_rate, n_fft, hop_length, n_mels))


def clip_features(clips, sample_rate=SAMPLE_RATE, n_mels=N_MELS, chunk=100):
    """One fixed-size vector per clip: the mean and the standard deviation over time of every
    log-mel band. clips (n_clips, n_samples) → (n_clips, 2 · n_mels), float32.

    Clips are processed `chunk` at a time, so memory stays small however many there are.
    """
    clips = _as_clips(clips, "clips")
    clips = clips[None, :] if clips.ndim == 1 else clips
    out = np.empty((len(clips), 2 * n_mels), dtype=np.float32)
    for start in range(0, len(clips), as_positive_int(chunk, "chunk")):
        with np.errstate(over="ignore", invalid="ignore"):  # reported below, with the clip it came from
            bands = log_mel(clips[start:start + chunk], sample_rate, n_mels=n_mels)
        out[start:start + chunk, :n_mels] = bands.mean(axis=1)
        out[start:start + chunk, n_mels:] = bands.std(axis=1)
    bad = np.flatnonzero(~np.isfinite(out).all(axis=1))
    if len(bad):
        row = int(bad[0])
        raise ValueError(
            f"clips[{row}] gives features that are not finite numbers: its samples reach "
            f"{np.abs(clips[row]).max():.3g}, too large to square. Clips should hold samples in −1 … 1; "
            f"{len(bad)} clip(s) are affected."
        )
    return out
