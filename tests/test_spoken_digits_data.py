"""The recorded spoken digits shipped with the book: all there, in the expected format, with their attribution."""

import re
import struct
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "spoken_digits"
NAME = re.compile(r"^([0-9])_(george|jackson|lucas|yweweler)_([0-9]|1[0-9]|2[0-4])\.wav$")


def wav_format(path):
    """(format tag, channels, sample rate, bits per sample) from a WAV file's 'fmt ' chunk."""
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", f"{path.name} is not a RIFF/WAVE file"
    position = 12
    while position + 8 <= len(data):
        chunk, size = data[position:position + 4], struct.unpack("<I", data[position + 4:position + 8])[0]
        if chunk == b"fmt ":
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[position + 8:position + 24])
            return tag, channels, rate, bits
        position += 8 + size + size % 2
    raise AssertionError(f"{path.name} has no 'fmt ' chunk")


def test_there_are_1000_recordings_4_speakers_10_digits_25_each():
    files = sorted((DATA / "recordings").iterdir())
    assert len(files) == 1000
    names = [NAME.match(path.name) for path in files]
    assert all(names), [path.name for path, match in zip(files, names) if not match][:5]
    per_speaker_digit = Counter((match.group(2), match.group(1)) for match in names)
    assert len(per_speaker_digit) == 40 and set(per_speaker_digit.values()) == {25}


def test_every_recording_is_8_khz_mono_16_bit_pcm():
    formats = Counter(wav_format(path) for path in (DATA / "recordings").glob("*.wav"))
    assert formats == {(1, 1, 8000, 16): 1000}


def test_the_attribution_and_license_are_beside_the_recordings_and_in_the_book():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for words in ["Free Spoken Digit Dataset", "Zohar Jackson", "CC BY-SA 4.0",
                  "https://creativecommons.org/licenses/by-sa/4.0/", "github.com/Jakobovski/free-spoken-digit-dataset"]:
        assert words in readme
    for text in [(ROOT / "LICENSE").read_text(encoding="utf-8"), (ROOT / "README.md").read_text(encoding="utf-8")]:
        assert "data/spoken_digits" in text and "CC BY-SA 4.0" in text and "MIT license" in text


def test_the_recordings_are_found_from_a_chapter_and_from_anywhere_else(tmp_path, monkeypatch):
    from nblib.audio.io import spoken_digits_folder

    monkeypatch.chdir(Path(__file__).resolve().parent.parent / "chapters")
    assert spoken_digits_folder() == Path("..") / "data" / "spoken_digits" / "recordings"  # relative: no local path shows
    monkeypatch.chdir(tmp_path)  # e.g. a course's copy of a chapter
    found = spoken_digits_folder()
    assert found.is_absolute() and len(list(found.glob("*.wav"))) == 1000
