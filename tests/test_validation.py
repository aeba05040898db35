"""nblib.validation: the argument checks behind every clear error message."""

import numpy as np
import pytest

from nblib.validation import as_batch, as_float_array, as_positive_int, as_rng, describe


def test_describe_gives_type_and_shape():
    assert describe(np.zeros((2, 3))) == "ndarray of shape (2, 3) and dtype float64"
    assert describe("abc") == "str 'abc'"
    assert describe("x" * 100).endswith("...")


def test_float_arrays_keep_float32_and_convert_integers():
    assert as_float_array(np.ones(2, dtype=np.float32), "z").dtype == np.float32
    assert as_float_array([1, 2], "z").dtype == np.float64
    assert as_float_array(True, "z").dtype == np.float64


@pytest.mark.parametrize("bad", ["text", [1, "a"], np.array([1 + 2j]), [[1, 2], [3]]])
def test_non_numbers_are_refused(bad):
    with pytest.raises(TypeError, match="values should"):
        as_float_array(bad, "values")


def test_as_batch_returns_a_checked_2d_array():
    assert as_batch([[1, 2]], "X", 2).shape == (1, 2)
    with pytest.raises(ValueError, match=r"reshape\(-1, 1\)"):
        as_batch([1.0, 2.0], "X")


@pytest.mark.parametrize("value, error", [(0, ValueError), (-3, ValueError), (2.0, TypeError), (True, TypeError), ("3", TypeError)])
def test_positive_ints(value, error):
    with pytest.raises(error, match="epochs should be a whole number of at least 1"):
        as_positive_int(value, "epochs")
    assert as_positive_int(np.int64(4), "epochs") == 4


def test_rng_from_generator_or_seed():
    generator = np.random.default_rng(1)
    assert as_rng(generator) is generator
    assert as_rng(3).random() == np.random.default_rng(3).random()
    for bad in (None, 1.5, True, "seed"):
        with pytest.raises(TypeError, match="rng should be a numpy random Generator"):
            as_rng(bad)
