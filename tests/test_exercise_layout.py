"""Every chapter's exercises follow one layout, and a reader's answer is never replaced.

An exercise is four cells: the question (markdown); the answer cell, the one place the
reader writes, holding only a placeholder; the check cell, which imports its own check,
calls it and holds hidden tests for nbgrader; and a folded reference answer, a markdown
cell tagged `reference-answer`, so that no run of the notebook can execute it.

The reader's path is then tried for real, one kernel per chapter: wrong answers go into
the answer cells and the whole notebook runs top to bottom (Run All), and every check must
fail with its message alone; then, in the same kernel, the reference answers go into the
answer cells and every check must pass, hidden tests included (run as nbgrader would).
"""

import importlib
import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(path for path in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb") if not path.name.startswith("00"))
REFERENCE_TAG = "reference-answer"

# A typical wrong answer for every exercise, as a reader might write it.
WRONG = {
    "ch01_weighted_sum": "def weighted_sum(x, w, b):\n    return sum(x) + sum(w) + b",
    "ch01_and_neuron": "w_and = [1.0, 1.0]\nb_and = -0.5",
    "ch01_neuron_output": "def neuron_output(X, w, b):\n    return X @ w + b",
    "ch02_sigmoid_derivative": "def sigmoid_derivative(z):\n    return 1 / (1 + np.exp(-z))",
    "ch02_leaky_relu": "def leaky_relu(z, slope=0.01):\n    return np.maximum(z, 0)",
    "ch02_zero_slope": 'zero_slope_for_negative_z = {"relu"}',
    "ch03_dense_forward": "def dense_forward(X, W, b, f):\n    return X @ W + b",
    "ch03_n_parameters": "n_parameters = 3 * 5 + 5 * 4 + 4 * 2",
    "ch03_collapse": "def collapse(W1, b1, W2, b2):\n    return W1 @ W2, b1 + b2",
    "ch04_mse": "def mse(predictions, targets):\n    return np.sum((predictions - targets) ** 2)",
    "ch04_binary_cross_entropy": "def binary_cross_entropy(p, t):\n    return -np.mean(t * np.log(p))",
    "ch04_softmax": "def softmax(z):\n    return np.exp(z) / np.exp(z).sum()",
    "ch04_half_sure_score": "half_sure_score = np.log(2)",
    "ch05_gradient_descent_step": "def gradient_descent_step(w, grad, learning_rate):\n    return w + learning_rate * grad",
    "ch05_largest_learning_rate": "largest_learning_rate = 0.5",
    "ch05_numerical_gradient": "def numerical_gradient(f, w, h=1e-5):\n    return np.array([(f(w + h) - f(w)) / h for _ in w])",
    "ch06_sigmoid_bce_delta": "def sigmoid_bce_delta(z, t):\n    return 1 / (1 + np.exp(-z)) - t",
    "ch06_dense_backward": ("def dense_backward(X, W, b, grad_output, activation_name):\n"
                            "    return X.T @ grad_output, grad_output.sum(axis=0), grad_output @ W.T"),
    "ch06_n_loss_evaluations": "n_loss_evaluations = (4 * 8 + 8) + (8 * 8 + 8) + (8 * 3 + 3)",
    "ch07_make_batches": ("def make_batches(n_samples, batch_size, rng):\n"
                          "    return [np.arange(start, min(start + batch_size, n_samples)) for start in range(0, n_samples, batch_size)]"),
    "ch07_training_step": ("def training_step(network, X, y, learning_rate):\n"
                           "    loss = network.loss_and_gradients(X, y, 'binary_cross_entropy')\n"
                           "    for parameter, gradient in network.parameters():\n"
                           "        parameter += learning_rate * gradient\n"
                           "    return loss"),
    "ch07_n_steps": "n_steps = 10 * 1000 // 32",
    "ch08_count_parameters": "def count_parameters(sizes):\n    return sum(a * b for a, b in zip(sizes, sizes[1:]))",
    "ch08_deep_ones": 'deep_ones = ["D", "F"]',
    "ch08_gradient_norms": ("def gradient_norms(network, X, y):\n"
                            "    network.loss_and_gradients(X, y, 'binary_cross_entropy')\n"
                            "    return np.array([np.mean(layer.grad_weights) for layer in network.layers])"),
    "ch09_frequency_of_bin": "def frequency_of_bin(k, sample_rate, n_fft):\n    return k * sample_rate / (2 * n_fft)",
    "ch09_to_decibels": "def to_decibels(power, floor):\n    return 20 * np.log10(np.maximum(power, floor))",
    "ch09_frame_count": "def frame_count(n_samples, frame_length, hop_length):\n    return n_samples // hop_length",
    "ch10_confusion_matrix": ("def confusion_matrix(true, predicted, n_classes):\n"
                              "    matrix = np.zeros((n_classes, n_classes), dtype=int)\n"
                              "    for t, p in zip(true, predicted):\n"
                              "        matrix[p, t] += 1\n"
                              "    return matrix"),
    "ch10_per_class_accuracy": "def per_class_accuracy(matrix):\n    return np.diag(matrix) / matrix.sum(axis=0)",
    "ch10_most_confused": 'most_confused = ("triangle", "square")',
    "ch11_speaker_accuracy": ("def speaker_accuracy(predicted, labels, groups):\n"
                              "    return {speaker: float(np.mean(predicted == labels)) for speaker in np.unique(groups)}"),
    "ch11_mix_at_snr": ("def mix_at_snr(clip, noise, snr_db):\n"
                        "    return clip + noise * 10 ** (-snr_db / 20)"),
    "ch12_conv_parameters": "n_parameters = 7 * 40 * 64",
    "ch12_find_pattern": ("def find_pattern(signal, pattern):\n"
                          "    return int(np.argmax(np.abs(signal)))"),
    "ch13_peak_dbfs": "def peak_dbfs(samples):\n    return 20 * np.log10(np.max(samples))",
    "ch13_speaker_trainer": ("voices = SoundTrainer(['george', 'jackson'], sample_rate=RATE)\n"
                             "for speaker in voices.class_names:\n"
                             "    for index in (0, 5):\n"
                             "        voices.add(speaker, DIGITS / f'3_{speaker}_{index}.wav')\n"
                             "voices.train()"),
}


def grader(cell):
    return cell.metadata.get("nbgrader", {})


def reference_code(cell):
    """The python block of a reference-answer cell."""
    found = re.search(r"```python\n(.*?)```", cell.source, re.S)
    assert found, f"a reference answer without a python block:\n{cell.source[:200]}"
    return found.group(1)


def exercises(notebook):
    """(question, answer, check, reference) cell indices of every exercise, in order."""
    answers = [i for i, cell in enumerate(notebook.cells) if grader(cell).get("solution")]
    return [(i - 1, i, i + 1, i + 2) for i in answers]


@pytest.fixture(params=CHAPTERS, ids=[path.stem for path in CHAPTERS])
def chapter(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_every_exercise_has_its_four_cells_in_order(chapter):
    path, notebook = chapter
    found = exercises(notebook)
    assert 2 <= len(found) <= 5, f"{path.name}: 2 to 5 exercises"
    graded = [i for i, cell in enumerate(notebook.cells) if grader(cell).get("grade")]
    assert graded == [check for _, _, check, _ in found], f"{path.name}: every graded cell is an exercise's check"
    tagged = [i for i, cell in enumerate(notebook.cells) if REFERENCE_TAG in cell.metadata.get("tags", [])]
    assert tagged == [reference for *_, reference in found], f"{path.name}: one reference answer after every check"
    number = path.name[:2]
    module = importlib.import_module(f"nblib.checks.chapter{number}")
    for question, answer, check, reference in found:
        cells = notebook.cells
        name = grader(cells[answer])["grade_id"]
        assert name.startswith(f"ch{number}_") and name in WRONG, f"{path.name}: {name} needs a wrong answer in this test"
        assert cells[question].cell_type == "markdown" and grader(cells[question]) == {
            "grade": False, "grade_id": f"{name}_question", "locked": True, "schema_version": 3, "solution": False}
        assert cells[answer].cell_type == "code"
        assert grader(cells[answer]) == {"grade": False, "grade_id": name, "locked": False, "schema_version": 3, "solution": True}
        assert not cells[answer].metadata.get("jupyter", {}).get("source_hidden"), f"{name}: the answer cell is open"
        assert cells[check].cell_type == "code"
        assert {key: grader(cells[check])[key] for key in ("grade", "grade_id", "locked", "solution")} == {
            "grade": True, "grade_id": f"{name}_check", "locked": True, "solution": False}
        assert grader(cells[check])["points"] >= 1
        assert cells[reference].cell_type == "markdown" and "nbgrader" not in cells[reference].metadata
        assert cells[reference].source.startswith("<details><summary>Show a reference answer</summary>")
        assert cells[reference].source.rstrip().endswith("</details>")

        # The answer cell holds a placeholder and no line of the reference answer's own code.
        stub = cells[answer].source
        assert "None" in stub or 'raise NotImplementedError("write your answer here")' in stub, f"{name}: {stub}"
        assert "BEGIN SOLUTION" not in stub
        reference_lines = [line.strip() for line in reference_code(cells[reference]).splitlines()]
        stub_lines = {line.strip() for line in stub.splitlines()}
        own = [line for line in reference_lines if line and line not in stub_lines]
        assert own, f"{name}: the reference answer adds nothing to the placeholder"
        for line in own:
            assert line not in stub, f"{name}: the answer cell holds the reference line {line!r}"

        # The check cell imports its own check, calls it, and holds hidden tests.
        lines = cells[check].source.splitlines()
        imported = re.fullmatch(rf"from nblib\.checks\.chapter{number} import (check_\w+)", lines[0])
        assert imported, f"{name}: the check cell starts by importing its check: {lines[0]}"
        check_name = imported.group(1)
        assert lines[1].startswith(f"{check_name}("), f"{name}: then calls it"
        assert hasattr(getattr(module, check_name), "__wrapped__"), f"{check_name} should be an @exercise_check"
        hidden = cells[check].source.partition("### BEGIN HIDDEN TESTS")[2].partition("### END HIDDEN TESTS")[0]
        assert "if grading():" in hidden and "assert " in hidden, f"{name}: hidden tests run while nbgrader grades"


def test_no_code_cell_after_an_answer_defines_it_again(chapter):
    """Run All must never put anything over the reader's answer."""
    path, notebook = chapter
    for _, answer, _, _ in exercises(notebook):
        names = set(re.findall(r"^(?:def )?(\w+)\s*(?:=|\()", notebook.cells[answer].source, re.M))
        for index, cell in enumerate(notebook.cells[answer + 1:], start=answer + 1):
            if cell.cell_type != "code":
                continue
            for name in names:
                assert not re.search(rf"^\s*(def {name}\(|{name}\s*=[^=])", cell.source, re.M), (
                    f"{path.name}: cell {index} defines {name} again, over the reader's answer")


def error_outputs(cell):
    return [output for output in cell.get("outputs", []) if output["output_type"] == "error"]


def printed(cell):
    return "".join(output.get("text", "") for output in cell.get("outputs", []) if output["output_type"] == "stream")


@pytest.mark.parametrize("path", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_the_readers_path_wrong_then_right(path):
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    found = exercises(notebook)
    for _, answer, _, _ in found:
        notebook.cells[answer].source = WRONG[grader(notebook.cells[answer])["grade_id"]]
    client = NotebookClient(notebook, timeout=300, allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        # Run All with wrong answers: every check fails with its message alone; nothing else fails.
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        checks = {check for _, _, check, _ in found}
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            errors = error_outputs(cell)
            if index not in checks:
                assert not errors, f"{path.name} cell {index}: {errors[0]['ename']}: {errors[0]['evalue']}"
                continue
            name = grader(cell)["grade_id"]
            assert len(errors) == 1, f"{name}: a wrong answer must fail its check; it printed {printed(cell)!r}"
            error = errors[0]
            assert error["ename"] == "CheckFailed" and len(error["evalue"]) > 20, f"{name}: {error['ename']}: {error['evalue']}"
            shown = "\n".join(error["traceback"])
            assert "Not yet right" in shown and error["evalue"].splitlines()[0] in shown
            assert "File " not in shown and "nblib" not in shown and "Traceback" not in shown, f"{name}: {shown}"

        # Then the reference answers, in the same kernel, graded as nbgrader would: every check passes.
        notebook.cells.append(nbformat.v4.new_code_cell("import os\nos.environ['NBGRADER_EXECUTION'] = 'autograde'"))
        client.execute_cell(notebook.cells[-1], len(notebook.cells) - 1)
        for _, answer, check, reference in found:
            name = grader(notebook.cells[answer])["grade_id"]
            notebook.cells[answer].source = reference_code(notebook.cells[reference])
            for index in (answer, check):
                client.execute_cell(notebook.cells[index], index)
                errors = error_outputs(notebook.cells[index])
                assert not errors, f"{name}: {errors[0]['ename']}: {errors[0]['evalue']}"
            assert printed(notebook.cells[check]).startswith("✔ Right"), f"{name}: {printed(notebook.cells[check])!r}"


def test_the_stored_book_shows_every_exercise_unanswered(chapter):
    path, notebook = chapter
    for _, _, check, _ in exercises(notebook):
        cell = notebook.cells[check]
        assert not error_outputs(cell) and printed(cell).startswith("… Not answered yet:"), (
            f"{path.name}: {grader(cell)['grade_id']}: {json.dumps(cell.get('outputs'))[:300]}")
