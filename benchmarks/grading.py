"""How long autograding a class takes: N synthetic submissions of chapter 7, graded in parallel.

Run with the instructors' environment (nbgrader installed):

    python benchmarks/grading.py --students 120 --workers 2

A third of the submissions answer every exercise right, a third hand in the student copy
untouched, a third get one exercise wrong. Prints the seconds for all of them and per
submission. The course folder is made in a temporary folder and removed afterwards.
"""

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path

BOOK = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BOOK / "instructors"))
import course  # noqa: E402

NOTEBOOK = "07_training_a_network.ipynb"
RIGHT = {
    "ch07_make_batches": "def make_batches(n_samples, batch_size, rng):\n    order = rng.permutation(n_samples)\n"
                         "    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]",
    "ch07_training_step": "def training_step(network, X, y, learning_rate):\n"
                          "    loss = network.loss_and_gradients(X, y, 'binary_cross_entropy')\n"
                          "    for parameter, gradient in network.parameters():\n"
                          "        parameter -= learning_rate * gradient\n    return loss",
    "ch07_n_steps": f"n_steps = {10 * math.ceil(1000 / 32)}",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=120)
    parser.add_argument("--workers", type=int, default=None)
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="grading-benchmark-")) / "course"
    try:
        course.new_course(folder, ["07"], seed=1)
        course.release(folder, "ch07")
        release = json.loads((folder / "release" / "ch07" / NOTEBOOK).read_text())
        for number in range(arguments.students):
            notebook = json.loads(json.dumps(release))
            answers = {0: RIGHT, 1: {}, 2: {**RIGHT, "ch07_n_steps": "n_steps = 310"}}[number % 3]
            for cell in notebook["cells"]:
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if grade_id in answers:
                    cell["source"] = answers[grade_id]
            target = folder / "submitted" / f"student{number:03d}" / "ch07"
            target.mkdir(parents=True)
            (target / NOTEBOOK).write_text(json.dumps(notebook))
        started = time.perf_counter()
        course.autograde(folder, "ch07", arguments.workers)
        seconds = time.perf_counter() - started
        workers = arguments.workers or course.os.cpu_count()
        print(f"{arguments.students} submissions of chapter 7 with {workers} workers: {seconds:.0f} s "
              f"({seconds / arguments.students:.2f} s per submission)")
    finally:
        shutil.rmtree(folder.parent)


if __name__ == "__main__":
    main()
