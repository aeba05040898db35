"""The explorers in a real browser: JupyterLab in headless Chromium, driven by Playwright.

A widget can pass every headless test and still be blank in JupyterLab, or cut off in a
narrow window. These tests start JupyterLab on 127.0.0.1 (with a token and the book's
settings) on a temporary copy of the chapters, run every cell of each chapter that has an
explorer, and then:

- at a 1400 px and a 900 px wide window (where the file browser leaves a ~470 px notebook),
  check from the page's geometry that no control is cut, sticks out or overlaps another and
  that every figure is shown at a readable width, never stretched beyond its pixels;
- move a slider, change a dropdown or press a button, and check that the readout text and
  the picture change;
- time the explorers that retrain (the training explorer and the playground) from the
  release of a key on the η slider to the new image, and "Train 100" to its last epoch,
  as the page stamps them (figures printed and written to latency.json; the benchmark,
  benchmarks/run.py, reports them against their targets).

Any browser console error or any error output in a cell fails the test, and so does
JupyterLab's news pop-up; every sound player on the page must load. Screenshots of every
explorer at both widths (and of the page, on a failure) are kept in pytest's temporary
folder (or BOOK_SCREENSHOTS), printed at the end of each test.

They need Chromium (Debian's `chromium` package) and the `playwright` package; without
them they are skipped, unless BOOK_BROWSER_TESTS=required (as in CI), which turns the
skip into a failure.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from browser import (CHROMIUM_ARGS, EXPLORERS, SLIDER_HANDLES, chromium_path, jupyterlab,  # noqa: E402
                     layout_problems, missing_browser_reason, open_chapter, run_all_cells, shut_down_kernels,
                     slider_handle, slider_latencies, train_latency)

WIDTHS = (1400, 900)
SMALLEST_IMAGE = 280
"""No panel may be shown narrower than this many page pixels (and none below 80 % of its size)."""
LATENCY_REPEATS = 7

# chapter → the interactions to try, in order: (kind, which control, value)
INTERACTIONS = {
    "01_the_neuron.ipynb": [("slider", 0, 5), ("dropdown", 0, "tanh")],
    "02_activation_functions.ipynb": [("dropdown", 0, "ReLU"), ("slider", 0, -8)],
    "04_loss_functions.ipynb": [("slider", 0, 8)],
    "05_gradient_descent.ipynb": [("slider", 0, 10)],
    "07_training_a_network.ipynb": [("slider", 0, 6), ("dropdown", 0, "ReLU")],
    "08_deep_networks.ipynb": [("button", "Train", None), ("slider", 0, 3)],
    "09_audio_features.ipynb": [("slider", 0, 6), ("dropdown", 0, "saw")],
    "12_convolution.ipynb": [("dropdown", 1, "offset: loud, then quiet"), ("slider", 0, -5)],
}


SOUND_PLAYERS = {"09_audio_features.ipynb": 15}  # 14 clips to listen to, and the explorer's player


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary copy of the chapters; stopped afterwards, also on failure."""
    reason = missing_browser_reason()
    if reason:
        if os.environ.get("BOOK_BROWSER_TESTS") == "required":
            pytest.fail(f"browser tests are required here, but {reason}")
        pytest.skip(reason)
    with jupyterlab(tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = Path(os.environ["BOOK_SCREENSHOTS"]) if os.environ.get("BOOK_SCREENSHOTS") else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def state(page):
    """What the explorers show: every widget image's data and every readout's text."""
    images = page.locator(".jupyter-widgets img")
    sources = [images.nth(i).get_attribute("src") or "" for i in range(images.count())]
    return sources, page.locator(".widget-html-content").all_inner_texts()


def wait_for_change(page, before, what, timeout=45):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = state(page)
        if now[0] != before[0] and now[1] != before[1]:
            return now
        page.wait_for_timeout(300)
    raise AssertionError(f"{what}: the picture and the readout did not both change within {timeout} s")


def sound_durations(page):
    """The length in seconds of every sound player on the page, as the browser decoded it."""
    return page.evaluate(
        """() => Promise.all([...document.querySelectorAll('audio')].map(audio => new Promise(done => {
            if (audio.readyState >= 1) { done(audio.duration); return; }
            audio.addEventListener('loadedmetadata', () => done(audio.duration), {once: true});
            audio.addEventListener('error', () => done(-1), {once: true});
            audio.preload = 'metadata';
            audio.load();
        })))"""
    )


def interact(page, kind, which, value):
    if kind == "slider":
        handle = page.locator(SLIDER_HANDLES).nth(which)
        handle.scroll_into_view_if_needed()
        handle.focus()  # a click on a native range input would move it to where it was clicked
        for _ in range(abs(value)):
            page.keyboard.press("ArrowRight" if value > 0 else "ArrowLeft")
    elif kind == "dropdown":
        page.locator(".widget-dropdown select").nth(which).select_option(label=value)
    else:
        page.locator(f".jupyter-widgets button:has-text('{which}')").first.click()


OWN_BROWSER_TESTS = {"13_your_voice.ipynb"}
"""Chapters whose widgets have browser tests of their own (the microphone: tests/test_microphone_browser.py)."""


def chapters_with_explorers():
    """Every chapter with a cell that shows an explorer (the cells tagged nbval-ignore-output)."""
    found = []
    for path in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        if path.name in OWN_BROWSER_TESTS:
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if any("nbval-ignore-output" in cell.get("metadata", {}).get("tags", []) for cell in cells):
            found.append(path.name)
    return found


def test_every_chapter_with_an_explorer_is_driven_in_the_browser():
    assert chapters_with_explorers() == sorted(INTERACTIONS)


def explorer_boxes(page):
    """Every explorer on the page (the outermost widget box of an output)."""
    boxes = page.locator(EXPLORERS)
    return [boxes.nth(i) for i in range(boxes.count())]


def check_layout(page, chapter, width, screenshots):
    """Every explorer's geometry at a window `width` px wide; a screenshot of each is kept."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.wait_for_timeout(800)  # let JupyterLab lay the notebook out again
    found = []
    for number, box in enumerate(explorer_boxes(page)):
        box.scroll_into_view_if_needed()
        box.screenshot(path=str(screenshots / f"{Path(chapter).stem}-{width}px-{number}.png"))
        found += [f"{width} px window, explorer {number}: {problem}" for problem in layout_problems(box, SMALLEST_IMAGE)]
    return found


def measure_latency(page, chapter, screenshots):
    """Times the explorers that retrain, as the page stamps them; returns {name: [ms, ...]}."""
    box = explorer_boxes(page)[0]
    figures = {}
    if chapter.startswith("07"):
        figures["browser_explorer_ms"] = slider_latencies(page, box, "η", LATENCY_REPEATS)
    if chapter.startswith("08"):
        figures["browser_playground_ms"] = slider_latencies(page, box, "η", LATENCY_REPEATS)
        epochs = int(box.locator(".widget-html-content").first.inner_text().split()[1])
        figures["browser_train_100_ms"] = [train_latency(page, box, "Train", epochs, 100)]
    for name, times in figures.items():
        print(f"{name}: median {statistics.median(times):.0f} ms over {len(times)} ({', '.join(f'{t:.0f}' for t in times)})")
    if figures:
        record = screenshots / "latency.json"
        known = json.loads(record.read_text()) if record.exists() else {}
        record.write_text(json.dumps({**known, **figures}, indent=1))
    return figures


def check_learning_rate_slider(page):
    """The η slider says η to a screen reader (not its exponent), and takes a typed value as typed."""
    box = explorer_boxes(page)[0]
    handle, typed = slider_handle(box, "η"), box.locator(".nblib-log-slider input[type=text]").first
    assert handle.get_attribute("aria-valuetext") == typed.input_value(), "the η slider speaks another value than it shows"
    assert box.locator(".nblib-log-slider label").first.inner_text() == "η"
    before = state(page)
    typed.fill("0.3")
    typed.press("Enter")
    wait_for_change(page, before, "η typed as 0.3")
    assert typed.input_value() == "0.3" and handle.get_attribute("aria-valuetext") == "0.3"
    handle.focus()
    before = state(page)
    page.keyboard.press("ArrowRight")  # one notch: η × 10^0.05, from the notch nearest 0.3
    wait_for_change(page, before, "η one notch up")
    assert handle.get_attribute("aria-valuetext") == typed.input_value() == "0.35"


@pytest.mark.parametrize("chapter", chapters_with_explorers())
def test_explorers_work_in_jupyterlab(chapter, lab, browser, screenshots):
    url, token = lab
    problems = []
    page = open_chapter(browser, url, token, chapter, width=WIDTHS[0])
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        stem = Path(chapter).stem
        page.screenshot(path=str(screenshots / f"{stem}-before-running.png"))
        assert page.get_by_text("Jupyter news").count() == 0, "JupyterLab's news pop-up is showing"
        run_all_cells(page)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, f"a cell shows an error: {errors.first.inner_text()[:500]}"
        durations = sound_durations(page)
        assert all(duration > 0.1 for duration in durations), f"a sound player did not load: {durations}"
        assert len(durations) >= SOUND_PLAYERS.get(chapter, 0), f"only {len(durations)} sound players on the page"
        assert explorer_boxes(page), "no explorer on the page"
        layout = [problem for width in WIDTHS for problem in check_layout(page, chapter, width, screenshots)]
        assert not layout, "\n".join(layout)
        page.set_viewport_size({"width": WIDTHS[0], "height": 1000})
        figures = measure_latency(page, chapter, screenshots)
        for name, times in figures.items():  # a generous ceiling: the targets are the benchmark's
            assert statistics.median(times) < 2000, f"{name}: the explorer took {statistics.median(times):.0f} ms to respond"
        for kind, which, value in INTERACTIONS[chapter]:
            before = state(page)
            interact(page, kind, which, value)
            wait_for_change(page, before, f"{chapter}: {kind} {which} → {value}")
        if chapter.startswith("07"):
            check_learning_rate_slider(page)
        assert not problems, "\n".join(problems)
    except Exception:
        shot = screenshots / f"{Path(chapter).stem}-failure.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot}")
        raise
    finally:
        print(f"screenshots: {screenshots}")
        page.close()
        shut_down_kernels(url, token)
