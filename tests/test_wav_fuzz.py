"""Fuzzing the WAV reader: damaged copies of valid files of every encoding.

Each of N_MUTATIONS seeded mutations (bytes flipped, the file cut short, a header field set
to an odd value, a chunk inserted or its size changed) of a valid file is read with
`read_wav`. The outcome must be one of two: the same samples as soundfile (libsndfile)
decodes, or an `AudioFileError` naming the file. Never another exception, never a hang
(every read runs under a time limit), and memory stays within a small multiple of the file.
"""

import signal
import struct
import time
import tracemalloc

import numpy as np
import pytest

from nblib.audio.io import AudioFileError, read_wav, wav_bytes

soundfile = pytest.importorskip("soundfile")

N_MUTATIONS = 2400
TIME_LIMIT = 2.0
"""Seconds one read may take (a file here has at most a few thousand samples)."""
MEMORY_FACTOR, MEMORY_SLACK = 10, 64 * 1024
"""A read may allocate at most MEMORY_FACTOR × the file's size, plus MEMORY_SLACK bytes."""

ENCODINGS = [("WAV", "PCM_U8"), ("WAV", "PCM_16"), ("WAV", "PCM_24"), ("WAV", "PCM_32"), ("WAV", "FLOAT"),
             ("WAV", "DOUBLE"), ("WAVEX", "PCM_16"), ("WAVEX", "PCM_24"), ("WAVEX", "FLOAT")]


def valid_files(tmp_path):
    """Valid WAV files: every soundfile encoding with 1 to 3 channels, and nblib's own of every bit depth."""
    rng = np.random.default_rng(0)
    files = []
    for number, (container, subtype) in enumerate(ENCODINGS):
        for channels in (1, 2, 3):
            samples = rng.uniform(-0.9, 0.9, (int(rng.integers(20, 200)), channels))
            path = tmp_path / f"valid_{number}_{channels}.wav"
            soundfile.write(path, samples, int(rng.choice([8000, 16000, 22050, 44100])), subtype=subtype, format=container)
            files.append(path.read_bytes())
    for bits in (8, 16, 24, 32, "float"):
        files.append(wav_bytes(rng.uniform(-1, 1, int(rng.integers(20, 200))), 16000, bits))
    return files


# Header fields of a plain WAV file: (offset, struct format).
FIELDS = [(4, "<I"), (16, "<I"), (20, "<H"), (22, "<H"), (24, "<I"), (28, "<I"), (32, "<H"), (34, "<H"), (40, "<I")]
ODD_VALUES = [0, 1, 2, 3, 7, 8, 16, 24, 32, 64, 255, 0xFFFE, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE]


def mutate(content, rng):
    """One random damage to the bytes of a WAV file."""
    data = bytearray(content)
    kind = rng.integers(7)
    if kind == 0:  # flip a few bits, mostly in the header
        for _ in range(int(rng.integers(1, 4))):
            position = int(rng.integers(0, min(len(data), 80))) if rng.random() < 0.7 else int(rng.integers(len(data)))
            data[position] ^= 1 << int(rng.integers(8))
    elif kind == 1:  # cut the file short
        data = data[:int(rng.integers(0, len(data)))]
    elif kind == 2:  # a header field set to an odd value
        offset, form = FIELDS[int(rng.integers(len(FIELDS)))]
        limit = 0xFFFF if form == "<H" else 0xFFFFFFFF
        value = ODD_VALUES[int(rng.integers(len(ODD_VALUES)))] & limit
        struct.pack_into(form, data, offset, value)
    elif kind == 3:  # random bytes over a stretch
        start = int(rng.integers(len(data)))
        length = int(rng.integers(1, 16))
        data[start:start + length] = rng.integers(0, 256, length, dtype=np.uint8).tobytes()
    elif kind == 4:  # an extra chunk after the header, with a size that may lie
        size = int(rng.choice([0, 1, 5, 100, 0xFFFFFFFF]))
        chunk = b"junk" + struct.pack("<I", size) + bytes(int(rng.integers(0, 12)))
        data = data[:12] + chunk + data[12:]
    elif kind == 5:  # the data chunk's size, wherever the data chunk is
        where = data.find(b"data")
        if where >= 0 and where + 8 <= len(data):
            struct.pack_into("<I", data, where + 4, int(rng.choice([0, 1, 3, 0xFFFFFFFF, len(data), len(data) * 4, 2])))
    else:  # bytes removed from the middle, shifting everything after them
        start = int(rng.integers(len(data)))
        del data[start:start + int(rng.integers(1, 8))]
    return bytes(data)


class TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise TooSlow()


def reference(path):
    """soundfile's decoding, mixed to mono like read_wav: (samples, rate), or None if it cannot read it."""
    try:
        data, rate = soundfile.read(path, dtype="float64", always_2d=True)
    except Exception:
        return None
    return data.mean(axis=1), rate


def test_damaged_wav_files_are_read_as_soundfile_reads_them_or_refused_by_name(tmp_path):
    rng = np.random.default_rng(2026)
    files = valid_files(tmp_path)
    outcomes = {"same as soundfile": 0, "AudioFileError": 0, "read, soundfile cannot": 0}
    previous = signal.signal(signal.SIGALRM, _alarm)
    tracemalloc.start()
    try:
        for number in range(N_MUTATIONS):
            content = mutate(files[number % len(files)], rng)
            path = tmp_path / f"mutated_{number % 50}.wav"
            path.write_bytes(content)
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            started = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
            try:
                samples, rate = read_wav(path, sample_rate=None)
            except AudioFileError as error:
                assert str(error).startswith(str(path)), f"mutation {number}: the message should name the file: {error}"
                samples = None
            except TooSlow:
                pytest.fail(f"mutation {number}: reading took longer than {TIME_LIMIT} s")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] - before
            assert elapsed < TIME_LIMIT
            assert peak <= MEMORY_FACTOR * len(content) + MEMORY_SLACK, \
                f"mutation {number}: {peak} bytes allocated for a file of {len(content)}"
            if samples is None:
                outcomes["AudioFileError"] += 1
                continue
            expected = reference(path)
            if expected is None:
                # soundfile refuses it; what read_wav gives must still be sound-like
                assert np.isfinite(samples).all() and np.abs(samples).max() <= 16
                outcomes["read, soundfile cannot"] += 1
                continue
            assert rate == expected[1], f"mutation {number}: rate {rate}, soundfile says {expected[1]}"
            assert samples.shape == expected[0].shape, f"mutation {number}: {samples.shape} vs {expected[0].shape}"
            np.testing.assert_allclose(samples, expected[0], rtol=0, atol=1e-12, err_msg=f"mutation {number}")
            outcomes["same as soundfile"] += 1
    finally:
        tracemalloc.stop()
        signal.signal(signal.SIGALRM, previous)
    print(outcomes)
    assert sum(outcomes.values()) == N_MUTATIONS
    assert outcomes["same as soundfile"] >= N_MUTATIONS // 10 and outcomes["AudioFileError"] >= N_MUTATIONS // 10
