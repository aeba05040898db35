"""Reading and writing WAV files, and reading a folder of them as a labelled data set.

Introduced in chapter 10, Classifying sounds ("your own sounds").

A WAV file is a RIFF container: a "fmt " chunk says how the samples are stored
(integer PCM of 8, 16, 24 or 32 bits, or 32/64-bit float; one or more
channels), and a "data" chunk holds them. `read_wav` understands all of these,
mixes stereo to mono, and can resample to the book's rate. Any problem with a
file raises `AudioFileError` (a ValueError) that names the file.
"""

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nblib.audio.synth import DURATION, SAMPLE_RATE
from nblib.files import atomic_write
from nblib.validation import as_float_array, as_positive_int, describe

PCM, FLOAT, EXTENSIBLE = 1, 3, 0xFFFE
WAV_SUFFIXES = (".wav", ".wave")


class AudioFileError(ValueError):
    """A sound file that cannot be read: missing, empty, truncated, or not a WAV file we understand."""


def _fail(path, problem, advice="Check the file, or write it again as a 16-bit PCM WAV."):
    raise AudioFileError(f"{path}: {problem}. {advice}")


def _chunks(path, data):
    """The chunks of a RIFF/WAVE file as a dict: id → bytes."""
    if len(data) == 0:
        _fail(path, "the file is empty")
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        _fail(path, f"not a WAV file (it starts with {data[:4]!r}, a WAV file starts with b'RIFF' … b'WAVE')",
              "Convert it to WAV first, e.g. with Audacity or ffmpeg.")
    chunks, position = {}, 12
    while position + 8 <= len(data):
        chunk_id, size = data[position:position + 4], struct.unpack("<I", data[position + 4:position + 8])[0]
        body = data[position + 8:position + 8 + size]
        if len(body) < size and chunk_id == b"data":
            _fail(path, f"the file is truncated: its data chunk should hold {size} bytes but only {len(body)} are there")
        chunks.setdefault(chunk_id.decode("latin-1"), body)
        position += 8 + size + (size % 2)  # chunks are padded to an even length
    for needed in ("fmt ", "data"):
        if needed not in chunks:
            _fail(path, f"the WAV file has no '{needed.strip()}' chunk (it may be truncated)")
    return chunks


def _decode(path, fmt, data):
    """Samples as float64 in −1…1, shape (n_frames, n_channels), and the sample rate."""
    if len(fmt) < 16:
        _fail(path, "its 'fmt' chunk is too short")
    tag, channels, rate, _, block, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]  # the first two bytes of the sub-format GUID
    if channels == 0 or rate == 0 or block == 0:
        _fail(path, f"its header is damaged ({channels} channels, {rate} samples per second)")
    usable = len(data) - len(data) % block
    raw = np.frombuffer(data[:usable], dtype=np.uint8)
    if tag == PCM and bits == 8:
        samples = (raw.astype(np.float64) - 128) / 128
    elif tag == PCM and bits == 16:
        samples = raw.view("<i2") / 32768.0
    elif tag == PCM and bits == 24:
        triples = raw.reshape(-1, 3).astype(np.int32)
        values = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        samples = np.where(values >= 1 << 23, values - (1 << 24), values) / float(1 << 23)
    elif tag == PCM and bits == 32:
        samples = raw.view("<i4") / 2147483648.0
    elif tag == FLOAT and bits in (32, 64):
        samples = raw.view("<f4" if bits == 32 else "<f8").astype(np.float64)
    else:
        _fail(path, f"it stores samples in a way this book does not read (format {tag}, {bits} bits)",
              "Write it again as 8-, 16-, 24- or 32-bit PCM or as 32-bit float.")
    if samples.size == 0:
        _fail(path, "it holds no samples")
    return samples.reshape(-1, channels), rate


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


def read_wav(path, sample_rate=SAMPLE_RATE):
    """Samples of a WAV file as float64 in −1…1, mono (channels averaged), at `sample_rate`
    (resampled if the file has another rate; None keeps the file's rate). Returns (samples, rate)."""
    path = Path(path)
    if not path.exists():
        raise AudioFileError(f"{path}: no such file. Check the name and the folder it is in.")
    if path.is_dir():
        raise AudioFileError(f"{path}: is a folder, not a WAV file. To read a folder of sounds use read_folder.")
    chunks = _chunks(path, path.read_bytes())
    samples, rate = _decode(path, chunks["fmt "], chunks["data"])
    mono = samples.mean(axis=1)
    if sample_rate is None:
        return mono, rate
    return resample(mono, rate, as_positive_int(sample_rate, "sample_rate")), sample_rate


def wav_bytes(signal, sample_rate=SAMPLE_RATE, bits=16):
    """A mono signal (n_samples,) in −1…1 as the bytes of a WAV file: PCM with bits = 8, 16, 24
    or 32, or 32-bit float with bits="float"."""
    signal = as_float_array(signal, "signal")
    if signal.ndim != 1 or signal.size == 0:
        raise ValueError(f"signal should be a non-empty 1-D array of samples; got shape {signal.shape}.")
    if not np.isfinite(signal).all():
        raise ValueError("signal should hold finite numbers; it holds NaN or infinity.")
    if bits != "float" and np.abs(signal).max() > 1:
        raise ValueError(
            f"signal should stay within −1 … 1 for PCM; its peak is {np.abs(signal).max():.3g}. "
            "Divide it by its peak first, or write it with bits='float'."
        )
    if bits == "float":
        tag, width, payload = FLOAT, 32, signal.astype("<f4").tobytes()
    elif bits == 8:
        tag, width, payload = PCM, 8, np.round(signal * 127 + 128).astype(np.uint8).tobytes()
    elif bits == 16:
        tag, width, payload = PCM, 16, np.round(signal * 32767).astype("<i2").tobytes()
    elif bits == 24:
        values = np.round(signal * (2**23 - 1)).astype("<i4")
        tag, width, payload = PCM, 24, values.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    elif bits == 32:
        tag, width, payload = PCM, 32, np.round(signal * (2**31 - 1)).astype("<i4").tobytes()
    else:
        raise ValueError(f"bits should be 8, 16, 24, 32 or 'float'; got {describe(bits)}.")
    rate = as_positive_int(sample_rate, "sample_rate")
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
    if not folder.is_dir():
        raise AudioFileError(f"{folder}: no such folder. It should hold one sub-folder of WAV files per class.")
    class_names = sorted(entry.name for entry in folder.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    if not class_names:
        raise AudioFileError(f"{folder}: has no sub-folders. Put the WAV files of each class in a sub-folder named after it.")
    n_samples = int(round(duration * sample_rate))
    clips, labels, paths, problems = [], [], [], []
    for label, name in enumerate(class_names):
        for path in sorted((folder / name).iterdir()):
            if path.suffix.lower() not in WAV_SUFFIXES:
                continue
            try:
                samples, _ = read_wav(path, sample_rate)
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
