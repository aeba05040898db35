"""Start an nbgrader course folder with chapters of the book as assignments.

    python instructors/make_course.py COURSE_FOLDER 05 07

makes COURSE_FOLDER/nbgrader_config.py and puts each chosen chapter in
COURSE_FOLDER/source/chNN/, ready for `nbgrader generate_assignment chNN`.
Without chapter numbers it takes every chapter from 1 on.

In the book an exercise is four cells: the question, the answer cell (a placeholder,
and the only place a reader writes), the check cell (with hidden tests), and a folded
reference answer, a markdown cell tagged `reference-answer`. In the course's source
copy the reference answer moves into the answer cell, after the placeholder, between
`### BEGIN SOLUTION` and `### END SOLUTION`, and the reference cell is dropped. So:

- the source copy holds the answers, as nbgrader expects (an instructor can run it);
- `nbgrader generate_assignment` removes the solution region and, with the
  configuration written here (an empty code stub), leaves the placeholder exactly
  as the book has it. (Without markers nbgrader would replace the whole answer cell
  by `raise NotImplementedError()`, and an unanswered check would end in a NameError.)
"""

import argparse
import re
from pathlib import Path

import nbformat

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
REFERENCE_TAG = "reference-answer"
CONFIG = '''c = get_config()
c.CourseDirectory.root = "."
c.CourseDirectory.course_id = "deep-learning-for-audio"
# The book's answer cells hold a placeholder before the solution region; the student copy
# keeps the placeholder and nothing replaces the solution (see instructors/make_course.py).
c.ClearSolutions.code_stub = {"python": ""}
'''


def reference_code(cell):
    """The python code of a reference-answer cell."""
    found = re.search(r"```python\n(.*?)```", cell.source, re.S)
    if not found:
        raise ValueError(f"a cell tagged {REFERENCE_TAG} holds no ```python block:\n{cell.source[:200]}")
    return found.group(1).rstrip("\n")


def course_copy(notebook):
    """The notebook for the course's source/ folder: reference answers inside the answer cells."""
    cells = []
    for cell in notebook.cells:
        if REFERENCE_TAG in cell.metadata.get("tags", []):
            answers = [c for c in cells if c.metadata.get("nbgrader", {}).get("solution")]
            if not answers or cells[-2] is not answers[-1]:
                raise ValueError(f"a reference answer should follow an answer cell and its check:\n{cell.source[:200]}")
            answer = answers[-1]
            answer.source = f"{answer.source}\n### BEGIN SOLUTION\n{reference_code(cell)}\n### END SOLUTION"
            continue
        cells.append(cell)
    notebook.cells = cells
    return notebook


def make_course(folder, numbers=None):
    """Create the course folder; returns the assignment names, e.g. ["ch05", "ch07"]."""
    folder = Path(folder)
    available = {path.name[:2]: path for path in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))}
    numbers = [n for n in available if n != "00"] if not numbers else [f"{int(n):02d}" for n in numbers]
    unknown = [n for n in numbers if n not in available]
    if unknown:
        raise SystemExit(f"no chapter {', '.join(unknown)}; the chapters are {', '.join(available)}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text(CONFIG)
    assignments = []
    for number in numbers:
        target = folder / "source" / f"ch{number}"
        target.mkdir(parents=True, exist_ok=True)
        notebook = course_copy(nbformat.read(available[number], as_version=4))
        nbformat.write(notebook, target / available[number].name)
        assignments.append(target.name)
    return assignments


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="the course folder to create or add to")
    parser.add_argument("chapters", nargs="*", help="chapter numbers, e.g. 05 07 (default: every chapter from 1)")
    arguments = parser.parse_args()
    assignments = make_course(arguments.folder, arguments.chapters)
    print(f"course folder ready with assignments {', '.join(assignments)}")
    print(f"next: cd {arguments.folder} && nbgrader generate_assignment {assignments[0]}")


if __name__ == "__main__":
    main()
