"""The chapters as files: fully executed in order, tagged honestly, light, and following the book's conventions.

Strict nbval (run on chapters/ by the same pytest command) compares their outputs;
these tests check what nbval cannot see, such as cells that were never executed,
which nbval silently skips.
"""

import json
import re
from pathlib import Path

import pytest
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
IGNORE_TAG = "nbval-ignore-output"


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(notebook):
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code" and "".join(cell["source"]).strip()]


def source(cell):
    return "".join(cell["source"])


def test_the_chapters_are_numbered_from_0_without_gaps():
    numbers = [int(path.name[:2]) for path in CHAPTERS]
    assert numbers == list(range(len(numbers))) and len(numbers) >= 4


@pytest.fixture(params=CHAPTERS, ids=[path.stem for path in CHAPTERS])
def chapter(request):
    return request.param, load(request.param)


def test_every_code_cell_is_executed_once_in_order(chapter):
    path, notebook = chapter
    counts = [cell["execution_count"] for cell in code_cells(notebook)]
    assert None not in counts, f"{path.name}: some code cells were never executed"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: run it top to bottom in a fresh kernel"


def test_no_cell_shows_an_error(chapter):
    path, notebook = chapter
    for cell in code_cells(notebook):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{path.name}: {output.get('ename')}: {output.get('evalue')}"
            if output.get("name") == "stderr":
                pytest.fail(f"{path.name}: a cell wrote to stderr: {''.join(output['text'])[:200]}")


def test_only_explorer_cells_skip_the_output_comparison(chapter):
    path, notebook = chapter
    for cell in code_cells(notebook):
        tagged = IGNORE_TAG in cell.get("metadata", {}).get("tags", [])
        shows_explorer = bool(re.search(r"(_explorer|playground)\(|^display\(", source(cell).strip().splitlines()[-1]))
        assert tagged == shows_explorer, (
            f"{path.name}: a cell {'with' if tagged else 'without'} the tag {IGNORE_TAG}:\n{source(cell)[:300]}"
        )


def test_title_and_kernel_follow_the_conventions(chapter):
    path, notebook = chapter
    first = notebook["cells"][0]
    assert first["cell_type"] == "markdown"
    assert source(first).startswith(f"# {int(path.name[:2])} · ")
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_one_setup_cell_imports_and_seeds(chapter):
    path, notebook = chapter
    sources = [source(cell) for cell in code_cells(notebook)]
    importing = [i for i, text in enumerate(sources) if re.search(r"^(import|from) \S+", text, re.M)]
    assert importing and importing[0] == 0, f"{path.name}: imports belong in the first code cell"
    assert not re.search(r"import \*", "\n".join(sources))
    if int(path.name[:2]) >= 1:
        assert "np.random.default_rng(" in sources[0], f"{path.name}: the setup cell seeds one rng"
        assert "np.random.seed" not in "\n".join(sources)


def test_links_to_other_chapters_lead_somewhere(chapter):
    path, notebook = chapter
    text = "\n".join(source(cell) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    for target in re.findall(r"\]\(([^)#]+\.ipynb)", text):
        assert (path.parent / target).exists(), f"{path.name} links to {target}, which does not exist"


def test_notebooks_stay_light_and_hold_no_local_paths(chapter):
    path, _ = chapter
    text = path.read_text(encoding="utf-8")
    # 2 MB: chapter 9 holds 15 sound players and its explorer's picture (kept twice: in the widget's
    # stored state, which JupyterLab shows before the chapter runs, and beside it, for static pages).
    assert path.stat().st_size < 2_000_000, f"{path.name} is {path.stat().st_size / 1e6:.1f} MB"
    assert not re.search(r"/(home|root|tmp|work|Users)/\w", text), f"{path.name} holds a local path"


def test_chapter_8s_note_on_the_width_that_learns_xor_holds():
    """The 'What to notice' after chapter 8's XOR playground states numbers; the same playground gives them."""
    import matplotlib.pyplot as plt

    from nblib.widgets.deep_networks import Playground

    text = "\n".join(source(cell) for cell in load(ROOT / "chapters" / "08_deep_networks.ipynb")["cells"])
    assert "about\n0.77 of the training points" in text and "0.55 of the\ntraining points and 0.38 of the test points" in text
    accuracies = {}
    for width in range(1, 17):
        trained = Playground(dataset="xor", hidden=[width])
        assert len(trained.train_accuracy) == 60
        accuracies[width] = (round(trained.train_accuracy[-1], 2), round(trained.test_accuracy[-1], 2))
        plt.close("all")
    assert accuracies[1][0] == 0.77
    assert accuracies[2] == (0.55, 0.38)
    assert all(accuracies[width] == (1.0, 1.0) for width in range(3, 17)), accuracies


def test_chapter_4s_notes_on_the_loss_explorer_hold():
    """The 'What to notice' notes after chapter 4's loss explorers state minima; the chapter's own data gives them."""
    import matplotlib.pyplot as plt

    from nblib.losses import get_loss

    notebook = load(ROOT / "chapters" / "04_loss_functions.ipynb")
    text = "\n".join(source(cell) for cell in notebook["cells"])
    for claim in ("about 0.23, at $w \\approx 1.58$", "about 1.69, and moves to $w \\approx 2.06$",
                  "about 0.36, is at $w \\approx 2.4$"):
        assert claim in text, claim
    namespace = {}
    for cell in code_cells(notebook):  # run the chapter up to its data for classes, as a reader would
        if "explorer(" not in source(cell):
            exec(source(cell), namespace)
        if "t_class" in namespace:
            break
    plt.close("all")
    x, y, x_class, t_class = (namespace[name] for name in ("x", "y", "x_class", "t_class"))
    weights = np.linspace(-4, 4, 8001)

    def lowest(loss, inputs, targets, bias):
        losses = [get_loss(loss)((w * inputs + bias)[:, None], targets)[0] for w in weights]
        return round(min(losses), 2), round(float(weights[int(np.argmin(losses))]), 2)

    assert lowest("mse", x, y, 0.5) == (0.23, 1.58)
    assert lowest("mse", x, y, -1.0) == (1.69, 2.06)
    value, where = lowest("binary_cross_entropy", x_class, t_class, 0.0)
    assert value == 0.36 and round(where, 1) == 2.4


def test_the_notes_of_chapter_7s_and_8s_explorers_hold():
    """'about 0.88 on these moons' (linear neurons, chapter 7); on the spiral, 'one layer of two neurons
    stays at about 0.6' and 'three layers of 8 pass 0.85 within a few hundred epochs' (chapter 8)."""
    import matplotlib.pyplot as plt

    from nblib.datasets import moons
    from nblib.widgets.deep_networks import Playground
    from nblib.widgets.training import TrainingExplorer

    text = "\n".join(source(cell) for name in ("07_training_a_network", "08_deep_networks")
                     for cell in load(ROOT / "chapters" / f"{name}.ipynb")["cells"])
    for claim in ("about 0.88 on these moons", "stays at about 0.6", "Three layers of 8 pass 0.85 within a few hundred epochs"):
        assert claim in text.replace("\n", " "), claim
    X, y = moons(n_samples=200, noise=0.1, seed=0)  # chapter 7's moons
    linear = TrainingExplorer(X, y, hidden=(8,), activation="linear", learning_rate=1.0, epochs=200)
    assert round(linear.history.accuracy[-1], 2) == 0.88
    shallow = Playground(dataset="spiral", hidden=[2], learning_rate=0.3, batch_size=16)
    deep = Playground(dataset="spiral", hidden=[8, 8, 8], learning_rate=0.3, batch_size=16)
    for _ in range(3):  # "press Train a few times"
        shallow.train(100)
        deep.train(100)
    assert all(0.5 <= accuracy <= 0.65 for accuracy in shallow.train_accuracy[100:])
    assert max(deep.train_accuracy[:300]) >= 0.85
    plt.close("all")
