"""Run a course on the book: student copies, autograding, feedback, reports and grades.

One command with a subcommand per step (instructors/README.md walks through them):

    python instructors/course.py new ~/courses/audio-2027 07 --seed 4711
    python instructors/course.py roster ~/courses/audio-2027 students.csv
    python instructors/course.py release ~/courses/audio-2027 ch07 --due "2027-03-01 23:59"
    ... students hand in: submitted/<student id>/ch07/07_training_a_network.ipynb ...
    python instructors/course.py autograde ~/courses/audio-2027 ch07 --workers 2
    python instructors/course.py report ~/courses/audio-2027 ch07
    python instructors/course.py feedback ~/courses/audio-2027 ch07
    python instructors/course.py grades ~/courses/audio-2027

Every step but `new` needs nbgrader (pip install -r instructors/requirements.txt) and is
safe to run again: `autograde` grades again what was graded before (regrading).

The course folder is an ordinary nbgrader course folder (source/, release/, submitted/,
autograded/, gradebook.db) plus course.json (seed, numbers, late penalty), reports/,
feedback/ and grades/. Its source/ copies hold the reference answers (with the course's
numbers); the student copies in release/ hold none.
"""

import argparse
import ast
import csv
import datetime
import hashlib
import html
import json
import os
import re
import secrets
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

BOOK = Path(__file__).resolve().parent.parent
CHAPTERS = BOOK / "chapters"
COURSE_FILE = "course.json"
DEFAULT_FOLDER = Path.home() / "courses" / "deep-learning-for-audio"
DEFAULT_TIMEOUT = 60
"""Seconds one cell may run while grading; an endless loop fails its cell instead of the whole run."""
DEFAULT_LATE_PENALTY = 0.1
"""Share of an assignment's points taken off per started day after the due date (0.1: 10 % a day)."""

REFERENCE_ITEM = re.compile(r"^\d\. \*\*A reference answer\*\*.*?(?=\n\s*\n|\Z)", re.S | re.M)
"""The item of a chapter's guide to its exercises that speaks of the folded reference answers."""
HIDDEN_GUARD = re.compile(r"^(\s*)if grading\(\):.*$", re.M)
PLACEHOLDER_NUMBER = re.compile(r"\{\{(\w+)\}\}")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][\w.~-]+){2,}[/\\]?")
CHECKSUM_WARNING = re.compile(r"^.*Attribute 'checksum' for cell .* has changed!.*\n?", re.M)

STUDENT_INSTRUCTIONS = """\
## How to answer and hand in this chapter

Each exercise has three parts: the question, an **answer cell** and a **check cell** under it.

1. The answer cell holds a placeholder: `None  # your answer`, or a function whose body is
   `raise NotImplementedError("write your answer here")`. Replace the placeholder with your
   answer, in that same cell, and run the cell.
2. Run the check cell under it. It says **✔ Right**, **✘ Not yet right** with what to look at,
   or **… Not answered yet**. Try again as often as you like.
3. Do not delete, move or edit the question and check cells: they are locked, and grading uses
   the course's own copy of them.
4. Before you hand in: *Kernel → Restart Kernel and Run All Cells*, and see that every check
   says what you expect. Then save and hand in this notebook (on JupyterHub: *Submit*).

Your grade comes from the check cells plus further tests that run only when your notebook is
graded. You get back your score and the checks' messages.
"""


# ----------------------------------------------------------------------------- course folder

def course_paths(folder):
    """The course folder as an absolute path; a clear error if it has not been made yet."""
    folder = Path(folder).expanduser().resolve()
    if not (folder / COURSE_FILE).is_file():
        raise SystemExit(f"{folder} is not a course folder (no {COURSE_FILE}); make one with "
                         f"`python instructors/course.py new {folder} 07`")
    return folder


def read_course(folder):
    return json.loads((Path(folder) / COURSE_FILE).read_text())


def nbgrader_config(folder, course_id, timeout):
    """The text of nbgrader_config.py: an absolute root, the per-cell time limit."""
    return (
        "# Written by instructors/course.py; see instructors/README.md.\n"
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(folder)!r}\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        "# Parallel grading: several processes write the gradebook; wait for its lock instead of failing.\n"
        f"c.CourseDirectory.db_url = {('sqlite:///' + str(folder / 'gradebook.db') + '?timeout=120')!r}\n"
        "# Seconds one cell may run while grading; a cell that runs longer fails and grading goes on.\n"
        f"c.ExecutePreprocessor.timeout = {int(timeout)}\n"
        "# Answer cells hold the book's placeholder, then the reference answer in a solution region;\n"
        "# the student copy keeps the placeholder and nothing replaces the region (see make_course.py).\n"
        "c.ClearSolutions.code_stub = {'python': ''}\n"
    )


def new_course(folder=DEFAULT_FOLDER, chapters=None, seed=None, course_id="deep-learning-for-audio",
               timeout=DEFAULT_TIMEOUT, late_penalty=DEFAULT_LATE_PENALTY, chapter_files=None):
    """Make (or add chapters to) a course folder outside the book's repository.

    chapters: chapter numbers like ["07"]; default every chapter from 1 on.
    seed: the course's seed for varied numbers (default: a random one, kept in course.json).
    chapter_files: notebooks to use instead of the book's chapters (for a course's own copies).
    Returns the assignment names, e.g. ["ch07"].
    """
    folder = Path(folder).expanduser().resolve()
    if folder == BOOK or BOOK in folder.parents:
        raise SystemExit(f"the course folder {folder} is inside the book's repository ({BOOK}); students' work and "
                         "grades must not land in the book. Choose a folder outside it, e.g. "
                         f"{DEFAULT_FOLDER}")
    if chapter_files is None:
        available = {path.name[:2]: path for path in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))}
        numbers = [n for n in available if n != "00"] if not chapters else [f"{int(n):02d}" for n in chapters]
        unknown = [n for n in numbers if n not in available]
        if unknown:
            raise SystemExit(f"no chapter {', '.join(unknown)}; the chapters are {', '.join(available)}")
        chapter_files = [available[n] for n in numbers]
    folder.mkdir(parents=True, exist_ok=True)
    settings = read_course(folder) if (folder / COURSE_FILE).exists() else {
        "course_id": course_id,
        "seed": int(seed) if seed is not None else secrets.randbelow(10 ** 6),
        "late_penalty_per_day": late_penalty,
        "assignments": {},
    }
    (folder / "nbgrader_config.py").write_text(nbgrader_config(folder, settings["course_id"], timeout))
    assignments = []
    for chapter in map(Path, chapter_files):
        assignment = f"ch{chapter.name[:2]}"
        notebook = json.loads(chapter.read_text(encoding="utf-8"))
        numbers = course_numbers(notebook, settings["seed"])
        target = folder / "source" / assignment
        target.mkdir(parents=True, exist_ok=True)
        (target / chapter.name).write_text(json.dumps(source_version(notebook, numbers), indent=1, ensure_ascii=False)
                                           + "\n", encoding="utf-8")
        settings["assignments"].setdefault(assignment, {"notebook": chapter.name})
        settings["assignments"][assignment]["numbers"] = numbers
        assignments.append(assignment)
    (folder / COURSE_FILE).write_text(json.dumps(settings, indent=1) + "\n")
    return assignments


# ----------------------------------------------------------------------------- varied numbers

def course_numbers(notebook, seed):
    """The course's numbers for every exercise that declares some.

    An exercise declares them on its question cell, in metadata:
    "course": {"numbers": {"n_samples": [1000, 600, 800, 1500]}} — the book's value first,
    then the values a course may draw from. Its cells (question, check, reference answer)
    carry "course": {"template": "...{{n_samples}}..."}: the source with the numbers as
    placeholders. A course draws, per exercise and name, one value other than the book's,
    from its seed, so every course has its own answers and the same course always the same.
    Returns {grade_id: {name: value}}.
    """
    chosen = {}
    for cell in notebook["cells"]:
        declared = cell.get("metadata", {}).get("course", {}).get("numbers")
        if not declared:
            continue
        grade_id = cell["metadata"]["nbgrader"]["grade_id"]
        chosen[grade_id] = {}
        for name, values in declared.items():
            choices = [value for value in values[1:] if value != values[0]]
            digest = hashlib.sha256(f"{seed}/{grade_id}/{name}".encode()).hexdigest()
            chosen[grade_id][name] = choices[int(digest, 16) % len(choices)]
    return chosen


def book_numbers(notebook):
    """The book's own numbers, {grade_id: {name: value}}: rendering with them gives the book's cells."""
    return {cell["metadata"]["nbgrader"]["grade_id"]: {name: values[0] for name, values in declared.items()}
            for cell in notebook["cells"] if (declared := cell.get("metadata", {}).get("course", {}).get("numbers"))}


def render(template, numbers):
    """A cell's template with its placeholders {{name}} replaced by the numbers."""
    def value(match):
        if match.group(1) not in numbers:
            raise ValueError(f"template placeholder {{{{{match.group(1)}}}}} has no number; declared: {sorted(numbers)}")
        return str(numbers[match.group(1)])
    return PLACEHOLDER_NUMBER.sub(value, template)


def with_numbers(notebook, numbers):
    """A copy of the notebook whose templated cells hold the given numbers."""
    notebook = json.loads(json.dumps(notebook))
    current = {}
    for cell in notebook["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in numbers:
            current = numbers[grade_id]
        template = cell.get("metadata", {}).get("course", {}).get("template")
        if template is not None:
            cell["source"] = render(template, current)
    return notebook


# ----------------------------------------------------------------------------- student copies

def source_version(notebook, numbers):
    """The course's source notebook: its numbers, the instructions on top, each reference answer
    inside its answer cell after the placeholder (make_course.course_copy), outputs cleared.
    """
    import nbformat
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_course import course_copy
    notebook = course_copy(nbformat.reads(json.dumps(with_numbers(notebook, numbers)), as_version=4))
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("course", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            if cell.metadata.get("nbgrader", {}).get("grade"):
                # In the book, hidden tests run only `if grading():`, which reads an environment
                # variable an answer cell could remove; in the course's copy they always run.
                cell.source = HIDDEN_GUARD.sub(r"\1if True:  # always, in the course's copy", cell.source)
        elif REFERENCE_ITEM.search(cell.source) and "nbgrader" not in cell.metadata:
            # The chapter's guide to its exercises: the student copy has no reference answers.
            cell.source = REFERENCE_ITEM.sub("", cell.source).replace("four parts", "three parts").rstrip() + "\n"
    instructions = nbformat.v4.new_markdown_cell(STUDENT_INSTRUCTIONS, id="course-instructions")
    notebook.cells = notebook.cells[:1] + [instructions] + notebook.cells[1:]
    return notebook


def nbgrader_api(folder):
    """nbgrader's Python API for the course folder (configured by its nbgrader_config.py)."""
    try:
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader
    except ImportError:
        raise SystemExit("this step needs nbgrader: pip install -r instructors/requirements.txt") from None
    config = PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def gradebook(folder):
    from nbgrader.api import Gradebook
    return Gradebook(f"sqlite:///{Path(folder) / 'gradebook.db'}?timeout=120", read_course(folder)["course_id"])


def release(folder, assignment, due=None):
    """Generate the student copy release/<assignment>/ (nbgrader generate_assignment) with its due date.

    The student copy keeps every answer cell's placeholder, loses the reference answers after
    it and the hidden tests of the check cells, and has no outputs.
    """
    folder = course_paths(folder)
    if due is not None:
        due = parse_time(due)
    with gradebook(folder) as book:
        book.update_or_create_assignment(assignment, duedate=due)
    result = nbgrader_api(folder).generate_assignment(assignment, force=True)
    if not result["success"]:
        raise SystemExit(f"nbgrader generate_assignment {assignment} failed:\n{result.get('error', '')}")
    return sorted((folder / "release" / assignment).glob("*.ipynb"))


def parse_time(text):
    """'2027-03-01 23:59' (UTC) or with an offset ('2027-03-01 23:59+01:00') → an aware datetime."""
    when = datetime.datetime.fromisoformat(str(text))
    return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)


# ----------------------------------------------------------------------------- roster

def import_roster(folder, roster_csv):
    """Add or update the students of a CSV roster in the gradebook; returns their ids.

    Columns: id (required; the JupyterHub user name or the folder name under submitted/),
    then name or first_name and last_name, email, lms_user_id (or lms_id).
    """
    folder = course_paths(folder)
    with open(roster_csv, newline="", encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    if not rows or "id" not in rows[0]:
        raise SystemExit(f"{roster_csv}: expected a CSV with a header line naming at least the column 'id' "
                         "(and name or first_name/last_name, email, lms_user_id)")
    ids = []
    with gradebook(folder) as book:
        for row in rows:
            first, last = row.get("first_name", ""), row.get("last_name", "")
            if not (first or last) and row.get("name"):
                *given, family = row["name"].split()
                first, last = " ".join(given), family
            book.update_or_create_student(row["id"].strip(), first_name=first or None, last_name=last or None,
                                          email=row.get("email") or None,
                                          lms_user_id=row.get("lms_user_id") or row.get("lms_id") or None)
            ids.append(row["id"].strip())
    return ids


# ----------------------------------------------------------------------------- autograde

_worker_api = None


def _start_worker(folder):
    global _worker_api
    import logging
    _worker_api = nbgrader_api(folder)
    _worker_api.log.setLevel(logging.ERROR)


def _grade_one(assignment, student):
    started = time.perf_counter()
    result = _worker_api.autograde(assignment, student, force=True, create=False)
    log = CHECKSUM_WARNING.sub("", result.get("log", ""))
    return student, result["success"], log + result.get("error", ""), time.perf_counter() - started


def autograde(folder, assignment, workers=None, students=None):
    """Grade every submission of an assignment (again, if graded before), `workers` at a time.

    Each worker is a process with its own nbgrader; each submission runs in a fresh kernel
    with the per-cell time limit of nbgrader_config.py. nbgrader's false warning that the
    checksum of a check cell with hidden tests "has changed" is left out of the logs (the
    student copy lacks the hidden tests, so its checksum always differs); real changes are in
    `report`. Returns {student: seconds}; logs go to reports/<assignment>/logs/.
    """
    folder = course_paths(folder)
    submitted = sorted(path.parent.name for path in (folder / "submitted").glob(f"*/{assignment}"))
    students = sorted(students) if students else submitted
    with gradebook(folder) as book:
        known = {student.id for student in book.students}
        for student in students:
            if student not in known:
                book.add_student(student)
    logs = folder / "reports" / assignment / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    seconds, failed = {}, []
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(folder,)) as pool:
        for student, success, log, elapsed in pool.map(_grade_one, [assignment] * len(students), students):
            seconds[student] = elapsed
            (logs / f"{student}.log").write_text(log)
            if not success:
                failed.append(student)
    if failed:
        raise SystemExit(f"autograding failed for {', '.join(failed)}; see {logs}")
    return seconds


# ----------------------------------------------------------------------------- report

def nbgrader_cells(notebook):
    """{grade_id: cell} for the cells nbgrader tracks (questions, answers, checks)."""
    return {cell["metadata"]["nbgrader"]["grade_id"]: cell for cell in notebook["cells"]
            if "grade_id" in cell.get("metadata", {}).get("nbgrader", {})}


def names_bound(source):
    """Names a cell binds (assignments, def, class, import) and attributes it sets (a.b = ...)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    names, attributes = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            attributes.add(ast.unparse(node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("setattr", "exec", "eval"):
            attributes.add(ast.unparse(node)[:80])
    return names, attributes


def check_names(release_cells):
    """The names the check cells rely on: every name they use (check functions, answers' helpers)."""
    used = set()
    for cell in release_cells.values():
        if cell["cell_type"] == "code" and cell["metadata"]["nbgrader"].get("grade"):
            try:
                tree = ast.parse("".join(cell["source"]))
            except SyntaxError:
                continue
            used |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
            used |= {(alias.asname or alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                     for alias in node.names}
    return {name for name in used if name.startswith("check") or name in ("np", "math", "assert_allclose")}


def tamper_report(folder, assignment):
    """What each submission changed that it should not have: {student: [finding, ...]}.

    Compares every submitted notebook with the student copy in release/ (not with source/,
    whose check cells also hold the hidden tests): deleted or edited locked cells (questions,
    checks), answer cells or added cells that redefine a check or patch a module, and
    notebooks missing altogether. Locked cells are restored by nbgrader before grading, so an
    edited one earns nothing; a deleted check cell scores 0 for its exercise. Also written to
    reports/<assignment>/tamper.csv.
    """
    folder = course_paths(folder)
    findings = {}
    released_notebooks = sorted((folder / "release" / assignment).glob("*.ipynb"))
    for student_folder in sorted((folder / "submitted").glob(f"*/{assignment}")):
        student = student_folder.parent.name
        found = []
        for released in released_notebooks:
            release_cells = nbgrader_cells(json.loads(released.read_text(encoding="utf-8")))
            submitted = student_folder / released.name
            if not submitted.exists():
                found.append(f"{released.name}: notebook missing (every exercise in it scores 0)")
                continue
            notebook = json.loads(submitted.read_text(encoding="utf-8"))
            cells = nbgrader_cells(notebook)
            protected = check_names(release_cells)
            for grade_id, original in release_cells.items():
                meta = original["metadata"]["nbgrader"]
                if grade_id not in cells:
                    if meta.get("grade"):
                        found.append(f"{grade_id}: check cell deleted (its exercise scores 0)")
                    elif meta.get("locked"):
                        found.append(f"{grade_id}: locked cell deleted")
                    else:
                        found.append(f"{grade_id}: answer cell deleted")
                    continue
                cell = cells[grade_id]
                if meta.get("locked") and not cell["metadata"]["nbgrader"].get("locked"):
                    found.append(f"{grade_id}: locked cell unlocked in its metadata (the course's copy was graded)")
                elif meta.get("locked") and "".join(cell["source"]).strip() != "".join(original["source"]).strip():
                    found.append(f"{grade_id}: locked cell edited (the course's copy was graded)")
            for cell in notebook["cells"]:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if cell["cell_type"] != "code" or meta.get("locked") or meta.get("grade"):
                    continue
                names, attributes = names_bound("".join(cell["source"]))
                where = meta.get("grade_id", "an added cell")
                for name in sorted(names & protected):
                    if name not in ("np", "math"):
                        found.append(f"{where}: redefines {name}, which a check cell uses")
                for attribute in sorted(attributes):
                    if re.search(r"check|nblib|builtins|sys\.modules|setattr|exec|eval", attribute):
                        found.append(f"{where}: changes {attribute}")
                if re.search(r"environ|NBGRADER|\bgrading\b", "".join(cell["source"])):
                    found.append(f"{where}: touches the environment nbgrader grades in (os.environ, grading)")
        findings[student] = found
    out = folder / "reports" / assignment
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "tamper.csv", "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["student_id", "finding"])
        for student, found in findings.items():
            for finding in found:
                writer.writerow([student, finding])
    return findings


# ----------------------------------------------------------------------------- feedback

def clean(text):
    """Text a student may see: no colour codes, no file paths of the grading machine."""
    return PATH.sub("…", ANSI.sub("", text)).strip()


def check_messages(cell):
    """What a check cell said, as lines a student may read: its printed lines and its failure's message.

    A CheckFailed shows its message; a failing hidden test shows a fixed line (never its code);
    any other error shows its type and first line, without traceback or paths.
    """
    lines = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream" and output["name"] == "stdout":
            lines += [clean(line) for line in "".join(output["text"]).splitlines() if line.strip()]
        elif output["output_type"] == "error":
            name, value = output["ename"], clean(output["evalue"])
            if name == "CheckFailed":
                lines.append(value if value.startswith("Not answered yet") else f"✘ Not yet right: {value}")
            elif name == "AssertionError":
                lines.append("✘ Not yet right: a further test run at grading time did not pass.")
            elif name in ("CellTimeoutError", "KeyboardInterrupt", "DeadKernelError"):
                lines.append("✘ Stopped: a cell ran longer than the time limit for one cell (an endless loop?).")
            else:
                first = value.splitlines()[0] if value else ""
                lines.append(f"✘ The check could not run: {name}: {first}")
    return lines


def answer_errors(notebook):
    """{check cell's grade_id: messages about errors in the cells between it and the previous check}.

    An answer cell that fails (an endless loop stopped by the time limit, a syntax error)
    makes its check fail with a NameError; this says why.
    """
    found, pending = {}, []
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] != "code":
            continue
        if meta.get("grade"):
            found[meta["grade_id"]] = list(dict.fromkeys(pending))
            pending = []
            continue
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                if output["ename"] in ("CellTimeoutError", "KeyboardInterrupt", "DeadKernelError"):
                    pending.append("✘ Your answer cell ran longer than the time limit for one cell and was stopped "
                                   "(an endless loop?).")
                else:
                    first = clean(output["evalue"]).splitlines()[:1]
                    pending.append(f"✘ Your answer cell stopped with {output['ename']}: {first[0] if first else ''}")
    return found


def student_feedback(folder, assignment, student):
    """[(title, score, max_score, [message, ...]), ...] for one graded submission."""
    folder = course_paths(folder)
    released = sorted((folder / "release" / assignment).glob("*.ipynb"))
    exercises = []
    with gradebook(folder) as book:
        for notebook_path in released:
            graded_path = folder / "autograded" / student / assignment / notebook_path.name
            graded_notebook = json.loads(graded_path.read_text(encoding="utf-8")) if graded_path.exists() else {"cells": []}
            cells = nbgrader_cells(graded_notebook)
            before = answer_errors(graded_notebook)
            release_cells = nbgrader_cells(json.loads(notebook_path.read_text(encoding="utf-8")))
            title = notebook_path.stem
            for grade_id, original in release_cells.items():
                meta = original["metadata"]["nbgrader"]
                if original["cell_type"] == "markdown" and meta.get("locked") and not meta.get("grade"):
                    heading = next((line.lstrip("# ").strip() for line in "".join(original["source"]).splitlines()
                                    if line.startswith("#")), grade_id)
                    title = heading
                if not meta.get("grade") or original["cell_type"] != "code":
                    continue
                grade = book.find_grade(grade_id, notebook_path.stem, assignment, student)
                if grade_id in cells:
                    messages = before.get(grade_id, []) + (check_messages(cells[grade_id]) or ["(the check printed nothing)"])
                else:
                    messages = ["✘ This exercise's check cell was missing from the notebook you handed in."]
                exercises.append((title, grade.score, grade.max_score, messages))
    return exercises


FEEDBACK_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }}
pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: .6rem; border-radius: 4px; }}
h2 {{ font-size: 1.1rem; margin-top: 1.6rem; }}
.score {{ font-weight: bold; }}
</style></head><body>
<h1>{title}</h1>
<p class="score">Score: {score:g} of {max_score:g}{late}</p>
{sections}
</body></html>
"""


def write_feedback(folder, assignment):
    """feedback/<student>/<assignment>.html for every graded student: score and check messages only.

    Built from the autograded notebooks' outputs; never from their sources, so hidden tests,
    tracebacks and file paths cannot reach students. Returns {student: path}.
    """
    folder = course_paths(folder)
    written = {}
    graded = {row["student_id"]: row for row in assignment_scores(folder, assignment)}
    for student in sorted(path.parent.name for path in (folder / "autograded").glob(f"*/{assignment}")):
        exercises = student_feedback(folder, assignment, student)
        sections = "\n".join(
            f"<h2>{html.escape(title)} — {score:g} of {maximum:g}</h2>\n<pre>{html.escape(chr(10).join(messages))}</pre>"
            for title, score, maximum, messages in exercises)
        row = graded[student]
        late = f" (after a late penalty of {row['penalty']:g} for {row['days_late']} day(s) late)" if row["penalty"] else ""
        page = FEEDBACK_PAGE.format(title=html.escape(f"Feedback on {assignment} for {student}"), score=row["final"],
                                    max_score=row["max_score"], late=html.escape(late), sections=sections)
        path = folder / "feedback" / student / f"{assignment}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
        written[student] = path
    return written


# ----------------------------------------------------------------------------- grades

def late_penalty(max_score, seconds_late, per_day):
    """Points taken off: `per_day` × max_score for every started day late, at most everything."""
    days = 0 if seconds_late <= 0 else int(-(-seconds_late // 86400))
    return days, min(max_score, round(days * per_day * max_score, 6))


def assignment_scores(folder, assignment):
    """One dict per student with a graded submission: score, max_score, days_late, penalty, final."""
    per_day = read_course(folder).get("late_penalty_per_day", DEFAULT_LATE_PENALTY)
    rows = []
    with gradebook(folder) as book:
        for submission in book.find_assignment(assignment).submissions:
            days, penalty = late_penalty(submission.max_score, submission.total_seconds_late or 0, per_day)
            rows.append({"student_id": submission.student.id, "score": submission.score,
                         "max_score": submission.max_score, "days_late": days, "penalty": penalty,
                         "final": max(0.0, submission.score - penalty)})
    return rows


def export_grades(folder, assignments=None):
    """grades/grades.csv: one row per student of the roster (and anyone who handed in), sorted by name.

    Columns: lms_user_id, email, student_id, last_name, first_name, then per assignment its
    points after the late penalty, or "not submitted" (distinct from a 0 earned by handing in
    nothing right). grades/details.csv has one row per submission: raw score, days late,
    penalty. Returns the path of grades.csv.
    """
    folder = course_paths(folder)
    with gradebook(folder) as book:
        assignments = assignments or sorted(assignment.name for assignment in book.assignments)
        students = sorted(book.students, key=lambda s: ((s.last_name or "").lower(), (s.first_name or "").lower(), s.id))
        people = [(s.id, s.lms_user_id or "", s.email or "", s.last_name or "", s.first_name or "") for s in students]
        max_scores = {a: book.find_assignment(a).max_score for a in assignments}
    scores = {a: {row["student_id"]: row for row in assignment_scores(folder, a)} for a in assignments}
    out = folder / "grades"
    out.mkdir(exist_ok=True)
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["lms_user_id", "email", "student_id", "last_name", "first_name"]
                        + [f"{a} (of {max_scores[a]:g})" for a in assignments])
        for student, lms, email, last, first in people:
            cells = [f"{scores[a][student]['final']:g}" if student in scores[a] else "not submitted" for a in assignments]
            writer.writerow([lms, email, student, last, first] + cells)
    with open(out / "details.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, ["assignment", "student_id", "score", "max_score", "days_late", "penalty", "final"])
        writer.writeheader()
        for a in assignments:
            for student in sorted(scores[a]):
                writer.writerow({"assignment": a, **scores[a][student]})
    return out / "grades.csv"


# ----------------------------------------------------------------------------- command line

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("new", help="make a course folder with chapters as assignments")
    step.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER))
    step.add_argument("chapters", nargs="*", help="chapter numbers, e.g. 03 07 (default: every chapter from 1)")
    step.add_argument("--seed", type=int, help="the course's seed for varied numbers (default: random)")
    step.add_argument("--course-id", default="deep-learning-for-audio")
    step.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT, help="seconds one cell may run when grading")
    step.add_argument("--late-penalty", type=float, default=DEFAULT_LATE_PENALTY,
                      help="share of the points taken off per started day late (default 0.1)")
    step = steps.add_parser("roster", help="import students from a CSV (id, name, email, lms_user_id)")
    step.add_argument("folder")
    step.add_argument("csv")
    step = steps.add_parser("release", help="make the student copy of an assignment")
    step.add_argument("folder")
    step.add_argument("assignment")
    step.add_argument("--due", help="due date, e.g. '2027-03-01 23:59' (UTC) or with +01:00")
    step = steps.add_parser("autograde", help="grade (or regrade) every submission, in parallel")
    step.add_argument("folder")
    step.add_argument("assignment")
    step.add_argument("--workers", type=int, default=None, help="processes at a time (default: one per core)")
    step.add_argument("--student", action="append", help="grade only these students (repeatable)")
    for name, text in (("report", "list edited, deleted or redefined cells"),
                       ("feedback", "write each student's score and check messages as HTML")):
        step = steps.add_parser(name, help=text)
        step.add_argument("folder")
        step.add_argument("assignment")
    step = steps.add_parser("grades", help="write grades/grades.csv for a learning platform")
    step.add_argument("folder")
    step.add_argument("assignments", nargs="*")
    arguments = parser.parse_args(argv)

    if arguments.step == "new":
        if arguments.folder.isdigit():  # `new 03 07`: chapters only, the default folder
            arguments.folder, arguments.chapters = str(DEFAULT_FOLDER), [arguments.folder, *arguments.chapters]
        names = new_course(arguments.folder, arguments.chapters, arguments.seed, arguments.course_id,
                           arguments.timeout, arguments.late_penalty)
        print(f"course folder {Path(arguments.folder).expanduser().resolve()} ready with {', '.join(names)}")
    elif arguments.step == "roster":
        print(f"{len(import_roster(arguments.folder, arguments.csv))} students in the gradebook")
    elif arguments.step == "release":
        for path in release(arguments.folder, arguments.assignment, arguments.due):
            print(f"student copy: {path}")
    elif arguments.step == "autograde":
        started = time.perf_counter()
        seconds = autograde(arguments.folder, arguments.assignment, arguments.workers, arguments.student)
        print(f"graded {len(seconds)} submissions in {time.perf_counter() - started:.1f} s")
    elif arguments.step == "report":
        for student, found in tamper_report(arguments.folder, arguments.assignment).items():
            for finding in found:
                print(f"{student}: {finding}")
    elif arguments.step == "feedback":
        written = write_feedback(arguments.folder, arguments.assignment)
        print(f"feedback for {len(written)} students in {course_paths(arguments.folder) / 'feedback'}")
    elif arguments.step == "grades":
        print(f"grades: {export_grades(arguments.folder, arguments.assignments or None)}")


if __name__ == "__main__":
    sys.exit(main())
