"""Property-based tests (hypothesis): whatever the numbers, activations and losses stay finite and
silent up to ±1e4, and backward passes agree with finite differences."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nblib.activations import ACTIVATIONS
from nblib.gradcheck import check_network_gradients
from nblib.losses import get_loss, log_softmax, softmax
from nblib.network import Network

BIG = 1e4
values = st.floats(min_value=-BIG, max_value=BIG, allow_nan=False, allow_infinity=False)
batches = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 5)), elements=values)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 20), elements=values))
def test_activations_and_their_slopes_stay_finite_and_silent(z):
    with np.errstate(all="raise"):
        for activation in ACTIVATIONS.values():
            assert np.isfinite(activation(z)).all() and np.isfinite(activation.slope(z)).all()
        s = ACTIVATIONS["sigmoid"](z)
        assert ((0 <= s) & (s <= 1)).all()
        t = ACTIVATIONS["tanh"](z)
        assert ((-1 <= t) & (t <= 1)).all()


@settings(max_examples=60, deadline=None)
@given(batches)
def test_softmax_is_a_probability_and_log_softmax_finite(z):
    with np.errstate(all="raise"):
        p = softmax(z)
        log_p = log_softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert (p >= 0).all() and np.isfinite(log_p).all() and (log_p <= 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(batches, st.data())
def test_cross_entropies_are_finite_non_negative_and_their_gradients_finite(z, data):
    labels = data.draw(arrays(np.int64, z.shape[0], elements=st.integers(0, z.shape[1] - 1)))
    targets = data.draw(arrays(np.float64, (z.shape[0], 1), elements=st.sampled_from([0.0, 1.0])))
    with np.errstate(all="raise"):
        for loss, values, wanted in (("softmax_cross_entropy", z, labels), ("binary_cross_entropy", z[:, :1], targets)):
            value, gradient = get_loss(loss)(values, wanted)
            assert np.isfinite(value) and value >= 0 and np.isfinite(gradient).all()


SMOOTH = ["linear", "sigmoid", "tanh", "arctan"]


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    activation=st.sampled_from(SMOOTH),
    loss=st.sampled_from(["mse", "binary_cross_entropy", "softmax_cross_entropy"]),
    seed=st.integers(0, 2**16),
)
def test_backward_passes_agree_with_finite_differences(sizes, activation, loss, seed):
    rng = np.random.default_rng(seed)
    n_outputs = {"binary_cross_entropy": 1, "softmax_cross_entropy": 3, "mse": 2}[loss]
    output_activation = {"binary_cross_entropy": "sigmoid", "softmax_cross_entropy": "linear", "mse": "tanh"}[loss]
    network = Network.from_sizes([3, *sizes, n_outputs], activation=activation, output_activation=output_activation, rng=rng)
    for layer in network.layers:
        layer.bias = rng.normal(size=layer.n_outputs)
    X = rng.normal(size=(6, 3))
    y = {"binary_cross_entropy": rng.integers(0, 2, 6), "softmax_cross_entropy": rng.integers(0, 3, 6),
         "mse": rng.normal(size=(6, 2))}[loss]
    report = check_network_gradients(network, X, y, loss)
    assert report.passed, str(report)
