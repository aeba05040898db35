"""Start an nbgrader course folder with chapters of the book as assignments.

    python instructors/make_course.py COURSE_FOLDER 05 07

makes COURSE_FOLDER/nbgrader_config.py and copies each chosen chapter to
COURSE_FOLDER/source/chNN/, ready for `nbgrader generate_assignment chNN`.
Without chapter numbers it takes every chapter from 1 on.
"""

import argparse
import shutil
from pathlib import Path

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
CONFIG = '''c = get_config()
c.CourseDirectory.root = "."
c.CourseDirectory.course_id = "deep-learning-for-audio"
'''


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
        shutil.copy2(available[number], target / available[number].name)
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
