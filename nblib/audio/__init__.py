"""Sound for the book's last chapters: synthesized data, WAV files, features, figures and players.

    synth     chapter 9    labelled clips made from a seed: waveforms and instruments
    features  chapter 9    frames, spectrum, spectrogram, mel filterbank, log-mel, clip features
    display   chapter 9    waveform and spectrogram figures, rows of sound players
    io        chapter 10   reading and writing WAV files, reading a folder of them (chapter 11: labels
                           and groups from file names, the rate kept)
    augment   chapter 11   time shift, noise at a signal-to-noise ratio, gain, drawn from rng

Import what you need from its module, e.g. ``from nblib.audio.synth import make_sounds``.
"""
