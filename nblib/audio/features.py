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

For real recordings (chapter 11, Real voices):

    sound_rate          the clips and their sample rate, checked: features at the wrong rate are an error
    trim_silence        cut the quiet start and end of a clip
    normalise_bands     remove each band's mean over time, per recording
    block_features      log-mel pooled into time blocks: features that keep the order of sounds

For convolution (chapter 12):

    word_frames         the log-mel of every word, trimmed and stretched to the same number of frames

Times run down the first axis (batch-first, like everything in nblib); librosa
puts frequency first, so its arrays are the transpose of these.
"""

import functools

import numpy as np

from nblib.audio.synth import SAMPLE_RATE
from nblib.validation import as_float_array, as_number, as_positive_int, check_finite

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


@functools.lru_cache(maxsize=16)
def _kept_filterbank(sample_rate, n_fft, n_mels, fmin, fmax):
    """mel_filterbank, made once per setting and kept read-only: a clip at a time, making it again
    would take a third of the time of a log-mel."""
    filters = mel_filterbank(sample_rate, n_fft, n_mels, fmin, fmax)
    filters.setflags(write=False)
    return filters


def mel_spectrogram(signal, sample_rate=SAMPLE_RATE, n_fft=N_FFT, hop_length=HOP_LENGTH, n_mels=N_MELS, fmin=0.0, fmax=None):
    """Power in each mel band for every frame: (n_frames, n_mels), or with a batch (n_clips, n_frames, n_mels)."""
    try:
        filters = _kept_filterbank(sample_rate, n_fft, n_mels, fmin, fmax)
    except TypeError:  # an argument that cannot be a key (a list...): mel_filterbank says what it should be
        filters = mel_filterbank(sample_rate, n_fft, n_mels, fmin, fmax)
    power = spectrogram(signal, n_fft, hop_length)
    # one 2-D matrix product over all frames of all clips: numpy's batched 3-D product is many times slower
    return (power.reshape(-1, power.shape[-1]) @ filters.T).reshape(power.shape[:-1] + (filters.shape[0],))


def power_to_db(power, floor=LOG_FLOOR):
    """10 · log10(power) in decibels, with power below `floor` counted as `floor`."""
    return 10.0 * np.log10(np.maximum(power, floor))


def log_mel(signal, sample_rate=SAMPLE_RATE, n_fft=N_FFT, hop_length=HOP_LENGTH, n_mels=N_MELS):
    """The log-mel spectrogram in decibels: (n_frames, n_mels), or (n_clips, n_frames, n_mels) for a batch."""
    return power_to_db(mel_spectrogram(signal, sample_rate, n_fft, hop_length, n_mels))


def sound_rate(sounds, sample_rate=None, name="sounds"):
    """(clips, sample_rate) from a `SoundFolder` (which knows its rate) or from an array and a rate.

    Introduced in chapter 11, Real voices. Features computed at a rate the clips are not at are
    wrong by tens of decibels without any other sign, so asking for a rate the clips do not have
    is an error, and a bare array needs its rate said.
    """
    rate = getattr(sounds, "sample_rate", None)
    if rate is not None:
        if sample_rate is not None and int(sample_rate) != int(rate):
            raise ValueError(
                f"sample_rate is {sample_rate} Hz, but the clips of {name} are at {rate} Hz (it says so in "
                f"{name}.sample_rate). Features at the wrong rate put every frequency in the wrong place; "
                f"leave sample_rate out to use {rate}, or read the folder again with sample_rate={sample_rate}."
            )
        return _as_clips(sounds.clips, f"{name}.clips"), int(rate)
    if sample_rate is None:
        raise ValueError(
            f"sample_rate is needed: {name} is an array of samples, which does not say its rate. Pass the rate "
            "the clips were recorded or read at, e.g. sample_rate=8000, or pass the SoundFolder itself."
        )
    return _as_clips(sounds, name), as_positive_int(sample_rate, "sample_rate")


def clip_features(clips, sample_rate=None, n_mels=N_MELS, chunk=100):
    """One fixed-size vector per clip: the mean and the standard deviation over time of every
    log-mel band. clips (n_clips, n_samples) → (n_clips, 2 · n_mels), float32.

    clips may be a `SoundFolder` (its rate is used; another sample_rate is an error) or an array
    at sample_rate (the book's 16 kHz when not given). Clips are processed `chunk` at a time,
    so memory stays small however many there are.
    """
    if getattr(clips, "sample_rate", None) is not None:
        clips, sample_rate = sound_rate(clips, sample_rate, "clips")
    sample_rate = SAMPLE_RATE if sample_rate is None else sample_rate
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


def frame_settings(sample_rate):
    """(n_fft, hop_length) for a rate: frames of about 32 ms (a power of two) every 10 ms.
    512 and 160 at 16 kHz, 256 and 80 at 8 kHz."""
    return 2 ** int(round(np.log2(0.032 * sample_rate))), int(round(sample_rate / 100))


def loud_frames(bands, top_db=30.0):
    """(first, stop): the frames from the first to the last one whose loudest band is within
    top_db decibels of the clip's loudest, for a log-mel (n_frames, n_mels) in dB."""
    loudness = bands.max(axis=-1)
    loud = np.flatnonzero(loudness >= loudness.max() - top_db)
    return int(loud[0]), int(loud[-1]) + 1


def trim_silence(signal, sample_rate=SAMPLE_RATE, top_db=30.0):
    """The clip (n_samples,) without its quiet start and end: the part from the first to the last
    10 ms frame that comes within top_db decibels of its loudest. Chapter 11, Real voices."""
    signal = _as_clips(signal)
    if signal.ndim != 1:
        raise ValueError(f"signal should be one clip, shape (n_samples,); got shape {signal.shape}. Trim clips one by one.")
    n_fft, hop = frame_settings(sample_rate)
    first, stop = loud_frames(log_mel(signal, sample_rate, n_fft, hop), top_db)
    return signal[max(0, first * hop - n_fft // 2): min(len(signal), (stop - 1) * hop + n_fft // 2)]


def normalise_bands(bands):
    """Each log-mel band minus its mean over time, per recording: (..., n_frames, n_mels) → same shape.

    A microphone, a room or a voice that is brighter or darker lifts or lowers whole bands for the
    whole recording; removing each band's mean keeps how the sound changes, not its colouring.
    Chapter 11, Real voices.
    """
    bands = np.asarray(bands, dtype=float)
    return bands - bands.mean(axis=-2, keepdims=True)


def _clips_and_lengths(sounds, sample_rate, lengths):
    """(clips (n_clips, n_samples), rate, each recording's own length in samples), checked."""
    clips, rate = sound_rate(sounds, sample_rate)
    clips = clips[None, :] if clips.ndim == 1 else clips
    lengths = getattr(sounds, "lengths", None) if lengths is None else lengths
    lengths = np.full(len(clips), clips.shape[1]) if lengths is None else np.minimum(np.asarray(lengths), clips.shape[1])
    if len(lengths) != len(clips):
        raise ValueError(f"lengths should give one length per clip, {len(clips)}; got {len(lengths)}.")
    return clips, rate, lengths


def _recordings(clips, rate, lengths, n_mels, chunk, shortest):
    """(index, log-mel of that recording's own frames) for every clip, computed in chunks of clips of
    similar length (little padding to transform); at least `shortest` frames each."""
    n_fft, hop = frame_settings(rate)
    order = np.argsort(lengths, kind="stable")
    for start in range(0, len(clips), as_positive_int(chunk, "chunk")):
        indices = order[start:start + chunk]
        longest = max(int(lengths[indices].max()), n_fft)
        batch = log_mel(clips[indices, :longest], rate, n_fft, hop, n_mels)
        for index, bands in zip(indices, batch):
            yield index, bands[:max(shortest, 1 + int(lengths[index]) // hop)]


def _trimmed(bands, top_db, shortest):
    """The frames from the first to the last loud one (at least `shortest`); all of them for top_db=None."""
    if top_db is None:
        return bands
    first, stop = loud_frames(bands, top_db)
    return bands[first:max(stop, first + shortest)]


def block_features(sounds, n_blocks=4, sample_rate=None, lengths=None, n_mels=N_MELS, normalise=True,
                   top_db=None, spread=True, chunk=100):
    """Features that keep the order of sounds in time: each clip's log-mel, cut into `n_blocks` equal
    stretches of time, averaged within each. (n_clips, n_samples) → (n_clips, n_blocks · n_mels
    [+ n_mels]), float32, block by block: the first n_mels numbers are the start of the word.

    Introduced in chapter 11, Real voices.
    sounds: a `SoundFolder` (its rate and the recordings' own `lengths` are used) or an array of
    clips at `sample_rate`, with `lengths` (samples of each recording before padding; default:
    the whole clip). Only each recording's own frames count, so padding adds no silence.
    normalise: remove every band's mean per recording (`normalise_bands`). top_db: trim frames
    quieter than the loudest by more than this (None: keep all). spread: add the standard
    deviation of every band over the recording.
    """
    clips, rate, lengths = _clips_and_lengths(sounds, sample_rate, lengths)
    n_blocks = as_positive_int(n_blocks, "n_blocks")
    out = np.empty((len(clips), n_blocks * n_mels + (n_mels if spread else 0)), dtype=np.float32)
    for index, bands in _recordings(clips, rate, lengths, n_mels, chunk, n_blocks):
        bands = _trimmed(bands, top_db, n_blocks)
        if normalise:
            bands = normalise_bands(bands)
        edges = np.linspace(0, len(bands), n_blocks + 1).round().astype(int)
        row = [bands[a:b].mean(axis=0) for a, b in zip(edges, edges[1:])]
        if spread:
            row.append(bands.std(axis=0))
        out[index] = np.concatenate(row)
    return out


def word_frames(sounds, n_frames=32, sample_rate=None, lengths=None, n_mels=N_MELS, top_db=30.0, range_db=80.0, chunk=100):
    """Every recording's word lined up in time: its log-mel with the quiet start and end trimmed,
    floored `range_db` below its loudest, each band's mean removed (`normalise_bands`), and
    stretched or squeezed to `n_frames` frames by linear interpolation, so frame 0 is where every
    word starts and the last frame where it ends. (n_clips, n_samples) → (n_clips, n_frames,
    n_mels) float32, in dB. Chapter 12, Convolution.

    sounds, sample_rate, lengths: as for `block_features`. top_db: as for `trim_silence` (None:
    keep every frame).
    """
    n_frames = as_positive_int(n_frames, "n_frames", minimum=2)
    range_db = as_number(range_db, "range_db", low=0, low_inclusive=False, example="80")
    top_db = None if top_db is None else as_number(top_db, "top_db", low=0, low_inclusive=False, example="30")
    clips, rate, lengths = _clips_and_lengths(sounds, sample_rate, lengths)
    out = np.empty((len(clips), n_frames, n_mels), dtype=np.float32)
    for index, bands in _recordings(clips, rate, lengths, n_mels, chunk, 2):
        bands = _trimmed(bands, top_db, 2)
        bands = normalise_bands(np.maximum(bands, bands.max() - range_db))
        times = np.linspace(0, len(bands) - 1, n_frames)
        before = np.minimum(times.astype(int), len(bands) - 2)
        after = (times - before)[:, None]
        out[index] = (1 - after) * bands[before] + after * bands[before + 1]
    return out
