"""nblib.files: atomic writes keep permissions and links; .npz archives are read without trusting them."""

import os
import stat

import numpy as np
import pytest

from nblib.audio.io import write_wav
from nblib.files import MissingFolderError, atomic_write, read_npz
from nblib.network import Network


def test_an_existing_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "net.npz"
    Network.from_sizes([2, 3, 1], rng=0).save(path)
    os.chmod(path, 0o644)
    Network.from_sizes([2, 3, 1], rng=1).save(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    write_wav(tmp_path / "a.wav", np.zeros(10))
    os.chmod(tmp_path / "a.wav", 0o640)
    write_wav(tmp_path / "a.wav", np.zeros(10))
    assert stat.S_IMODE(os.stat(tmp_path / "a.wav").st_mode) == 0o640


def test_a_new_file_gets_the_usual_permissions_not_0600(tmp_path):
    umask = os.umask(0o022)
    try:
        write_wav(tmp_path / "new.wav", np.zeros(10))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.wav").st_mode) == 0o644


def test_a_symbolic_link_stays_and_its_target_is_replaced(tmp_path):
    (tmp_path / "models").mkdir()
    target = tmp_path / "models" / "real.npz"
    Network.from_sizes([2, 3, 1], rng=0).save(target)
    link = tmp_path / "latest.npz"
    link.symlink_to(target)
    network = Network.from_sizes([2, 4, 1], rng=0)
    network.save(link)
    assert link.is_symlink() and Network.load(target).sizes == [2, 4, 1]
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["real.npz"]


def test_saving_into_a_missing_folder_names_the_folder_and_no_temporary_file(tmp_path):
    with pytest.raises(MissingFolderError) as raised:
        Network.from_sizes([2, 3, 1], rng=0).save(tmp_path / "nowhere" / "net.npz")
    message = str(raised.value)
    assert "nowhere" in message and "does not exist" in message and ".tmp" not in message
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, FileNotFoundError)


def test_nothing_is_left_behind_when_writing_fails(tmp_path):
    with pytest.raises(RuntimeError):
        with atomic_write(tmp_path / "x.bin") as stream:
            stream.write(b"half")
            raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_read_npz_reads_what_numpy_saves_and_refuses_objects(tmp_path):
    np.savez(tmp_path / "a.npz", x=np.arange(6.0).reshape(2, 3), y=np.array("text"))
    arrays = read_npz(tmp_path / "a.npz")
    np.testing.assert_array_equal(arrays["x"], np.arange(6.0).reshape(2, 3))
    assert str(arrays["y"]) == "text"
    np.savez(tmp_path / "b.npz", x=np.array([None, 1], dtype=object))
    with pytest.raises(ValueError, match="Python objects, which are never read"):
        read_npz(tmp_path / "b.npz")


def test_save_refuses_nan_weights_and_leaves_the_old_file(tmp_path):
    path = tmp_path / "net.npz"
    network = Network.from_sizes([2, 3, 1], rng=0)
    network.save(path)
    before = path.read_bytes()
    network.layers[1].weights[0, 0] = np.nan
    with pytest.raises(ValueError, match="parameter 2 .* holds NaN or infinity"):
        network.save(path)
    assert path.read_bytes() == before
