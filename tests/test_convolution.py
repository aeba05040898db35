"""nblib.convolution: Conv1D, MaxPool1D, GlobalPool1D and Flatten against loop references,
finite differences, shapes, errors and save/restore of their state."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nblib.activations import ACTIVATIONS
from nblib.convolution import Conv1D, Flatten, GlobalPool1D, MaxPool1D
from nblib.gradcheck import check_network_gradients, gradient_check
from nblib.layers import Dense, Dropout
from nblib.network import Network
from nblib.training import fit

SMOOTH = [name for name in ACTIVATIONS if name != "binary_step"]


def conv_by_loops(X, weights, bias):
    """Z[i, t, f] = Σ_j Σ_c X[i, t + j − before, c] · weights[j, c, f] + bias[f], frame by frame, with zeros outside X."""
    n_samples, n_frames, n_channels = X.shape
    kernel_size, _, n_filters = weights.shape
    before = (kernel_size - 1) // 2
    Z = np.zeros((n_samples, n_frames, n_filters))
    for i in range(n_samples):
        for t in range(n_frames):
            for f in range(n_filters):
                total = bias[f]
                for j in range(kernel_size):
                    frame = t + j - before
                    if 0 <= frame < n_frames:
                        total += sum(X[i, frame, c] * weights[j, c, f] for c in range(n_channels))
                Z[i, t, f] = total
    return Z


def random_conv(n_channels, n_filters, kernel_size, activation, rng):
    layer = Conv1D(n_channels, n_filters, kernel_size, activation, rng=rng)
    layer.bias = rng.normal(size=n_filters)
    return layer


@settings(max_examples=40, deadline=None)
@given(n_samples=st.integers(1, 3), n_frames=st.integers(1, 9), n_channels=st.integers(1, 4),
       n_filters=st.integers(1, 4), kernel_size=st.integers(1, 7), seed=st.integers(0, 2**16))
def test_conv1d_matches_the_loop_definition_for_any_shape(n_samples, n_frames, n_channels, n_filters, kernel_size, seed):
    rng = np.random.default_rng(seed)
    layer = random_conv(n_channels, n_filters, kernel_size, "linear", rng)
    X = rng.normal(size=(n_samples, n_frames, n_channels))
    output = layer.forward(X)
    assert output.shape == (n_samples, n_frames, n_filters) == (n_samples, *layer.output_shape((n_frames, n_channels)))
    np.testing.assert_allclose(output, conv_by_loops(X, layer.weights, layer.bias), atol=1e-12)


def test_conv1d_is_a_dense_layer_applied_to_every_window(rng):
    layer = random_conv(3, 5, 4, "tanh", rng)
    dense = Dense.from_weights(layer.weights.reshape(4 * 3, 5), layer.bias, "tanh")
    X = rng.normal(size=(2, 10, 3))
    before, after = layer.padding
    padded = np.concatenate([np.zeros((2, before, 3)), X, np.zeros((2, after, 3))], axis=1)
    output = layer.forward(X)
    for t in range(10):
        window = padded[:, t:t + 4].reshape(2, -1)  # 4 frames of 3 channels, frame after frame
        np.testing.assert_allclose(output[:, t], dense.forward(window), atol=1e-12)


def test_a_kernel_finds_its_pattern_wherever_it_is(rng):
    pattern = rng.normal(size=(3, 2))
    layer = Conv1D.from_weights(pattern[:, :, None], np.zeros(1))
    for start in (0, 4, 9):
        X = np.zeros((1, 12, 2))
        X[0, start:start + 3] = pattern
        response = layer.forward(X)[0, :, 0]
        assert response.argmax() == start + 1  # centred on the pattern's middle frame ('same' padding)
        assert response.max() == pytest.approx(np.sum(pattern ** 2))


@settings(max_examples=25, deadline=None)
@given(shift=st.integers(-3, 3), seed=st.integers(0, 2**16))
def test_shifting_the_input_shifts_the_output_and_global_max_does_not_move(shift, seed):
    rng = np.random.default_rng(seed)
    layer = random_conv(2, 3, 3, "relu", rng)
    X = np.zeros((1, 20, 2))
    X[:, 7:13] = rng.normal(size=(1, 6, 2))  # silence around the sound, like a padded word
    shifted = np.roll(X, shift, axis=1)
    out, out_shifted = layer.forward(X), layer.forward(shifted)
    np.testing.assert_allclose(np.roll(out, shift, axis=1), out_shifted, atol=1e-12)
    pool = GlobalPool1D("max")
    np.testing.assert_allclose(pool.forward(out), pool.forward(out_shifted), atol=1e-12)


@pytest.mark.parametrize("activation", SMOOTH)
@pytest.mark.parametrize("kernel_size", [1, 2, 3, 4, 5])
def test_conv1d_backward_agrees_with_finite_differences(activation, kernel_size, rng):
    layer = random_conv(3, 4, kernel_size, activation, rng)
    X = rng.normal(size=(2, 6, 3))
    upstream = rng.normal(size=(2, 6, 4))  # L = Σ upstream · output, so dL/doutput = upstream

    def loss_of():
        return float(np.sum(upstream * layer.forward(X)))

    layer.forward(X)
    grad_X = layer.backward(upstream)
    report = gradient_check(loss_of, {"W": layer.weights, "b": layer.bias, "X": X},
                            {"W": layer.grad_weights, "b": layer.grad_bias, "X": grad_X})
    assert report.passed, str(report)


def test_conv1d_without_input_gradient_still_sets_the_parameter_gradients(rng):
    layer = random_conv(2, 3, 3, "tanh", rng)
    X, upstream = rng.normal(size=(4, 5, 2)), rng.normal(size=(4, 5, 3))
    layer.forward(X)
    full = layer.backward(upstream)
    grad_weights = layer.grad_weights.copy()
    layer.forward(X)
    assert layer.backward(upstream, input_gradient=False) is None
    np.testing.assert_allclose(layer.grad_weights, grad_weights)
    assert full.shape == X.shape
    assert [array is layer.weights for array, _ in layer.parameters()] == [True, False]
    assert layer.parameters()[0][1] is layer.grad_weights and layer.parameters()[1][1] is layer.grad_bias


@pytest.mark.parametrize("layer", [MaxPool1D(2), MaxPool1D(3), GlobalPool1D("max"), GlobalPool1D("average"), Flatten()],
                         ids=repr)
def test_pooling_and_flatten_backward_agree_with_finite_differences(layer, rng):
    X = rng.normal(size=(3, 7, 4))  # 7 frames: pooling by 2 or 3 leaves frames over, which get no gradient
    upstream = rng.normal(size=layer.forward(X).shape)

    def loss_of():
        return float(np.sum(upstream * layer.forward(X)))

    layer.forward(X)
    grad_X = layer.backward(upstream)
    report = gradient_check(loss_of, {"X": X}, {"X": grad_X})
    assert report.passed, str(report)
    assert layer.parameters() == [] and layer.n_parameters == 0
    assert layer.backward(upstream, input_gradient=False) is None


def test_pooling_keeps_the_largest_or_the_average_value():
    X = np.array([[[1.0, -1], [3, -2], [2, 5], [0, 4], [9, 9]]])  # 5 frames, 2 channels
    np.testing.assert_array_equal(MaxPool1D(2).forward(X), [[[3, -1], [2, 5]]])  # the 5th frame is left over
    np.testing.assert_array_equal(GlobalPool1D("max").forward(X), [[9, 9]])
    np.testing.assert_allclose(GlobalPool1D("average").forward(X), [[3, 3]])
    np.testing.assert_array_equal(Flatten().forward(X), [[1, -1, 3, -2, 2, 5, 0, 4, 9, 9]])


@settings(max_examples=40, deadline=None)
@given(n_samples=st.integers(1, 3), n_frames=st.integers(1, 12), n_channels=st.integers(1, 5),
       pool_size=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_every_layer_output_has_the_shape_output_shape_promises(n_samples, n_frames, n_channels, pool_size, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_frames, n_channels))
    layers = [Conv1D(n_channels, 2, 3, rng=rng), GlobalPool1D("max"), GlobalPool1D("average"), Flatten()]
    if n_frames >= pool_size:
        layers.append(MaxPool1D(pool_size))
    for layer in layers:
        output = layer.forward(X)
        assert output.shape == (n_samples, *layer.output_shape((n_frames, n_channels)))
        assert layer.backward(np.ones_like(output)).shape == X.shape


def test_max_pool_by_loops(rng):
    X = rng.normal(size=(2, 9, 3))
    expected = np.array([[[max(X[i, 2 * t, c], X[i, 2 * t + 1, c]) for c in range(3)] for t in range(4)] for i in range(2)])
    np.testing.assert_array_equal(MaxPool1D(2).forward(X), expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float32_layers_compute_in_float32(dtype, rng):
    layer = Conv1D(4, 3, 5, rng=rng, dtype=dtype)
    X = rng.normal(size=(2, 8, 4)).astype(dtype)
    output = layer.forward(X)
    grad_X = layer.backward(np.ones_like(output))
    assert output.dtype == grad_X.dtype == layer.grad_weights.dtype == layer.grad_bias.dtype == dtype
    for pool in (MaxPool1D(2), GlobalPool1D("max"), GlobalPool1D("average"), Flatten()):
        out = pool.forward(X)
        assert out.dtype == pool.backward(np.ones_like(out)).dtype == dtype


def test_weights_come_from_the_rng_and_parameters_are_counted():
    a, b = Conv1D(40, 32, 5, rng=3), Conv1D(40, 32, 5, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a.weights, b.weights)
    assert a.weights.shape == (5, 40, 32) and a.n_parameters == 5 * 40 * 32 + 32
    assert a.weights.std() == pytest.approx(np.sqrt(2 / (5 * 40)), rel=0.05)  # He scale for ReLU, fan-in k · C


@pytest.mark.parametrize("layer", [Conv1D(3, 4, 5, "tanh", rng=0), MaxPool1D(3), GlobalPool1D("average"),
                                   GlobalPool1D("max"), Flatten()], ids=repr)
def test_config_and_state_rebuild_the_same_layer(layer, rng):
    config = json.loads(json.dumps(layer.config()))  # plain settings only
    rebuilt = type(layer).from_state(config, {name: array.copy() for name, array in layer.state().items()})
    X = rng.normal(size=(2, 9, 3))
    np.testing.assert_array_equal(rebuilt.forward(X), layer.forward(X))
    assert repr(rebuilt) == repr(layer) and rebuilt.n_parameters == layer.n_parameters


def test_from_state_rejects_arrays_that_do_not_fit_the_settings():
    layer = Conv1D(3, 4, 5, rng=0)
    config = dict(layer.config(), kernel_size=3)
    with pytest.raises(ValueError, match="do not match"):
        Conv1D.from_state(config, layer.state())


@pytest.mark.parametrize("make, message", [
    (lambda: Conv1D(0, 4, 3, rng=0), "n_channels"),
    (lambda: Conv1D(3, 4, 2.5, rng=0), "kernel_size"),
    (lambda: Conv1D(3, 4, 3, "wobbly", rng=0), "wobbly"),
    (lambda: Conv1D(3, 4, 3), "rng"),
    (lambda: MaxPool1D(0), "pool_size"),
    (lambda: GlobalPool1D("median"), "kind"),
    (lambda: Conv1D.from_weights(np.ones((3, 4)), np.ones(4)), "3-D"),
    (lambda: Conv1D.from_weights(np.ones((3, 4, 2)), np.ones(3)), "one per filter"),
])
def test_bad_settings_are_explained(make, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make()


def test_bad_input_is_explained(rng):
    layer = Conv1D(40, 8, 5, rng=rng)
    with pytest.raises(ValueError, match=r"40 channel.*mel bands"):
        layer.forward(rng.normal(size=(2, 51, 20)))
    with pytest.raises(ValueError, match=r"X\[np.newaxis\]"):
        layer.forward(rng.normal(size=(51, 40)))
    with pytest.raises(TypeError, match="float numpy array"):
        layer.forward([[[1.0] * 40]])
    with pytest.raises(ValueError, match="Conv1D.*channel"):
        layer.output_shape((51, 20))
    with pytest.raises(ValueError, match=r"\(n_frames, n_channels\)"):
        Flatten().output_shape((2040,))
    with pytest.raises(ValueError, match="at least 4 frames"):
        MaxPool1D(4).forward(rng.normal(size=(1, 3, 2)))
    with pytest.raises(RuntimeError, match="forward pass first"):
        Conv1D(2, 2, 3, rng=rng).backward(np.ones((1, 4, 2)))
    layer.forward(rng.normal(size=(2, 51, 40)))
    with pytest.raises(ValueError, match="shape of the layer's last output"):
        layer.backward(np.ones((2, 50, 8)))


def conv_network(rng, dtype=np.float64):
    layers = [Conv1D(4, 3, 3, "tanh", rng=rng, dtype=dtype), MaxPool1D(2), Conv1D(3, 5, 3, "relu", rng=rng, dtype=dtype),
              GlobalPool1D("average"), Dropout(0.2, rng=rng), Dense(5, 3, "linear", rng=rng, dtype=dtype)]
    for layer in layers:
        if layer.parameters():
            layer.bias += rng.normal(size=layer.bias.shape) * 0.3
    return Network(layers, input_shape=(8, 4))


def test_a_network_of_convolution_layers_has_the_right_shapes_and_gradients(rng):
    network = conv_network(rng)
    assert network.shapes == [(8, 3), (4, 3), (4, 5), (5,), (5,), (3,)]
    assert network.n_parameters == (3 * 4 * 3 + 3) + (3 * 3 * 5 + 5) + (5 * 3 + 3)
    assert "Conv1D(4 → 3 filters" in network.summary() and "(4, 5)" in network.summary()
    X, y = rng.normal(size=(6, 8, 4)), np.arange(6) % 3
    report = check_network_gradients(network, X, y, "softmax_cross_entropy")
    assert report.passed, str(report)
    flat = Network([Flatten(), Dense(32, 3, rng=rng)], input_shape=(8, 4))
    assert check_network_gradients(flat, X, y, "softmax_cross_entropy").passed


def test_a_network_that_does_not_fit_its_input_is_explained(rng):
    with pytest.raises(ValueError, match=r"layers\[0\].*Conv1D"):
        Network([Conv1D(40, 8, 5, rng=rng), GlobalPool1D(), Dense(8, 10, rng=rng)], input_shape=(51, 20))
    with pytest.raises(ValueError, match=r"layers\[2\]"):
        Network([Conv1D(40, 8, 5, rng=rng), GlobalPool1D(), Dense(9, 10, rng=rng)], input_shape=(51, 40))


def test_saved_convolutional_networks_load_and_answer_the_same(rng, tmp_path):
    network = conv_network(rng, np.float32)
    X, y = rng.normal(size=(12, 8, 4)).astype(np.float32), np.arange(12) % 3
    fit(network, X, y, loss="softmax_cross_entropy", learning_rate=0.05, epochs=3, batch_size=4, rng=0, progress=False)
    network.save(tmp_path / "conv.npz")
    loaded = Network.load(tmp_path / "conv.npz")
    assert [repr(layer) for layer in loaded.layers] == [repr(layer) for layer in network.layers]
    assert loaded.input_shape == (8, 4) and loaded.dtype == np.float32
    np.testing.assert_array_equal(loaded.forward(X), network.forward(X))
    with np.load(tmp_path / "conv.npz", allow_pickle=False) as saved:
        assert all(saved[key].dtype != object for key in saved.files)


def test_fit_trains_a_convolutional_network(rng):
    # Class 0: a rising edge somewhere in the sequence; class 1: a falling edge. Only a detector
    # that slides along time, whatever the position, tells them apart.
    n, n_frames = 120, 16
    y = np.arange(n) % 2
    X = np.zeros((n, n_frames, 1))
    for i, start in enumerate(rng.integers(2, n_frames - 2, n)):
        X[i, start:, 0] = 1.0 if y[i] == 0 else 0.0
        X[i, :start, 0] = 0.0 if y[i] == 0 else 1.0
    X += 0.05 * rng.normal(size=X.shape)
    network = Network([Conv1D(1, 4, 3, "relu", rng=rng), GlobalPool1D("max"), Dense(4, 2, rng=rng)], input_shape=(n_frames, 1))
    history = fit(network, X, y, loss="softmax_cross_entropy", learning_rate=0.2, epochs=60, batch_size=20, rng=0,
                  progress=False)
    assert history.loss[-1] < history.loss[0] / 3
    assert np.mean(network.predict(X) == y) > 0.95
