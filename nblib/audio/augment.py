"""Data augmentation for sound: new, plausible versions of the training clips, drawn fresh every epoch.

Introduced in chapter 11, Real voices.

A network that hears every training clip exactly the same way, epoch after epoch, can
learn the clips by heart. Changing them a little each time — start a bit earlier or later,
add some noise, speak louder or softer — keeps what makes a "seven" a seven and varies
what does not, so the network has to learn the first.

    time_shift   move every clip by a random number of samples (silence fills the gap)
    add_noise    white noise at a random signal-to-noise ratio, in decibels
    change_gain  louder or softer by a random number of decibels
    Augmenter    all three with one set of settings, callable as augmenter(clips, rng)

Clips are a batch, shape (n_clips, n_samples); every random draw comes from `rng`
(a numpy Generator or an int seed).
"""

import numpy as np

from nblib.validation import as_float_array, as_rng, describe


def _as_batch_of_clips(clips):
    clips = as_float_array(clips, "clips")
    if clips.ndim != 2 or clips.shape[1] == 0:
        raise ValueError(f"clips should be a batch of clips, shape (n_clips, n_samples); got shape {clips.shape}.")
    return clips


def _as_range(value, name, example):
    """(low, high) from a number (both the same) or a pair with low ≤ high."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        value = (value, value)
    try:
        low, high = (float(v) for v in value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} should be a number or a (low, high) pair, such as {example}; got {describe(value)}.") from None
    if not (np.isfinite(low) and np.isfinite(high) and low <= high):
        raise ValueError(f"{name} should be a (low, high) pair of finite numbers with low ≤ high, such as {example}; got {value}.")
    return low, high


def time_shift(clips, max_shift, rng):
    """Each clip moved later or earlier by a whole number of samples drawn from −max_shift … max_shift;
    what moves out is dropped, the gap is silence. (n_clips, n_samples) → same shape."""
    clips = _as_batch_of_clips(clips)
    if isinstance(max_shift, bool) or not isinstance(max_shift, (int, np.integer)) or max_shift < 0:
        raise ValueError(f"max_shift should be a whole number of samples ≥ 0, such as 800 (0.1 s at 8 kHz); got {describe(max_shift)}.")
    shifts = as_rng(rng).integers(-max_shift, max_shift + 1, len(clips))
    n = clips.shape[1]
    positions = np.arange(n)[None, :] - shifts[:, None]  # output sample t comes from input sample t − shift
    inside = (positions >= 0) & (positions < n)
    return np.where(inside, np.take_along_axis(clips, np.clip(positions, 0, n - 1), axis=1), 0.0).astype(clips.dtype)


def add_noise(clips, snr_db, rng, lengths=None):
    """White noise added to each clip at a signal-to-noise ratio drawn from `snr_db` (a number or
    (low, high), in decibels): noise power = clip power / 10^(snr/10). The clip's power is measured
    over its first `lengths[i]` samples (the recording, not its padding) when lengths are given."""
    clips = _as_batch_of_clips(clips)
    low, high = _as_range(snr_db, "snr_db", "(10, 30)")
    rng = as_rng(rng)
    if lengths is None:
        power = np.mean(clips.astype(np.float64) ** 2, axis=1)
    else:
        lengths = np.clip(np.asarray(lengths), 1, clips.shape[1])
        mask = np.arange(clips.shape[1])[None, :] < lengths[:, None]
        power = np.sum(np.where(mask, clips.astype(np.float64) ** 2, 0.0), axis=1) / lengths
    snr = rng.uniform(low, high, len(clips))
    noise_level = np.sqrt(power / 10 ** (snr / 10))
    return (clips + noise_level[:, None] * rng.standard_normal(clips.shape)).astype(clips.dtype)


def change_gain(clips, gain_db, rng):
    """Each clip times 10^(g/20) for g drawn from `gain_db` (a number or (low, high), in decibels)."""
    clips = _as_batch_of_clips(clips)
    low, high = _as_range(gain_db, "gain_db", "(-6, 6)")
    gains = 10 ** (as_rng(rng).uniform(low, high, len(clips)) / 20)
    return (clips * gains[:, None]).astype(clips.dtype)


class Augmenter:
    """Time shift, added noise and gain with one set of settings; `augmenter(clips, rng)` returns new clips.

    max_shift: samples (0: no shift); snr_db: (low, high) decibels or None (no noise); gain_db:
    (low, high) decibels or None. `features`, if given, is applied to the augmented clips, so the
    augmenter can feed `fit(..., augment=augmenter)` a network that learns from features:
    `fit` calls it with the training inputs, so then give it the training clips as `clips`.
    """

    def __init__(self, max_shift=0, snr_db=None, gain_db=None, clips=None, features=None, lengths=None):
        self.max_shift = max_shift
        self.snr_db = None if snr_db is None else _as_range(snr_db, "snr_db", "(10, 30)")
        self.gain_db = None if gain_db is None else _as_range(gain_db, "gain_db", "(-6, 6)")
        self.clips = None if clips is None else _as_batch_of_clips(clips)
        self.features = features
        self.lengths = lengths
        if (clips is None) != (features is None):
            raise ValueError("clips and features go together: give both (a network learning from features) or neither.")
        time_shift(np.zeros((1, 1)), max_shift, 0)  # checks max_shift

    def augment_clips(self, clips, rng):
        """New versions of clips (n_clips, n_samples), drawn from rng."""
        rng = as_rng(rng)
        clips = time_shift(clips, self.max_shift, rng) if self.max_shift else _as_batch_of_clips(clips)
        if self.snr_db is not None:
            clips = add_noise(clips, self.snr_db, rng, self.lengths)
        if self.gain_db is not None:
            clips = change_gain(clips, self.gain_db, rng)
        return clips

    def __call__(self, X, rng):
        if self.clips is None:
            return self.augment_clips(X, rng)
        if len(X) != len(self.clips):
            raise ValueError(f"the augmenter holds {len(self.clips)} training clips, but fit gave it {len(X)} samples; "
                             "give it the clips of the training data.")
        return self.features(self.augment_clips(self.clips, rng))

    def __repr__(self):
        return f"Augmenter(max_shift={self.max_shift}, snr_db={self.snr_db}, gain_db={self.gain_db})"
