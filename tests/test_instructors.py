"""The instructor's workflow with nbgrader, for every chapter with exercises.

In a temporary course folder, with nbgrader installed from instructors/requirements.txt
into a virtual environment of its own (so it never reaches the readers' JupyterLab):
`nbgrader generate_assignment` makes a student copy with no reference answer and no hidden
test left, whose answer cells are the book's placeholders; autograding the course's source
(the reference answers in the answer cells) gives full points; autograding the untouched
student copy gives zero, and there every check fails with "Not answered yet" (CheckFailed),
not with a NameError.
"""

import csv
import json
import os
import re
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "instructors"))
from make_course import make_course  # noqa: E402

CHAPTERS = sorted(path for path in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb") if not path.name.startswith("00"))


def solution_lines(source):
    """The lines between ### BEGIN SOLUTION and ### END SOLUTION (or the hidden-test markers)."""
    blocks = re.findall(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", source, re.S)
    return [line.strip() for _, block in blocks for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course with every chapter as an assignment, generated and autograded for two students:
    'reference' hands in the course's source (the reference answers in the answer cells), 'untouched'
    the student copy as released."""
    folder = tmp_path_factory.mktemp("course")
    environment = folder / "nbgrader-env"
    venv.create(environment, with_pip=True)
    # The new environment sees everything the book's environment has (nblib, matplotlib, ...)
    # and adds nbgrader on top, so nbgrader never lands in the readers' environment.
    child_site = next(environment.glob("lib/python*/site-packages"))
    parents = [path for path in site.getsitepackages() if Path(path).is_dir()]
    (child_site / "book_environment.pth").write_text(
        "".join(f"import site; site.addsitedir({path!r})\n" for path in parents))
    bin_dir = environment / "bin"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    install = subprocess.run([bin_dir / "python", "-m", "pip", "install", "-q", "-r", ROOT / "instructors" / "requirements.txt"],
                             env=env, capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-3000:]

    def nbgrader(*args):
        result = subprocess.run([bin_dir / "nbgrader", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=1800)
        assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        return result

    assignments = make_course(folder, [path.name[:2] for path in CHAPTERS])
    for assignment, chapter in zip(assignments, CHAPTERS):
        nbgrader("generate_assignment", assignment, "--force")
        for student, version in (("reference", folder / "source"), ("untouched", folder / "release")):
            target = folder / "submitted" / student / assignment
            target.mkdir(parents=True, exist_ok=True)
            (target / chapter.name).write_bytes((version / assignment / chapter.name).read_bytes())
    for assignment in assignments:
        nbgrader("autograde", assignment, "--create", "--force")
    nbgrader("export")
    with open(folder / "grades.csv") as stream:
        grades = {(row["assignment"], row["student_id"]): (float(row["score"]), float(row["max_score"])) for row in csv.DictReader(stream)}
    return folder, dict(zip(CHAPTERS, assignments)), grades


def cells(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_the_student_copy_holds_no_solution_and_the_books_placeholders(course, chapter):
    folder, assignments, _ = course
    released_cells = cells(folder / "release" / assignments[chapter] / chapter.name)
    released = {cell["metadata"]["nbgrader"]["grade_id"]: "".join(cell["source"])
                for cell in released_cells if "grade_id" in cell["metadata"].get("nbgrader", {})}
    assert not any("reference-answer" in cell["metadata"].get("tags", []) for cell in released_cells)
    source_cells = cells(folder / "source" / assignments[chapter] / chapter.name)
    graded_cells = [cell for cell in source_cells if "grade_id" in cell["metadata"].get("nbgrader", {})]
    book_answers = {cell["metadata"]["nbgrader"]["grade_id"]: "".join(cell["source"]) for cell in cells(chapter)
                    if cell["metadata"].get("nbgrader", {}).get("solution")}
    assert book_answers
    secrets = 0
    for cell in graded_cells:
        grade_id = cell["metadata"]["nbgrader"]["grade_id"]
        student_version = released[grade_id]
        placeholder = {line.strip() for line in book_answers.get(grade_id, "").splitlines()}
        for line in solution_lines("".join(cell["source"])):
            if line in placeholder:  # a reference answer repeats the placeholder's def line and docstring
                continue
            secrets += 1
            assert line not in student_version, f"solution text left in the student copy: {line}"
        assert "BEGIN SOLUTION" not in student_version and "BEGIN HIDDEN TESTS" not in student_version
    assert secrets, "the chapter should have solutions to hide"
    for grade_id, placeholder in book_answers.items():
        assert released[grade_id].strip() == placeholder.strip(), f"{grade_id}: the student copy should keep the book's placeholder"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_reference_answers_get_full_points_and_the_untouched_copy_zero(course, chapter):
    _, assignments, grades = course
    score, maximum = grades[(assignments[chapter], "reference")]
    assert maximum >= 2 and score == maximum
    assert grades[(assignments[chapter], "untouched")][0] == 0


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_in_the_untouched_copy_every_check_says_not_answered(course, chapter):
    folder, assignments, _ = course
    graded = cells(folder / "autograded" / "untouched" / assignments[chapter] / chapter.name)
    checks = [cell for cell in graded if cell["metadata"].get("nbgrader", {}).get("grade") and cell["cell_type"] == "code"]
    assert checks
    for cell in checks:
        errors = [output for output in cell["outputs"] if output["output_type"] == "error"]
        assert errors, f"a check passed on an unanswered exercise: {''.join(cell['source'])[:80]}"
        assert errors[0]["ename"] == "CheckFailed", f"{errors[0]['ename']}: {errors[0]['evalue'][:200]}"
        assert errors[0]["evalue"].startswith("Not answered yet:")
