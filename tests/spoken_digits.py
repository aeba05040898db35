"""Where the tests find the book's spoken digits: the repository's data folder, or BOOK_SPOKEN_DIGITS."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = [ROOT / "data" / "spoken_digits" / "recordings", ROOT / "data" / "spoken_digits"]


def spoken_digits_folder():
    """The folder holding the recordings named {digit}_{speaker}_{index}.wav; the test is skipped without it."""
    folders = [Path(os.environ["BOOK_SPOKEN_DIGITS"])] if os.environ.get("BOOK_SPOKEN_DIGITS") else []
    for folder in folders + CANDIDATES:
        if (folder / "0_jackson_0.wav").is_file():
            return folder
    pytest.skip("the spoken digits are not in data/spoken_digits/")


def spoken_digit(name):
    """The path of one recording, e.g. spoken_digit('7_jackson_0.wav')."""
    return spoken_digits_folder() / name
