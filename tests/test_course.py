"""A course run on the book with instructors/course.py, from an empty folder to grades.

Chapter 7 of the book is handed out, the numbers of its step-counting exercise varied by the
course's seed, then handed in by:

- A: every answer right (the course's numbers);            3 of 3
- B: the student copy untouched;                            0 of 3
- C: one right, one wrong, and the book's public answer
     to the counting exercise, 2 days late (10 % a day);    1 − 0.6 = 0.4 of 3
- E: follows the student copy's instructions to the letter
     (replaces each placeholder, Restart and Run All);      3 of 3
- D: an endless loop in one answer (the per-cell limit);    2 of 3
- cheat_redefine: answer cells that redefine the checks,
     patch the check module and remove the variable that
     turns hidden tests on in the book, every answer wrong; 0 of 3
- cheat_locked: a wrong answer, its locked check cell
     edited to print "Right";                               2 of 3
- cheat_deleted: a wrong answer, its check cell deleted;    2 of 3
- R: regraded after handing in again: 2, then 3 of 3;
- F: on the roster, never hands in:                         "not submitted".

Autograding runs two workers in parallel; the report lists exactly the cheats' changes (and no
false "checksum has changed" for untouched check cells); feedback shows scores and the checks'
messages only.
"""

import csv
import json
import math
import re
import shutil
import subprocess
import sys

import pytest

from course_helpers import (
    COURSE_TOOL, ROOT, VALUE_STUB, N_STEPS_NUMBERS, course, exercises_notebook, follow_the_instructions, load,
    answer_cells, instructor_environment, right_answers, run_notebook, save, write_answers,
)

sys.path.insert(0, str(ROOT / "instructors"))
import course as course_tool  # noqa: E402

NOTEBOOK = "07_training_a_network.ipynb"
SEED = 2027
DUE = "2027-03-01 23:59"
WRONG_STEP = ('def training_step(network, X, y, learning_rate):\n    loss = network.loss_and_gradients(X, y, "binary_cross_entropy")\n'
              '    for parameter, gradient in network.parameters():\n        parameter = parameter - learning_rate * gradient\n'
              '    return loss')
ROSTER = [  # id, name, email, lms_user_id
    ("A", "Ada Lovelace", "ada@example.org", "lms-001"),
    ("B", "Blaise Pascal", "blaise@example.org", "lms-002"),
    ("C", "Charles Babbage", "charles@example.org", "lms-003"),
    ("D", "Dorothy Vaughan", "dorothy@example.org", "lms-004"),
    ("E", "Emmy Noether", "emmy@example.org", "lms-005"),
    ("F", "Frances Allen", "frances@example.org", "lms-006"),
    ("R", "Rosalind Franklin", "rosalind@example.org", "lms-007"),
    ("cheat_redefine", "Mallory Redefine", "m1@example.org", "lms-101"),
    ("cheat_locked", "Mallory Locked", "m2@example.org", "lms-102"),
    ("cheat_deleted", "Mallory Deleted", "m3@example.org", "lms-103"),
]
EXPECTED = {"A": 3, "B": 0, "C": 0.4, "D": 2, "E": 3, "R": 3, "cheat_redefine": 0, "cheat_locked": 2, "cheat_deleted": 2}


def hand_in(folder, student, notebook, submitted_at=None):
    target = folder / "submitted" / student / "ch07"
    if target.exists():
        shutil.rmtree(target)
    save(notebook, target / NOTEBOOK)
    if submitted_at:
        (target / "timestamp.txt").write_text(submitted_at)
    return target / NOTEBOOK


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The course after release, hand-in, parallel autograding, report, feedback and grades."""
    bin_dir = instructor_environment(tmp_path_factory.getbasetemp())
    base = tmp_path_factory.mktemp("course-run")
    book_copy = base / "book" / NOTEBOOK
    save(exercises_notebook(), book_copy)
    folder = base / "course"
    course_tool.new_course(folder, chapter_files=[book_copy], seed=SEED, timeout=20)
    roster = base / "roster.csv"
    with open(roster, "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "name", "email", "lms_user_id"])
        writer.writerows(ROSTER)
    outputs = {"roster": course(bin_dir, "roster", folder, roster),
               "release": course(bin_dir, "release", folder, "ch07", "--due", DUE)}
    release = load(folder / "release" / "ch07" / NOTEBOOK)
    numbers = json.loads((folder / "course.json").read_text())["assignments"]["ch07"]["numbers"]["ch07_n_steps_question"]
    answer = numbers["epochs"] * math.ceil(numbers["n_samples"] / numbers["batch_size"])
    book_answer = 10 * math.ceil(1000 / 32)

    def copy():
        return json.loads(json.dumps(release))

    hand_in(folder, "A", write_answers(copy(), right_answers(answer)))
    hand_in(folder, "B", copy())
    hand_in(folder, "C", write_answers(copy(), {**right_answers(book_answer), "ch07_training_step": WRONG_STEP}),
            submitted_at="2027-03-03 08:00:00.000000 UTC")
    e_path = hand_in(folder, "E", follow_the_instructions(copy()))
    run_notebook(e_path)
    hand_in(folder, "D", write_answers(copy(), {**right_answers(answer), "ch07_n_steps": "while True:\n    pass"}))
    hand_in(folder, "R", write_answers(copy(), right_answers(answer + 1)))
    redefine = write_answers(copy(), {
        "ch07_make_batches": "def make_batches(n_samples, batch_size, rng):\n    return [np.arange(n_samples)]\n\n"
                             "check_make_batches = lambda f: print('✔ Right')",
        "ch07_training_step": "def training_step(network, X, y, learning_rate):\n    return 0.0\n\n"
                              "import nblib.checks.chapter07 as checks\n"
                              "checks.check_training_step = lambda f: print('✔ Right: fine')",
        "ch07_n_steps": "n_steps = 1\ncheck_n_steps = lambda *args, **kwargs: print('✔ Right')\n"
                        "import os\nos.environ.pop('NBGRADER_EXECUTION', None)  # hidden tests off?"})
    hand_in(folder, "cheat_redefine", redefine)
    locked = write_answers(copy(), {**right_answers(answer), "ch07_n_steps": "n_steps = 1"})
    answer_cells(locked)["ch07_n_steps_check"]["source"] = "print('✔ Right: n_steps')"
    hand_in(folder, "cheat_locked", locked)
    deleted = write_answers(copy(), {**right_answers(answer), "ch07_n_steps": "n_steps = 1"})
    deleted["cells"] = [cell for cell in deleted["cells"]
                        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "ch07_n_steps_check"]
    hand_in(folder, "cheat_deleted", deleted)

    outputs["autograde"] = course(bin_dir, "autograde", folder, "ch07", "--workers", "2")
    outputs["report"] = course(bin_dir, "report", folder, "ch07")
    outputs["grades_before_regrade"] = course(bin_dir, "grades", folder)
    first_grades = (folder / "grades" / "grades.csv").read_text()
    # R hands in again, with the right answer: regrade that student only.
    hand_in(folder, "R", write_answers(copy(), right_answers(answer)))
    outputs["regrade"] = course(bin_dir, "autograde", folder, "ch07", "--student", "R")
    outputs["feedback"] = course(bin_dir, "feedback", folder, "ch07")
    outputs["grades"] = course(bin_dir, "grades", folder)
    with open(folder / "grades" / "grades.csv", newline="") as stream:
        grades = list(csv.DictReader(stream))
    return {"folder": folder, "outputs": outputs, "release": release, "answer": answer, "book_answer": book_answer,
            "numbers": numbers, "grades": grades, "first_grades": first_grades}


def score_column(rows):
    return next(name for name in rows[0] if name.startswith("ch07"))


def test_every_submission_gets_the_score_it_earned(graded):
    rows = graded["grades"]
    column = score_column(rows)
    assert column == "ch07 (of 3)"
    got = {row["student_id"]: row[column] for row in rows}
    assert got == {**{student: f"{score:g}" for student, score in EXPECTED.items()}, "F": "not submitted"}


def test_grades_have_one_sorted_row_per_roster_student_with_lms_ids(graded):
    rows = graded["grades"]
    last_names = [row["last_name"].lower() for row in rows]
    assert last_names == sorted(last_names)
    assert {(row["student_id"], row["email"], row["lms_user_id"]) for row in rows} == {
        (student, email, lms) for student, _, email, lms in ROSTER}
    assert next(row for row in rows if row["student_id"] == "A")["first_name"] == "Ada"


def test_late_submission_loses_the_documented_penalty(graded):
    details = list(csv.DictReader(open(graded["folder"] / "grades" / "details.csv")))
    late = next(row for row in details if row["student_id"] == "C")
    assert (float(late["score"]), int(late["days_late"]), float(late["penalty"])) == (1.0, 2, pytest.approx(0.6))
    assert all(int(row["days_late"]) == 0 for row in details if row["student_id"] != "C")
    assert course_tool.late_penalty(3, 86400 * 1.5, 0.1) == (2, pytest.approx(0.6))
    assert course_tool.late_penalty(3, 86400 * 40, 0.1) == (40, 3)


def test_regrading_replaces_the_old_score(graded):
    first = {row["student_id"]: row["ch07 (of 3)"] for row in csv.DictReader(graded["first_grades"].splitlines())}
    assert first["R"] == "2" and first["A"] == "3"
    assert "graded 1 submissions" in graded["outputs"]["regrade"]


def test_the_course_has_its_own_numbers(graded):
    folder, release = graded["folder"], graded["release"]
    numbers = graded["numbers"]
    assert graded["answer"] != graded["book_answer"]
    assert all(numbers[name] != values[0] and numbers[name] in values for name, values in N_STEPS_NUMBERS.items())
    question = "".join(answer_cells(release)["ch07_n_steps_question"]["source"])
    assert f"there are {numbers['n_samples']} training sounds" in question
    assert "1000" not in question
    # the same seed gives the same numbers; another seed (almost always) others
    notebook = exercises_notebook()
    assert course_tool.course_numbers(notebook, SEED) == course_tool.course_numbers(notebook, SEED)
    assert len({json.dumps(course_tool.course_numbers(notebook, seed)) for seed in range(20)}) > 5
    # the reference answers stay with the instructor (in source/), with the course's numbers
    source = answer_cells(load(folder / "source" / "ch07" / NOTEBOOK))
    assert f"n_steps = {numbers['epochs']} * math.ceil({numbers['n_samples']} / {numbers['batch_size']})" in \
        "".join(source["ch07_n_steps"]["source"])
    assert "reference answer" not in json.dumps(release).lower()
    assert "permutation" not in "".join(answer_cells(release)["ch07_make_batches"]["source"])


def test_templates_reproduce_the_book():
    """Rendering an exercise's templates with the book's numbers gives back the book's cells, for
    the test assignment and every chapter that declares numbers."""
    notebooks = [exercises_notebook()] + [json.loads(path.read_text()) for path in sorted((ROOT / "chapters").glob("*.ipynb"))]
    def sources(notebook):
        return ["".join(cell["source"]) for cell in notebook["cells"]]
    for notebook in notebooks:
        assert sources(course_tool.with_numbers(notebook, course_tool.book_numbers(notebook))) == sources(notebook)
    assert any("n_samples={{n_samples}}" in json.dumps(cell["metadata"]) for cell in notebooks[0]["cells"])


def test_the_check_takes_the_course_numbers(capsys):
    from nblib.checks import CheckFailed
    from nblib.checks.chapter07 import check_n_steps
    check_n_steps(8 * math.ceil(1500 / 24), n_samples=1500, batch_size=24, epochs=8)
    assert "63 batches per epoch" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="That is one epoch; there are 8"):
        check_n_steps(63, n_samples=1500, batch_size=24, epochs=8)
    with pytest.raises(CheckFailed):
        check_n_steps(320, n_samples=1500, batch_size=24, epochs=8)


def test_the_student_copy_says_how_to_answer_and_holds_the_placeholders_it_names(graded):
    release = graded["release"]
    text = json.dumps(release)
    instructions = "".join(release["cells"][1]["source"])
    assert "answer cell" in instructions and "`None  # your answer`" in instructions
    assert 'raise NotImplementedError("write your answer here")' in instructions
    assert "add a cell" not in text.lower() and "collapsed" not in text.lower()
    answers = [cell for cell in release["cells"] if cell.get("metadata", {}).get("nbgrader", {}).get("solution")]
    assert len(answers) == 3
    for cell in answers:
        source = "".join(cell["source"])
        assert VALUE_STUB in source or 'raise NotImplementedError("write your answer here")' in source
    assert "BEGIN HIDDEN TESTS" not in text and "hidden_" not in text


def test_the_report_lists_each_cheat_and_nobody_else(graded):
    rows = list(csv.DictReader(open(graded["folder"] / "reports" / "ch07" / "tamper.csv")))
    findings = {}
    for row in rows:
        findings.setdefault(row["student_id"], []).append(row["finding"])
    assert set(findings) == {"cheat_redefine", "cheat_locked", "cheat_deleted"}
    assert findings["cheat_locked"] == ["ch07_n_steps_check: locked cell edited (the course's copy was graded)"]
    assert findings["cheat_deleted"] == ["ch07_n_steps_check: check cell deleted (its exercise scores 0)"]
    redefine = " | ".join(findings["cheat_redefine"])
    for fragment in ("ch07_make_batches: redefines check_make_batches", "ch07_n_steps: redefines check_n_steps",
                     "ch07_n_steps: touches the environment nbgrader grades in",
                     "ch07_training_step: changes checks.check_training_step"):
        assert fragment in redefine


def test_no_false_checksum_warnings(graded):
    logs = graded["folder"] / "reports" / "ch07" / "logs"
    assert sorted(path.stem for path in logs.glob("*.log")) == sorted(EXPECTED)
    for path in logs.glob("*.log"):
        assert "checksum" not in path.read_text()
    assert "checksum" not in graded["outputs"]["autograde"]
    assert "is not absolute" not in "".join(graded["outputs"].values())


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_feedback_shows_scores_and_check_messages_only(graded, student):
    page = (graded["folder"] / "feedback" / student / "ch07.html").read_text()
    assert "white-space: pre-wrap" in page and "overflow-wrap: anywhere" in page
    for secret in ("BEGIN HIDDEN", "hidden_", "assert ", "Traceback", str(ROOT), "site-packages", "nblib/checks",
                   str(graded["folder"]), "\x1b[", "File \""):
        assert secret not in page, f"{secret!r} in {student}'s feedback"
    assert re.search(r"Score: [\d.]+ of 3", page)


def test_feedback_says_what_each_student_needs(graded):
    def page(student):
        return (graded["folder"] / "feedback" / student / "ch07.html").read_text()
    assert page("A").count("✔ Right") == 3 and "Score: 3 of 3" in page("A")
    assert page("B").count("Not answered yet") == 3 and "Score: 0 of 3" in page("B")
    assert "Score: 0.4 of 3" in page("C") and "late penalty of 0.6 for 2 day(s) late" in page("C")
    assert "did not change" in page("C") and "n_steps is 320" in page("C")
    assert page("D").count("ran longer than the time limit") == 1
    assert "check cell was missing" in page("cheat_deleted")


def test_grading_is_parallel_and_says_how_long_it_took(graded):
    assert re.search(r"graded 9 submissions in [\d.]+ s", graded["outputs"]["autograde"])


def test_a_course_folder_inside_the_book_is_refused(tmp_path):
    result = subprocess.run([sys.executable, COURSE_TOOL, "new", ROOT / "my-course", "07"], capture_output=True, text=True)
    assert result.returncode != 0 and "inside the book's repository" in result.stderr
    assert not (ROOT / "my-course").exists()
    course_tool.new_course(tmp_path / "c", ["07"], seed=1)
    config = (tmp_path / "c" / "nbgrader_config.py").read_text()
    assert f"c.CourseDirectory.root = {str(tmp_path / 'c')!r}" in config
    assert "c.ExecutePreprocessor.timeout = 60" in config
