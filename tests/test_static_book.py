"""The static book: one command builds every chapter as an HTML page, with outputs, an index and working links,
that reads whole with no network: maths as MathML, explorers as pictures, navigation, real titles."""

import json
import os
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


def test_maths_becomes_mathml_and_code_keeps_its_dollars():
    sys.path.insert(0, str(ROOT / "tools"))
    from build_html import markdown_with_mathml

    text = markdown_with_mathml("A weight $w_1$ and $$L = \\frac{1}{n}\\sum_i e_i^2$$ and `cost = $5` and $3 and $4.")
    assert text.count("<math") == 2 and 'display="block"' in text and "<msub>" in text and "<mfrac>" in text
    assert "`cost = $5`" in text and "$3 and $4." in text


def test_pages_name_their_chapter_link_their_neighbours_and_load_nothing_from_the_network(site):
    pages = [site / f"{path.stem}.html" for path in CHAPTERS]
    for number, page_path in enumerate(pages):
        page = page_path.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", page).group(1)
        assert title.endswith("· Deep Learning for Audio") and not re.match(r"\d\d_", title), title
        assert re.findall(r'<script[^>]*src="https?:', page) == [], f"{page_path.name} loads a script from the network"
        scripts = re.findall(r"<script.*?</script>", page, flags=re.S | re.I)
        assert not [script for script in scripts if "mathjax" in script.lower()], "a script still calls MathJax"
        assert 'href="index.html" rel="contents"' in page
        if number > 0:
            assert f'href="{pages[number - 1].name}" rel="prev"' in page
        if number + 1 < len(pages):
            assert f'href="{pages[number + 1].name}" rel="next"' in page


@pytest.mark.parametrize("chapter", [path for path in CHAPTERS if "widget-view+json" in path.read_text(encoding="utf-8")],
                         ids=lambda path: path.stem)
def test_every_explorer_shows_its_picture_and_says_where_it_moves(site, chapter):
    notebook = json.loads(chapter.read_text(encoding="utf-8"))
    explorers = [output for cell in notebook["cells"] for output in cell.get("outputs", [])
                 if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    page = (site / f"{chapter.stem}.html").read_text(encoding="utf-8")
    pictures = [output for output in explorers if "image/png" in output["data"]]
    in_words = [output for output in explorers if "image/png" not in output["data"]]
    assert all("text/html" in output["data"] for output in in_words), "a widget was stored with neither picture nor words"
    assert page.count('class="explorer-note"') == len(pictures)
    for output in in_words:  # e.g. the microphone: "needs a running notebook"
        words = "".join(output["data"]["text/html"])  # nbformat may store text as a list of lines
        assert "running notebook" in words and "running notebook" in page
    assert "widget-view+json" not in page and "HBox(children" not in page


@pytest.fixture(scope="module")
def offline_browser():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from browser import CHROMIUM_ARGS, chromium_path, missing_browser_reason

    reason = missing_browser_reason()
    if reason:
        if os.environ.get("BOOK_BROWSER_TESTS") == "required":
            pytest.fail(f"browser tests are required here, but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


READING = """() => {
    const texts = [...document.querySelectorAll('.jp-RenderedMarkdown p')].filter(p => p.innerText.length > 300);
    const canvas = document.createElement('canvas').getContext('2d');
    const measures = texts.map(p => {
        const style = getComputedStyle(p);
        canvas.font = `${style.fontSize} ${style.fontFamily}`;
        const perCharacter = canvas.measureText(p.innerText).width / p.innerText.length;
        return p.getBoundingClientRect().width / perCharacter;
    });
    const rawTex = [...document.querySelectorAll('.jp-RenderedMarkdown')]
        .some(cell => /\\$[^$]*\\\\[a-zA-Z]+|\\\\frac|\\\\sum/.test(cell.innerText));
    const maths = [...document.querySelectorAll('math')];
    return {measures, rawTex, maths: maths.length,
            mathsDrawn: maths.filter(m => m.getBoundingClientRect().width > 0).length,
            images: [...document.querySelectorAll('img')].filter(img => !img.complete || img.naturalWidth === 0).length};
}"""


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_pages_read_well_offline_in_chromium(site, offline_browser, chapter):
    """Every request that leaves the disk is refused; the page must still be whole, without console errors."""
    page = offline_browser.new_page(viewport={"width": 1400, "height": 900})
    problems, requests = [], []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
               else (requests.append(route.request.url), route.abort()))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto((site / f"{chapter.stem}.html").as_uri())
        page.wait_for_load_state("load")
        found = page.evaluate(READING)
    finally:
        page.close()
    assert not requests, f"the page asked the network for {requests[:3]}"
    assert not problems, f"console errors: {problems[:3]}"
    assert not found["rawTex"], "some maths is still raw TeX"
    assert found["maths"] == found["mathsDrawn"]
    assert found["images"] == 0, "an image did not load"
    if found["measures"]:
        widest = max(found["measures"])
        assert 60 <= widest <= 95, f"lines of text hold about {widest:.0f} characters; a readable measure is 70–90"
