"""Reading and writing WAV files, and reading a folder of them as a labelled data set.

Introduced in chapter 10, Classifying sounds ("your own sounds").

A WAV file is a RIFF container: a "fmt " chunk says how the samples are stored
(integer PCM of 8, 16, 24 or 32 bits, or 32/64-bit float; one or more
channels), and a "data" chunk holds them. `read_wav` understands all of these,
mixes stereo to mono, and can resample to the book's rate. Any problem with a
file raises `AudioFileError` (a ValueError) that names the file.
"""

import os
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nblib.audio.synth import DURATION, SAMPLE_RATE
from nblib.files import atomic_write
from nblib.validation import as_float_array, as_positive_int, check_finite, describe

PCM, FLOAT, EXTENSIBLE = 1, 3, 0xFFFE
WAV_SUFFIXES = (".wav", ".wave")
GUID_TAIL = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
"""The last 14 bytes of the sub-format GUID of an extensible WAV file (the first 2 are the format)."""
LOWEST_RATE, HIGHEST_RATE = 1_000, 768_000
"""Sample rates (samples per second) a WAV file may have here: 1 kHz to 768 kHz. A header outside
that range is damaged, and resampling from it would need far more memory than the file."""
FLOAT_PEAK_LIMIT = 16.0
"""Largest sample size a float WAV file may hold (about +24 dB above full scale): a float file
louder than that is damaged, or was written by mistake in other units."""
STREAMING_SIZE = 0xFFFFFFFF
"""The data size that writers which do not know the length yet put in the header: read to the end."""


class AudioFileError(ValueError):
    """A sound file that cannot be read: missing, empty, truncated, or not a WAV file we understand."""


def display_name(path):
    """`path` as text that can always be printed (bytes that are not UTF-8 shown as \\x.. escapes)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _fail(path, problem, advice="Check the file, or write it again as a 16-bit PCM WAV."):
    raise AudioFileError(f"{display_name(path)}: {problem}. {advice}")


def _chunks(path, data):
    """The chunks of a RIFF/WAVE file as a dict: id → bytes. A second chunk of the same id is ignored."""
    if len(data) == 0:
        _fail(path, "the file is empty")
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        _fail(path, f"not a WAV file (it starts with {data[:4]!r}, a WAV file starts with b'RIFF' … b'WAVE')",
              "Convert it to WAV first, e.g. with Audacity or ffmpeg.")
    chunks, position, view = {}, 12, memoryview(data)  # chunks are views: no copy of the samples
    while position + 8 <= len(data):
        chunk_id, size = data[position:position + 4], struct.unpack("<I", data[position + 4:position + 8])[0]
        if chunk_id == b"data" and size == STREAMING_SIZE:
            size = len(data) - position - 8  # written while streaming: the data run to the end of the file
        body = view[position + 8:position + 8 + size]
        if len(body) < size and chunk_id == b"data":
            _fail(path, f"the file is truncated: its data chunk should hold {size} bytes but only {len(body)} are there")
        chunks.setdefault(chunk_id.decode("latin-1"), body)
        if chunk_id == b"data" and "fmt " in chunks:
            break  # what follows the samples (tags, cue points) is not needed
        position += 8 + size + (size % 2)  # chunks are padded to an even length
    for needed in ("fmt ", "data"):
        if needed not in chunks:
            _fail(path, f"the WAV file has no '{needed.strip()}' chunk (it may be truncated)")
    return chunks


def _decode(path, fmt, data):
    """The channels' mean as float64 samples (n_frames,), and the sample rate.

    Integer samples are scaled to −1…1 the way soundfile and libsndfile scale them
    (divided by 2^(bits − 1)); float samples are kept as they are, but must be finite and
    at most FLOAT_PEAK_LIMIT in size. Memory: about 8 bytes per sample, once.
    """
    if len(fmt) < 16:
        _fail(path, "its 'fmt' chunk is too short")
    tag, channels, rate, _, block, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == EXTENSIBLE:
        if len(fmt) < 40:
            _fail(path, "its 'fmt' chunk says 'extensible' but is too short to say which format")
        tag = struct.unpack("<H", fmt[24:26])[0]  # the first two bytes of the sub-format GUID
        if bytes(fmt[26:40]) != GUID_TAIL:
            _fail(path, "its 'fmt' chunk names a sub-format this book does not know",
                  "Write it again as 8-, 16-, 24- or 32-bit PCM or as 32-bit float.")
        valid_bits = struct.unpack("<H", fmt[18:20])[0]
        if valid_bits not in (0, bits):
            _fail(path, f"it stores {valid_bits}-bit samples in {bits}-bit slots, which this book does not read",
                  "Write it again as 8-, 16-, 24- or 32-bit PCM or as 32-bit float.")
    if (tag, bits) not in ((PCM, 8), (PCM, 16), (PCM, 24), (PCM, 32), (FLOAT, 32), (FLOAT, 64)):
        _fail(path, f"it stores samples in a way this book does not read (format {tag}, {bits} bits)",
              "Write it again as 8-, 16-, 24- or 32-bit PCM or as 32-bit float.")
    if channels == 0 or not LOWEST_RATE <= rate <= HIGHEST_RATE:
        _fail(path, f"its header is damaged ({channels} channels, {rate} samples per second; "
                    f"expected at least 1 channel and {LOWEST_RATE} to {HIGHEST_RATE} samples per second)")
    if block != channels * bits // 8:
        _fail(path, f"its header is damaged: each frame of {channels} channel(s) of {bits}-bit samples takes "
                    f"{channels * bits // 8} bytes, but the header says {block} (block_align)")
    usable = len(data) - len(data) % block
    if usable == 0:
        _fail(path, "it holds no samples")
    frames = np.frombuffer(data, dtype=np.uint8, count=usable).reshape(-1, block)
    width = bits // 8
    mono = None
    for channel in range(channels):  # one channel at a time, so memory stays near the file's size
        raw = np.ascontiguousarray(frames[:, channel * width:(channel + 1) * width])
        if tag == PCM and bits == 8:
            samples = raw[:, 0].astype(np.float64)
            samples -= 128
            samples /= 128
        elif tag == PCM and bits == 16:
            samples = raw.view("<i2")[:, 0] / 32768.0
        elif tag == PCM and bits == 24:
            values = raw[:, 0].astype(np.int32)
            values |= raw[:, 1].astype(np.int32) << 8
            values |= raw[:, 2].astype(np.int8).astype(np.int32) << 16  # the top byte carries the sign
            samples = values / float(1 << 23)
        elif tag == PCM and bits == 32:
            samples = raw.view("<i4")[:, 0] / 2147483648.0
        else:
            samples = raw.view("<f4" if bits == 32 else "<f8")[:, 0].astype(np.float64)
            _check_float_samples(path, samples, channel, rate)
        if mono is None:
            mono = samples
        else:
            mono += samples
    if channels > 1:
        mono /= channels
    return mono, rate


def _check_float_samples(path, samples, channel, rate):
    """Fail, saying where, if a float file's channel holds NaN, infinity or samples far beyond ±1."""
    finite = np.isfinite(samples)
    if not finite.all():
        first = int(np.argmin(finite))
        _fail(path, f"it holds {samples[first]} in channel {channel + 1} at frame {first} ({first / rate:.3f} s): "
                    "a float WAV file should hold finite numbers",
              "The file is damaged, or the program that wrote it failed: write it again.")
    peak = float(np.abs(samples).max())
    if peak > FLOAT_PEAK_LIMIT:
        first = int(np.argmax(np.abs(samples) > FLOAT_PEAK_LIMIT))
        _fail(path, f"it holds a sample of size {peak:.3g} in channel {channel + 1} (first at frame {first}, "
                    f"{first / rate:.3f} s); float samples should stay within −1 … 1 (at most ±{FLOAT_PEAK_LIMIT:g} is read)",
              "The file is damaged, or its samples are not in −1 … 1: scale them and write it again.")


def resample(signal, from_rate, to_rate):
    """`signal` (n_samples,) from one sample rate to another, by cutting or padding its spectrum
    (no frequency above half the new rate survives, so nothing aliases)."""
    signal = as_float_array(signal, "signal")
    if from_rate == to_rate:
        return signal
    n_out = max(1, int(round(len(signal) * to_rate / from_rate)))
    spectrum = np.fft.rfft(signal)
    kept = np.zeros(n_out // 2 + 1, dtype=complex)
    n = min(len(spectrum), len(kept))
    kept[:n] = spectrum[:n]
    return np.fft.irfft(kept, n_out) * (n_out / len(signal))


def check_sample_rate(sample_rate, name="sample_rate"):
    """`sample_rate` as an int from LOWEST_RATE to HIGHEST_RATE samples per second."""
    rate = as_positive_int(sample_rate, name)
    if not LOWEST_RATE <= rate <= HIGHEST_RATE:
        raise ValueError(
            f"{name} should be from {LOWEST_RATE} to {HIGHEST_RATE} samples per second, such as {SAMPLE_RATE}; got {rate}."
        )
    return rate


def read_wav(path, sample_rate=SAMPLE_RATE):
    """Samples of a WAV file as float64 in −1…1, mono (channels averaged), at `sample_rate`
    (resampled if the file has another rate; None keeps the file's rate). Returns (samples, rate).

    Any problem with the file (missing, not a regular file, unreadable, damaged, non-finite
    samples) raises `AudioFileError` naming it.
    """
    if sample_rate is not None:
        sample_rate = check_sample_rate(sample_rate)
    path = Path(path)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise AudioFileError(f"{display_name(path)}: no such file. Check the name and the folder it is in.") from None
    except OSError as error:
        raise AudioFileError(f"{display_name(path)}: cannot be read ({error.strerror or error}).") from None
    if stat.S_ISDIR(status.st_mode):
        raise AudioFileError(f"{display_name(path)}: is a folder, not a WAV file. To read a folder of sounds use read_folder.")
    if not stat.S_ISREG(status.st_mode):  # a pipe or a device could block for ever or never end
        raise AudioFileError(f"{display_name(path)}: is not a regular file (a pipe, socket or device); a WAV file should be a file.")
    try:
        with open(path, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # replaced after the check above
                raise AudioFileError(f"{display_name(path)}: is not a regular file; a WAV file should be a file.")
            data = stream.read()
    except OSError as error:
        raise AudioFileError(f"{display_name(path)}: cannot be read ({error.strerror or error}). "
                             "Check that you may read it (its permissions).") from None
    chunks = _chunks(path, data)
    mono, rate = _decode(path, chunks["fmt "], chunks["data"])
    if sample_rate is None:
        return mono, rate
    return resample(mono, rate, sample_rate), sample_rate


def wav_bytes(signal, sample_rate=SAMPLE_RATE, bits=16):
    """A mono signal (n_samples,) in −1…1 as the bytes of a WAV file: PCM with bits = 8, 16, 24
    or 32, or 32-bit float with bits="float" (which may go a little beyond ±1, up to ±FLOAT_PEAK_LIMIT)."""
    signal = as_float_array(signal, "signal")
    if signal.ndim != 1 or signal.size == 0:
        raise ValueError(f"signal should be a non-empty 1-D array of samples; got shape {signal.shape}.")
    check_finite(signal, "signal")
    if isinstance(bits, bool) or bits not in (8, 16, 24, 32, "float"):
        raise ValueError(f"bits should be 8, 16, 24, 32 or 'float'; got {describe(bits)}.")
    peak = float(np.abs(signal).max())
    if bits != "float" and peak > 1:
        raise ValueError(
            f"signal should stay within −1 … 1 for PCM; its peak is {peak:.3g}. "
            "Divide it by its peak first, or write it with bits='float'."
        )
    if bits == "float" and peak > FLOAT_PEAK_LIMIT:
        raise ValueError(
            f"signal should stay within −1 … 1 (at most ±{FLOAT_PEAK_LIMIT:g} for bits='float'); its peak is {peak:.3g}. "
            "Divide it by its peak first."
        )
    rate = check_sample_rate(sample_rate)
    if bits == "float":
        tag, width, payload = FLOAT, 32, signal.astype("<f4").tobytes()
    elif bits == 8:
        tag, width, payload = PCM, 8, np.round(signal * 127 + 128).astype(np.uint8).tobytes()
    elif bits == 16:
        tag, width, payload = PCM, 16, np.round(signal * 32767).astype("<i2").tobytes()
    elif bits == 24:
        values = np.round(signal * (2**23 - 1)).astype("<i4")
        tag, width, payload = PCM, 24, values.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    else:
        tag, width, payload = PCM, 32, np.round(signal * (2**31 - 1)).astype("<i4").tobytes()
    if len(payload) > 0xFFFFFFFF - 64:
        raise ValueError(f"signal is too long for one WAV file ({signal.size} samples at {width} bits is over 4 GB).")
    block = width // 8
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(payload) + len(payload) % 2, b"WAVE", b"fmt ", 16,
                         tag, 1, rate, rate * block, block, width, b"data", len(payload))
    return header + payload + (b"\0" if len(payload) % 2 else b"")


def write_wav(path, signal, sample_rate=SAMPLE_RATE, bits=16):
    """Write a mono signal (n_samples,) in −1…1 as a WAV file (see `wav_bytes` for `bits`).
    The file is written whole or not at all."""
    content = wav_bytes(signal, sample_rate, bits)
    with atomic_write(path) as stream:
        stream.write(content)


def fit_length(signal, n_samples):
    """`signal` cut or padded with silence at the end to exactly n_samples."""
    if len(signal) >= n_samples:
        return signal[:n_samples]
    return np.pad(signal, (0, n_samples - len(signal)))


@dataclass
class SoundFolder:
    """Clips read from a folder whose sub-folders name the classes.

    clips: (n_clips, n_samples) float32; labels: (n_clips,) int; class_names[label] names it;
    paths: the file of every clip; problems: (path, message) for every file that could not be read.
    """

    clips: np.ndarray
    labels: np.ndarray
    class_names: list
    paths: list
    problems: list = field(default_factory=list)


def read_folder(folder, sample_rate=SAMPLE_RATE, duration=DURATION, on_error="report"):
    """Read every WAV file in the sub-folders of `folder`; each sub-folder is a class.

    Clips are mixed to mono, resampled to `sample_rate` and cut or padded to `duration` seconds.
    on_error says what a bad file does: "report" (print one line and go on), "skip" (go on
    quietly; it is still listed in `problems`) or "raise" (stop with its AudioFileError).
    """
    folder = Path(folder)
    if on_error not in ("report", "skip", "raise"):
        raise ValueError(f"on_error should be 'report', 'skip' or 'raise'; got {on_error!r}.")
    sample_rate = check_sample_rate(sample_rate)
    if isinstance(duration, bool) or not isinstance(duration, (int, float, np.integer, np.floating)) \
            or not 0 < duration < float("inf") or int(round(duration * sample_rate)) < 1:
        raise ValueError(
            f"duration should be a positive number of seconds, such as {DURATION}, long enough for one sample; "
            f"got {describe(duration)}."
        )
    if not folder.is_dir():
        raise AudioFileError(f"{display_name(folder)}: no such folder. It should hold one sub-folder of WAV files per class.")
    class_names = sorted(entry.name for entry in folder.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    if not class_names:
        raise AudioFileError(f"{display_name(folder)}: has no sub-folders. Put the WAV files of each class in a sub-folder named after it.")
    n_samples = int(round(duration * sample_rate))
    clips, labels, paths, problems = [], [], [], []
    for label, name in enumerate(class_names):
        for path in sorted((folder / name).iterdir()):
            if path.suffix.lower() not in WAV_SUFFIXES:
                continue
            try:
                try:
                    samples, _ = read_wav(path, sample_rate)
                except AudioFileError:
                    raise
                except Exception as error:  # whatever goes wrong with one file is that file's problem
                    raise AudioFileError(f"{display_name(path)}: cannot be read ({type(error).__name__}: {error}).") from error
            except AudioFileError as error:
                if on_error == "raise":
                    raise
                problems.append((path, str(error)))
                if on_error == "report":
                    print(f"skipped {error}")
                continue
            clips.append(fit_length(samples, n_samples))
            labels.append(label)
            paths.append(path)
    if not clips:
        raise AudioFileError(f"{folder}: no readable WAV files in its sub-folders {', '.join(class_names)}.")
    return SoundFolder(np.array(clips, dtype=np.float32), np.array(labels), class_names, paths, problems)
