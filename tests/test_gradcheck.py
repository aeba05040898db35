"""nblib.gradcheck: it accepts right gradients, catches wrong ones, and says which."""

import numpy as np
import pytest

from nblib.gradcheck import gradient_check, numerical_gradient, relative_error


def test_numerical_gradient_of_a_known_function_and_parameters_restored():
    w = np.array([1.0, -2.0, 3.0])
    gradient = numerical_gradient(lambda: float(np.sum(w**2)), w)
    np.testing.assert_allclose(gradient, 2 * w, rtol=1e-8)
    np.testing.assert_array_equal(w, [1.0, -2.0, 3.0])


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0
    assert relative_error([0.0], [0.0]) == 0
    assert relative_error([1.0], [0.0]) == 1
    assert relative_error([1.0], [1.0 + 1e-9]) < 1e-9


def quadratic_problem():
    W = np.array([[1.0, -0.5], [0.3, 2.0]])
    b = np.array([0.1, -0.2])
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, 0.3]])

    def loss_of():
        return float(np.sum((X @ W + b) ** 2))

    residual = X @ W + b
    return loss_of, W, b, X, 2 * X.T @ residual, 2 * residual.sum(axis=0)


def test_right_gradients_pass_with_a_readable_report():
    loss_of, W, b, X, dW, db = quadratic_problem()
    report = gradient_check(loss_of, {"W": W, "b": b}, {"W": dW, "b": db})
    assert report.passed
    text = str(report)
    assert "✔ W  agrees with finite differences" in text
    assert text.splitlines()[-1].startswith("All 2 gradients agree")
    assert repr(report) == "GradientReport(passed=True)"


def test_a_wrong_gradient_is_named():
    loss_of, W, b, X, dW, db = quadratic_problem()
    report = gradient_check(loss_of, {"W": W, "b": b}, {"W": dW.T, "b": db})
    assert not report.passed
    assert report.errors["b"] < 1e-6 and report.errors["W"] > 0.01
    assert "✘ W  differs: relative error" in str(report)
    assert "1 of 2 gradients is wrong" in str(report)


def test_missing_or_misshapen_gradients_are_problems_not_crashes():
    loss_of, W, b, X, dW, db = quadratic_problem()
    report = gradient_check(loss_of, {"W": W, "b": b}, {"W": dW[:1]})
    assert not report.passed
    assert "gradient has shape (1, 2), the parameter (2, 2)" in str(report)
    assert "no gradient was given" in str(report)


def test_tolerance_is_respected():
    loss_of, W, b, X, dW, db = quadratic_problem()
    slightly_off = dW * (1 + 1e-4)
    assert not gradient_check(loss_of, {"W": W}, {"W": slightly_off}).passed
    assert gradient_check(loss_of, {"W": W}, {"W": slightly_off}, tolerance=1e-3).passed


def test_non_numeric_gradient_is_refused():
    loss_of, W, b, X, dW, db = quadratic_problem()
    with pytest.raises(TypeError, match=r"gradients\['W'\] should hold numbers"):
        gradient_check(loss_of, {"W": W}, {"W": "dW"})
