"""Writing files whole or not at all, and reading saved arrays without trusting the file.

Used wherever nblib saves something: networks (chapter 10) and sounds (chapter 10).
"""

import os
import stat
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np


class MissingFolderError(FileNotFoundError, ValueError):
    """The folder to write a file into does not exist (both a FileNotFoundError and a ValueError)."""


def _default_mode():
    """The permissions a new file gets here: 0o666 less the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_write(path):
    """A binary file to write to; it replaces `path` only when the `with` block ends without an error.

    The data goes first to a temporary file in the same folder, which is then renamed over
    `path` in one step. If anything fails, `path` keeps whatever it held before. An existing
    file keeps its permissions; if `path` is a symbolic link, the file it points to is replaced
    and the link stays.
    """
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if not path.parent.is_dir():
        raise MissingFolderError(
            f"{path}: the folder {path.parent} does not exist. Create it first, "
            f"e.g. Path({str(path.parent)!r}).mkdir(parents=True)."
        )
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


NPZ_MEMORY_FACTOR = 64
"""`read_npz` refuses archives whose arrays would take more than this many times the file's size
(plus NPZ_MEMORY_SLACK bytes): a damaged or hostile header cannot make it allocate gigabytes."""
NPZ_MEMORY_SLACK = 1 << 20


def read_npz(path, what="a file saved by nblib"):
    """The arrays of a .npz file as a dict name → array, read without trusting the file.

    Every damage is a ValueError that names the file: not a zip archive, a member that is
    not a .npy array, a name that appears twice, arrays of Python objects (never unpickled),
    a header whose shape does not match the bytes stored, or sizes that would take far more
    memory than the file itself (checked from the headers before any array is read).
    """
    path = Path(path)

    def damaged(problem):
        return ValueError(f"{path}: not {what}, or damaged: it cannot be read as .npz ({problem}).")

    try:
        size = os.stat(path).st_size
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise damaged("it is not a regular file")
        budget = NPZ_MEMORY_FACTOR * size + NPZ_MEMORY_SLACK
        arrays = {}
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = [member.filename for member in members]
            if len(set(names)) != len(names):
                raise damaged("a name appears twice in the archive")
            if sum(member.file_size for member in members) > budget:
                raise damaged("its members claim far more bytes than the file holds")
            for member in members:
                if not member.filename.endswith(".npy") or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise damaged(f"its member {member.filename!r} is not a numpy array")
                with archive.open(member) as stream:
                    version = np.lib.format.read_magic(stream)
                    if version not in ((1, 0), (2, 0), (3, 0)):
                        raise damaged(f"{member.filename!r} has an unknown .npy version {version}")
                    reader = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
                    shape, fortran, dtype = reader.get(version, np.lib.format.read_array_header_2_0)(stream)
                    if dtype.hasobject:
                        raise damaged(f"{member.filename!r} holds Python objects, which are never read")
                    n_bytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
                    if n_bytes != member.file_size - stream.tell():
                        raise damaged(f"{member.filename!r} declares shape {shape} of {dtype}, "
                                      f"{n_bytes} bytes, but holds {member.file_size - stream.tell()}")
                    data = stream.read(n_bytes + 1)
                if len(data) != n_bytes:
                    raise damaged(f"{member.filename!r} is cut short")
                array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
                arrays[member.filename[:-4]] = array.copy()
        return arrays
    except ValueError as error:
        if str(error).startswith(f"{path}: "):
            raise
        raise damaged(f"{type(error).__name__}: {error}") from None
    except (OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            TypeError, KeyError, IndexError, OverflowError, UnicodeDecodeError, SyntaxError) as error:
        if isinstance(error, FileNotFoundError):
            raise ValueError(f"{path}: no such file.") from None
        raise damaged(f"{type(error).__name__}: {error}") from None
