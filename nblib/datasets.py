"""Small two-dimensional data sets, and the usual ways to prepare data.

Introduced in chapters 4 to 8. Every data set is made from a seed, so the same
call always gives the same points: X of shape (n_samples, 2) and integer class
labels y of shape (n_samples,). `noise` is the standard deviation of Gaussian
noise added to every point.

    xor      four clusters at the corners; class 1 where exactly one coordinate is positive
    moons    two interleaving half circles
    circles  a disc inside a ring
    spiral   arms of a spiral, one per class
    blobs    round clusters, one per class

And ways to split data (chapter 11, Real voices): at random, or by group (such as the
speaker), so that no group is heard both in training and in testing.
"""

import numpy as np

from nblib.validation import as_float_array, as_positive_int, as_rng, describe


def _check(n_samples, noise, n_classes=2):
    n_samples = as_positive_int(n_samples, "n_samples", minimum=2)
    n_classes = as_positive_int(n_classes, "n_classes", minimum=2)
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)) or not noise >= 0:
        raise ValueError(f"noise should be a number of 0 or more, such as 0.1; got {describe(noise)}.")
    return n_samples, float(noise), n_classes


def _classes(n_samples, n_classes):
    """Labels 0, 1, …, n_classes−1 repeated to n_samples: every class gets (nearly) the same share."""
    return np.arange(n_samples) % n_classes


def xor(n_samples=200, noise=0.2, seed=0):
    """Points around (±1, ±1); class 1 where x₁ and x₂ have different signs. No straight line separates them."""
    n_samples, noise, _ = _check(n_samples, noise)
    rng = as_rng(seed, "seed")
    corners = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    corner = np.arange(n_samples) % 4
    X = corners[corner] + noise * rng.standard_normal((n_samples, 2))
    return X, (corner >= 2).astype(int)


def moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles (class 0 above, class 1 below), centred on the origin."""
    n_samples, noise, _ = _check(n_samples, noise)
    rng = as_rng(seed, "seed")
    y = _classes(n_samples, 2)
    angle = rng.uniform(0, np.pi, n_samples)
    X = np.where(
        y[:, None] == 0,
        np.column_stack([np.cos(angle), np.sin(angle)]),
        np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)]),
    )
    X = X - [0.5, 0.25]
    return X + noise * rng.standard_normal((n_samples, 2)), y


def circles(n_samples=200, noise=0.1, seed=0, inner_radius=0.5):
    """A disc of class 0 (radius up to `inner_radius`) inside a ring of class 1 (radius about 1)."""
    n_samples, noise, _ = _check(n_samples, noise)
    rng = as_rng(seed, "seed")
    y = _classes(n_samples, 2)
    angle = rng.uniform(0, 2 * np.pi, n_samples)
    radius = np.where(y == 0, inner_radius * np.sqrt(rng.uniform(0, 1, n_samples)), 1.0)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal((n_samples, 2)), y


def spiral(n_samples=200, noise=0.1, seed=0, n_classes=2, turns=1.25):
    """`n_classes` spiral arms winding `turns` times around the origin, reaching radius 1."""
    n_samples, noise, n_classes = _check(n_samples, noise, n_classes)
    rng = as_rng(seed, "seed")
    y = _classes(n_samples, n_classes)
    radius = rng.uniform(0.05, 1.0, n_samples)
    angle = 2 * np.pi * (turns * radius + y / n_classes)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal((n_samples, 2)), y


def blobs(n_samples=200, noise=0.3, seed=0, n_classes=3):
    """`n_classes` round clusters with centres evenly spaced on a circle of radius 1.5."""
    n_samples, noise, n_classes = _check(n_samples, noise, n_classes)
    rng = as_rng(seed, "seed")
    y = _classes(n_samples, n_classes)
    angle = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 2
    centres = 1.5 * np.column_stack([np.cos(angle), np.sin(angle)])
    return centres[y] + noise * rng.standard_normal((n_samples, 2)), y


DATASETS = {"xor": xor, "moons": moons, "circles": circles, "spiral": spiral, "blobs": blobs}
"""Every data set by name (feeds the playground's dropdown)."""


def make_dataset(name, n_samples=200, noise=0.1, seed=0):
    """The data set called `name` (one of `DATASETS`): returns (X, y)."""
    if name not in DATASETS:
        raise ValueError(f"name should be one of {', '.join(DATASETS)}; got {name!r}.")
    return DATASETS[name](n_samples=n_samples, noise=noise, seed=seed)


def train_test_split(X, y, test_fraction=0.25, seed=0):
    """Shuffle and split into (X_train, X_test, y_train, y_test); `test_fraction` of the samples go to test."""
    X = as_float_array(X, "X")
    y = np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y should have the same number of samples; X has {len(X)}, y has {len(y)}.")
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (float, int)) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction should be a number between 0 and 1, such as 0.25; got {describe(test_fraction)}.")
    n_test = int(round(len(X) * test_fraction))
    if not 1 <= n_test < len(X):
        raise ValueError(
            f"test_fraction {test_fraction} of {len(X)} samples leaves {n_test} for testing and "
            f"{len(X) - n_test} for training; both need at least one."
        )
    order = as_rng(seed, "seed").permutation(len(X))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def random_split(n_samples, test_fraction=0.25, seed=0):
    """(train_indices, test_indices): a shuffled split of range(n_samples), as `train_test_split` makes it.

    Introduced in chapter 11, Real voices: indices select the same samples from X, y and the sounds.
    """
    n_samples = as_positive_int(n_samples, "n_samples", minimum=2)
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (float, int)) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction should be a number between 0 and 1, such as 0.25; got {describe(test_fraction)}.")
    n_test = min(max(int(round(n_samples * test_fraction)), 1), n_samples - 1)
    order = as_rng(seed, "seed").permutation(n_samples)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def _as_groups(groups):
    groups = np.asarray(groups)
    if groups.ndim != 1 or len(groups) == 0:
        raise ValueError(f"groups should be a 1-D array with one group (e.g. a speaker's name) per sample; got shape {groups.shape}.")
    return groups


def group_split(groups, test_groups=None, n_test_groups=1, seed=0):
    """(train_indices, test_indices) such that every group is on one side only.

    Introduced in chapter 11, Real voices. groups: (n_samples,), who or what each sample comes
    from (a speaker, a recording session). test_groups: the groups to test on; when not given,
    `n_test_groups` of them are drawn with `seed`. A network tested on groups it never met in
    training shows how it does on new ones; a random split hides that when a group's samples
    look alike.
    """
    groups = _as_groups(groups)
    names = sorted(set(groups.tolist()))
    if len(names) < 2:
        raise ValueError(f"groups should hold at least two different groups to split between; got only {names}.")
    if test_groups is None:
        n_test_groups = as_positive_int(n_test_groups, "n_test_groups")
        if n_test_groups >= len(names):
            raise ValueError(f"n_test_groups should be below the number of groups, {len(names)}, so training keeps one; got {n_test_groups}.")
        test_groups = as_rng(seed, "seed").choice(names, n_test_groups, replace=False).tolist()
    else:
        test_groups = [test_groups] if isinstance(test_groups, (str, int, np.integer)) else list(test_groups)
        unknown = [group for group in test_groups if group not in names]
        if unknown or not test_groups:
            raise ValueError(f"test_groups should name groups that are in groups, {names}; got {test_groups}.")
        if set(test_groups) >= set(names):
            raise ValueError(f"test_groups leave no group for training; keep at least one of {names} out of it.")
    is_test = np.isin(groups, test_groups)
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)


def leave_one_group_out(groups):
    """[(group, train_indices, test_indices), ...]: one split per group, which alone is tested on.

    Introduced in chapter 11, Real voices. The mean of the test scores over all splits says how
    the model does on a group it never met, using every group once as the new one.
    """
    groups = _as_groups(groups)
    names = sorted(set(groups.tolist()))
    if len(names) < 2:
        raise ValueError(f"groups should hold at least two different groups; got only {names}.")
    return [(name, *group_split(groups, [name])) for name in names]


def standardize(X_train, *others):
    """Scale every feature to mean 0 and standard deviation 1, using the training data's mean and spread.

    Returns the scaled X_train, followed by each array in `others` scaled the same way
    (never with their own statistics: the test data must not leak into training).
    """
    X_train = as_float_array(X_train, "X_train")
    mean = X_train.mean(axis=0)
    spread = X_train.std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)  # a constant feature stays 0 instead of dividing by 0
    scaled = [(X_train - mean) / spread] + [(as_float_array(X, "X") - mean) / spread for X in others]
    return scaled[0] if not others else tuple(scaled)


def one_hot(labels, n_classes=None):
    """Class labels of shape (n_samples,) as rows of 0s with a 1 in the label's column: (n_samples, n_classes)."""
    labels = np.asarray(labels)
    whole = labels.dtype.kind in "iu" or (labels.dtype.kind == "f" and np.all(labels == np.round(labels)))
    if labels.ndim != 1 or labels.size == 0 or not whole:
        raise ValueError(f"labels should be whole numbers 0, 1, 2, … of shape (n_samples,); got {describe(labels)}.")
    labels = labels.astype(int)
    n_classes = int(labels.max()) + 1 if n_classes is None else as_positive_int(n_classes, "n_classes")
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(f"labels should be from 0 to {n_classes - 1}; got values from {labels.min()} to {labels.max()}.")
    encoded = np.zeros((len(labels), n_classes))
    encoded[np.arange(len(labels)), labels] = 1.0
    return encoded
