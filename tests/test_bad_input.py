"""Every mistake a learner can make at nblib's public boundary gets a message that teaches.

Each row: a call with one thing wrong, the error it must raise (ValueError or TypeError),
and three pieces the message must hold: the argument's name, what was expected, and what
came instead. Add a row whenever nblib grows a public function.
"""

import atexit
import io
import os
import shutil
import struct
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from nblib.activations import get_activation
from nblib.audio.features import clip_features, frames, hann_window, log_mel, mel_filterbank, spectrogram, word_frames
from nblib.audio.io import AudioFileError, read_folder, read_wav, wav_bytes, write_wav
from nblib.audio.synth import clip, make_sounds
from nblib.datasets import blobs, make_dataset, one_hot, spiral, standardize, train_test_split, xor
from nblib.files import MissingFolderError
from nblib.gradcheck import gradient_check
from nblib.layers import Dense
from nblib.losses import get_loss
from nblib.network import Network
from nblib.optim import GradientDescent
from nblib.training import fit
from nblib.widgets import (activation_explorer, learning_rate_explorer, loss_explorer, neuron_explorer, playground,
                           sound_explorer, training_explorer)

X, y = xor(40, seed=0)
NET = Network.from_sizes([2, 3, 1], rng=0)
LAYER = Dense(2, 3, rng=0)


def net():
    return Network.from_sizes([2, 3, 1], rng=0)


FILES = Path(tempfile.mkdtemp(prefix="bad_input_"))
atexit.register(shutil.rmtree, FILES, ignore_errors=True)


def bad_file(name, content):
    """A file called `name` in a scratch folder holding `content` (bytes); returns its path."""
    path = FILES / name
    path.write_bytes(content)
    return path


def float_wav(name, value):
    """A 32-bit float WAV file of 10 samples, the fourth of which is `value`."""
    samples = np.zeros(10, dtype="<f4")
    samples[3] = value
    return bad_file(name, wav_bytes(np.zeros(10), bits="float")[:44] + samples.tobytes())


def patched_wav(name, offset, form, value, bits=16):
    """A valid WAV file with one header field (at `offset`, struct format `form`) set to `value`."""
    content = bytearray(wav_bytes(np.zeros(10), bits=bits))
    struct.pack_into(form, content, offset, value)
    return bad_file(name, bytes(content))


def extensible_wav(name, valid_bits=24, guid_tail=b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"):
    """A 24-bit mono WAVE_FORMAT_EXTENSIBLE file with the given valid bits and sub-format GUID tail."""
    fmt = struct.pack("<HHIIHHHHI", 0xFFFE, 1, 16000, 48000, 3, 24, 22, valid_bits, 4) + struct.pack("<H", 1) + guid_tail
    data = bytes(30)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return bad_file(name, b"RIFF" + struct.pack("<I", len(body)) + body)


def fifo(name):
    path = FILES / name
    if not path.exists():
        os.mkfifo(path)
    return path


def saved(name, **changes):
    """A saved network whose arrays are changed (a value of None drops the array)."""
    path = FILES / name
    NET.save(path)
    with np.load(path) as stored:
        arrays = {key: stored[key] for key in stored.files}
    for key, value in changes.items():
        if value is None:
            arrays.pop(key)
        else:
            arrays[key] = value
    np.savez(path, **arrays)
    return path


def zipped(name, members, compression=zipfile.ZIP_STORED):
    """A zip archive of the given members (name → bytes), with correct checksums."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a name twice is the damage some rows need
        for member, data in members:
            archive.writestr(member, data)
    return bad_file(name, buffer.getvalue())


def npy_bytes(array=None, header=None):
    stream = io.BytesIO()
    if header is None:
        np.save(stream, array, allow_pickle=True)
    else:
        np.lib.format.write_array_header_1_0(stream, header)
        stream.write(bytes(64))
    return stream.getvalue()


def nan_network():
    network = net()
    network.layers[0].bias[1] = np.nan
    return network


def sound_folder(duration=0.25, sample_rate=16000):
    (FILES / "folder" / "kicks").mkdir(parents=True, exist_ok=True)
    write_wav(FILES / "folder" / "kicks" / "a.wav", np.zeros(100))
    return read_folder(FILES / "folder", duration=duration, sample_rate=sample_rate)


X3 = np.ones((40, 3))
X_NAN = X.copy()
X_NAN[5, 1] = np.nan
SOFTMAX = Network.from_sizes([2, 3, 3], output_activation="linear", rng=0)


CASES = [
    # (name, call, error, [argument, expected, got])
    ("3 features into a 2-input layer", lambda: LAYER.forward(np.ones((4, 3))), ValueError, ["X", "2 feature", "(4, 3)"]),
    ("1-D input", lambda: LAYER.forward(np.ones(2)), ValueError, ["X", "2-D array", "shape (2,)"]),
    ("3-D input", lambda: LAYER.forward(np.ones((2, 2, 2))), ValueError, ["X", "2-D array", "(2, 2, 2)"]),
    ("empty batch", lambda: LAYER.forward(np.ones((0, 2))), ValueError, ["X", "at least one sample", "(0, 2)"]),
    ("strings as data", lambda: LAYER.forward([["a", "b"]]), TypeError, ["X", "numbers", "str"]),
    ("object array", lambda: LAYER.forward(np.array([[1, None]], dtype=object)), TypeError, ["X", "numbers", "object"]),
    ("NaN in data", lambda: NET.forward([[np.nan, 0.0]]), ValueError, ["X", "finite", "nan"]),
    ("inf in data", lambda: NET.predict([[0.0, np.inf]]), ValueError, ["X", "finite", "inf"]),
    ("complex data", lambda: NET.forward(np.ones((2, 2)) * 1j), TypeError, ["X", "numbers", "complex"]),
    ("ragged list", lambda: NET.forward([[1.0, 2.0], [3.0]]), TypeError, ["X", "numbers", "list"]),
    ("unknown activation", lambda: get_activation("swish"), ValueError, ["activation", "relu", "'swish'"]),
    ("activation as a number", lambda: Dense(2, 2, activation=3, rng=0), TypeError, ["activation", "name", "int 3"]),
    ("unknown loss", lambda: get_loss("hinge"), ValueError, ["loss", "binary_cross_entropy", "'hinge'"]),
    ("loss as a function", lambda: get_loss(len), TypeError, ["loss", "name", "builtin_function_or_method"]),
    ("zero inputs", lambda: Dense(0, 3, rng=0), ValueError, ["n_inputs", "at least 1", "got 0"]),
    ("fractional neurons", lambda: Dense(2, 2.5, rng=0), TypeError, ["n_outputs", "whole number", "2.5"]),
    ("no rng", lambda: Dense(2, 2, rng=None), TypeError, ["rng", "Generator or an int seed", "NoneType"]),
    ("rng as text", lambda: Dense(2, 2, rng="42"), TypeError, ["rng", "Generator", "'42'"]),
    ("weights 1-D", lambda: Dense.from_weights([1.0, 2.0], [0.0]), ValueError, ["weights", "2-D array", "(2,)"]),
    ("bias of the wrong size", lambda: Dense.from_weights(np.ones((2, 3)), [0.0]), ValueError, ["bias", "(3,)", "(1,)"]),
    ("layers that do not fit", lambda: Network([Dense(2, 3, rng=0), Dense(4, 1, rng=0)]), ValueError, ["layers[1]", "3 inputs", "takes 4"]),
    ("not a layer", lambda: Network([LAYER, "dense"]), TypeError, ["layers[1]", "Dense layer", "str"]),
    ("one size only", lambda: Network.from_sizes([2], rng=0), ValueError, ["sizes", "at least two", "[2]"]),
    ("a zero-size layer", lambda: Network.from_sizes([2, 0, 1], rng=0), ValueError, ["sizes[1]", "at least 1", "got 0"]),
    ("X and y of different lengths", lambda: fit(net(), X, y[:-1], progress=False), ValueError, ["y", "one target per sample, 40", "(39,)"]),
    ("label 2 for one sigmoid output", lambda: fit(net(), X, np.full(40, 2), progress=False), ValueError, ["y", "between 0 and 1", "to 2"]),
    ("labels as text", lambda: fit(net(), X, ["yes"] * 40, progress=False), TypeError, ["y", "numbers", "str"]),
    ("label out of range for softmax", lambda: fit(Network.from_sizes([2, 3, 2], output_activation="linear", rng=0), X, np.full(40, 5), loss="softmax_cross_entropy", progress=False), ValueError, ["y", "class labels 0 to 1", "to 5"]),
    ("fractional class labels", lambda: get_loss("softmax_cross_entropy")(np.zeros((2, 3)), [0.5, 1.0]), ValueError, ["y", "class labels 0 to 2", "0.5"]),
    ("NaN in targets", lambda: get_loss("mse")(np.zeros((2, 1)), [np.nan, 1.0]), ValueError, ["y", "finite", "nan"]),
    ("loss that does not fit the output", lambda: fit(net(), X, y, loss="softmax_cross_entropy", progress=False), ValueError, ["loss", "linear activation", "uses sigmoid"]),
    ("learning rate 0", lambda: fit(net(), X, y, learning_rate=0, progress=False), ValueError, ["learning_rate", "positive", "got 0"]),
    ("negative learning rate", lambda: GradientDescent(-0.1), ValueError, ["learning_rate", "positive", "-0.1"]),
    ("NaN learning rate", lambda: fit(net(), X, y, learning_rate=float("nan"), progress=False), ValueError, ["learning_rate", "finite", "nan"]),
    ("learning rate as text", lambda: GradientDescent("fast"), TypeError, ["learning_rate", "positive number", "'fast'"]),
    ("momentum 1", lambda: GradientDescent(0.1, momentum=1.0), ValueError, ["momentum", "below 1", "1.0"]),
    ("zero epochs", lambda: fit(net(), X, y, epochs=0, progress=False), ValueError, ["epochs", "at least 1", "got 0"]),
    ("epochs as a float", lambda: fit(net(), X, y, epochs=10.0, progress=False), TypeError, ["epochs", "whole number", "10.0"]),
    ("batch larger than the data", lambda: fit(net(), X, y, batch_size=100, progress=False), ValueError, ["batch_size", "at most the number of samples, 40", "got 100"]),
    ("mini-batches without rng", lambda: fit(net(), X, y, batch_size=10, progress=False), TypeError, ["rng", "Generator", "NoneType"]),
    ("validation data of another width", lambda: fit(net(), X, y, validation_data=(np.ones((5, 3)), np.ones(5)), progress=False), ValueError, ["validation_data[0]", "2 feature", "(5, 3)"]),
    ("unknown data set", lambda: make_dataset("swirl"), ValueError, ["name", "moons", "'swirl'"]),
    ("negative noise", lambda: xor(noise=-0.1), ValueError, ["noise", "0 or more", "-0.1"]),
    ("test fraction 1", lambda: train_test_split(X, y, test_fraction=1.0), ValueError, ["test_fraction", "between 0 and 1", "1.0"]),
    ("split of unequal lengths", lambda: train_test_split(X, y[:5]), ValueError, ["X and y", "same number of samples", "y has 5"]),
    ("one-hot of fractions", lambda: one_hot([0.5, 1.0]), ValueError, ["labels", "whole numbers", "float64"]),
    ("one-hot label too large", lambda: one_hot([0, 3], n_classes=2), ValueError, ["labels", "from 0 to 1", "to 3"]),
    ("standardize text", lambda: standardize([["a"]]), TypeError, ["X_train", "numbers", "str"]),
    ("gradient of the wrong kind", lambda: gradient_check(lambda: 0.0, {"W": np.ones(2)}, {"W": "dW"}), TypeError, ["gradients['W']", "numbers", "'dW'"]),
    ("WAV path that does not exist", lambda: read_wav("no/such/sound.wav"), ValueError, ["no/such/sound.wav", "no such file", "Check the name"]),
    ("a folder that does not exist", lambda: read_folder("no/such/folder"), ValueError, ["no/such/folder", "no such folder", "sub-folder"]),
    ("read_folder's on_error", lambda: read_folder(".", on_error="ignore"), ValueError, ["on_error", "'report', 'skip' or 'raise'", "'ignore'"]),
    ("PCM signal too loud", lambda: wav_bytes(np.full(4, 2.0)), ValueError, ["signal", "−1 … 1", "peak is 2"]),
    ("WAV bits 12", lambda: wav_bytes(np.zeros(4), bits=12), ValueError, ["bits", "8, 16, 24, 32 or 'float'", "int 12"]),
    ("unknown sound", lambda: clip("violin"), ValueError, ["kind", "sine", "'violin'"]),
    ("unknown level", lambda: make_sounds(level="extreme"), ValueError, ["level", "medium", "'extreme'"]),
    ("clip shorter than a frame", lambda: frames(np.zeros(100), 512, center=False), ValueError, ["signal", "at least frame_length = 512", "got 100"]),
    ("features of text", lambda: clip_features("sound"), TypeError, ["clips", "numbers", "str"]),
    ("mel filters above Nyquist", lambda: mel_filterbank(fmax=12000.0), ValueError, ["fmax", "8000", "12000"]),
    ("loss explorer without data", lambda: loss_explorer([], []), ValueError, ["x and y", "non-zero length", "got 0"]),
    ("learning-rate explorer of unequal data", lambda: learning_rate_explorer([1.0, 2.0], [1.0]), ValueError, ["x and y", "same length", "1-D"]),
    ("playground hides an unknown control", lambda: playground(hide=["colour"]), ValueError, ["hide", "dataset", "['colour']"]),
    ("playground with a 17-wide layer", lambda: playground(hidden=[17]), ValueError, ["hidden", "from 1 to 16", "[17]"]),
]


CASES += [
    # ── WAV files: every damage is an AudioFileError naming the file ──────────────────────────
    ("NaN in a float WAV", lambda: read_wav(float_wav("nan.wav", np.nan)), AudioFileError, ["nan.wav", "holds nan", "finite numbers"]),
    ("infinity in a float WAV", lambda: read_wav(float_wav("inf.wav", np.inf)), AudioFileError, ["inf.wav", "holds inf", "finite numbers"]),
    ("huge float sample", lambda: read_wav(float_wav("huge.wav", 1e30)), AudioFileError, ["huge.wav", "within −1 … 1", "size 1e+30"]),
    ("float sample of 20", lambda: read_wav(float_wav("loud.wav", 20.0)), AudioFileError, ["loud.wav", "at most ±16", "size 20"]),
    ("block_align 8 for 16-bit mono", lambda: read_wav(patched_wav("block.wav", 32, "<H", 8)), AudioFileError, ["block.wav", "takes 2 bytes", "says 8 (block_align)"]),
    ("a header of 1 Hz", lambda: read_wav(patched_wav("slow.wav", 24, "<I", 1)), AudioFileError, ["slow.wav", "1000 to 768000 samples per second", "1 samples per second"]),
    ("a header of 0 Hz", lambda: read_wav(patched_wav("zero.wav", 24, "<I", 0)), AudioFileError, ["zero.wav", "1000 to 768000", "0 samples per second"]),
    ("a header of 4 GHz", lambda: read_wav(patched_wav("fast.wav", 24, "<I", 0xFFFFFFFF)), AudioFileError, ["fast.wav", "1000 to 768000", "4294967295 samples"]),
    ("no channels", lambda: read_wav(patched_wav("mute.wav", 22, "<H", 0)), AudioFileError, ["mute.wav", "at least 1 channel", "0 channels"]),
    ("12-bit PCM", lambda: read_wav(patched_wav("twelve.wav", 34, "<H", 12)), AudioFileError, ["twelve.wav", "16-, 24- or 32-bit PCM", "format 1, 12 bits"]),
    ("a-law", lambda: read_wav(patched_wav("alaw.wav", 20, "<H", 6)), AudioFileError, ["alaw.wav", "16-, 24- or 32-bit PCM", "format 6"]),
    ("extensible, unknown GUID", lambda: read_wav(extensible_wav("guid.wav", guid_tail=bytes(14))), AudioFileError, ["guid.wav", "sub-format", "does not know"]),
    ("extensible, 20 bits in 24", lambda: read_wav(extensible_wav("valid.wav", valid_bits=20)), AudioFileError, ["valid.wav", "20-bit samples in 24-bit slots", "32-bit float"]),
    ("a FIFO named .wav", lambda: read_wav(fifo("pipe.wav")), AudioFileError, ["pipe.wav", "not a regular file", "should be a file"]),
    ("an empty WAV", lambda: read_wav(bad_file("empty.wav", b"")), AudioFileError, ["empty.wav", "the file is empty", "16-bit PCM"]),
    ("a truncated WAV", lambda: read_wav(bad_file("cut.wav", wav_bytes(np.zeros(100))[:60])), AudioFileError, ["cut.wav", "truncated", "should hold 200 bytes"]),
    ("a short fmt chunk", lambda: read_wav(bad_file("shortfmt.wav", b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + struct.pack("<I", 8) + bytes(8) + b"data" + struct.pack("<I", 4) + bytes(4))), AudioFileError, ["shortfmt.wav", "'fmt' chunk is too short", "Check the file"]),
    ("an MP3 named .wav", lambda: read_wav(bad_file("song.wav", b"ID3\x03xxxxxxxxxxxx")), AudioFileError, ["song.wav", "not a WAV file", "b'ID3"]),
    ("a folder as a WAV", lambda: read_wav(FILES), AudioFileError, [str(FILES), "is a folder", "read_folder"]),
    ("read_wav at 0 Hz", lambda: read_wav(FILES / "x.wav", sample_rate=0), ValueError, ["sample_rate", "at least 1", "got 0"]),
    ("read_wav at 44100.0", lambda: read_wav(FILES / "x.wav", sample_rate=44100.0), TypeError, ["sample_rate", "whole number", "44100.0"]),
    ("read_wav at 10 MHz", lambda: read_wav(FILES / "x.wav", sample_rate=10**7), ValueError, ["sample_rate", "from 1000 to 768000", "got 10000000"]),
    ("read_folder of negative duration", lambda: sound_folder(duration=-0.25), ValueError, ["duration", "positive number of seconds", "-0.25"]),
    ("read_folder of zero duration", lambda: sound_folder(duration=0), ValueError, ["duration", "positive number of seconds", "int 0"]),
    ("read_folder of NaN duration", lambda: sound_folder(duration=float("nan")), ValueError, ["duration", "positive number", "nan"]),
    ("read_folder of duration as text", lambda: sound_folder(duration="1s"), ValueError, ["duration", "positive number", "'1s'"]),
    ("read_folder at 1 Hz", lambda: sound_folder(sample_rate=1), ValueError, ["sample_rate", "from 1000 to 768000", "got 1"]),
    ("wav_bytes of infinity", lambda: wav_bytes(np.array([0.0, np.inf]), bits="float"), ValueError, ["signal", "finite", "inf"]),
    ("float WAV of 1e39", lambda: wav_bytes(np.array([0.0, 1e39]), bits="float"), ValueError, ["signal", "±16", "peak is 1e+39"]),
    ("wav_bytes of nothing", lambda: wav_bytes(np.zeros(0)), ValueError, ["signal", "non-empty 1-D", "(0,)"]),
    ("wav_bytes of stereo", lambda: wav_bytes(np.zeros((10, 2))), ValueError, ["signal", "non-empty 1-D", "(10, 2)"]),
    ("wav_bytes at 0 Hz", lambda: wav_bytes(np.zeros(4), sample_rate=0), ValueError, ["sample_rate", "at least 1", "got 0"]),
    ("wav_bytes at 1 GHz", lambda: wav_bytes(np.zeros(4), sample_rate=10**9), ValueError, ["sample_rate", "768000", "1000000000"]),
    ("WAV bits True", lambda: wav_bytes(np.zeros(4), bits=True), ValueError, ["bits", "8, 16, 24, 32 or 'float'", "bool True"]),
    ("WAV bits '24'", lambda: wav_bytes(np.zeros(4), bits="24"), ValueError, ["bits", "8, 16, 24, 32 or 'float'", "str '24'"]),
    ("wav_bytes of text", lambda: wav_bytes("beep"), TypeError, ["signal", "numbers", "str"]),
    ("write_wav into a missing folder", lambda: write_wav(FILES / "nowhere" / "a.wav", np.zeros(4)), MissingFolderError, ["nowhere", "does not exist", "mkdir"]),
    # ── synthesized sounds ───────────────────────────────────────────────────────────────────
    ("clip of pitch 0", lambda: clip("sine", pitch=0), ValueError, ["pitch", "from 20 to 8000", "got 0"]),
    ("clip of pitch 0.05", lambda: clip("sine", pitch=0.05), ValueError, ["pitch", "from 20 to 8000", "0.05"]),
    ("clip of negative pitch", lambda: clip("saw", pitch=-440.0), ValueError, ["pitch", "from 20 to 8000", "-440.0"]),
    ("clip of NaN pitch", lambda: clip("saw", pitch=float("nan")), ValueError, ["pitch", "finite number", "nan"]),
    ("clip of pitch above Nyquist", lambda: clip("square", pitch=20000), ValueError, ["pitch", "from 20 to 8000", "20000"]),
    ("clip of pitch as text", lambda: clip("sine", pitch="A4"), TypeError, ["pitch", "number", "'A4'"]),
    ("clip of SNR -inf", lambda: clip("sine", snr_db=-np.inf), ValueError, ["snr_db", "finite number from -60 to 200", "-inf"]),
    ("clip of SNR NaN", lambda: clip("sine", snr_db=float("nan")), ValueError, ["snr_db", "finite number", "nan"]),
    ("clip of SNR as text", lambda: clip("sine", snr_db="loud"), TypeError, ["snr_db", "number", "'loud'"]),
    ("clip of index -1", lambda: clip("sine", index=-1), ValueError, ["index", "at least 0", "got -1"]),
    ("clip of seed 1.5", lambda: clip("sine", seed=1.5), TypeError, ["seed", "whole number", "1.5"]),
    ("clip of level 3", lambda: clip("sine", level=3), ValueError, ["level", "medium", "int 3"]),
    ("no clips per class", lambda: make_sounds(n_per_class=0), ValueError, ["n_per_class", "at least 1", "got 0"]),
    ("unknown sound set", lambda: make_sounds("drums"), ValueError, ["sound_set", "waveforms", "'drums'"]),
    # ── features ─────────────────────────────────────────────────────────────────────────────
    ("features of a NaN sample", lambda: clip_features(np.r_[np.zeros(900), np.nan, np.zeros(99)]), ValueError, ["clips", "finite numbers", "nan at index (900,)"]),
    ("features of a huge clip", lambda: clip_features(np.full((2, 1000), 1e200)), ValueError, ["clips[0]", "not finite", "1e+200"]),
    ("log-mel of infinity", lambda: log_mel(np.r_[np.zeros(600), np.inf]), ValueError, ["signal", "finite numbers", "inf"]),
    ("too many mels for the FFT", lambda: mel_filterbank(n_fft=128, n_mels=80), ValueError, ["n_mels = 80", "n_fft = 128", "13 mel filter(s)"]),
    ("zero mels", lambda: mel_filterbank(n_mels=0), ValueError, ["n_mels", "at least 1", "got 0"]),
    ("hop of 0", lambda: frames(np.zeros(1000), hop_length=0), ValueError, ["hop_length", "at least 1", "got 0"]),
    ("3-D signal", lambda: spectrogram(np.zeros((2, 2, 2))), ValueError, ["signal", "(n_clips, n_samples)", "(2, 2, 2)"]),
    ("empty signal", lambda: spectrogram(np.zeros(0)), ValueError, ["signal", "(n_samples,)", "(0,)"]),
    ("feature chunk 0", lambda: clip_features(np.zeros((2, 1000)), chunk=0), ValueError, ["chunk", "at least 1", "got 0"]),
    ("word frames of text", lambda: word_frames("sound", sample_rate=8000), TypeError, ["sounds", "numbers", "str"]),
    ("one word frame", lambda: word_frames(np.zeros((2, 1000)), n_frames=1, sample_rate=8000), ValueError, ["n_frames", "at least 2", "got 1"]),
    ("word frames without a rate", lambda: word_frames(np.zeros((2, 1000))), ValueError, ["sample_rate", "is needed", "an array of samples"]),
    ("word frames, negative range", lambda: word_frames(np.zeros((2, 1000)), sample_rate=8000, range_db=-5), ValueError, ["range_db", "above 0", "-5"]),
    ("word frames, top_db text", lambda: word_frames(np.zeros((2, 1000)), sample_rate=8000, top_db="30"), TypeError, ["top_db", "number", "str"]),
    ("word frames, lengths short", lambda: word_frames(np.zeros((2, 1000)), sample_rate=8000, lengths=[1000]), ValueError, ["lengths", "one length per clip, 2", "got 1"]),
    ("word frames of a NaN sample", lambda: word_frames(np.r_[np.zeros(900), np.nan, np.zeros(99)], sample_rate=8000), ValueError, ["sounds", "finite numbers", "nan at index (900,)"]),
    ("Hann window of length 0", lambda: hann_window(0), ValueError, ["length", "at least 1", "got 0"]),
    # ── saved networks ───────────────────────────────────────────────────────────────────────
    ("load with sizes=5", lambda: Network.load(FILES / "any.npz", sizes=5), TypeError, ["sizes", "list of layer sizes", "int 5"]),
    ("load with a zero size", lambda: Network.load(FILES / "any.npz", sizes=[2, 0, 1]), ValueError, ["sizes[1]", "at least 1", "got 0"]),
    ("a network in LZMA", lambda: Network.load(zipped("lzma.npz", [("format.npy", npy_bytes(np.array("x")))], zipfile.ZIP_LZMA)), ValueError, ["lzma.npz", "not a network saved by nblib", "is not a numpy array"]),
    ("a 10⁷×10⁷ array in a tiny file", lambda: Network.load(zipped("bomb.npz", [("weights_0.npy", npy_bytes(header={"descr": "<f8", "fortran_order": False, "shape": (10**7, 10**7)}))])), ValueError, ["bomb.npz", "declares shape (10000000, 10000000)", "holds 64"]),
    ("Python objects in a network file", lambda: Network.load(zipped("objects.npz", [("format.npy", npy_bytes(np.array([None], dtype=object)))])), ValueError, ["objects.npz", "Python objects", "never read"]),
    ("the same name twice", lambda: Network.load(zipped("twice.npz", [("bias_0.npy", npy_bytes(np.zeros(3))), ("bias_0.npy", npy_bytes(np.ones(3)))])), ValueError, ["twice.npz", "appears twice", "damaged"]),
    ("one layer kind, two layers of settings", lambda: Network.load(saved("dropped.npz", kinds=np.array(["Dense"]))), ValueError, ["dropped.npz", "damaged or incomplete", "1 layer kinds and 2 settings"]),
    ("an old dense file: one activation, two layers of weights", lambda: Network.load(saved("dropped1.npz", format=np.array("nblib-network-1"), kinds=None, configs=None, input_shape=None, sizes=np.array([2, 3, 1]), activations=np.array(["tanh"]))), ValueError, ["dropped1.npz", "damaged or incomplete", "1 activation(s)"]),
    ("a saved network without a bias", lambda: Network.load(saved("nobias.npz", bias_1=None)), ValueError, ["nobias.npz", "damaged or incomplete", "'bias' array"]),
    ("NaN weights in a file", lambda: Network.load(saved("nanweights.npz", weights_0=np.full((2, 3), np.nan))), ValueError, ["nanweights.npz", "damaged", "finite numbers"]),
    ("a text file as a network", lambda: Network.load(bad_file("notes.npz", b"just some notes")), ValueError, ["notes.npz", "cannot be read as .npz", "BadZipFile"]),
    ("two format marks", lambda: Network.load(saved("marks.npz", format=np.array(["nblib-network-1", "x"]))), ValueError, ["marks.npz", "not a network saved by nblib", "'nblib-network-2' mark"]),
    ("save NaN weights", lambda: nan_network().save(FILES / "nan.npz"), ValueError, ["parameters should be finite numbers", "parameter 1", "NaN or infinity"]),
    ("save into a missing folder", lambda: NET.save(FILES / "missing" / "net.npz"), MissingFolderError, ["missing", "does not exist", "mkdir"]),
    # ── networks and layers ──────────────────────────────────────────────────────────────────
    ("integer weights", lambda: Network.from_sizes([2, 3, 1], rng=0, dtype=np.int64), TypeError, ["dtype", "np.float64", "numpy.int64"]),
    ("complex weights", lambda: Dense(2, 2, rng=0, dtype=np.complex128), TypeError, ["dtype", "np.float32", "numpy.complex128"]),
    ("float16 weights", lambda: Dense(2, 2, rng=0, dtype="float16"), TypeError, ["dtype", "np.float32", "'float16'"]),
    ("negative seed", lambda: Dense(2, 2, rng=-1), ValueError, ["rng", "seed of 0 or more", "got -1"]),
    ("fractional seed", lambda: Dense(2, 2, rng=1.5), TypeError, ["rng", "int seed", "float 1.5"]),
    ("sizes as text", lambda: Network.from_sizes("234", rng=0), ValueError, ["sizes", "at least two layer sizes", "'234'"]),
    ("a negative layer size", lambda: Network.from_sizes([2, -1], rng=0), ValueError, ["sizes[1]", "at least 1", "got -1"]),
    ("unknown hidden activation", lambda: Network.from_sizes([2, 2, 1], activation="swish", rng=0), ValueError, ["activation", "relu", "'swish'"]),
    ("no layers", lambda: Network([]), ValueError, ["layers", "at least one", "empty list"]),
    ("NaN weights given", lambda: Dense.from_weights(np.full((2, 2), np.nan), np.zeros(2)), ValueError, ["weights", "finite", "nan"]),
    ("complex weights given", lambda: Dense.from_weights(np.ones((2, 2)) * 1j, np.zeros(2)), TypeError, ["weights", "numbers", "complex"]),
    ("loss_and_gradients of unequal data", lambda: net().loss_and_gradients(X, y[:3], "binary_cross_entropy"), ValueError, ["y", "one target per sample, 40", "(3,)"]),
    # ── losses ───────────────────────────────────────────────────────────────────────────────
    ("MSE of two numbers", lambda: get_loss("mse")(0.5, 1.0), ValueError, ["values", "(n_samples,)", "shape ()"]),
    ("MSE of an empty batch", lambda: get_loss("mse")(np.zeros((0, 1)), np.zeros(0)), ValueError, ["values", "at least one sample", "(0, 1)"]),
    ("softmax CE of an empty batch", lambda: get_loss("softmax_cross_entropy")(np.zeros((0, 3)), []), ValueError, ["values", "at least one sample", "(0, 3)"]),
    ("BCE of a 3-D batch", lambda: get_loss("binary_cross_entropy")(np.zeros((1, 1, 1)), [1.0]), ValueError, ["values", "(n_samples, n_outputs)", "(1, 1, 1)"]),
    ("NaN outputs", lambda: get_loss("mse")([np.nan, 1.0], [1.0, 1.0]), ValueError, ["values", "finite", "nan"]),
    ("BCE target 2", lambda: get_loss("binary_cross_entropy")([0.0, 1.0], [0.0, 2.0]), ValueError, ["y", "between 0 and 1", "to 2"]),
    ("MSE targets of another length", lambda: get_loss("mse")([0.0, 1.0], [0.0, 1.0, 2.0]), ValueError, ["y", "one target per sample, 2", "(3,)"]),
    ("softmax label -1", lambda: get_loss("softmax_cross_entropy")(np.zeros((2, 3)), [0, -1]), ValueError, ["y", "class labels 0 to 2", "-1"]),
    ("loss None", lambda: get_loss(None), TypeError, ["loss", "name of a loss", "NoneType"]),
    # ── training ─────────────────────────────────────────────────────────────────────────────
    ("validation data without targets", lambda: fit(net(), X, y, validation_data=(X,), progress=False), TypeError, ["validation_data", "pair (X_val, y_val)", "length 1"]),
    ("validation data as one array", lambda: fit(net(), X, y, validation_data=X, progress=False), TypeError, ["validation_data", "pair (X_val, y_val)", "ndarray of shape (40, 2)"]),
    ("infinite learning rate", lambda: fit(net(), X, y, learning_rate=float("inf"), progress=False), ValueError, ["learning_rate", "finite", "inf"]),
    ("negative momentum", lambda: fit(net(), X, y, momentum=-0.5, progress=False), ValueError, ["momentum", "from 0", "-0.5"]),
    ("momentum as text", lambda: GradientDescent(0.1, momentum="high"), TypeError, ["momentum", "number", "'high'"]),
    ("batch size 0", lambda: fit(net(), X, y, batch_size=0, progress=False), ValueError, ["batch_size", "at least 1", "got 0"]),
    ("rng as text for mini-batches", lambda: fit(net(), X, y, batch_size=10, rng="x", progress=False), TypeError, ["rng", "Generator", "'x'"]),
    ("NaN in training data", lambda: fit(net(), X_NAN, y, progress=False), ValueError, ["X", "finite", "nan"]),
    ("NaN in training targets", lambda: fit(net(), X, np.r_[y[:-1], np.nan], progress=False), ValueError, ["y", "finite", "nan"]),
    # ── data sets ────────────────────────────────────────────────────────────────────────────
    ("one-hot of 3e9", lambda: one_hot([0, 3e9]), ValueError, ["labels", "below 100,000", "3e+09"]),
    ("one-hot of -1", lambda: one_hot([-1, 0]), ValueError, ["labels", "whole numbers from 0", "from -1"]),
    ("one-hot of nothing", lambda: one_hot([]), ValueError, ["labels", "whole numbers", "shape (0,)"]),
    ("one-hot of a 2-D array", lambda: one_hot([[0, 1]]), ValueError, ["labels", "(n_samples,)", "(1, 2)"]),
    ("one-hot of NaN", lambda: one_hot([0.0, np.nan]), ValueError, ["labels", "whole numbers", "float64"]),
    ("one-hot into 0 classes", lambda: one_hot([0], n_classes=0), ValueError, ["n_classes", "at least 1", "got 0"]),
    ("one-hot into 2.5 classes", lambda: one_hot([0], n_classes=2.5), TypeError, ["n_classes", "whole number", "2.5"]),
    ("standardize NaN", lambda: standardize([[1.0], [np.nan]]), ValueError, ["X_train", "finite", "nan"]),
    ("standardize infinity", lambda: standardize([[1.0], [np.inf]]), ValueError, ["X_train", "finite", "inf"]),
    ("standardize nothing", lambda: standardize(np.zeros((0, 2))), ValueError, ["X_train", "at least one sample", "(0, 2)"]),
    ("standardize NaN test data", lambda: standardize([[1.0], [2.0]], [[np.nan]]), ValueError, ["others[0]", "finite", "nan"]),
    ("test fraction np.float32(1.5)", lambda: train_test_split(X, y, test_fraction=np.float32(1.5)), ValueError, ["test_fraction", "between 0 and 1", "1.5"]),
    ("test fraction True", lambda: train_test_split(X, y, test_fraction=True), ValueError, ["test_fraction", "between 0 and 1", "bool True"]),
    ("test fraction as text", lambda: train_test_split(X, y, test_fraction="0.25"), ValueError, ["test_fraction", "between 0 and 1", "'0.25'"]),
    ("test fraction leaving no test sample", lambda: train_test_split(X, y, test_fraction=0.001), ValueError, ["test_fraction 0.001", "leaves 0 for testing", "at least one"]),
    ("one sample", lambda: xor(n_samples=1), ValueError, ["n_samples", "at least 2", "got 1"]),
    ("one spiral arm", lambda: spiral(n_classes=1), ValueError, ["n_classes", "at least 2", "got 1"]),
    ("NaN noise", lambda: xor(noise=float("nan")), ValueError, ["noise", "0 or more", "nan"]),
    ("noise as text", lambda: blobs(noise="big"), ValueError, ["noise", "0 or more", "'big'"]),
    ("negative data seed", lambda: xor(seed=-3), ValueError, ["seed", "0 or more", "got -3"]),
    ("data set by number", lambda: make_dataset(3), ValueError, ["name", "moons", "got 3"]),
    # ── gradient checks ──────────────────────────────────────────────────────────────────────
    ("gradient check of integers", lambda: gradient_check(lambda: 0.0, {"W": np.ones(2, dtype=int)}, {"W": np.ones(2)}), TypeError, ["parameters['W']", "float64 array", "int64"]),
    ("gradient check of float32", lambda: gradient_check(lambda: 0.0, {"W": np.ones(2, dtype=np.float32)}, {"W": np.ones(2)}), TypeError, ["parameters['W']", "float64 array", "float32"]),
    ("gradient check of a Python number", lambda: gradient_check(lambda: 0.0, {"W": 1.0}, {"W": 1.0}), TypeError, ["parameters['W']", "numpy array", "float 1.0"]),
    ("gradient None", lambda: gradient_check(lambda: 0.0, {"W": np.ones(2)}, {"W": None}), TypeError, ["gradients['W']", "numbers", "NoneType"]),
    # ── explorers ────────────────────────────────────────────────────────────────────────────
    ("training explorer with targets 0.6", lambda: training_explorer(X, np.full(40, 0.6)), ValueError, ["y", "0 or 1", "0.6"]),
    ("training explorer without y", lambda: training_explorer(X, None), TypeError, ["y", "class of every sample", "None"]),
    ("training explorer of 3 features", lambda: training_explorer(X3, y), ValueError, ["X", "2 feature", "(40, 3)"]),
    ("training explorer of NaN", lambda: training_explorer(X_NAN, y), ValueError, ["X", "finite", "nan"]),
    ("training explorer of a 0-wide layer", lambda: training_explorer(X, y, hidden=[0]), ValueError, ["hidden[0]", "at least 1", "got 0"]),
    ("training explorer hidden=8", lambda: training_explorer(X, y, hidden=8), TypeError, ["hidden", "list the neurons", "int 8"]),
    ("training explorer learning rate 100", lambda: training_explorer(X, y, learning_rate=100), ValueError, ["learning_rate", "from 0.001 to 10", "got 100"]),
    ("training explorer of 0 epochs", lambda: training_explorer(X, y, epochs=0), ValueError, ["epochs", "at least 1", "got 0"]),
    ("training explorer of an unknown loss", lambda: training_explorer(X, y, loss="hinge"), ValueError, ["loss", "mse", "'hinge'"]),
    ("training explorer, validation without targets", lambda: training_explorer(X, y, validation_data=(X,)), TypeError, ["validation_data", "pair (X_val, y_val)", "tuple"]),
    ("training explorer of unequal data", lambda: training_explorer(X, y[:-1]), ValueError, ["y", "shape (40,)", "(39,)"]),
    ("training explorer, softmax label -1", lambda: training_explorer(X, np.r_[y[:-1], -1], loss="softmax_cross_entropy"), ValueError, ["y", "whole numbers 0, 1, 2", "from -1"]),
    ("neuron explorer w1 NaN", lambda: neuron_explorer(w1=float("nan")), ValueError, ["w1", "from -3 to 3", "nan"]),
    ("neuron explorer b 5", lambda: neuron_explorer(b=5), ValueError, ["b", "from -3 to 3", "got 5"]),
    ("neuron explorer X without y", lambda: neuron_explorer(X=X), TypeError, ["X and y", "together", "NoneType"]),
    ("neuron explorer class 2", lambda: neuron_explorer(X=X, y=np.full(40, 2)), ValueError, ["y", "0 or 1", "to 2"]),
    ("neuron explorer of 3 features", lambda: neuron_explorer(X=X3, y=y), ValueError, ["X", "2 feature", "(40, 3)"]),
    ("neuron explorer of an unknown f", lambda: neuron_explorer(activation="swish"), ValueError, ["activation", "relu", "'swish'"]),
    ("sound explorer of a violin", lambda: sound_explorer(kind="violin"), ValueError, ["kind", "'sine'", "'violin'"]),
    ("sound explorer of None", lambda: sound_explorer(kind=None), ValueError, ["kind", "one of", "NoneType"]),
    ("sound explorer at 20 kHz", lambda: sound_explorer(pitch=20000), ValueError, ["pitch", "from 55 to 1760", "20000"]),
    ("sound explorer of SNR NaN", lambda: sound_explorer(snr_db=float("nan")), ValueError, ["snr_db", "from 0 to 40", "nan"]),
    ("activation explorer z infinite", lambda: activation_explorer(z=float("inf")), ValueError, ["z", "from -5 to 5", "inf"]),
    ("activation explorer of an unknown f", lambda: activation_explorer("swish"), ValueError, ["activation", "relu", "'swish'"]),
    ("activation explorer z as text", lambda: activation_explorer(z="1"), TypeError, ["z", "number", "'1'"]),
    ("learning-rate explorer of NaN", lambda: learning_rate_explorer([1.0, np.nan], [1.0, 2.0]), ValueError, ["x", "finite", "nan"]),
    ("learning-rate explorer of x all 0", lambda: learning_rate_explorer([0.0, 0.0], [1.0, 2.0]), ValueError, ["x should not be all 0", "nothing to learn", "no input"]),
    ("learning-rate explorer of 100 steps", lambda: learning_rate_explorer([1.0, 2.0], [1.0, 2.0], steps=100), ValueError, ["steps", "from 1 to 50", "got 100"]),
    ("learning-rate explorer at rate 0", lambda: learning_rate_explorer([1.0, 2.0], [1.0, 2.0], learning_rate=0), ValueError, ["learning_rate", "from 0.0001 to 10", "got 0"]),
    ("loss explorer at weight 10", lambda: loss_explorer([1.0, 2.0], [1.0, 2.0], weight=10), ValueError, ["weight", "from -4 to 4", "got 10"]),
    ("loss explorer of infinite targets", lambda: loss_explorer([1.0, 2.0], [1.0, np.inf]), ValueError, ["y", "finite", "inf"]),
    ("loss explorer of NaN bias", lambda: loss_explorer([1.0, 2.0], [1.0, 2.0], bias=float("nan")), ValueError, ["bias", "finite number", "nan"]),
    ("playground of negative noise", lambda: playground(noise=-1), ValueError, ["noise", "from 0 to 0.5", "got -1"]),
    ("playground with test share 1", lambda: playground(test_share=1.0), ValueError, ["test_share", "from 0.1 to 0.9", "1.0"]),
    ("playground of an unknown f", lambda: playground(activation="swish"), ValueError, ["activation", "relu", "'swish'"]),
    ("playground at rate 0", lambda: playground(learning_rate=0), ValueError, ["learning_rate", "from 0.001 to 10", "got 0"]),
    ("playground with batch size 3", lambda: playground(batch_size=3), ValueError, ["batch_size", "1, 4, 8, 16, 32, 64 or 'all'", "int 3"]),
    ("playground of an unknown data set", lambda: playground(dataset="swirl"), ValueError, ["dataset", "circles", "'swirl'"]),
]


def test_there_are_at_least_150_cases():
    assert len(CASES) >= 150


@pytest.mark.parametrize("name, call, error, pieces", CASES, ids=[case[0] for case in CASES])
def test_bad_input_gets_a_clear_error(name, call, error, pieces):
    with pytest.raises(error) as raised:
        call()
    assert isinstance(raised.value, (ValueError, TypeError))
    message = str(raised.value)
    for piece in pieces:
        assert piece in message, f"{name}: the message should mention {piece!r}:\n{message}"
