"""The explorers in a real browser: JupyterLab in headless Chromium, driven by Playwright.

A widget can pass every headless test and still be blank in JupyterLab. These tests
start JupyterLab on 127.0.0.1 (with a token) on a temporary copy of the chapters,
run every cell of each chapter that has an explorer, move a slider, change a
dropdown or press a button, and check that the readout text and the picture
change. Any browser console error or any error output in a cell fails the test;
every sound player on the page must load in the browser. A screenshot of every failure is
saved in build/browser-screenshots/.

They need Chromium (Debian's `chromium` package) and the `playwright` package;
without them they are skipped, unless BOOK_BROWSER_TESTS=required (as in CI),
which turns the skip into a failure.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "browser-screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# chapter → the interactions to try, in order: (kind, which control, value)
INTERACTIONS = {
    "01_the_neuron.ipynb": [("slider", 0, 5), ("dropdown", 0, "tanh")],
    "02_activation_functions.ipynb": [("dropdown", 0, "ReLU"), ("slider", 0, -8)],
    "04_loss_functions.ipynb": [("slider", 0, 8)],
    "05_gradient_descent.ipynb": [("slider", 0, 10)],
    "07_training_a_network.ipynb": [("slider", 0, 6), ("dropdown", 0, "ReLU")],
    "08_deep_networks.ipynb": [("button", "Train", None), ("slider", 0, 3)],
    "09_audio_features.ipynb": [("slider", 0, 6), ("dropdown", 0, "saw")],
}


SOUND_PLAYERS = {"09_audio_features.ipynb": 15}  # 14 clips to listen to, and the explorer's player


def chromium_path():
    return os.environ.get("BOOK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def missing_browser_reason():
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r tests/requirements.txt)"
    if not chromium_path():
        return "Chromium is not installed (Debian: apt-get install chromium)"
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a temporary copy of the chapters; stopped afterwards, also on failure."""
    reason = missing_browser_reason()
    if reason:
        if os.environ.get("BOOK_BROWSER_TESTS") == "required":
            pytest.fail(f"browser tests are required here, but {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "chapters", folder / "chapters")
    if (ROOT / "data").is_dir():  # the recordings the later chapters read, at the same place relative to them
        (folder / "data").symlink_to(ROOT / "data", target_is_directory=True)
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--IdentityProvider.token={token}", "--LabApp.news_url=None", f"--ServerApp.root_dir={folder}",
               f"--LabApp.workspaces_dir={folder / 'workspaces'}", "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(folder / "server.log", "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"JupyterLab did not start:\n{(folder / 'server.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield url, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


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


def run_all_cells(page):
    page.locator(".jp-Notebook:visible").first.click()
    page.keyboard.press("Escape")
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
            return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p));
        }""",
        timeout=240_000,
    )


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
        handle = page.locator(".widget-slider .noUi-handle").nth(which)
        handle.scroll_into_view_if_needed()
        handle.click()
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
    import json

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


@pytest.mark.parametrize("chapter", chapters_with_explorers())
def test_explorers_work_in_jupyterlab(chapter, lab, browser):
    url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems = []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        workspace = Path(chapter).stem  # a workspace of its own, so no other chapter is restored beside it
        page.goto(f"{url}/lab/workspaces/{workspace}/tree/chapters/{chapter}?reset&token={token}")
        page.locator(".jp-Notebook:visible").first.wait_for(timeout=90_000)
        page.wait_for_timeout(2000)  # let the kernel start
        run_all_cells(page)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, f"a cell shows an error: {errors.first.inner_text()[:500]}"
        durations = sound_durations(page)
        assert all(duration > 0.1 for duration in durations), f"a sound player did not load: {durations}"
        assert len(durations) >= SOUND_PLAYERS.get(chapter, 0), f"only {len(durations)} sound players on the page"
        page.locator(".jupyter-widgets img").first.wait_for(timeout=60_000)
        for kind, which, value in INTERACTIONS[chapter]:
            before = state(page)
            interact(page, kind, which, value)
            wait_for_change(page, before, f"{chapter}: {kind} {which} → {value}")
        assert not problems, "\n".join(problems)
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{Path(chapter).stem}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot of the failure: {shot.relative_to(ROOT)}")
        raise
    finally:
        page.close()
        shut_down_kernels(url, token)


def shut_down_kernels(url, token):
    """Stop every kernel the chapter started, so the next chapter has the machine to itself."""
    import json

    kernels = json.load(urllib.request.urlopen(f"{url}/api/kernels?token={token}", timeout=10))
    for kernel in kernels:
        request = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=10)
