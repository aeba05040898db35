"""Checks for the exercises of chapter 8, Deep networks.

Each check takes the learner's answer, tries it on several inputs and either
prints one line saying it is right or raises `CheckFailed` explaining the first
thing that is wrong. Layer sizes are lists with the inputs first and the
outputs last, as in `Network.from_sizes`: [2, 8, 8, 1] has two hidden layers.
"""

import numpy as np

from nblib.checks import (
    exercise_check,
    CheckFailed,
    as_numbers,
    call_answer,
    fail,
    format_value,
    matches,
    passed,
    require_defined,
    require_function,
)
from nblib.network import Network

# count_parameters

SIZES_CASES = [[2, 1], [2, 4, 1], [2, 8, 8, 1], [3, 5, 2], [1, 2, 2, 2, 2, 1], [4000, 256, 256, 10]]
"""Layer sizes tried by `check_count_parameters`: no hidden layer, shallow, deep, several outputs, a large one."""


def _parameters(sizes):
    """The right count: one weight per connection and one bias per neuron after the input layer."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:]))


def _weights(sizes):
    return sum(n_in * n_out for n_in, n_out in zip(sizes, sizes[1:]))


PARAMETER_MISTAKES = [
    (_weights, "counts only the weights. Every neuron of the hidden and output layers also has a bias, one more "
               "parameter each."),
    (lambda sizes: _weights(sizes) + sum(sizes),
     "counts a bias for the input layer too. The inputs are values, not neurons: they have no bias. Only the "
     "layers after the input have one bias per neuron."),
    (lambda sizes: sum(n_in * n_out + n_in for n_in, n_out in zip(sizes, sizes[1:])),
     "gives every layer one bias per input. A bias belongs to a neuron: a layer of n_out neurons has n_out biases."),
    (lambda sizes: sum(sizes[1:]), "counts the neurons, not the parameters: each neuron has one weight per input "
                                   "and a bias."),
    (lambda sizes: sizes[0] * sizes[1] + sizes[1],
     "counts only the first layer. Add the weights and biases of every layer (zip(sizes, sizes[1:]) pairs each "
     "layer's inputs with its outputs)."),
    (lambda sizes: int(np.prod(sizes)), "multiplies all the sizes together. Each layer connects only to the next "
                                        "one: sum n_in × n_out + n_out over neighbouring pairs of layers."),
]
"""Counts that typical mistakes give, as functions of the sizes, each with what to say about it."""


def _count(count_parameters, sizes):
    """The answer's count for `sizes` as a float; fails unless it is one number."""
    call = f"count_parameters({sizes})"
    got = call_answer(count_parameters, "count_parameters", list(sizes))
    value = as_numbers(got, call)
    if value.shape != ():
        fail(f"{call} returned {format_value(got)}; it should return one whole number, the total count.")
    return float(value)


@exercise_check
def check_count_parameters(count_parameters):
    """Check `count_parameters(sizes)`: the number of weights and biases of a network with those layer sizes."""
    require_function(count_parameters, "count_parameters")
    counts = [_count(count_parameters, sizes) for sizes in SIZES_CASES]
    for sizes, value in zip(SIZES_CASES, counts):
        right = _parameters(sizes)
        if value == right:
            continue
        call = f"count_parameters({sizes})"
        if not value.is_integer():
            fail(f"{call} returned {format_value(value)}; a count of parameters is a whole number ({right} here).")
        # The mistake that explains every count is the likeliest; else the first that explains this one.
        explaining = [(mistake, words) for mistake, words in PARAMETER_MISTAKES if mistake(sizes) == value]
        everywhere = [words for mistake, words in explaining
                      if all(mistake(other) == got for other, got in zip(SIZES_CASES, counts))]
        if explaining:
            fail(f"{call} returned {int(value)}; expected {right}. It {(everywhere or [explaining[0][1]])[0]}")
        fail(f"{call} returned {int(value)}; expected {right}: for each pair of neighbouring layers, n_in × n_out "
             "weights plus n_out biases.")
    big = SIZES_CASES[-1]
    checked = Network.from_sizes([2, 8, 8, 1], rng=0).n_parameters
    passed(f"count_parameters counts one weight per connection and one bias per neuron after the input: {checked} "
           f"for [2, 8, 8, 1], the same as Network.n_parameters, and {_parameters(big):,} for {big}.")


# deep_ones

CONFIGURATIONS = {
    "A": [2, 1],
    "B": [2, 100, 1],
    "C": [2, 4, 4, 1],
    "D": [4000, 256, 256, 10],
    "E": [2, 16, 3],
    "F": [1, 2, 2, 2, 2, 1],
}
"""The layer sizes of the networks in the exercise, by letter."""

DEEP = {"C", "D", "F"}

WRONGLY_DEEP = {
    "A": "A, [2, 1], has no hidden layer at all: it is a single neuron (chapter 1).",
    "B": "B, [2, 100, 1], has a single hidden layer. 100 neurons side by side make a network wide, not deep: "
         "depth counts layers, not neurons.",
    "E": "E, [2, 16, 3], has one hidden layer of 16 and an output layer of 3 neurons. The output layer is not "
         "hidden: count only the layers between the input and the output.",
}

MISSED = {
    "C": "C, [2, 4, 4, 1], has two hidden layers of 4: small, but deep.",
    "D": "D, [4000, 256, 256, 10], has two hidden layers of 256 (the sound classifier sketched in chapter 5).",
    "F": "F, [1, 2, 2, 2, 2, 1], has four hidden layers of two neurons, like the folding network of this chapter.",
}


def _letters(answer):
    """The letters in the answer, upper case: from a string such as "C, D, F" or a collection of strings."""
    if isinstance(answer, str):
        pieces = [piece for piece in answer.replace(",", " ").replace(";", " ").split()]
        if len(pieces) == 1 and len(pieces[0]) > 1:
            pieces = list(pieces[0])
    elif isinstance(answer, (list, tuple, set, frozenset)):
        pieces = list(answer)
    else:
        fail(f"deep_ones should be a list of letters, such as [\"A\", \"B\"]; got {format_value(answer)}.")
    letters = []
    for piece in pieces:
        if not isinstance(piece, str):
            fail(f"deep_ones should hold the letters of the configurations, such as \"A\"; it holds "
                 f"{format_value(piece)}.")
        letters.append(piece.strip().upper())
    return letters


@exercise_check
def check_deep_ones(deep_ones):
    """Check the letters of the configurations that are deep networks (more than one hidden layer)."""
    require_defined(deep_ones, "deep_ones", 'a list of the letters of the deep networks, such as ["A", "B"]')
    letters = _letters(deep_ones)
    unknown = [letter for letter in letters if letter not in CONFIGURATIONS]
    if unknown:
        fail(f"deep_ones holds {unknown[0]!r}, which is not one of the configurations A to F.")
    chosen = set(letters)
    for letter in sorted(chosen - DEEP):
        fail(f"deep_ones includes {letter}, which is not deep. {WRONGLY_DEEP[letter]}")
    for letter in sorted(DEEP - chosen):
        fail(f"deep_ones misses {letter}. {MISSED[letter]} More than one hidden layer makes a network deep.")
    passed("C, D and F are deep: each has more than one hidden layer. A has none, and B and E have one, however "
           "many neurons it holds.")


# gradient_norms

GRADIENT_CASES = [([2, 5, 4, 1], "tanh", 1), ([3, 6, 6, 6, 1], "sigmoid", 9)]
"""(layer sizes, hidden activation, seed) of the networks `check_gradient_norms` tries; sigmoid output."""

LOSS = "binary_cross_entropy"


def _gradient_problem(sizes, activation, seed):
    """A fresh network and data for it, the same for the same arguments: (network, X, y)."""
    rng = np.random.default_rng(seed)
    network = Network.from_sizes(sizes, activation=activation, output_activation="sigmoid", rng=rng)
    X = np.round(rng.uniform(-2.0, 2.0, size=(12, sizes[0])), 2)
    y = np.arange(12) % 2
    return network, X, y


def _reference(sizes, activation, seed, loss=LOSS):
    """The right answer and the network it came from (after its backward pass)."""
    network, X, y = _gradient_problem(sizes, activation, seed)
    network.loss_and_gradients(X, y, loss)
    return np.array([np.mean(np.abs(layer.grad_weights)) for layer in network.layers]), network


def _gradient_mistakes(sizes, activation, seed):
    """What typical mistakes return for this network, each with what to say about it."""
    right, network = _reference(sizes, activation, seed)
    layers = network.layers
    both = [np.mean(np.abs(gradient)) for _, gradient in network.parameters()]
    return [
        (right[::-1], "lists the layers from the output back to the first; list them in the order of "
                      "network.layers, from the first hidden layer to the output layer."),
        (right[:-1], "leaves out the output layer; give one number for every layer in network.layers, the "
                     "output layer included."),
        (np.array(both), "gives two numbers per layer, for the weights and for the bias; the exercise asks for "
                         "one per layer, from grad_weights."),
        (np.array([np.mean(np.abs(layer.grad_bias)) for layer in layers]),
         "measures the gradients of the biases, grad_bias; the exercise asks for those of the weights, "
         "grad_weights."),
        (np.array([np.mean(layer.grad_weights) for layer in layers]),
         "takes the mean of the gradients with their signs, so positive and negative entries cancel. Take the "
         "mean of their sizes, np.abs, first."),
        (np.array([np.sum(np.abs(layer.grad_weights)) for layer in layers]),
         "adds the sizes up instead of averaging them: a layer with more weights would look larger. Use np.mean."),
        (np.array([np.linalg.norm(layer.grad_weights) for layer in layers]),
         "gives the length of each gradient, the square root of the sum of squares; the exercise asks for the "
         "mean of the absolute values, np.mean(np.abs(...))."),
        (np.array([np.mean(np.abs(layer.weights)) for layer in layers]),
         "measures the weights themselves, not their gradients: use layer.grad_weights."),
        (_reference(sizes, activation, seed, loss="mse")[0],
         "uses the mean squared error; this network has a sigmoid output and is trained with the binary "
         "cross-entropy, loss \"binary_cross_entropy\"."),
    ]


@exercise_check
def check_gradient_norms(gradient_norms):
    """Check `gradient_norms(network, X, y)`: the mean |∂L/∂W| of every layer after one backward pass."""
    require_function(gradient_norms, "gradient_norms")
    shown_values = None
    for sizes, activation, seed in GRADIENT_CASES:
        network, X, y = _gradient_problem(sizes, activation, seed)
        name = "-".join(map(str, sizes))
        call = f"gradient_norms(network, X, y) for a {name} {activation} network"
        try:
            got = call_answer(gradient_norms, "gradient_norms", network, X, y)
        except CheckFailed as failure:  # name the network instead of printing it and the arrays in full
            message = str(failure)
            if " raised " in message:
                message = f"{call} raised {message.split(' raised ', 1)[1]}"
            raise CheckFailed(message) from None
        value = as_numbers(got, call)
        right, _ = _reference(sizes, activation, seed)
        if matches(value, right):
            shown_values = right
            continue
        if value.shape == right.shape and np.all(value == 0):
            fail(f"{call} returned only zeros. The gradients are zero until a backward pass has run: call "
                 f"network.loss_and_gradients(X, y, \"{LOSS}\") first, then read every layer's grad_weights.")
        for mistake, explanation in _gradient_mistakes(sizes, activation, seed):
            if matches(value, mistake):
                fail(f"{call} returned {format_value(value)}; expected {format_value(right)}. It {explanation}")
        if value.ndim != 1 or len(value) != len(right):
            fail(f"{call} returned {format_value(value)}, of shape {value.shape}; expected one number per layer, "
                 f"{len(right)} for this network (network.layers holds {len(right)} layers).")
        wrong = int(np.flatnonzero(~np.isclose(value, right, rtol=1e-6, atol=1e-12))[0])
        fail(f"{call} is wrong for layer {wrong}: got {format_value(value[wrong])}, expected "
             f"{format_value(right[wrong])}, the mean of np.abs(network.layers[{wrong}].grad_weights) after "
             f"network.loss_and_gradients(X, y, \"{LOSS}\").")
    listed = ", ".join(f"{value:.2g}" for value in shown_values)
    passed(f"gradient_norms gives the mean |∂L/∂W| of every layer after one backward pass, as nblib does. For the "
           f"3-6-6-6-1 sigmoid network they are {listed}, from the first layer to the output: smaller the "
           f"farther from the output.")
