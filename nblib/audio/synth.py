"""Synthesized sounds with labels: the book's audio data, made from a seed instead of downloaded.

Introduced in chapter 9, Audio features; used for training in chapter 10.

Every clip lasts `DURATION` seconds at `SAMPLE_RATE` samples per second and is
reproducible from (seed, class, index): the same three numbers always give the
same samples. Two sets of classes:

    waveforms     sine, square, saw, triangle — band-limited (no harmonic above half the
                  sample rate), with an ADSR envelope, detune, onset jitter, gain and noise
    instruments   plucked string (Karplus–Strong), FM bell, additive organ, kick, snare, hi-hat

How much the clips vary is set by a level: "easy", "medium" or "hard" (see `LEVELS`).
"""

from dataclasses import dataclass

import numpy as np

from nblib.validation import as_number, as_positive_int, describe

SAMPLE_RATE = 16_000
DURATION = 0.5
N_SAMPLES = int(SAMPLE_RATE * DURATION)

WAVEFORMS = ("sine", "square", "saw", "triangle")
INSTRUMENTS = ("plucked_string", "fm_bell", "organ", "kick", "snare", "hi_hat")
SOUND_SETS = {"waveforms": WAVEFORMS, "instruments": INSTRUMENTS}


@dataclass(frozen=True)
class Level:
    """How much clips of one class differ from each other.

    pitch: lowest and highest fundamental frequency in Hz (drawn evenly on a log scale).
    snr_db: signal-to-noise ratio range in decibels (lower = more noise).
    detune_cents: largest detune either way, in cents (100 cents = one semitone).
    onset_ms: the sound starts after a silence of up to this many milliseconds.
    gain_db: loudness range in decibels (0 = full scale).
    """

    pitch: tuple
    snr_db: tuple
    detune_cents: float
    onset_ms: float
    gain_db: tuple


LEVELS = {
    "easy": Level(pitch=(220.0, 440.0), snr_db=(30.0, 40.0), detune_cents=0.0, onset_ms=0.0, gain_db=(-3.0, 0.0)),
    "medium": Level(pitch=(110.0, 880.0), snr_db=(10.0, 30.0), detune_cents=15.0, onset_ms=50.0, gain_db=(-12.0, 0.0)),
    "hard": Level(pitch=(55.0, 1760.0), snr_db=(0.0, 20.0), detune_cents=50.0, onset_ms=100.0, gain_db=(-18.0, 0.0)),
}

LOWEST_PITCH = 20.0
"""The lowest pitch `clip` makes, in Hz: about the lowest the ear hears as a tone."""

TABLE_SIZE = 2048
"""Samples in one period of a wavetable."""


def harmonic_amplitudes(waveform, n_harmonics):
    """Amplitude of harmonics 1 … n_harmonics of a band-limited waveform (their Fourier series)."""
    k = np.arange(1, n_harmonics + 1)
    if waveform == "sine":
        return (k == 1).astype(float)
    if waveform == "square":
        return np.where(k % 2 == 1, 4 / (np.pi * k), 0.0)
    if waveform == "saw":
        return 2 / (np.pi * k) * (-1.0) ** (k + 1)
    if waveform == "triangle":
        return np.where(k % 2 == 1, 8 / (np.pi * k) ** 2 * (-1.0) ** ((k - 1) // 2), 0.0)
    raise ValueError(f"waveform should be one of {', '.join(WAVEFORMS)}; got {waveform!r}.")


def wavetable(waveform, pitch, sample_rate=SAMPLE_RATE):
    """One period of `waveform` at `pitch` Hz, sampled at TABLE_SIZE points, keeping only the
    harmonics below half the sample rate (so nothing folds back as aliasing)."""
    n_harmonics = max(1, int(np.ceil(sample_rate / 2 / pitch)) - 1)  # strictly below half the sample rate
    amplitudes = harmonic_amplitudes(waveform, n_harmonics)
    phase = np.arange(TABLE_SIZE) / TABLE_SIZE
    k = np.arange(1, n_harmonics + 1)
    return amplitudes @ np.sin(2 * np.pi * np.outer(k, phase))


def oscillator(table, pitch, n_samples, sample_rate=SAMPLE_RATE):
    """Read a one-period wavetable at `pitch` Hz for n_samples samples (linear interpolation)."""
    position = (np.arange(n_samples) * (pitch / sample_rate) % 1.0) * TABLE_SIZE
    below = position.astype(int)
    fraction = position - below
    return table[below] * (1 - fraction) + table[(below + 1) % TABLE_SIZE] * fraction


def adsr(n_samples, attack, decay, sustain, release, sample_rate=SAMPLE_RATE):
    """An attack–decay–sustain–release envelope of n_samples; times in seconds, sustain a level 0…1."""
    t = np.arange(n_samples) / sample_rate
    end = n_samples / sample_rate
    rise = np.clip(t / attack, 0, 1)
    fall = 1 - (1 - sustain) * np.clip((t - attack) / decay, 0, 1)
    fade = np.clip((end - t) / release, 0, 1)
    return rise * fall * fade


def karplus_strong(pitch, n_samples, rng, decay=0.996, sample_rate=SAMPLE_RATE):
    """A plucked string: a burst of noise one period long, fed back through an averaging filter.

    Computed a period at a time: y[n] = decay · (y[n − P] + y[n − P − 1]) / 2.
    """
    period = max(2, int(round(sample_rate / pitch)))
    n_periods = -(-n_samples // period) + 1
    out = np.empty(n_periods * period)
    out[:period] = rng.uniform(-1, 1, period)
    for start in range(period, len(out), period):
        previous = out[start - period:start]
        before = np.concatenate([[out[start - period - 1] if start > period else 0.0], previous[:-1]])
        out[start:start + period] = decay * 0.5 * (previous + before)
    return out[:n_samples]


def instrument(name, pitch, n_samples, rng, sample_rate=SAMPLE_RATE):
    """One note of an instrument at `pitch` Hz (the drums ignore the pitch but vary their own tuning)."""
    t = np.arange(n_samples) / sample_rate
    if name == "plucked_string":
        return karplus_strong(pitch, n_samples, rng, decay=rng.uniform(0.990, 0.998), sample_rate=sample_rate)
    if name == "fm_bell":
        ratio, index = rng.uniform(1.3, 1.5), rng.uniform(3.0, 6.0)
        envelope = np.exp(-t / rng.uniform(0.15, 0.4))
        modulator = index * envelope * np.sin(2 * np.pi * pitch * ratio * t)
        return envelope * np.sin(2 * np.pi * pitch * t + modulator)
    if name == "organ":
        harmonics, weights = np.array([1, 2, 3, 4, 6, 8]), rng.uniform(0.2, 1.0, 6)
        below = harmonics * pitch < sample_rate / 2
        tone = weights[below] @ np.sin(2 * np.pi * pitch * np.outer(harmonics[below], t))
        return tone / weights[below].sum() * adsr(n_samples, 0.02, 0.05, 0.9, 0.03, sample_rate)
    if name == "kick":
        start, end = rng.uniform(120, 180), rng.uniform(40, 60)
        frequency = end + (start - end) * np.exp(-t / 0.04)
        phase = 2 * np.pi * np.cumsum(frequency) / sample_rate
        return np.sin(phase) * np.exp(-t / rng.uniform(0.12, 0.25))
    if name == "snare":
        noise = rng.standard_normal(n_samples)
        tone = np.sin(2 * np.pi * rng.uniform(170, 220) * t)
        return (0.7 * noise / 3 + 0.5 * tone) * np.exp(-t / rng.uniform(0.06, 0.12))
    if name == "hi_hat":
        noise = np.diff(rng.standard_normal(n_samples + 1))  # differencing keeps the high frequencies
        return noise / 2 * np.exp(-t / rng.uniform(0.02, 0.06))
    raise ValueError(f"name should be one of {', '.join(INSTRUMENTS)}; got {name!r}.")


def _check_choice(value, name, choices):
    if value not in choices:
        raise ValueError(f"{name} should be one of {', '.join(map(str, choices))}; got {describe(value)}.")


def clip(kind, index=0, seed=0, level="medium", pitch=None, snr_db=None):
    """One labelled clip: an array of N_SAMPLES floats between −1 and 1.

    kind: a waveform or instrument name. (seed, kind, index) fix every random choice;
    `pitch` (Hz) and `snr_db` override the level's random draw, e.g. for an explorer.
    """
    _check_choice(kind, "kind", WAVEFORMS + INSTRUMENTS)
    _check_choice(level, "level", tuple(LEVELS))
    if pitch is not None:  # audible, and below half the sample rate so that it is not aliased
        pitch = as_number(pitch, "pitch (in Hz)", LOWEST_PITCH, SAMPLE_RATE / 2, example=440, low_inclusive=True)
    if snr_db is not None:
        snr_db = as_number(snr_db, "snr_db (signal-to-noise ratio in decibels)", -60, 200, example=20)
    settings = LEVELS[level]
    class_number = (WAVEFORMS + INSTRUMENTS).index(kind)
    rng = np.random.default_rng([as_positive_int(seed, "seed", 0), class_number, as_positive_int(index, "index", 0)])
    low, high = settings.pitch
    drawn_pitch = float(np.exp(rng.uniform(np.log(low), np.log(high))))
    pitch = drawn_pitch if pitch is None else pitch
    pitch *= 2 ** (rng.uniform(-1, 1) * settings.detune_cents / 1200)
    drawn_snr = rng.uniform(*settings.snr_db)
    snr_db = drawn_snr if snr_db is None else snr_db
    onset = int(rng.uniform(0, settings.onset_ms) / 1000 * SAMPLE_RATE)
    gain = 10 ** (rng.uniform(*settings.gain_db) / 20)

    length = N_SAMPLES - onset
    if kind in WAVEFORMS:
        envelope = adsr(length, rng.uniform(0.005, 0.02), rng.uniform(0.03, 0.1), rng.uniform(0.6, 0.9), 0.03)
        sound = oscillator(wavetable(kind, pitch), pitch, length) * envelope
    else:
        sound = instrument(kind, pitch, length, rng)
    signal = np.zeros(N_SAMPLES)
    signal[onset:] = sound / max(np.abs(sound).max(), 1e-12)
    power = np.mean(signal**2)
    signal += rng.standard_normal(N_SAMPLES) * np.sqrt(power / 10 ** (snr_db / 10))
    return gain * signal / max(np.abs(signal).max(), 1e-12) * 0.9


def make_sounds(sound_set="waveforms", n_per_class=100, level="medium", seed=0):
    """A labelled data set of clips: returns (clips (n, N_SAMPLES) float32, labels (n,) int, class names).

    Classes take turns (0, 1, 2, …, 0, 1, 2, …) so any slice is balanced.
    """
    _check_choice(sound_set, "sound_set", tuple(SOUND_SETS))
    names = SOUND_SETS[sound_set]
    n_per_class = as_positive_int(n_per_class, "n_per_class")
    labels = np.tile(np.arange(len(names)), n_per_class)
    indices = np.repeat(np.arange(n_per_class), len(names))
    clips = np.empty((len(labels), N_SAMPLES), dtype=np.float32)
    for row, (label, index) in enumerate(zip(labels, indices)):
        clips[row] = clip(names[label], index=index, seed=seed, level=level)
    return clips, labels, list(names)
