"""The exercise checks of chapter 8 accept right answers and explain typical wrong ones."""

import numpy as np
import pytest

from nblib.checks.chapter08 import check_count_parameters, check_deep_ones, check_gradient_norms
from nblib.network import Network
from check_helpers import fails_with, not_written_yet, not_answered


# count_parameters


def right_count_parameters(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:]))


def test_count_parameters_right_answer_passes(capsys):
    check_count_parameters(right_count_parameters)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right: count_parameters") and "105 for [2, 8, 8, 1]" in out


def test_count_parameters_by_building_the_network_passes(capsys):
    check_count_parameters(lambda sizes: Network.from_sizes(sizes, rng=0).n_parameters)
    assert "✔ Right" in capsys.readouterr().out


def test_count_parameters_returning_a_whole_float_passes(capsys):
    check_count_parameters(lambda sizes: float(right_count_parameters(sizes)))
    assert "✔ Right" in capsys.readouterr().out


def test_count_parameters_without_biases():
    fails_with(check_count_parameters, lambda s: sum(a * b for a, b in zip(s, s[1:])),
               "count_parameters([2, 1]) returned 2; expected 3", "only the weights", "bias")


def test_count_parameters_with_a_bias_for_the_inputs():
    fails_with(check_count_parameters, lambda s: sum(a * b for a, b in zip(s, s[1:])) + sum(s),
               "returned 5; expected 3", "input layer too", "no bias")


def test_count_parameters_with_one_bias_per_input():
    fails_with(check_count_parameters, lambda s: sum(a * b + a for a, b in zip(s, s[1:])),
               "returned 4; expected 3", "one bias per input")


def test_count_parameters_counting_neurons():
    fails_with(check_count_parameters, lambda s: sum(s[1:]), "returned 1; expected 3", "counts the neurons")


def test_count_parameters_of_the_first_layer_only():
    fails_with(check_count_parameters, lambda s: s[0] * s[1] + s[1],
               "count_parameters([2, 4, 1]) returned 12; expected 17", "only the first layer")


def test_count_parameters_multiplying_all_sizes():
    fails_with(check_count_parameters, lambda s: int(np.prod(s)) + 1,
               "count_parameters([2, 4, 1]) returned 9; expected 17", "for each pair of neighbouring layers")


def test_count_parameters_with_a_fraction():
    fails_with(check_count_parameters, lambda s: right_count_parameters(s) + 0.5, "returned 3.5", "whole number")


def test_count_parameters_returning_a_list():
    fails_with(check_count_parameters, lambda s: [a * b + b for a, b in zip(s, s[1:])],
               "count_parameters([2, 1]) returned [3]", "one whole number")


def test_count_parameters_without_return():
    fails_with(check_count_parameters, lambda s: None, "returned None", "`return` line")


def test_count_parameters_raising():
    fails_with(check_count_parameters, lambda s: s[2], "count_parameters([2, 1]) raised IndexError")


def test_count_parameters_not_written_yet():
    not_answered(check_count_parameters, not_written_yet, "count_parameters is not written yet")


def test_count_parameters_not_a_function():
    fails_with(check_count_parameters, 105, "should be a function")


# deep_ones


@pytest.mark.parametrize("answer", [["C", "D", "F"], ("f", "d", "c"), {"C", "D", "F"}, "C, D, F", "CDF", [" c ", "D", "F"]])
def test_deep_ones_right_answers_pass(answer, capsys):
    check_deep_ones(answer)
    assert capsys.readouterr().out.startswith("✔ Right: C, D and F are deep")


def test_deep_ones_with_the_wide_network():
    fails_with(check_deep_ones, ["B", "C", "D", "F"], "includes B", "wide, not deep", "layers, not neurons")


def test_deep_ones_counting_the_output_layer():
    fails_with(check_deep_ones, ["C", "D", "E", "F"], "includes E", "output layer is not hidden")


def test_deep_ones_with_the_single_neuron():
    fails_with(check_deep_ones, ["A", "C", "D", "F"], "includes A", "no hidden layer")


def test_deep_ones_missing_the_small_deep_network():
    fails_with(check_deep_ones, ["D", "F"], "misses C", "small, but deep", "More than one hidden layer")


def test_deep_ones_missing_the_large_one():
    fails_with(check_deep_ones, ["C", "F"], "misses D", "two hidden layers of 256")


def test_deep_ones_missing_the_narrow_one():
    fails_with(check_deep_ones, ["C", "D"], "misses F", "four hidden layers of two neurons")


def test_deep_ones_with_an_unknown_letter():
    fails_with(check_deep_ones, ["C", "D", "G"], "'G'", "A to F")


def test_deep_ones_with_numbers():
    fails_with(check_deep_ones, [3, 4, 6], "holds 3", "letters")


def test_deep_ones_not_a_collection():
    fails_with(check_deep_ones, 3, "list of letters")


def test_deep_ones_still_none():
    not_answered(check_deep_ones, None, "deep_ones is still None")


# gradient_norms


def right_gradient_norms(network, X, y):
    network.loss_and_gradients(X, y, "binary_cross_entropy")
    return np.array([np.mean(np.abs(layer.grad_weights)) for layer in network.layers])


def wrong(change):
    """A gradient_norms that runs the backward pass and then measures each layer with `change`."""
    def gradient_norms(network, X, y):
        network.loss_and_gradients(X, y, "binary_cross_entropy")
        return change(network)
    return gradient_norms


def test_gradient_norms_right_answer_passes(capsys):
    check_gradient_norms(right_gradient_norms)
    out = capsys.readouterr().out
    assert out.startswith("✔ Right: gradient_norms") and "0.00013, 0.00093, 0.0084, 0.11" in out


def test_gradient_norms_as_a_list_passes(capsys):
    check_gradient_norms(lambda network, X, y: list(right_gradient_norms(network, X, y)))
    assert "✔ Right" in capsys.readouterr().out


def test_gradient_norms_by_hand_passes(capsys):
    def gradient_norms(network, X, y):
        A, inputs, sums = X, [], []
        for layer in network.layers:
            inputs.append(A)
            sums.append(A @ layer.weights + layer.bias)
            A = layer.activation.function(sums[-1])
        delta = (A - y.reshape(-1, 1)) / len(X)
        sizes = []
        for index in reversed(range(len(network.layers))):
            layer = network.layers[index]
            sizes.append(np.mean(np.abs(inputs[index].T @ delta)))
            if index:
                before = network.layers[index - 1]
                delta = (delta @ layer.weights.T) * before.activation.derivative(sums[index - 1])
        return sizes[::-1]

    check_gradient_norms(gradient_norms)
    assert "✔ Right" in capsys.readouterr().out


def test_gradient_norms_without_a_backward_pass():
    fails_with(check_gradient_norms, lambda network, X, y: [np.mean(np.abs(l.grad_weights)) for l in network.layers],
               "only zeros", "loss_and_gradients")


def test_gradient_norms_output_first():
    fails_with(check_gradient_norms, wrong(lambda n: [np.mean(np.abs(l.grad_weights)) for l in n.layers][::-1]),
               "2-5-4-1 tanh network", "from the output back")


def test_gradient_norms_without_the_output_layer():
    fails_with(check_gradient_norms, wrong(lambda n: [np.mean(np.abs(l.grad_weights)) for l in n.layers[:-1]]),
               "leaves out the output layer")


def test_gradient_norms_with_the_biases():
    fails_with(check_gradient_norms, wrong(lambda n: [np.mean(np.abs(g)) for _, g in n.parameters()]),
               "two numbers per layer")


def test_gradient_norms_of_the_biases():
    fails_with(check_gradient_norms, wrong(lambda n: [np.mean(np.abs(l.grad_bias)) for l in n.layers]),
               "grad_bias")


def test_gradient_norms_without_abs():
    fails_with(check_gradient_norms, wrong(lambda n: [np.mean(l.grad_weights) for l in n.layers]),
               "with their signs", "np.abs")


def test_gradient_norms_summing():
    fails_with(check_gradient_norms, wrong(lambda n: [np.sum(np.abs(l.grad_weights)) for l in n.layers]),
               "adds the sizes up", "np.mean")


def test_gradient_norms_as_lengths():
    fails_with(check_gradient_norms, wrong(lambda n: [np.linalg.norm(l.grad_weights) for l in n.layers]),
               "length of each gradient")


def test_gradient_norms_of_the_weights():
    fails_with(check_gradient_norms, wrong(lambda n: [np.mean(np.abs(l.weights)) for l in n.layers]),
               "the weights themselves")


def test_gradient_norms_with_the_wrong_loss():
    def gradient_norms(network, X, y):
        network.loss_and_gradients(X, y, "mse")
        return [np.mean(np.abs(layer.grad_weights)) for layer in network.layers]

    fails_with(check_gradient_norms, gradient_norms, "mean squared error", "binary_cross_entropy")


def test_gradient_norms_for_a_fixed_number_of_layers():
    def gradient_norms(network, X, y):
        return right_gradient_norms(network, X, y)[:3]

    fails_with(check_gradient_norms, gradient_norms, "3-6-6-6-1 sigmoid network", "leaves out the output layer")


def test_gradient_norms_with_some_other_number():
    fails_with(check_gradient_norms, wrong(lambda n: [np.max(np.abs(l.grad_weights)) for l in n.layers]),
               "is wrong for layer 0", "np.abs(network.layers[0].grad_weights)")


def test_gradient_norms_of_the_wrong_shape():
    fails_with(check_gradient_norms, wrong(lambda n: np.zeros((3, 2)) + 1.0), "of shape (3, 2)", "one number per layer")


def test_gradient_norms_without_return():
    fails_with(check_gradient_norms, lambda network, X, y: None, "returned None", "`return` line")


def test_gradient_norms_raising_names_the_network_not_its_arrays():
    def gradient_norms(network, X, y):
        raise KeyError("oops")

    message = fails_with(check_gradient_norms, gradient_norms,
                         "gradient_norms(network, X, y) for a 2-5-4-1 tanh network raised KeyError")
    assert "Network(" not in message and "[[" not in message


def test_gradient_norms_not_written_yet():
    not_answered(check_gradient_norms, not_written_yet, "gradient_norms is not written yet")


def test_gradient_norms_leaves_the_reference_alone():
    # Calling the check twice gives the same verdict: nothing is shared between runs.
    check_gradient_norms(right_gradient_norms)
    check_gradient_norms(right_gradient_norms)


def test_count_parameters_multiplying_all_sizes_is_named():
    fails_with(check_count_parameters, lambda s: int(np.prod(s)), "count_parameters([2, 1]) returned 2; expected 3",
               "multiplies all the sizes together")
