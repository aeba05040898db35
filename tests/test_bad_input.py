"""Every mistake a learner can make at nblib's public boundary gets a message that teaches.

Each row: a call with one thing wrong, the error it must raise (ValueError or TypeError),
and three pieces the message must hold: the argument's name, what was expected, and what
came instead. Add a row whenever nblib grows a public function.
"""

import numpy as np
import pytest

from nblib.activations import get_activation
from nblib.audio.features import clip_features, frames, mel_filterbank
from nblib.audio.io import read_folder, read_wav, wav_bytes
from nblib.audio.synth import clip, make_sounds
from nblib.datasets import make_dataset, one_hot, standardize, train_test_split, xor
from nblib.gradcheck import gradient_check
from nblib.layers import Dense
from nblib.losses import get_loss
from nblib.network import Network
from nblib.optim import GradientDescent
from nblib.training import fit
from nblib.widgets import learning_rate_explorer, loss_explorer, playground

X, y = xor(40, seed=0)
NET = Network.from_sizes([2, 3, 1], rng=0)
LAYER = Dense(2, 3, rng=0)


def net():
    return Network.from_sizes([2, 3, 1], rng=0)


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


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name, call, error, pieces", CASES, ids=[case[0] for case in CASES])
def test_bad_input_gets_a_clear_error(name, call, error, pieces):
    with pytest.raises(error) as raised:
        call()
    assert isinstance(raised.value, (ValueError, TypeError))
    message = str(raised.value)
    for piece in pieces:
        assert piece in message, f"{name}: the message should mention {piece!r}:\n{message}"
