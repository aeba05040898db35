"""The static book: one command builds every chapter as an HTML page, with outputs, an index and working links."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_html.py"), "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{len(CHAPTERS)} chapters and index.html written" in result.stdout
    return out


def test_the_index_lists_every_chapter_in_order(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'<a href="(\d\d_\w+)\.html">', index)
    assert linked == [path.stem for path in CHAPTERS]
    for path in CHAPTERS:
        title = json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]
        assert "".join(title).splitlines()[0].lstrip("# ").strip() in index


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_every_page_has_its_outputs_and_links_that_work(site, chapter):
    page = (site / f"{chapter.stem}.html").read_text(encoding="utf-8")
    notebook = json.loads(chapter.read_text(encoding="utf-8"))
    outputs = [output for cell in notebook["cells"] for output in cell.get("outputs", [])]
    figures = sum("image/png" in output.get("data", {}) for output in outputs)
    assert page.count("data:image/png;base64") >= figures
    if any("<audio" in "".join(output.get("data", {}).get("text/html", "")) for output in outputs):
        assert "data:audio/wav;base64" in page
    for target in re.findall(r'href="([^"#:]+\.html)', page):
        assert (site / target).exists(), f"{chapter.stem}.html links to {target}, which was not built"
    assert not re.search(r'href="\d\d_\w+\.ipynb', page), "a link still points at a notebook"
