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
            f"{display_name(folder)}: no such folder. It should hold one sub-folder of WAV files per class, "
            "or WAV files named like 7_jackson_32.wav (class, group, number)."
        )
    if sample_rate is not None:
        sample_rate = check_sample_rate(sample_rate)
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
            try:
                samples, rate = read_wav(path, sample_rate)
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
    if n_samples < 1:
        raise ValueError(f"duration should be long enough for one sample at {rate} Hz; got {describe(duration)} s.")
    n_cut = int(np.sum(lengths > n_samples))
    clips = np.array([fit_length(samples, n_samples) for samples in samples_list], dtype=np.float32)
    if report:
        for path, reason in skipped:
            print(f"skipped {display_name(path.name)}: {reason}")
        if n_cut:
            print(f"cut {n_cut} of {len(clips)} clips ({n_cut / len(clips):.0%}) to {n_samples / rate:g} s; "
                  "duration=None keeps every clip whole")
    with_groups = labels_from == "names" and all(group is not None for group in groups)
    return SoundFolder(clips, np.array(labels), class_names, paths, problems, sample_rate=rate, lengths=lengths,
                       groups=np.array(groups) if with_groups else None, n_cut=n_cut, skipped=skipped)


SPOKEN_DIGITS = Path("data") / "spoken_digits" / "recordings"
"""Where the book keeps its 1,000 recorded spoken digits (chapter 11), from the book's top folder."""


def spoken_digits_folder():
    """The folder of the book's recorded spoken digits (chapter 11, Real voices).

    Seen from a chapter it is ../data/spoken_digits/recordings; from anywhere else (a course's
    copy of a chapter, say) it is found beside the nblib the book installed.
    """
    for folder in (Path("..") / SPOKEN_DIGITS, SPOKEN_DIGITS, Path(__file__).resolve().parents[2] / SPOKEN_DIGITS):
        if folder.is_dir():
            return folder
    raise AudioFileError(
        f"the book's recordings are not in ../{SPOKEN_DIGITS.as_posix()}, nor beside nblib: run the notebook from "
        "the book's chapters/ folder, or install nblib from a copy of the book (pip install -e .)."
    )
