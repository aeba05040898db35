"""Probability bars: softmax, the most probable class, HTML bars and a text table."""

import numpy as np
import pytest

from nblib.widgets.probabilities import probability_bars, softmax


def test_softmax_gives_probabilities_that_add_up_to_one():
    p = softmax(np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    assert p[1, 0] == pytest.approx(1.0)  # large outputs do not overflow


def test_bars_name_the_best_class_in_html_and_text():
    bars = probability_bars(["yes", "no"], [0.25, 0.75], title="heard")
    assert bars.best == "no"
    html = bars.html()
    assert 'data-best="no"' in html and "width:75.0%" in html and "width:25.0%" in html
    assert repr(bars).splitlines() == ["heard", "yes  0.25  █████", " no  0.75  ███████████████"]
    assert bars._repr_html_() == html


def test_names_are_escaped_in_html():
    assert "&lt;b&gt;" in probability_bars(["<b>", "x"], [0.5, 0.5]).html()


@pytest.mark.parametrize("names, p, words", [
    (["a"], [0.5, 0.5], "name every probability"), (["a", "b"], [0.5, 0.6], "add up to 1"),
    (["a", "b"], [1.5, -0.5], "add up to 1"), ([], [], "add up to 1"),
])
def test_bad_bars_are_refused(names, p, words):
    with pytest.raises(ValueError, match=words):
        probability_bars(names, p)
