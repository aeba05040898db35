"""Helpers for the tests of a course run on the book (tests/test_course.py, tests/test_jupyterhub.py).

- `instructor_environment`: a virtual environment with nbgrader (and, if asked, JupyterHub) on
  top of the book's own packages, so they never reach the readers' environment.
- `exercises_notebook`: the book's chapter 7 (exercises in four cells: question, answer cell with
  a placeholder, locked check cell importing its check with hidden tests, reference answer),
  whose step-counting exercise declares, in this copy, the numbers a course varies.
- Answers as students write them: right, wrong, and as the student copy's instructions say.
"""

import json
import os
import re
import site
import subprocess
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

N_STEPS_NUMBERS = {"n_samples": [1000, 600, 800, 1500, 2000], "batch_size": [32, 24, 48, 64],
                   "epochs": [10, 6, 8, 12, 15]}
"""The numbers of chapter 7's step-counting exercise: the book's first, then those a course draws from."""
N_STEPS_CHECK = """from nblib.checks.chapter07 import check_n_steps
check_n_steps(n_steps, n_samples={{n_samples}}, batch_size={{batch_size}}, epochs={{epochs}})
### BEGIN HIDDEN TESTS
from nblib.checks import grading
if grading():  # only while nbgrader grades; in the book the check above says it all
    assert n_steps == {{epochs}} * math.ceil({{n_samples}} / {{batch_size}})
### END HIDDEN TESTS"""
N_STEPS_ANSWER = """<details><summary>Show a reference answer</summary>

```python
n_steps = {{epochs}} * math.ceil({{n_samples}} / {{batch_size}})
```

</details>"""
QUESTION_NUMBERS = [("there are 1000 training sounds", "there are {{n_samples}} training sounds"),
                    ("the batch size is\n32,", "the batch size is\n{{batch_size}},"),
                    ("runs for 10 epochs", "runs for {{epochs}} epochs")]


def book_text(template, numbers=N_STEPS_NUMBERS):
    return re.sub(r"\{\{(\w+)\}\}", lambda m: str(numbers[m.group(1)][0]), template)


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
VALUE_STUB = "n_steps = None  # your answer"
STUB_LINE = 'raise NotImplementedError("write your answer here")'


def exercises_notebook():
    """Chapter 7 as the book stores it, with its step-counting exercise declaring the numbers a
    course may vary: the question, check and reference-answer cells carry templates (metadata
    "course"), and the check cell passes the numbers to the check. Rendered with the book's
    numbers, these cells read as in the book."""
    notebook = json.loads((ROOT / "chapters" / "07_training_a_network.ipynb").read_text(encoding="utf-8"))
    cells = notebook["cells"]
    ids = [cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") for cell in cells]
    question, check = ids.index("ch07_n_steps_question"), ids.index("ch07_n_steps_check")
    template = "".join(cells[question]["source"])
    for book, placeholder in QUESTION_NUMBERS:
        assert book in template, f"chapter 7's counting question no longer says {book!r}"
        template = template.replace(book, placeholder)
    cells[question]["metadata"]["course"] = {"numbers": N_STEPS_NUMBERS, "template": template}
    cells[check]["metadata"]["course"] = {"template": N_STEPS_CHECK}
    cells[check]["source"] = book_text(N_STEPS_CHECK)
    assert "reference-answer" in cells[check + 1]["metadata"].get("tags", [])
    cells[check + 1]["metadata"]["course"] = {"template": N_STEPS_ANSWER}
    cells[check + 1]["source"] = book_text(N_STEPS_ANSWER)
    return notebook


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
            stub = next(i for i, line in enumerate(lines) if STUB_LINE in line)
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
