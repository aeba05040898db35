"""Turning bad input into clear errors, used by every public function of `nblib`.

Each helper checks one argument and, when it is wrong, raises a `TypeError` or
`ValueError` that names the argument, says what was expected and what came,
and suggests what to try. A learner should be able to fix their call from the
message alone.
"""

import numpy as np


def describe(value):
    """A short description of `value` for an error message: its type, and its shape if it has one."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        dtype = getattr(value, "dtype", "")
        return f"{type(value).__name__} of shape {tuple(shape)} and dtype {dtype}"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


def as_float_array(value, name):
    """`value` as a floating-point numpy array (ints become float64; float32 stays float32).

    Raises TypeError for strings, objects, booleans-of-objects and anything else
    that is not numbers.
    """
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:
        raise TypeError(
            f"{name} should be numbers (a number, a list of numbers or a numpy array); "
            f"got {describe(value)}, which numpy cannot turn into an array ({error})."
        ) from None
    if array.dtype.kind in "iub":
        return array.astype(np.float64)
    if array.dtype.kind != "f":
        holds = {"U": "text (str)", "S": "bytes", "O": "Python objects (object)", "c": "complex numbers"}
        raise TypeError(
            f"{name} should hold numbers; got {describe(value)}, which holds "
            f"{holds.get(array.dtype.kind, f'values of type {array.dtype}')}. "
            "Convert it first, e.g. np.asarray(values, dtype=float)."
        )
    return array


def check_finite(array, name):
    """Raise ValueError if `array` holds NaN or infinity, saying where the first one is."""
    finite = np.isfinite(array)
    if not finite.all():
        where = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise ValueError(
            f"{name} should hold finite numbers; it holds {array[where]} at index {where}. "
            "Remove or replace missing and infinite values before using it."
        )


def as_batch(value, name, n_features=None):
    """`value` as a finite 2-D float array of shape (n_samples, n_features).

    `n_features`, when given, is the number of columns the caller needs.
    """
    array = as_float_array(value, name)
    expected = f"(n_samples, {n_features})" if n_features is not None else "(n_samples, n_features)"
    if array.ndim != 2:
        hint = ""
        if array.ndim == 1:
            hint = f" For a single sample, write {name}.reshape(1, -1); for many samples of one feature, {name}.reshape(-1, 1)."
        raise ValueError(f"{name} should be a 2-D array of shape {expected}; got shape {array.shape}.{hint}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} should hold at least one sample; got shape {array.shape}, an empty batch.")
    if n_features is not None and array.shape[1] != n_features:
        raise ValueError(
            f"{name} should have {n_features} feature column(s), shape {expected}; got shape {array.shape}. "
            f"Check that the data matches the layer: it expects {n_features} input(s) per sample."
        )
    check_finite(array, name)
    return array


def as_positive_int(value, name, minimum=1):
    """`value` as a Python int that is at least `minimum`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} should be a whole number of at least {minimum}; got {describe(value)}.")
    if value < minimum:
        raise ValueError(f"{name} should be a whole number of at least {minimum}; got {value}.")
    return int(value)


def as_rng(rng, name="rng"):
    """A `numpy.random.Generator` from a Generator or an int seed.

    `nblib` never uses numpy's global random state, so a source of randomness must be given.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{name} should be a numpy random Generator or an int seed; got {describe(rng)}. "
        "Try rng=np.random.default_rng(0)."
    )
