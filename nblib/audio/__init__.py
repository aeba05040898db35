"""Sound for the book's last chapters: synthesized data, WAV files, features, figures and players.

    synth     chapter 9    labelled clips made from a seed: waveforms and instruments
    features  chapter 9    frames, spectrum, spectrogram, mel filterbank, log-mel, clip features
    display   chapter 9    waveform and spectrogram figures, rows of sound players
    io        chapter 10   reading and writing WAV files, reading a folder of them

Import what you need from its module, e.g. ``from nblib.audio.synth import make_sounds``.
"""
