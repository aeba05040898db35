"""nblib.activations: values, derivatives against finite differences, extremes, the registry."""

import numpy as np
import pytest

from nblib.activations import ACTIVATIONS, LEAKY_SLOPE, Activation, get_activation

NAMES = list(ACTIVATIONS)
KINKED = {"binary_step", "relu", "leaky_relu"}  # no derivative at z = 0


def sample_points():
    """Many points from the centre to the far tails, both signs, none within 1e-3 of 0."""
    middle = np.linspace(-12, 12, 961)
    middle = middle[np.abs(middle) > 1e-3]
    tails = np.array([20.0, 50.0, 100.0, 1e3, 1e4])
    return np.concatenate([middle, tails, -tails])


def central_difference(f, z):
    h = 1e-6 * np.maximum(1.0, np.abs(z))
    return (f(z + h) - f(z - h)) / (2 * h)


def test_the_seven_activations_of_the_book_in_order():
    assert NAMES == ["linear", "binary_step", "sigmoid", "tanh", "arctan", "relu", "leaky_relu"]
    for name, activation in ACTIVATIONS.items():
        assert activation.name == name
        assert activation.label and activation.formula and activation.output_range


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name):
    activation = ACTIVATIONS[name]
    z = sample_points()
    numerical = central_difference(activation.function, z)
    analytic = activation.derivative(z)
    np.testing.assert_allclose(analytic, numerical, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", sorted(KINKED))
def test_kinked_derivatives_at_zero_follow_the_stated_convention(name):
    expected = {"binary_step": 0.0, "relu": 0.0, "leaky_relu": LEAKY_SLOPE}[name]
    assert ACTIVATIONS[name].slope(0.0) == expected


def test_known_values():
    z = np.array([-2.0, 0.0, 2.0])
    np.testing.assert_allclose(get_activation("linear")(z), z)
    np.testing.assert_array_equal(get_activation("binary_step")(z), [0, 1, 1])
    np.testing.assert_allclose(get_activation("sigmoid")(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(get_activation("tanh")(z), np.tanh(z))
    np.testing.assert_allclose(get_activation("arctan")(z), np.arctan(z))
    np.testing.assert_array_equal(get_activation("relu")(z), [0, 0, 2])
    np.testing.assert_allclose(get_activation("leaky_relu")(z), [-2 * LEAKY_SLOPE, 0, 2])


def test_limits_of_the_bounded_activations():
    big = np.array([-1e4, 1e4])
    np.testing.assert_allclose(get_activation("sigmoid")(big), [0, 1], atol=1e-300)
    np.testing.assert_allclose(get_activation("tanh")(big), [-1, 1])
    np.testing.assert_allclose(get_activation("arctan")(big), [-np.pi / 2, np.pi / 2], rtol=1e-4)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_inputs_stay_finite_without_warnings(name, dtype):
    largest = np.finfo(dtype).max / 10
    z = np.array([-1e4, -1e3, -90.0, -40.0, 40.0, 90.0, 1e3, 1e4, -largest, largest, 1e-30], dtype=dtype)
    activation = ACTIVATIONS[name]
    with np.errstate(all="raise"):
        values, slopes = activation(z), activation.slope(z)
    assert np.isfinite(values).all() and np.isfinite(slopes).all()


@pytest.mark.parametrize("name", NAMES)
def test_threshold_separates_negative_from_positive_z(name):
    activation = ACTIVATIONS[name]
    negative, positive = -np.logspace(-2, 3, 50), np.logspace(-2, 3, 50)
    assert (activation(positive) > activation.threshold).all()
    assert (activation(negative) <= activation.threshold).all()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (2, 3, 4)])
def test_shape_is_kept(name, shape, rng):
    z = rng.normal(size=shape)
    assert np.shape(ACTIVATIONS[name](z)) == shape
    assert np.shape(ACTIVATIONS[name].slope(z)) == shape


@pytest.mark.parametrize("name", NAMES)
def test_float32_stays_float32_and_ints_become_floats(name):
    activation = ACTIVATIONS[name]
    assert activation(np.ones(3, dtype=np.float32)).dtype == np.float32
    assert activation.slope(np.ones(3, dtype=np.float32)).dtype == np.float32
    assert activation([1, -2, 3]).dtype == np.float64


def test_inputs_are_not_changed(rng):
    z = rng.normal(size=10)
    before = z.copy()
    for activation in ACTIVATIONS.values():
        out = activation(z)
        out[...] = 7.0
        activation.slope(z)
    np.testing.assert_array_equal(z, before)


def test_get_activation_accepts_names_as_people_write_them():
    assert get_activation("Leaky ReLU") is ACTIVATIONS["leaky_relu"]
    assert get_activation("binary-step") is ACTIVATIONS["binary_step"]
    assert get_activation(" TANH ") is ACTIVATIONS["tanh"]
    sigmoid = ACTIVATIONS["sigmoid"]
    assert get_activation(sigmoid) is sigmoid


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError) as error:
        get_activation("softplus")
    message = str(error.value)
    assert "'softplus'" in message and "activation" in message
    for name in NAMES:
        assert name in message


def test_activation_must_be_a_name():
    with pytest.raises(TypeError, match="activation should be the name"):
        get_activation(3)


@pytest.mark.parametrize("bad", ["abc", ["a", "b"], None, {"z": 1}])
def test_non_numbers_are_refused_with_the_argument_named(bad):
    with pytest.raises(TypeError, match="z should"):
        ACTIVATIONS["sigmoid"](bad)


def test_repr_is_short_and_stable():
    assert repr(ACTIVATIONS["relu"]) == "Activation('relu')"
    assert isinstance(ACTIVATIONS["relu"], Activation)
