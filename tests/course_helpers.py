"""Helpers for the tests of a course run on the book (tests/test_course.py, tests/test_jupyterhub.py).

- `instructor_environment`: a virtual environment with nbgrader (and, if asked, JupyterHub) on
  top of the book's own packages, so they never reach the readers' environment.
- `exercises_notebook`: a chapter-7 assignment in the book's exercise layout (question, answer
  cell with a placeholder, locked check cell importing its check with hidden tests, reference
  answer), whose step-counting exercise declares numbers a course varies.
- Answers as students write them: right, wrong, and as the student copy's instructions say.
"""

import hashlib
import json
import os
import re
import site
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_TOOL = ROOT / "instructors" / "course.py"


def instructor_environment(base, extra=()):
    """bin/ of a virtual environment under `base` with instructors/requirements.txt (plus `extra`).

    It sees every package of the book's environment (a .pth file adds their folders), so the
    kernels that grade import nblib, numpy and matplotlib as the readers' do. Reused if present;
    BOOK_INSTRUCTOR_ENV_BASE names a folder to keep it in between runs.
    """
    environment = Path(os.environ.get("BOOK_INSTRUCTOR_ENV_BASE", base)) / "instructor-env"
    bin_dir = environment / "bin"
    marker = environment / f"installed-{'-'.join(['nbgrader', *extra])}"
    if marker.exists():
        return bin_dir
    if not bin_dir.exists():
        venv.create(environment, with_pip=True)
        child_site = next(environment.glob("lib/python*/site-packages"))
        parents = [path for path in site.getsitepackages() if Path(path).is_dir()]
        (child_site / "book_environment.pth").write_text(
            "".join(f"import site; site.addsitedir({path!r})\n" for path in parents))
    install = subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "-q", "-r", ROOT / "instructors" / "requirements.txt", *extra],
        env=environment_variables(bin_dir), capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-3000:]
    marker.touch()
    return bin_dir


def environment_variables(bin_dir, **more):
    """The environment for instructor commands: the venv first on PATH, this checkout's nblib importable."""
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", **more}


def course(bin_dir, *args, timeout=900):
    """Run `python instructors/course.py ARGS` with nbgrader's environment; returns its output."""
    result = subprocess.run([bin_dir / "python", COURSE_TOOL, *map(str, args)], env=environment_variables(bin_dir),
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"course.py {' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result.stdout + result.stderr


# ----------------------------------------------------------------------------- the assignment

def _cell(kind, source, grade_id=None, grade=False, locked=False, solution=False, points=None, **metadata):
    cell = {"cell_type": kind, "id": (grade_id or "cell-" + hashlib.sha1(source.encode()).hexdigest()[:8]).replace("_", "-"),
            "metadata": dict(metadata), "source": source}
    if grade_id:
        cell["metadata"]["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
                                        "solution": solution, **({"points": points} if points else {})}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


N_STEPS_NUMBERS = {"n_samples": [1000, 600, 800, 1500, 2000], "batch_size": [32, 24, 48, 64],
                   "epochs": [10, 6, 8, 12, 15]}
N_STEPS_QUESTION = """### Exercise 3 · Counting steps

Chapter 10 trains a network on sounds. Suppose there are {{n_samples}} training sounds, the batch size is
{{batch_size}}, and training runs for {{epochs}} epochs. How many gradient steps does training take? Work it
out and set `n_steps` to the number."""
N_STEPS_CHECK = """from nblib.checks.chapter07 import check_n_steps
check_n_steps(n_steps, n_samples={{n_samples}}, batch_size={{batch_size}}, epochs={{epochs}})
### BEGIN HIDDEN TESTS
assert n_steps == {{epochs}} * math.ceil({{n_samples}} / {{batch_size}})
### END HIDDEN TESTS"""
N_STEPS_ANSWER = """<details><summary>Show a reference answer</summary>

```python
n_steps = {{epochs}} * math.ceil({{n_samples}} / {{batch_size}})
```
</details>"""


def book_text(template, numbers=N_STEPS_NUMBERS):
    return re.sub(r"\{\{(\w+)\}\}", lambda m: str(numbers[m.group(1)][0]), template)


def reference(code):
    return _cell("markdown", f"<details><summary>Show a reference answer</summary>\n\n```python\n{code}\n```\n</details>",
                 tags=["reference-answer"])


RIGHT = {
    "make_batches": "    order = rng.permutation(n_samples)\n"
                    "    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]",
    "training_step": "    loss = network.loss_and_gradients(X, y, \"binary_cross_entropy\")\n"
                     "    for parameter, gradient in network.parameters():\n"
                     "        parameter -= learning_rate * gradient\n"
                     "    return loss",
}
SIGNATURES = {
    "make_batches": 'def make_batches(n_samples, batch_size, rng):\n    """The batches of one epoch."""\n',
    "training_step": 'def training_step(network, X, y, learning_rate):\n    """One gradient-descent step; returns the loss."""\n',
}
STUB_BODY = '    raise NotImplementedError("write your answer here")'
VALUE_STUB = "n_steps = None  # your answer"


def exercises_notebook():
    """Chapter 7's three exercises in the book's layout, as the book stores them (stubs in place)."""
    cells = [
        _cell("markdown", "# 7 · Training a network: exercises"),
        _cell("code", "import math\n\nimport numpy as np\n\nfrom nblib.network import Network"),
        _cell("markdown", "### Exercise 1 · Mini-batches for one epoch\n\nWrite `make_batches(n_samples, batch_size, rng)` "
              "that returns the shuffled indices 0 … n_samples − 1 cut into arrays of `batch_size` (the last one smaller).",
              "ch07_make_batches_question", locked=True),
        _cell("code", SIGNATURES["make_batches"] + STUB_BODY, "ch07_make_batches", solution=True),
        _cell("code", "from nblib.checks.chapter07 import check_make_batches\ncheck_make_batches(make_batches)\n"
              "### BEGIN HIDDEN TESTS\nhidden_batches = make_batches(10, 4, np.random.default_rng(3))\n"
              "assert sorted(np.concatenate(hidden_batches).tolist()) == list(range(10))\n"
              "assert [len(batch) for batch in hidden_batches] == [4, 4, 2]\n### END HIDDEN TESTS",
              "ch07_make_batches_check", grade=True, locked=True, points=1),
        reference(SIGNATURES["make_batches"] + RIGHT["make_batches"]),
        _cell("markdown", "### Exercise 2 · One training step\n\nWrite `training_step(network, X, y, learning_rate)`: "
              "forward, binary cross-entropy, backward, move every parameter by −η × its gradient in place; "
              "return the loss before the update.", "ch07_training_step_question", locked=True),
        _cell("code", SIGNATURES["training_step"] + STUB_BODY, "ch07_training_step", solution=True),
        _cell("code", "from nblib.checks.chapter07 import check_training_step\ncheck_training_step(training_step)\n"
              "### BEGIN HIDDEN TESTS\nhidden_network = Network.from_sizes([2, 3, 1], rng=np.random.default_rng(5))\n"
              "hidden_X = np.random.default_rng(6).normal(size=(8, 2))\nhidden_y = (hidden_X[:, 0] > 0).astype(int)\n"
              "hidden_before = hidden_network.copy_parameters()\n"
              "hidden_loss = hidden_network.loss_and_gradients(hidden_X, hidden_y, 'binary_cross_entropy')\n"
              "hidden_gradients = [gradient.copy() for _, gradient in hidden_network.parameters()]\n"
              "assert abs(training_step(hidden_network, hidden_X, hidden_y, 0.1) - hidden_loss) < 1e-9\n"
              "assert all(np.allclose(after, before - 0.1 * gradient) for after, before, gradient in\n"
              "           zip(hidden_network.copy_parameters(), hidden_before, hidden_gradients))\n"
              "### END HIDDEN TESTS", "ch07_training_step_check", grade=True, locked=True, points=1),
        reference(SIGNATURES["training_step"] + RIGHT["training_step"]),
        _cell("markdown", book_text(N_STEPS_QUESTION), "ch07_n_steps_question", locked=True,
              course={"numbers": N_STEPS_NUMBERS, "template": N_STEPS_QUESTION}),
        _cell("code", VALUE_STUB, "ch07_n_steps", solution=True),
        _cell("code", book_text(N_STEPS_CHECK), "ch07_n_steps_check", grade=True, locked=True, points=1,
              course={"template": N_STEPS_CHECK}),
        _cell("markdown", book_text(N_STEPS_ANSWER), tags=["reference-answer"], course={"template": N_STEPS_ANSWER}),
        _cell("markdown", "Next: chapter 8."),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                                         "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}


# ----------------------------------------------------------------------------- students

def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def save(notebook, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")


def answer_cells(notebook):
    return {cell["metadata"]["nbgrader"]["grade_id"]: cell for cell in notebook["cells"]
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")}


def write_answers(notebook, answers):
    """Overwrite whole answer cells: {grade_id: source}."""
    cells = answer_cells(notebook)
    for grade_id, source in answers.items():
        cells[grade_id]["source"] = source
    return notebook


def right_answers(n_steps):
    return {"ch07_make_batches": SIGNATURES["make_batches"] + RIGHT["make_batches"],
            "ch07_training_step": SIGNATURES["training_step"] + RIGHT["training_step"],
            "ch07_n_steps": f"n_steps = {n_steps}"}


def numbers_in_question(notebook):
    """The step-counting exercise's numbers as the student copy's question states them."""
    text = "".join(answer_cells(notebook)["ch07_n_steps_question"]["source"])
    found = re.search(r"there are (\d+) training sounds, the batch size is\s+(\d+), and training runs for (\d+) epochs", text)
    assert found, f"the question does not state its numbers: {text}"
    return tuple(map(int, found.groups()))


def follow_the_instructions(notebook):
    """Student E: does exactly what the student copy says, and nothing else.

    In each answer cell, replace the placeholder (`None  # your answer`, or the line
    `raise NotImplementedError(...)`) by the answer, in that same cell; nothing else changes.
    """
    n_samples, batch_size, epochs = numbers_in_question(notebook)
    for grade_id, cell in answer_cells(notebook).items():
        if not cell["metadata"]["nbgrader"].get("solution"):
            continue
        source = "".join(cell["source"])
        name = grade_id.removeprefix("ch07_")
        if "None  # your answer" in source:
            source = source.replace("None  # your answer", f"{epochs} * math.ceil({n_samples} / {batch_size})")
        else:
            lines = source.splitlines()
            stub = next(i for i, line in enumerate(lines) if "raise NotImplementedError" in line)
            source = "\n".join(lines[:stub] + RIGHT[name].splitlines() + lines[stub + 1:])
        cell["source"] = source
    return notebook


def run_notebook(path, bin_dir=None):
    """Kernel → Restart and Run All, then save: what the instructions ask before handing in."""
    import nbformat
    from nbclient import NotebookClient
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, allow_errors=True, resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    nbformat.write(notebook, path)


def python_version_tag():
    return f"{sys.version_info.major}.{sys.version_info.minor}"
