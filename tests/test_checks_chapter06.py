"""The exercise checks of chapter 6 accept right answers and explain typical wrong ones."""

import numpy as np
import pytest

from nblib.activations import get_activation
from nblib.checks.chapter06 import check_dense_backward, check_n_loss_evaluations, check_sigmoid_bce_delta
from check_helpers import fails_with, not_written_yet, not_answered

SHAPES = "Each gradient has the shape of what it belongs to"


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# sigmoid_bce_delta


def test_sigmoid_bce_delta_right_answer_passes(capsys):
    check_sigmoid_bce_delta(lambda z, t: (sigmoid(z) - t) / len(z))
    assert capsys.readouterr().out.startswith("✔ Right: sigmoid_bce_delta")


def test_sigmoid_bce_delta_with_nblib_sigmoid_and_size_passes(capsys):
    check_sigmoid_bce_delta(lambda z, t: (get_activation("sigmoid")(z) - np.asarray(t)) / np.size(z))
    assert "✔ Right" in capsys.readouterr().out


@pytest.mark.parametrize("answer, fragment", [
    (lambda z, t: sigmoid(z) - t, "without the 1/n"),
    (lambda z, t: (t - sigmoid(z)) / len(z), "sign is flipped"),
    (lambda z, t: sigmoid(z) * (1 - sigmoid(z)) * (sigmoid(z) - t) / len(z), "extra factor σ′(z)"),
    (lambda z, t: (z - t) / len(z), "pass it through the sigmoid first"),
    (lambda z, t: (sigmoid(z) - t) / len(z) ** 2, "divided by n twice"),
])
def test_sigmoid_bce_delta_typical_mistakes(answer, fragment):
    fails_with(check_sigmoid_bce_delta, answer, "t = [1., 0., 0., 1.]",
               "is wrong.", fragment)


def test_sigmoid_bce_delta_returning_one_number():
    fails_with(check_sigmoid_bce_delta, lambda z, t: np.mean(sigmoid(z) - t), "returned an array of shape ()",
               "one δ per sample")


def test_sigmoid_bce_delta_other_wrong_values_name_the_index():
    fails_with(check_sigmoid_bce_delta, lambda z, t: (sigmoid(z) - t) / len(z) + 0.01 * (z > 1),
               "is wrong at index (2,)", "finite differences")


def test_sigmoid_bce_delta_without_return():
    def sigmoid_bce_delta(z, t):
        (sigmoid(z) - t) / len(z)

    fails_with(check_sigmoid_bce_delta, sigmoid_bce_delta, "returned None", "return")


def test_sigmoid_bce_delta_not_written_yet():
    not_answered(check_sigmoid_bce_delta, not_written_yet, "sigmoid_bce_delta is not written yet")


def test_sigmoid_bce_delta_none():
    fails_with(check_sigmoid_bce_delta, None, "sigmoid_bce_delta should be a function")


# dense_backward


def f_and_slope(name):
    if name == "tanh":
        return np.tanh, lambda z: 1 - np.tanh(z) ** 2
    return sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))


def backward(dW=None, db=None, dX=None, delta=None):
    """A dense_backward whose parts can be replaced one at a time by wrong versions."""
    def dense_backward(X, W, b, grad_output, activation_name):
        f, slope = f_and_slope(activation_name)
        Z = X @ W + b
        d = delta(grad_output, Z, f, slope) if delta else grad_output * slope(Z)
        return (dW(X, W, d) if dW else X.T @ d,
                db(d) if db else d.sum(axis=0),
                dX(X, W, d) if dX else d @ W.T)
    return dense_backward


def square(W):
    return W.shape[0] == W.shape[1]


def test_dense_backward_right_answer_passes(capsys):
    check_dense_backward(backward())
    assert capsys.readouterr().out.startswith("✔ Right: dense_backward")


def test_dense_backward_with_nblib_layer_passes(capsys):
    from nblib.layers import Dense

    def dense_backward(X, W, b, grad_output, activation_name):
        layer = Dense.from_weights(W, b, activation_name)
        layer.forward(X)
        dX = layer.backward(grad_output)
        return layer.grad_weights, layer.grad_bias, dX

    check_dense_backward(dense_backward)
    assert "✔ Right" in capsys.readouterr().out


def test_dense_backward_returning_a_list_passes(capsys):
    right = backward()
    check_dense_backward(lambda *args: list(right(*args)))
    assert "✔ Right" in capsys.readouterr().out


def test_dense_backward_forgetting_f_prime():
    message = fails_with(check_dense_backward, backward(delta=lambda G, Z, f, slope: G),
                         "the gradient check (finite differences) says", "✘ dW", "dW is wrong", "f′(Z) is missing")
    assert "✘ db" in message and "✘ dX" in message


def test_dense_backward_taking_f_prime_at_the_output():
    fails_with(check_dense_backward, backward(delta=lambda G, Z, f, slope: G * slope(f(Z))),
               "dW is wrong", "f′ is taken at the output A")


def test_dense_backward_with_transposed_dW():
    message = fails_with(check_dense_backward, backward(dW=lambda X, W, d: d.T @ X),
                         "gradient has shape (2, 3), the parameter (3, 2)", "dW is wrong", "It is transposed")
    assert "✔ db" in message and "✔ dX" in message


def test_dense_backward_with_transposed_square_dW():
    def dW(X, W, d):
        return d.T @ X if square(W) else X.T @ d

    fails_with(check_dense_backward, backward(dW=dW), "W of shape (3, 3)", "relative error", "It is transposed")


def test_dense_backward_dividing_dW_by_n():
    fails_with(check_dense_backward, backward(dW=lambda X, W, d: X.T @ d / len(X)),
               "dW is wrong", "divided by the number of samples")


def test_dense_backward_with_db_not_summed():
    fails_with(check_dense_backward, backward(db=lambda d: d), "✘ db", "gradient has shape (4, 2)",
               "It has one row per sample")


def test_dense_backward_with_db_as_a_mean():
    message = fails_with(check_dense_backward, backward(db=lambda d: d.mean(axis=0)),
                         "db is wrong", "mean of δ over the samples")
    assert "✔ dW" in message and "✘ db" in message


def test_dense_backward_summing_db_over_the_neurons_on_square_shapes():
    def db(d):
        return d.sum(axis=1) if d.shape[0] == d.shape[1] else d.sum(axis=0)

    fails_with(check_dense_backward, backward(db=db), "X of shape (3, 3)", "sums δ over the neurons")


def test_dense_backward_summing_db_over_everything():
    fails_with(check_dense_backward, backward(db=lambda d: d.sum()), "db has shape ()",
               "should have the shape (2,)", SHAPES)


def test_dense_backward_with_untransposed_weights_raises_and_gets_a_hint():
    fails_with(check_dense_backward, backward(dX=lambda X, W, d: d @ W), "raised ValueError", SHAPES)


def test_dense_backward_with_untransposed_square_weights_is_explained():
    def dX(X, W, d):
        return d @ W if square(W) else d @ W.T

    message = fails_with(check_dense_backward, backward(dX=dX), "W of shape (3, 3)", "dX is wrong",
                         "needs W transposed")
    assert "✔ dW" in message and "✘ dX" in message


def test_dense_backward_other_wrong_dX_names_the_index():
    fails_with(check_dense_backward, backward(dX=lambda X, W, d: 2 * d @ W.T),
               "The dX returned by", "is wrong at index (0, 0)")


def test_dense_backward_returning_two_things():
    right = backward()
    fails_with(check_dense_backward, lambda *args: right(*args)[:2], "should return three gradients")


def test_dense_backward_with_a_missing_gradient():
    right = backward()
    fails_with(check_dense_backward, lambda *args: (*right(*args)[:2], None), "returned None for dX")


def test_dense_backward_does_not_trust_inputs_it_changed():
    def dense_backward(X, W, b, grad_output, activation_name):
        result = backward()(X, W, b, grad_output, activation_name)
        W *= 0  # spoiling the caller's array must not spoil the check
        return result

    check_dense_backward(dense_backward)


def test_dense_backward_not_written_yet():
    not_answered(check_dense_backward, not_written_yet, "dense_backward is not written yet")


def test_dense_backward_none():
    fails_with(check_dense_backward, None, "dense_backward should be a function")


# n_loss_evaluations


@pytest.mark.parametrize("answer", [278, 278.0, np.int64(278)])
def test_n_loss_evaluations_right_answer_passes(answer, capsys):
    check_n_loss_evaluations(answer)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right:") and "139 parameters" in out and "278" in out


@pytest.mark.parametrize("answer, fragment", [
    (139, "That is the number of parameters"),
    (240, "counted the weights only:"),
    (120, "counted the weights only, and once each"),
    (279, "does not compute the loss at the starting point"),
    (2, "Every weight and every bias needs its own"),
    (300, "Count the parameters"),
])
def test_n_loss_evaluations_typical_mistakes(answer, fragment):
    fails_with(check_n_loss_evaluations, answer, f"n_loss_evaluations is {answer},", fragment)


@pytest.mark.parametrize("answer", ["278", 278.5, True, float("nan"), [278]])
def test_n_loss_evaluations_not_a_whole_number(answer):
    fails_with(check_n_loss_evaluations, answer, "should be a whole number")


def test_n_loss_evaluations_none():
    not_answered(check_n_loss_evaluations, None, "n_loss_evaluations is still None")
