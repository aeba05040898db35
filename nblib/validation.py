"""Turning bad input into clear errors, used by every public function of `nblib`.

Each helper checks one argument and, when it is wrong, raises a `TypeError` or
`ValueError` that names the argument, says what was expected and what came,
and suggests what to try. A learner should be able to fix their call from the
message alone.
"""

import numpy as np


def describe(value):
    """A short description of `value` for an error message: its type, and its shape if it has one."""
    if isinstance(value, type):  # a class such as np.float32 (its `shape` is not a shape)
        return f"the type {value.__module__}.{value.__name__}" if value.__module__ != "builtins" else f"the type {value.__name__}"
    if isinstance(value, np.generic):  # a numpy scalar such as np.float32(1.5)
        return f"{type(value).__name__} {value.item()!r}"
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


def as_number(value, name, low=None, high=None, example=None, low_inclusive=True):
    """`value` as a finite Python float, checked to lie from `low` to `high` (either may be None).

    Booleans, text and arrays are refused with a TypeError; NaN, infinity and values out of
    range with a ValueError that names the argument and the range.
    """
    example = f", such as {example}" if example is not None else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} should be a number{example}; got {describe(value)}.")
    number = float(value)
    below = low is not None and (number < low if low_inclusive else number <= low)
    if not np.isfinite(number) or below or (high is not None and number > high):
        if low is not None and high is not None:
            expected = f"from {low:g} to {high:g}" if low_inclusive else f"above {low:g} and at most {high:g}"
        elif low is not None:
            expected = f"of {low:g} or more" if low_inclusive else f"above {low:g}"
        elif high is not None:
            expected = f"of at most {high:g}"
        else:
            expected = "that is finite"
        raise ValueError(f"{name} should be a finite number {expected}{example}; got {value!r}.")
    return number


def as_float_dtype(dtype, name="dtype"):
    """`dtype` as numpy's float32 or float64 (the two kinds of numbers a network can learn in)."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(
            f"{name} should be np.float64 (exact, the default) or np.float32 (quicker); got {describe(dtype)}. "
            "Weights of other kinds cannot learn: integers round every step away, complex numbers have no order."
        )
    return resolved.type


def as_rng(rng, name="rng"):
    """A `numpy.random.Generator` from a Generator or an int seed.

    `nblib` never uses numpy's global random state, so a source of randomness must be given.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise ValueError(f"{name} should be a numpy random Generator or an int seed of 0 or more; got {rng}. "
                             "Try rng=np.random.default_rng(0).")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{name} should be a numpy random Generator or an int seed; got {describe(rng)}. "
        "Try rng=np.random.default_rng(0)."
    )


def owned(array, original):
    """`array`, copied if it may share memory with the caller's `original`, so that what the caller
    does to `original` afterwards cannot change what nblib keeps (e.g. a layer's input for backward)."""
    if isinstance(original, np.ndarray) and np.may_share_memory(array, original):
        return array.copy()
    return array
