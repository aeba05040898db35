"""Property-based tests (hypothesis) of nothing-silently-wrong:

- a WAV file written and read back gives the signal within its bit depth's quantisation;
- no public function changes the arrays it is given, and read-only arrays are accepted;
- a network's gradients do not depend on what the caller does to X after the forward pass.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nblib.activations import ACTIVATIONS
from nblib.audio.features import clip_features, frames, log_mel, spectrogram
from nblib.audio.io import read_wav, resample, wav_bytes, write_wav
from nblib.datasets import one_hot, standardize, train_test_split
from nblib.gradcheck import gradient_check
from nblib.layers import Dense
from nblib.losses import LOSSES, softmax
from nblib.network import Network
from nblib.training import fit

BITS = [8, 16, 24, 32, "float"]


def tolerance(bits, peak):
    """Largest error a write and read may make: PCM writes x·(2ⁿ⁻¹ − 1), rounded, and reads it divided by
    2ⁿ⁻¹ (as libsndfile does), so the error is at most (|x| + ½) / 2ⁿ⁻¹; float32 keeps 24 bits of x
    (and values below its smallest number, 2⁻¹⁴⁹, become 0)."""
    if bits == "float":
        return peak * 2.0**-24 + 2.0**-149
    return (peak + 0.5) / 2.0 ** (bits - 1) + 1e-15


@settings(max_examples=40, deadline=None)
@given(
    bits=st.sampled_from(BITS),
    signal=arrays(np.float64, st.integers(1, 300), elements=st.floats(-1, 1, allow_nan=False)),
    rate=st.sampled_from([8000, 16000, 22050, 44100, 48000]),
)
def test_a_wav_file_reads_back_what_was_written_within_its_quantisation(tmp_path_factory, bits, signal, rate):
    path = tmp_path_factory.mktemp("wav") / "x.wav"
    write_wav(path, signal, sample_rate=rate, bits=bits)
    back, back_rate = read_wav(path, sample_rate=None)
    assert back_rate == rate and back.shape == signal.shape
    assert np.all(np.abs(back - signal) <= tolerance(bits, np.abs(signal)))


@settings(max_examples=20, deadline=None)
@given(signal=arrays(np.float64, st.integers(1, 100), elements=st.floats(-16, 16, allow_nan=False)))
def test_float_files_keep_samples_beyond_one(tmp_path_factory, signal):
    path = tmp_path_factory.mktemp("wav") / "x.wav"
    write_wav(path, signal, bits="float")
    back, _ = read_wav(path, sample_rate=None)
    np.testing.assert_array_equal(back, signal.astype(np.float32))


def frozen(array):
    """A read-only copy: any attempt to write to it raises."""
    array = np.array(array)
    array.setflags(write=False)
    return array


data = arrays(np.float64, st.tuples(st.integers(4, 12), st.just(2)), elements=st.floats(-3, 3, allow_nan=False))


@settings(max_examples=25, deadline=None)
@given(X=data, seed=st.integers(0, 1000))
def test_no_public_function_changes_the_arrays_it_is_given(X, seed):
    rng = np.random.default_rng(seed)
    y = np.arange(len(X)) % 2
    sound = rng.uniform(-1, 1, 800)
    inputs = {"X": X, "y": y, "sound": sound, "clips": np.stack([sound, sound[::-1]])}
    kept = {name: value.copy() for name, value in inputs.items()}
    ro = {name: frozen(value) for name, value in inputs.items()}  # read-only arrays must be accepted too

    network = Network.from_sizes([2, 3, 1], rng=seed)
    network.forward(ro["X"])
    network.predict(ro["X"])
    network.loss(ro["X"], ro["y"], "binary_cross_entropy")
    network.loss_and_gradients(ro["X"], ro["y"], "binary_cross_entropy")
    network.backward(frozen(np.ones((len(X), 1))))
    fit(network, ro["X"], ro["y"], epochs=2, batch_size=2, rng=seed, validation_data=(ro["X"], ro["y"]), progress=False)
    Dense.from_weights(frozen(np.ones((2, 2))), frozen(np.zeros(2))).forward(ro["X"])
    for loss in LOSSES.values():
        targets = ro["y"] if loss.name != "softmax_cross_entropy" else frozen(np.zeros((len(X), 2)))
        loss(ro["X"][:, :1] if loss.name != "softmax_cross_entropy" else ro["X"], targets)
    softmax(ro["X"])
    for activation in ACTIVATIONS.values():
        activation(ro["X"])
        activation.slope(ro["X"])
    standardize(ro["X"], ro["X"])
    one_hot(ro["y"])
    train_test_split(ro["X"], ro["y"], seed=seed)
    frames(ro["sound"], 256)
    spectrogram(ro["sound"], 256)
    log_mel(ro["clips"])
    clip_features(ro["clips"])
    resample(ro["sound"], 16000, 8000)
    wav_bytes(ro["sound"])
    gradients = {"W": frozen(np.ones(2))}
    gradient_check(lambda: 0.0, {"W": np.ones(2)}, gradients)

    for name, value in inputs.items():
        np.testing.assert_array_equal(value, kept[name], err_msg=f"{name} was changed")


@settings(max_examples=25, deadline=None)
@given(X=data, noise=data, seed=st.integers(0, 1000))
def test_gradients_do_not_depend_on_what_happens_to_x_after_forward(X, noise, seed):
    n = min(len(X), len(noise))
    X, noise = X[:n].copy(), noise[:n]
    grad_output = np.random.default_rng(seed).standard_normal((n, 1))

    def gradients(change_x):
        network = Network.from_sizes([2, 3, 1], rng=seed)
        layer = Dense(2, 3, "tanh", rng=seed)
        inputs = X.copy()
        network.forward(inputs)
        layer.forward(inputs)
        if change_x:
            inputs[...] = noise  # the caller reuses its array for something else
        network.backward(grad_output)
        layer.backward(np.ones((n, 3)))
        return [g.copy() for _, g in network.parameters()] + [layer.grad_weights.copy(), layer.grad_bias.copy()]

    for kept, changed in zip(gradients(False), gradients(True), strict=True):
        np.testing.assert_array_equal(kept, changed)
