"""nblib.audio: synthesized clips, features against librosa, WAV files in every format, bad files, folders."""

import librosa  # a test-only dependency: the reference the features are checked against
import numpy as np
import pytest
import soundfile

from nblib.audio import features
from nblib.audio.display import plot_spectrogram, plot_waveform, sound_players
from nblib.audio.io import AudioFileError, fit_length, read_folder, read_wav, resample, wav_bytes, write_wav
from nblib.audio.synth import INSTRUMENTS, LEVELS, N_SAMPLES, SAMPLE_RATE, WAVEFORMS, clip, make_sounds, wavetable


# ── synth ────────────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("kind", WAVEFORMS + INSTRUMENTS)
@pytest.mark.parametrize("level", list(LEVELS))
def test_every_clip_is_reproducible_finite_and_in_range(kind, level):
    a = clip(kind, index=3, seed=7, level=level)
    assert a.shape == (N_SAMPLES,) and np.isfinite(a).all() and np.abs(a).max() <= 1
    np.testing.assert_array_equal(a, clip(kind, index=3, seed=7, level=level))
    assert not np.array_equal(a, clip(kind, index=4, seed=7, level=level))
    assert not np.array_equal(a, clip(kind, index=3, seed=8, level=level))


def test_data_sets_are_balanced_and_take_turns():
    clips, labels, names = make_sounds("instruments", n_per_class=5, seed=1)
    assert clips.shape == (30, N_SAMPLES) and clips.dtype == np.float32
    assert names == list(INSTRUMENTS)
    np.testing.assert_array_equal(np.bincount(labels), [5] * 6)
    np.testing.assert_array_equal(labels[:12], list(range(6)) * 2)
    np.testing.assert_array_equal(clips[7], clip(names[1], index=1, seed=1).astype(np.float32))


@pytest.mark.parametrize("waveform", WAVEFORMS)
@pytest.mark.parametrize("pitch", [110.0, 1000.0, 3000.0])
def test_waveforms_are_band_limited(waveform, pitch):
    table = wavetable(waveform, pitch)
    spectrum = np.abs(np.fft.rfft(table))
    highest = int(np.nonzero(spectrum > 1e-9 * spectrum.max())[0].max())
    assert highest * pitch < SAMPLE_RATE / 2  # harmonic number × pitch stays below the Nyquist frequency


def test_the_pitch_of_a_sine_is_where_its_spectrum_peaks():
    signal = clip("sine", level="easy", pitch=440.0)
    spectrum = np.abs(np.fft.rfft(signal))
    peak = np.argmax(spectrum) * SAMPLE_RATE / len(signal)
    assert abs(peak - 440.0) < 10


def test_noise_follows_the_signal_to_noise_ratio():
    clean, noisy = clip("organ", level="easy", snr_db=40.0), clip("organ", level="easy", snr_db=0.0)
    def roughness(x):
        return np.mean(np.diff(x) ** 2) / np.mean(x**2)
    assert roughness(noisy) > 5 * roughness(clean)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: clip("violin"), ["kind should be one of", "sine", "hi_hat"]),
        (lambda: clip("sine", level="extreme"), ["level should be one of easy, medium, hard"]),
        (lambda: clip("sine", index=-1), ["index should be a whole number of at least 0"]),
        (lambda: make_sounds("birds"), ["sound_set should be one of waveforms, instruments"]),
        (lambda: make_sounds(n_per_class=0), ["n_per_class"]),
    ],
)
def test_bad_synth_arguments_are_explained(call, words):
    with pytest.raises(ValueError) as raised:
        call()
    for word in words:
        assert word in str(raised.value)


# ── features against librosa ─────────────────────────────────────────────────────────────────
def relative(ours, theirs):
    return np.abs(ours - theirs).max() / np.abs(theirs).max()


@pytest.fixture(scope="module")
def signal():
    return clip("square", index=2).astype(np.float64)


def test_frames_and_window(signal):
    framed = features.frames(signal, 512, 160)
    assert framed.shape == (1 + len(signal) // 160, 512)
    np.testing.assert_array_equal(features.frames(signal, 512, 160, center=False)[1], signal[160:672])
    import scipy.signal  # librosa's own dependency

    np.testing.assert_allclose(features.hann_window(512), scipy.signal.get_window("hann", 512), atol=1e-15)


def test_spectrogram_matches_librosa(signal):
    theirs = np.abs(librosa.stft(signal, n_fft=512, hop_length=160, window="hann", center=True, pad_mode="reflect")) ** 2
    assert relative(features.spectrogram(signal), theirs.T) <= 1e-4


@pytest.mark.parametrize("n_mels, fmin, fmax", [(40, 0.0, None), (64, 50.0, 7000.0), (20, 300.0, 4000.0)])
def test_mel_filterbank_matches_librosa(n_mels, fmin, fmax):
    ours = features.mel_filterbank(16000, 512, n_mels, fmin, fmax)
    theirs = librosa.filters.mel(sr=16000, n_fft=512, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=True, norm="slaney", dtype=np.float64)
    assert relative(ours, theirs) <= 1e-4
    plain = librosa.filters.mel(sr=16000, n_fft=512, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=True, norm=None, dtype=np.float64)
    assert relative(features.mel_filterbank(16000, 512, n_mels, fmin, fmax, normalize=False), plain) <= 1e-4


def test_mel_scale_matches_librosa_and_inverts():
    hz = np.array([0.0, 100.0, 1000.0, 4000.0, 8000.0])
    np.testing.assert_allclose(features.hz_to_mel(hz), librosa.hz_to_mel(hz, htk=True), rtol=1e-10)
    np.testing.assert_allclose(features.mel_to_hz(features.hz_to_mel(hz)), hz, atol=1e-9)


def test_mel_spectrogram_and_log_mel_match_librosa(signal):
    theirs = librosa.feature.melspectrogram(y=signal, sr=16000, n_fft=512, hop_length=160, n_mels=40, htk=True,
                                            norm="slaney", center=True, pad_mode="reflect", power=2.0, dtype=np.float64)
    assert relative(features.mel_spectrogram(signal), theirs.T) <= 1e-4
    theirs_db = librosa.power_to_db(theirs, ref=1.0, amin=1e-10, top_db=None)
    assert relative(features.log_mel(signal), theirs_db.T) <= 1e-4


def test_a_batch_gives_the_same_as_clip_by_clip():
    clips, _, _ = make_sounds("waveforms", n_per_class=2)
    batch = features.log_mel(clips)
    for row, one in enumerate(clips):
        np.testing.assert_allclose(batch[row], features.log_mel(one), rtol=1e-5, atol=1e-4)


def test_clip_features_are_band_means_and_spreads_in_chunks():
    clips, _, _ = make_sounds("waveforms", n_per_class=3)
    vectors = features.clip_features(clips, chunk=5)
    assert vectors.shape == (12, 80) and vectors.dtype == np.float32
    bands = features.log_mel(clips[4])
    np.testing.assert_allclose(vectors[4, :40], bands.mean(axis=0), rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(vectors[4, 40:], bands.std(axis=0), rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(features.clip_features(clips, chunk=100), vectors)


def test_silence_is_the_floor_not_minus_infinity():
    with np.errstate(all="raise"):
        assert np.allclose(features.log_mel(np.zeros(4000)), -100.0)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: features.frames(np.zeros(100), 512, 160, center=False), ["at least frame_length = 512"]),
        (lambda: features.spectrogram(np.zeros((2, 2, 2))), ["a clip (n_samples,) or a batch"]),
        (lambda: features.mel_filterbank(fmax=9000.0), ["fmax", "8000"]),
        (lambda: features.frames("sound"), ["signal should hold numbers"]),
    ],
)
def test_bad_feature_arguments_are_explained(call, words):
    with pytest.raises((ValueError, TypeError)) as raised:
        call()
    for word in words:
        assert word in str(raised.value)


# ── WAV files ─────────────────────────────────────────────────────────────────────────────────
TOLERANCE = {8: 1 / 100, 16: 1e-4, 24: 1e-6, 32: 1e-8, "float": 1e-7}


@pytest.mark.parametrize("bits", [8, 16, 24, 32, "float"])
def test_our_files_round_trip(bits, tmp_path):
    sound = clip("saw", 1)
    write_wav(tmp_path / "a.wav", sound, bits=bits)
    back, rate = read_wav(tmp_path / "a.wav")
    assert rate == SAMPLE_RATE and back.shape == sound.shape
    assert np.abs(back - sound).max() <= TOLERANCE[bits]
    np.testing.assert_array_equal(soundfile.read(tmp_path / "a.wav")[0].shape, sound.shape)  # others can read it too


@pytest.mark.parametrize("subtype", ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"])
def test_files_written_by_other_software_stereo_and_another_rate(subtype, tmp_path):
    sound = clip("organ", 2)
    stereo = np.stack([sound, -0.5 * sound], axis=1)
    soundfile.write(tmp_path / "s.wav", stereo, 22050, subtype=subtype)
    back, rate = read_wav(tmp_path / "s.wav", sample_rate=None)
    assert rate == 22050
    assert np.abs(back - stereo.mean(axis=1)).max() <= 1e-2
    resampled, rate = read_wav(tmp_path / "s.wav")
    assert rate == 16000 and len(resampled) == round(len(sound) * 16000 / 22050)


def test_resampling_keeps_a_tone_and_its_length():
    t = np.arange(22050) / 22050
    tone = np.sin(2 * np.pi * 440 * t)
    down = resample(tone, 22050, 16000)
    assert len(down) == 16000
    np.testing.assert_allclose(down[100:-100], np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)[100:-100], atol=1e-2)
    np.testing.assert_array_equal(resample(tone, 8000, 8000), tone)


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", ["the file is empty"]),
        (b"ID3\x03 an mp3 file, really", ["not a WAV file", "Convert it to WAV"]),
        ("truncated", ["truncated", "should hold 16000 bytes"]),
        ("no data", ["no 'data' chunk"]),
        ("adpcm", ["format 2", "16-, 24- or 32-bit PCM"]),
    ],
)
def test_bad_files_are_explained_by_name(content, words, tmp_path):
    good = wav_bytes(np.zeros(8000))
    if content == "truncated":
        content = good[:1000]
    elif content == "no data":
        content = good[:36]
    elif content == "adpcm":
        content = good[:20] + (2).to_bytes(2, "little") + good[22:]
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioFileError) as raised:
        read_wav(path)
    assert str(raised.value).startswith(str(path))
    assert isinstance(raised.value, ValueError)
    for word in words:
        assert word in str(raised.value)


def test_missing_file_and_folder_instead_of_file(tmp_path):
    with pytest.raises(AudioFileError, match="no such file"):
        read_wav(tmp_path / "nothing.wav")
    with pytest.raises(AudioFileError, match="is a folder"):
        read_wav(tmp_path)


@pytest.mark.parametrize(
    "signal, bits, words",
    [
        (np.full(10, 1.5), 16, ["within −1 … 1", "peak is 1.5", "bits='float'"]),
        (np.zeros(10), 12, ["bits should be 8, 16, 24, 32 or 'float'"]),
        (np.zeros((2, 5)), 16, ["1-D array"]),
        (np.array([0.0, np.nan]), 16, ["finite"]),
    ],
)
def test_bad_signals_are_refused_before_anything_is_written(signal, bits, words, tmp_path):
    path = tmp_path / "keep.wav"
    write_wav(path, np.zeros(100))
    before = path.read_bytes()
    with pytest.raises(ValueError) as raised:
        write_wav(path, signal, bits=bits)
    for word in words:
        assert word in str(raised.value)
    assert path.read_bytes() == before  # nothing lost
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.wav"]  # and no temporary file left behind


def make_folder(root, bad=True):
    for name, kind in (("kicks", "kick"), ("snares", "snare")):
        (root / name).mkdir(parents=True)
        for index in range(3):
            write_wav(root / name / f"{index}.wav", clip(kind, index))
    (root / "kicks" / "notes.txt").write_text("not a sound, and not a .wav: ignored")
    if bad:
        (root / "snares" / "broken.wav").write_bytes(b"RIFF....WAVEjunk")
    return root


def test_a_folder_is_read_by_class_and_a_bad_file_is_reported(tmp_path, capsys):
    folder = read_folder(make_folder(tmp_path))
    assert folder.class_names == ["kicks", "snares"]
    assert folder.clips.shape == (6, N_SAMPLES) and list(folder.labels) == [0, 0, 0, 1, 1, 1]
    assert len(folder.problems) == 1 and folder.problems[0][0].name == "broken.wav"
    assert "skipped" in capsys.readouterr().out and "broken.wav" in folder.problems[0][1]


def test_on_error_skip_is_quiet_and_raise_stops(tmp_path, capsys):
    make_folder(tmp_path)
    assert len(read_folder(tmp_path, on_error="skip").problems) == 1
    assert capsys.readouterr().out == ""
    with pytest.raises(AudioFileError, match="broken.wav"):
        read_folder(tmp_path, on_error="raise")
    with pytest.raises(ValueError, match="on_error should be"):
        read_folder(tmp_path, on_error="ignore")


def test_folders_without_sounds_are_explained(tmp_path):
    with pytest.raises(AudioFileError, match="no such folder"):
        read_folder(tmp_path / "missing")
    with pytest.raises(AudioFileError, match="has no sub-folders"):
        read_folder(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(AudioFileError, match="no readable WAV files"):
        read_folder(tmp_path)


def test_fit_length():
    np.testing.assert_array_equal(fit_length(np.ones(3), 5), [1, 1, 1, 0, 0])
    np.testing.assert_array_equal(fit_length(np.arange(6.0), 4), [0, 1, 2, 3])


# ── display ───────────────────────────────────────────────────────────────────────────────────
def test_players_embed_one_wav_per_clip_and_show_their_labels():
    players = sound_players(np.stack([clip("sine"), clip("kick")]), ["sine", "kick"])
    page = players._repr_html_()
    assert page.count("<audio") == 2 and page.count("data:audio/wav;base64,") == 2
    assert ">sine<" in page and ">kick<" in page
    assert repr(players) == "SoundPlayers(2 clips: sine, kick)"
    with pytest.raises(ValueError, match="2 clips but 1 labels"):
        sound_players(np.zeros((2, 10)), ["one"])


def test_figures_show_the_signal_and_its_spectrogram():
    signal = clip("sine", level="easy", pitch=1000.0)
    ax = plot_waveform(signal)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), signal)
    image = plot_spectrogram(signal).images[0].get_array()
    assert image.shape == (257, 51)
    assert abs(np.argmax(image.mean(axis=1)) * 16000 / 512 - 1000) < 40
    assert plot_spectrogram(signal, mel=True).images[0].get_array().shape == (40, 51)


def test_spectrograms_side_by_side_can_share_one_db_range():
    loud, quiet = clip("sine", level="easy", pitch=1000.0), 0.01 * clip("sine", level="easy", pitch=1000.0)
    own = [plot_spectrogram(signal).images[0].get_clim() for signal in (loud, quiet)]
    assert own[0][1] - own[1][1] == pytest.approx(40, abs=0.5)  # each alone: scaled to its own loudest
    assert all(high - low == pytest.approx(80) for low, high in own)
    shared = [plot_spectrogram(signal, db_range=own[0]).images[0].get_clim() for signal in (loud, quiet)]
    assert shared[0] == shared[1] == pytest.approx(own[0])
    for bad, error, words in [((0,), TypeError, "two numbers"), ("loud", TypeError, "two numbers"),
                              ((10, -10), ValueError, "quietest below the loudest"),
                              ((float("nan"), 0), ValueError, "finite")]:
        with pytest.raises(error, match=words):
            plot_spectrogram(loud, db_range=bad)


# ── files that are damaged in ways that once slipped through ──────────────────────────────────
def float_wav(samples, rate=16000):
    """A 32-bit float WAV file holding `samples` exactly as given (even NaN or huge values)."""
    payload = np.asarray(samples, dtype="<f4").tobytes()
    return wav_bytes(np.zeros(len(samples)), rate, "float")[:40] + len(payload).to_bytes(4, "little") + payload


@pytest.mark.parametrize("bad, words", [(np.nan, ["nan", "frame 3", "finite"]), (np.inf, ["inf", "frame 3"]),
                                        (1e30, ["size 1e+30", "within −1 … 1"])])
def test_non_finite_or_huge_float_samples_make_the_file_bad(bad, words, tmp_path):
    samples = np.zeros(10)
    samples[3] = bad
    path = tmp_path / "bad.wav"
    path.write_bytes(float_wav(samples))
    with pytest.raises(AudioFileError) as raised:
        read_wav(path)
    assert str(raised.value).startswith(str(path))
    for word in words:
        assert word in str(raised.value)


def test_a_streaming_data_size_reads_to_the_end_of_the_file(tmp_path):
    sound = np.linspace(-0.5, 0.5, 101)
    content = bytearray(wav_bytes(sound))
    content[40:44] = (0xFFFFFFFF).to_bytes(4, "little")
    path = tmp_path / "stream.wav"
    path.write_bytes(bytes(content))
    back, _ = read_wav(path, sample_rate=None)
    np.testing.assert_array_equal(back, soundfile.read(path)[0])
    assert len(back) == 101


def test_a_wrong_block_align_and_a_one_hertz_header_are_damage(tmp_path):
    content = bytearray(wav_bytes(np.zeros(10)))
    content[32:34] = (8).to_bytes(2, "little")
    (tmp_path / "block.wav").write_bytes(bytes(content))
    with pytest.raises(AudioFileError, match="block_align"):
        read_wav(tmp_path / "block.wav")
    content = bytearray(wav_bytes(np.zeros(10)))
    content[24:28] = (1).to_bytes(4, "little")
    (tmp_path / "slow.wav").write_bytes(bytes(content))
    with pytest.raises(AudioFileError, match="1 samples per second"):
        read_wav(tmp_path / "slow.wav")


def test_a_folder_read_survives_pipes_odd_names_and_unreadable_files(tmp_path, capsys):
    import os

    make_folder(tmp_path, bad=False)
    os.mkfifo(tmp_path / "kicks" / "pipe.wav")  # opening it would wait for ever for a writer
    odd = os.fsencode(tmp_path / "snares") + b"/caf\xe9.wav"  # a name that is not UTF-8
    with open(odd, "wb") as stream:
        stream.write(b"RIFF")
    content = bytearray(wav_bytes(np.zeros(10)))
    content[32:34] = (8).to_bytes(2, "little")
    (tmp_path / "snares" / "block.wav").write_bytes(bytes(content))
    folder = read_folder(tmp_path)
    assert folder.clips.shape == (6, N_SAMPLES)
    assert sorted(path.name for path, _ in folder.problems) == sorted(["block.wav", "caf\udce9.wav", "pipe.wav"])
    out = capsys.readouterr().out
    assert "not a regular file" in out and "caf\\xe9.wav" in out and "block_align" in out


def test_an_unreadable_file_and_any_other_failure_are_that_files_problem(tmp_path, monkeypatch):
    import nblib.audio.io as audio_io

    make_folder(tmp_path, bad=False)
    real_open, real_decode = open, audio_io._decode

    def guarded_open(path, *args, **kwargs):
        if str(path).endswith("kicks/0.wav"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    def failing_decode(path, fmt, data):
        if str(path).endswith("snares/1.wav"):
            raise MemoryError("no room")
        return real_decode(path, fmt, data)

    monkeypatch.setattr(audio_io, "open", guarded_open, raising=False)
    monkeypatch.setattr(audio_io, "_decode", failing_decode)
    folder = read_folder(tmp_path, on_error="skip")
    assert folder.clips.shape == (4, N_SAMPLES)
    problems = dict((path.name, message) for path, message in folder.problems)
    assert "Permission denied" in problems["0.wav"] and "permissions" in problems["0.wav"]
    assert "MemoryError: no room" in problems["1.wav"]
    with pytest.raises(AudioFileError, match="Permission denied"):
        read_wav(tmp_path / "kicks" / "0.wav")


def test_the_filterbank_is_made_once_per_setting_and_a_readers_copy_cannot_change_it():
    signal = clip("saw", level="easy")
    before = features.mel_spectrogram(signal)
    mine = features.mel_filterbank()
    mine[:] = 0  # the reader's filterbank is theirs to change
    np.testing.assert_array_equal(features.mel_spectrogram(signal), before)
    np.testing.assert_allclose(before, features.spectrogram(signal) @ features.mel_filterbank().T)
    kept = features._kept_filterbank(16000, 512, 40, 0.0, None)
    assert kept is features._kept_filterbank(16000, 512, 40, 0.0, None) and not kept.flags.writeable
    with pytest.raises(TypeError, match="n_mels should be a whole number"):
        features.mel_spectrogram(signal, n_mels=[40])  # not a key for the cache: still a clear error
