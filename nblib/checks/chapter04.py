"""Checks for the exercises of chapter 4, Loss functions.

Each check tries the learner's answer on several inputs and either prints one
line saying it is right or raises `CheckFailed` explaining the first thing that
is wrong, with a hint when the wrong value is a typical mistake. Inputs are
batch-first: one row per sample.

    check_mse(mse)                                     exercise 1: the mean squared error
    check_binary_cross_entropy(binary_cross_entropy)   exercise 2: binary cross-entropy from probabilities
    check_softmax(softmax)                             exercise 3: a row-wise softmax that never overflows
    check_chance_loss(chance_loss)                     exercise 4: the loss of a network that knows nothing
"""

import numpy as np

from nblib.checks import CheckFailed, as_numbers, call_answer, expect_close, fail, format_value, matches, passed
from nblib.checks import exercise_check, require_defined
from nblib.losses import softmax as reference_softmax


def _call_quietly(function, name, *args):
    """`call_answer` with numpy's overflow, divide and invalid-value warnings silenced.

    The checks try large inputs and logs on purpose; the learner should read what went
    wrong in the check's message, not in a pile of warnings.
    """
    with np.errstate(all="ignore"):
        return call_answer(function, name, *args)


def _first_hint(got, mistakes):
    """The hint of the first (compute, hint) pair whose wrong value `got` matches, or None."""
    for compute, hint in mistakes:
        with np.errstate(all="ignore"):
            try:
                wrong = compute()
            except ValueError:  # a wrong computation that cannot even run for these shapes
                continue
        if matches(got, wrong):
            return hint
    return None


def _one_number(got, call, values):
    """`got` as a float when it is a single number; otherwise fail and say that a loss is one number."""
    got = as_numbers(got, call)
    if got.size == 1:
        return float(got.ravel()[0])
    if got.shape in (values.shape, values.shape[:1]):
        per = "sample" if values.ndim == 1 or got.shape == values.shape[:1] else "value"
        fail(f"{call} returned an array of shape {got.shape}, one number per {per}. A loss is ONE number "
             "for the whole batch: average the losses of the examples with np.mean (without an axis).")
    fail(f"{call} returned an array of shape {got.shape}. A loss is ONE number for the whole batch: "
         "average over every value with np.mean (without an axis).")


def _show(name, value):
    return f"{name} = {format_value(value)}"


# ── Exercise 1: mse(predictions, targets) ──────────────────────────────────────

MSE_CASES = [
    # (predictions, targets): both signs, a perfect fit (loss 0), a single example, and a
    # batch with two outputs per sample, where "the mean" is over all 6 values.
    (np.array([2.5, 0.0, 2.0, 8.0]), np.array([3.0, -0.5, 2.0, 7.0])),
    (np.array([1.0, -2.0, 0.5]), np.array([1.0, -2.0, 0.5])),
    (np.array([4.0]), np.array([1.0])),
    (np.array([[1.0, 0.0], [0.5, 2.0], [-1.0, 3.0]]), np.array([[0.0, 0.0], [1.5, 1.0], [-1.0, 1.0]])),
]


def _mse_mistakes(p, t):
    d = p - t
    return [
        (lambda: np.sum(d**2), "That is the SUM of the squared errors. The MSE is their mean: divide by the "
                               "number of values (np.mean does it for you)."),
        (lambda: np.sum(d**2) / len(p), "You divided by the number of rows. With several outputs per sample the "
                                        "mean is over every value: divide by predictions.size, or use np.mean."),
        (lambda: np.mean(d**2) / 2, "That is half the MSE. Some books put a ½ in front to tidy up the gradient; "
                                    "this book's MSE, like nblib's, has no ½."),
        (lambda: np.sqrt(np.mean(d**2)), "That is the square root of the MSE (the RMSE). Leave out the square root."),
        (lambda: np.mean(np.abs(d)), "That is the mean ABSOLUTE error. Square the differences instead of taking "
                                     "their absolute values."),
        (lambda: np.mean(d) ** 2, "You squared the mean of the differences. Square each difference first, then "
                                  "take the mean."),
        (lambda: np.mean(d), "That is the mean of the differences, not squared: positive and negative errors "
                             "cancel out. Square each difference first."),
        (lambda: np.mean(p - t**2), "Mind the brackets: ** comes before −, so predictions − targets ** 2 squares "
                                    "only the targets. Write (predictions − targets) ** 2."),
        (lambda: np.mean(p**2 - t**2), "Square the DIFFERENCE, (predictions − targets)², not each of them "
                                       "separately: p² − t² is not (p − t)²."),
    ]


@exercise_check
def check_mse(mse):
    """Check exercise 1: `mse(predictions, targets)` is the mean of (prediction − target)² over every value."""
    for predictions, targets in MSE_CASES:
        call = f"mse(predictions, targets) with {_show('predictions', predictions)} and {_show('targets', targets)}"
        got = _call_quietly(mse, "mse", predictions.copy(), targets.copy())
        expected = float(np.mean((predictions - targets) ** 2))
        got = _one_number(got, call, predictions)
        if np.isclose(got, expected, rtol=1e-6, atol=1e-9):
            continue
        hint = _first_hint(got, _mse_mistakes(predictions, targets))
        fail(f"{call} returned {format_value(got)}; expected {format_value(expected)}."
             + (f" {hint}" if hint else ""))
    passed("mse averages the squared differences over every value: 0 for a perfect fit, "
           "and one number for the whole batch.")


# ── Exercise 2: binary_cross_entropy(p, t) from probabilities ─────────────────

BCE_CASES = [
    # (p, t): probabilities strictly between 0 and 1, targets 0 or 1.
    (np.array([0.9, 0.2, 0.6, 0.99]), np.array([1.0, 0.0, 1.0, 1.0])),
    (np.array([0.5, 0.5]), np.array([1.0, 0.0])),
    (np.array([0.01, 0.7, 0.999]), np.array([1.0, 0.0, 0.0])),      # confident mistakes
    (np.array([[0.8], [0.3], [0.1]]), np.array([[1.0], [1.0], [0.0]])),  # a column, as a network outputs
]


def _bce(p, t):
    return float(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))


def _bce_mistakes(p, t):
    right = _bce(p, t)
    return [
        (lambda: -right, "The loss came out negative. The log of a probability is never positive, so put a minus "
                         "sign in front: −[t·log p + (1 − t)·log(1 − p)]. Then smaller is better."),
        (lambda: -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p)),
         "That is the SUM over the examples. Take the mean, so the loss does not grow with the batch size."),
        (lambda: -np.mean(t * np.log(p)), "Only the examples with target 1 count. For target 0 the model should "
                                          "say p close to 0: add the term (1 − t)·log(1 − p)."),
        (lambda: -np.mean((1 - t) * np.log(1 - p)), "Only the examples with target 0 count. Add the term t·log p "
                                                    "for the examples with target 1."),
        (lambda: -np.mean(np.log(p)), "For target 0 the probability of the right answer is 1 − p, not p: the "
                                      "second term is (1 − t)·log(1 − p)."),
        (lambda: right / np.log(10), "That is the loss with np.log10. The cross-entropy uses the natural log, "
                                     "np.log."),
        (lambda: right / np.log(2), "That is the loss with np.log2 (in bits). This book uses the natural log, "
                                    "np.log, as nblib does."),
        (lambda: np.mean((p - t) ** 2), "That is the mean squared error of the probabilities. The cross-entropy "
                                        "takes logs: −[t·log p + (1 − t)·log(1 − p)]."),
    ]


@exercise_check
def check_binary_cross_entropy(binary_cross_entropy):
    """Check exercise 2: `binary_cross_entropy(p, t)` is −mean[t·log p + (1 − t)·log(1 − p)]."""
    for p, t in BCE_CASES:
        call = f"binary_cross_entropy(p, t) with {_show('p', p)} and {_show('t', t)}"
        got = _call_quietly(binary_cross_entropy, "binary_cross_entropy", p.copy(), t.copy())
        got = _one_number(got, call, p)
        expected = _bce(p, t)
        if not np.isfinite(got):
            fail(f"{call} returned {got}; expected {format_value(expected)}. Here every p is strictly between "
                 "0 and 1, so log(p) and log(1 − p) are finite: did you take the log of the targets t (log 0 is "
                 "−inf)? The probabilities come first: binary_cross_entropy(p, t).")
        if np.isclose(got, expected, rtol=1e-6, atol=1e-9):
            continue
        hint = _first_hint(got, _bce_mistakes(p, t))
        fail(f"{call} returned {format_value(got)}; expected {format_value(expected)}."
             + (f" {hint}" if hint else ""))
    passed("binary_cross_entropy averages −[t·log p + (1 − t)·log(1 − p)] over the batch, "
           "and punishes confident mistakes hard.")


# ── Exercise 3: softmax(z), row by row, stable ────────────────────────────────

SOFTMAX_CASES = [
    # (description, z): z has shape (n_samples, n_classes).
    ("one row", np.array([[1.0, 2.0, 3.0]])),
    ("a batch of 3 rows and 4 classes",
     np.array([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0], [-2.0, 3.0, 0.5, 1.5]])),
    ("a square batch of 2 rows and 2 classes", np.array([[2.0, -1.0], [0.0, 0.5]])),
    ("large weighted sums", np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])),
    ("rows of very different sizes", np.array([[0.0, 1.0, 2.0], [1000.0, 1001.0, 1002.0]])),
]

STABLE_HINT = (
    "Subtract each row's largest value from the row first, z − z.max(axis=1, keepdims=True): softmax does "
    "not change when the same number is subtracted from a whole row, and then the largest exponent is e⁰ = 1."
)
KEEPDIMS_HINT = (
    "z.sum(axis=1) and z.max(axis=1) have shape (n_samples,), which numpy lines up with the COLUMNS of "
    "z. Keep the summed axis with keepdims=True (shape (n_samples, 1)), so each row meets its own value."
)


def _softmax_mistakes(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return [
        (lambda: e / e.sum(), "Every row should sum to 1 on its own, but you divided by the sum over the whole "
                              "batch. Sum along the classes: axis=1, keepdims=True."),
        (lambda: e / e.sum(axis=0, keepdims=True), "Each COLUMN sums to 1. The classes are along axis 1: sum "
                                                   "with axis=1, keepdims=True, so each ROW sums to 1."),
        (lambda: e / e.sum(axis=1), f"The rows were divided by the wrong sums. {KEEPDIMS_HINT}"),
        (lambda: np.exp(z - z.max(axis=1)) / np.exp(z - z.max(axis=1)).sum(axis=1, keepdims=True),
         f"The rows were shifted by the wrong maximum. {KEEPDIMS_HINT}"),
        (lambda: np.exp(z - z.max(axis=0)) / np.exp(z - z.max(axis=0)).sum(axis=1, keepdims=True),
         "Each row was shifted by a column's maximum. Subtract each ROW's maximum: z.max(axis=1, keepdims=True)."),
        (lambda: np.exp(z), "These are e^z, not yet normalized: divide each row by its sum so it adds up to 1."),
        (lambda: z / z.sum(axis=1, keepdims=True), "Softmax divides e^z by its row sum, not z itself: take np.exp "
                                                   "first (it makes every value positive)."),
    ]


@exercise_check
def check_softmax(softmax):
    """Check exercise 3: `softmax(z)` turns each row of z into probabilities, even for |z| ≈ 1000."""
    for description, z in SOFTMAX_CASES:
        call = f"softmax(z) for {description}, z = {format_value(z)}"
        try:
            got = _call_quietly(softmax, "softmax", z.copy())
        except CheckFailed as failure:
            if isinstance(failure.__context__, ValueError) and "broadcast" in str(failure.__context__):
                fail(f"{failure}\nHint: {KEEPDIMS_HINT}")
            raise
        expected = reference_softmax(z)
        got = as_numbers(got, call)
        if got.shape != z.shape:
            fail(f"{call} returned an array of shape {got.shape}; expected {z.shape}, the shape of z: "
                 "one probability per class (column) for each sample (row).")
        if matches(got, expected):
            continue
        if not np.all(np.isfinite(got)):
            rows = [i for i in range(len(z)) if not np.all(np.isfinite(got[i]))]
            others_right = all(matches(got[i], expected[i]) for i in range(len(z)) if i not in rows)
            if np.ptp(z.max(axis=1)) > 500 and others_right:
                fail(f"{call} returned {format_value(got)}, with nan in row {rows[0]}. Did you subtract the "
                     f"largest value of the whole batch? For row {rows[0]} every e^(z − max) underflows to 0, "
                     f"and 0/0 is nan. {STABLE_HINT}")
            fail(f"{call} returned {format_value(got)}. e^z overflows for z above about 709 (e^1000 is inf in "
                 f"floating point, and inf/inf is nan). {STABLE_HINT}")
        hint = _first_hint(got, _softmax_mistakes(z))
        if hint:
            fail(f"{call} returned {format_value(got)}; expected {format_value(expected)}. {hint}")
        expect_close(got, expected, call)
    passed("softmax turns every row into probabilities that sum to 1, even for weighted sums of ±1000.")


# ── Exercise 4: chance_loss ───────────────────────────────────────────────────

N_CHANCE_CLASSES = 4


@exercise_check
def check_chance_loss(chance_loss):
    """Check the softmax cross-entropy of equal scores for 4 classes: log 4 ≈ 1.386."""
    require_defined(chance_loss, "chance_loss", "a number, the loss of equal scores for 4 classes")
    if isinstance(chance_loss, bool) or not isinstance(chance_loss, (int, float, np.number)):
        fail(f"chance_loss should be one number; got {format_value(chance_loss)}.")
    k = N_CHANCE_CLASSES
    right = np.log(k)
    if np.isclose(chance_loss, right, rtol=1e-4):
        passed(f"equal scores give every class the probability 1/{k}, so the loss is −log(1/{k}) = log {k} "
               f"≈ {right:.4f}, whatever the true class. A network that starts there has learned nothing yet.")
        return
    hints = [
        (1 / k, f"1/{k} is the probability softmax gives the true class; the loss is −log of it."),
        (-np.log(k), "The sign: probabilities are below 1, so their log is negative, and the loss is −log p, positive."),
        (np.log10(k), "That is log10; cross-entropy uses the natural log, np.log."),
        (np.log2(k), "That is log2 (bits); cross-entropy in the book uses the natural log, np.log."),
        (1 - 1 / k, "That is 1 − p, a share of wrong guesses, not a cross-entropy: the loss is −log p."),
        (0.0, "A loss of 0 needs probability 1 for the true class; equal scores give each class only 1/4."),
    ]
    for wrong, hint in hints:
        if np.isclose(chance_loss, wrong, rtol=1e-4):
            fail(f"chance_loss is {format_value(float(chance_loss))}. {hint}")
    fail(f"chance_loss is {format_value(float(chance_loss))}. Work out softmax of four equal scores first, "
         "then −log of the true class's probability.")
