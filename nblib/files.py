"""Writing files whole or not at all, so a crash or a full disk never leaves half a file behind.

Used wherever nblib saves something: networks (chapter 10) and sounds (chapter 10).
"""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_write(path):
    """A binary file to write to; it replaces `path` only when the `with` block ends without an error.

    The data goes first to a temporary file in the same folder, which is then renamed over
    `path` in one step. If anything fails, `path` keeps whatever it held before.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
