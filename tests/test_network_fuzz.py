"""Fuzzing `Network.load`: damaged copies of saved networks.

Each of N_MUTATIONS seeded mutations of a saved network (bytes flipped, the file cut short,
random bytes over a stretch, zip header fields changed, or an array rewritten inside a
well-formed archive with another shape or dtype, which the zip's checksums cannot catch)
must load as exactly the network that was saved, or raise a ValueError naming the file.
A rewritten array that still makes a well-formed network is no damage a reader could see: it
must then load as numpy itself reads the archive.
Never another exception, never unpickling, never a hang, never a large allocation.
"""

import io
import pickle
import signal
import struct
import time
import tracemalloc
import zipfile

import numpy as np
import pytest

from nblib.files import NPZ_MEMORY_FACTOR, NPZ_MEMORY_SLACK
from nblib.network import Network

N_MUTATIONS = 2400
TIME_LIMIT = 2.0


def saved_networks(tmp_path):
    """The bytes of a few saved networks (float64 and float32, several depths and activations)."""
    networks = [
        Network.from_sizes([2, 3, 1], rng=0),
        Network.from_sizes([4, 5, 5, 3], activation="relu", output_activation="linear", rng=1),
        Network.from_sizes([3, 2], activation="sigmoid", rng=2, dtype=np.float32),
    ]
    files = []
    for number, network in enumerate(networks):
        path = tmp_path / f"net_{number}.npz"
        network.save(path)
        files.append((network, path.read_bytes()))
    return files


def rewritten_member(content, rng):
    """The archive with one array's .npy header replaced: a new shape or dtype, checksums all right."""
    source = zipfile.ZipFile(io.BytesIO(content))
    names = source.namelist()
    victim = names[int(rng.integers(len(names)))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            data = source.read(name)
            if name == victim:
                choice = int(rng.integers(5))
                if choice == 0:
                    shape = (10**7, 10**7)
                elif choice == 1:
                    shape = tuple(int(n) for n in rng.integers(0, 5, int(rng.integers(0, 3))))
                elif choice == 2:
                    shape = (2**62, 4)
                else:
                    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
                dtype = ["<f8", "<f4", "<i8", "|O", "|b1", "<c16", "<U5", "|V0", "<f2"][int(rng.integers(9))]
                header = {"descr": dtype, "fortran_order": bool(rng.integers(2)), "shape": shape}
                stream = io.BytesIO()
                np.lib.format.write_array_header_1_0(stream, header)
                body = data[len(stream.getvalue()):] if rng.random() < 0.5 else data[128:]
                data = stream.getvalue() + body
            archive.writestr(name, data)
    return out.getvalue()


def mutate(content, rng):
    """One random damage to the bytes of a saved network."""
    data = bytearray(content)
    kind = int(rng.integers(6))
    if kind == 0:
        for _ in range(int(rng.integers(1, 4))):
            data[int(rng.integers(len(data)))] ^= 1 << int(rng.integers(8))
    elif kind == 1:
        data = data[:int(rng.integers(len(data)))]
    elif kind == 2:
        start = int(rng.integers(len(data)))
        length = int(rng.integers(1, 32))
        data[start:start + length] = rng.integers(0, 256, length, dtype=np.uint8).tobytes()
    elif kind == 3:  # a size, offset or count field of a zip header
        headers = [i for i in range(len(data) - 4) if data[i:i + 2] == b"PK"]
        where = headers[int(rng.integers(len(headers)))]
        offset = where + int(rng.choice([10, 14, 18, 22, 26, 28, 8, 12, 16, 20]))
        if offset + 4 <= len(data):
            struct.pack_into("<I", data, offset, int(rng.choice([0, 1, 0xFFFF, 0xFFFFFFFF, 2**31, len(data) * 100])))
    elif kind == 4:
        return rewritten_member(content, rng)
    else:  # a member's name changed in both places (local and central headers): the file stays a valid zip
        names = [name.encode() for name in zipfile.ZipFile(io.BytesIO(content)).namelist()]
        old = names[int(rng.integers(len(names)))]
        new = names[int(rng.integers(len(names)))]
        if len(old) == len(new):
            data = bytearray(bytes(data).replace(old, new))
    return bytes(data)


class TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise TooSlow()


def same_network(a, b):
    return a.sizes == b.sizes and [layer.activation.name for layer in a.layers] == [layer.activation.name for layer in b.layers] \
        and all(x.dtype == y.dtype and np.array_equal(x, y) for (x, _), (y, _) in zip(a.parameters(), b.parameters(), strict=True))


def as_numpy_reads_it(path, loaded):
    """True if `loaded` holds exactly the arrays np.load reads from `path` (called only after a load succeeded,
    so the sizes in the file are already known to be small)."""
    with np.load(path, allow_pickle=False) as saved:
        arrays = {key: saved[key] for key in saved.files}
    for number, layer in enumerate(loaded.layers):
        weights, bias = arrays[f"weights_{number}"], arrays[f"bias_{number}"]
        if not (np.array_equal(layer.weights, weights) and np.array_equal(layer.bias, bias)):
            return False
        if str(arrays["activations"][number]) != layer.activation.name:
            return False
    return True


def test_damaged_saved_networks_load_right_or_are_refused_by_name(tmp_path, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("loading a network must never unpickle")

    monkeypatch.setattr(pickle, "loads", never)
    monkeypatch.setattr(pickle, "load", never)
    rng = np.random.default_rng(12)
    files = saved_networks(tmp_path)
    outcomes = {"the saved network": 0, "ValueError": 0, "another well-formed network, as numpy reads it": 0}
    previous = signal.signal(signal.SIGALRM, _alarm)
    tracemalloc.start()
    try:
        for number in range(N_MUTATIONS):
            network, original = files[number % len(files)]
            content = mutate(original, rng)
            path = tmp_path / f"mutated_{number % 20}.npz"
            path.write_bytes(content)
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            started = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
            try:
                loaded = Network.load(path)
            except ValueError as error:
                assert str(error).startswith(str(path)), f"mutation {number}: the message should name the file: {error}"
                loaded = None
            except TooSlow:
                pytest.fail(f"mutation {number}: loading took longer than {TIME_LIMIT} s")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            assert time.perf_counter() - started < TIME_LIMIT
            peak = tracemalloc.get_traced_memory()[1] - before
            assert peak <= NPZ_MEMORY_FACTOR * len(content) + 2 * NPZ_MEMORY_SLACK, f"mutation {number}: {peak} bytes"
            if loaded is None:
                outcomes["ValueError"] += 1
            elif same_network(loaded, network):
                outcomes["the saved network"] += 1
            else:
                assert as_numpy_reads_it(path, loaded), f"mutation {number}: loaded another network than was saved"
                outcomes["another well-formed network, as numpy reads it"] += 1
    finally:
        tracemalloc.stop()
        signal.signal(signal.SIGALRM, previous)
    print(outcomes)
    assert sum(outcomes.values()) == N_MUTATIONS
    assert outcomes["the saved network"] >= N_MUTATIONS // 20 and outcomes["ValueError"] >= N_MUTATIONS // 2
