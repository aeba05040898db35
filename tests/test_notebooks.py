"""The chapters as files: fully executed in order, tagged honestly, light, and following the book's conventions.

Strict nbval (run on chapters/ by the same pytest command) compares their outputs;
these tests check what nbval cannot see, such as cells that were never executed,
which nbval silently skips.
"""

import json
import re
from pathlib import Path

import pytest

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
    assert path.stat().st_size < 1_500_000, f"{path.name} is {path.stat().st_size / 1e6:.1f} MB"
    assert not re.search(r"/(home|root|tmp|work|Users)/\w", text), f"{path.name} holds a local path"
