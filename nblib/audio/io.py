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
    """Clips read from a folder, with their labels and the sample rate they are at.

    clips: (n_clips, n_samples) float32, every clip cut or padded with silence to one length;
    labels: (n_clips,) int; class_names[label] names it; sample_rate: the rate of every clip
    (Hz); lengths: (n_clips,) int, how many samples each recording had before cutting or padding
    (at `sample_rate`); groups: (n_clips,) str, who or what made each clip (the speaker, from
    names like 7_jackson_32.wav), or None when the names carry no group; paths: the file of
    every clip; n_cut: how many clips were longer than the chosen length and lost their end;
    skipped: (path, reason) for every entry that was not read as a clip (another kind of file,
    a nested folder, a name that does not say the class); problems: (path, message) for every
    WAV file that could not be read.
    """

    clips: np.ndarray
    labels: np.ndarray
    class_names: list
    paths: list
    problems: list = field(default_factory=list)
    sample_rate: int = SAMPLE_RATE
    lengths: np.ndarray = None
    groups: np.ndarray = None
    n_cut: int = 0
    skipped: list = field(default_factory=list)

    @property
    def group_names(self):
        """The distinct groups, sorted (e.g. the speakers); [] when there are none."""
        return [] if self.groups is None else sorted(set(self.groups.tolist()))

    def __len__(self):
        return len(self.clips)

    def __repr__(self):
        groups = f", {len(self.group_names)} groups" if self.groups is not None else ""
        return (f"SoundFolder({len(self.clips)} clips of {self.clips.shape[1] / self.sample_rate:.3g} s at "
                f"{self.sample_rate} Hz, {len(self.class_names)} classes{groups})")


def _sort_key(name):
    """Class names in a natural order: numbers by value ("2" before "10"), then words."""
    return (0, int(name), "") if name.isdigit() else (1, 0, name)


def _label_and_group(path):
    """(label, group) from a file name: 7_jackson_32.wav → ("7", "jackson"); 7_32.wav → ("7", None)."""
    parts = path.stem.split("_")
    if len(parts) < 2 or not parts[0]:
        return None, None
    return parts[0], (parts[1] if len(parts) >= 3 and parts[1] else None)


def read_folder(folder, sample_rate=SAMPLE_RATE, duration=DURATION, on_error="report", labels_from="auto",
                class_names=None, report=None):
    """Read a folder of WAV files as a labelled data set: a `SoundFolder`.

    Two layouts (labels_from="auto" reads the names when the folder holds WAV files, else the sub-folders):
    - "folders": one sub-folder per class (dog/bark1.wav, cat/meow.wav, ...);
    - "names": the file name carries the class, then a group, then a number:
      7_jackson_32.wav is class "7" said by "jackson" (the group, kept in `groups`).
    sample_rate: every clip is resampled to this rate (Hz); None keeps the files' own rate
    (they must all share one). The result records the rate in `sample_rate`.
    duration: seconds every clip is cut or padded to; None makes it as long as the longest
    clip, so nothing is cut. How many clips lost their end is in `n_cut` (and printed).
    class_names: the classes in label order (default: every class found, sorted; numbers by value);
    a class with no clips is refused.
    on_error says what a bad WAV file does: "report" (print one line and go on), "skip" (go on
    quietly; it is still listed in `problems`) or "raise" (stop with its AudioFileError).
    report: print what was skipped (other files, nested folders) and how many clips were cut
    (None: yes, unless on_error="skip").
    """
    folder = Path(folder)
    if on_error not in ("report", "skip", "raise"):
        raise ValueError(f"on_error should be 'report', 'skip' or 'raise'; got {on_error!r}.")
    if labels_from not in ("auto", "folders", "names"):
        raise ValueError(f"labels_from should be 'auto', 'folders' or 'names'; got {labels_from!r}.")
    if not folder.is_dir():
        raise AudioFileError(
            f"{folder}: no such folder. It should hold one sub-folder of WAV files per class, "
            "or WAV files named like 7_jackson_32.wav (class, group, number)."
        )
    if sample_rate is not None:
        sample_rate = as_positive_int(sample_rate, "sample_rate")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, (int, float))
                                 or not 0 < duration < float("inf")):
        raise ValueError(f"duration should be a positive number of seconds, such as 0.5, or None (keep every clip whole); got {describe(duration)}.")
    entries = sorted(entry for entry in folder.iterdir() if not entry.name.startswith("."))
    sub_folders = [entry for entry in entries if entry.is_dir()]
    if labels_from == "auto":
        top_level_wavs = any(entry.is_file() and entry.suffix.lower() in WAV_SUFFIXES for entry in entries)
        labels_from = "names" if top_level_wavs or not sub_folders else "folders"
        if not sub_folders and not top_level_wavs:
            raise AudioFileError(
                f"{folder}: has no sub-folders and no WAV files. Put the WAV files of each class in a sub-folder "
                "named after it, or put WAV files named like 7_jackson_32.wav (class, group, number) in it."
            )
    if report is None:
        report = on_error != "skip"
    skipped, found = [], []  # found: (path, class name, group)
    if labels_from == "folders":
        if not sub_folders:
            raise AudioFileError(f"{folder}: has no sub-folders. Put the WAV files of each class in a sub-folder named after it, "
                                 "or name the files like 7_jackson_32.wav and use labels_from='names'.")
        skipped += [(entry, "a file beside the class folders (each class is a sub-folder)") for entry in entries if not entry.is_dir()]
        for sub in sub_folders:
            for path in sorted(entry for entry in sub.iterdir() if not entry.name.startswith(".")):
                if path.is_dir():
                    skipped.append((path, "a folder inside a class folder (only its WAV files are read)"))
                elif path.suffix.lower() not in WAV_SUFFIXES:
                    skipped.append((path, "not a WAV file"))
                else:
                    found.append((path, sub.name, None))
        default_classes = [sub.name for sub in sub_folders]
    else:
        for path in entries:
            if path.is_dir():
                skipped.append((path, "a folder (with labels in the file names, only the files of this folder are read)"))
            elif path.suffix.lower() not in WAV_SUFFIXES:
                skipped.append((path, "not a WAV file"))
            else:
                label, group = _label_and_group(path)
                if label is None:
                    skipped.append((path, "its name does not say its class (expected class_group_number.wav, e.g. 7_jackson_32.wav)"))
                else:
                    found.append((path, label, group))
        default_classes = sorted({label for _, label, _ in found}, key=_sort_key)
    if class_names is None:
        class_names = default_classes
    else:
        class_names = [str(name) for name in class_names]
        unknown = sorted({label for _, label, _ in found} - set(class_names), key=_sort_key)
        for path, label, group in [item for item in found if item[1] in unknown]:
            skipped.append((path, f"its class {label!r} is not in class_names"))
        found = [item for item in found if item[1] in class_names]

    samples_list, labels, paths, groups, problems, rates = [], [], [], [], [], []
    index = {name: label for label, name in enumerate(class_names)}
    for path, name, group in found:
        try:
            samples, rate = read_wav(path, sample_rate)
        except AudioFileError as error:
            if on_error == "raise":
                raise
            problems.append((path, str(error)))
            if on_error == "report":
                print(f"skipped {error}")
            continue
        samples_list.append(samples)
        rates.append(rate)
        labels.append(index[name])
        paths.append(path)
        groups.append(group)
    if not samples_list:
        where = "its sub-folders " + ", ".join(class_names) if labels_from == "folders" else "it"
        raise AudioFileError(f"{folder}: no readable WAV files in {where}.")
    counts = np.bincount(labels, minlength=len(class_names))
    empty = [name for name, count in zip(class_names, counts) if count == 0]
    if empty:
        raise AudioFileError(
            f"{folder}: the class{'es' if len(empty) > 1 else ''} {', '.join(map(repr, empty))} "
            f"{'have' if len(empty) > 1 else 'has'} no clips; a network cannot learn a class it never hears. "
            "Add recordings of it, or leave it out of class_names."
        )
    if len(set(rates)) > 1:
        by_rate = ", ".join(f"{rate} Hz: {rates.count(rate)}" for rate in sorted(set(rates)))
        raise AudioFileError(
            f"{folder}: the files have different sample rates ({by_rate} files), and sample_rate=None keeps each "
            f"file's own rate. Pass sample_rate={max(rates)} (or another rate) to resample them all to one."
        )
    rate = rates[0]
    lengths = np.array([len(samples) for samples in samples_list])
    n_samples = int(lengths.max()) if duration is None else int(round(duration * rate))
    n_cut = int(np.sum(lengths > n_samples))
    clips = np.array([fit_length(samples, n_samples) for samples in samples_list], dtype=np.float32)
    if report:
        for path, reason in skipped:
            print(f"skipped {path.name}: {reason}")
        if n_cut:
            print(f"cut {n_cut} of {len(clips)} clips ({n_cut / len(clips):.0%}) to {n_samples / rate:g} s; "
                  "duration=None keeps every clip whole")
    with_groups = labels_from == "names" and all(group is not None for group in groups)
    return SoundFolder(clips, np.array(labels), class_names, paths, problems, sample_rate=rate, lengths=lengths,
                       groups=np.array(groups) if with_groups else None, n_cut=n_cut, skipped=skipped)
