"""The explorers where the reader is: JupyterLab in headless Chromium, driven by Playwright.

Shared by the browser tests (tests/test_browser.py) and the benchmark (benchmarks/run.py).
JupyterLab runs on 127.0.0.1 with a token, on a copy of the chapters (it autosaves), with the
book's settings (binder/overrides.json: no news pop-up).

Latency is measured in the page: the time from the release of an arrow key on a focused
slider to the explorer's <img> getting a new `src`, both stamped with performance.now().
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path():
    return os.environ.get("BOOK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def missing_browser_reason():
    """Why the browser cannot run here, or None when it can."""
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


@contextmanager
def jupyterlab(folder):
    """A JupyterLab server on a copy of the chapters in `folder`: yields (url, token); stopped afterwards."""
    folder = Path(folder)
    shutil.copytree(ROOT / "chapters", folder / "chapters")
    if (ROOT / "data").is_dir():  # the recordings the later chapters read, at the same place relative to them
        (folder / "data").symlink_to(ROOT / "data", target_is_directory=True)
    (folder / "settings").mkdir()
    shutil.copy(ROOT / "binder" / "overrides.json", folder / "settings")  # the book's settings, as on Binder
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
               f"--LabApp.workspaces_dir={folder / 'workspaces'}", f"--LabApp.app_settings_dir={folder / 'settings'}",
               "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = folder / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=folder)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(f"JupyterLab did not start:\n{log_path.read_text()[-3000:]}") from None
                    time.sleep(0.5)
            yield url, token
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def open_chapter(browser, url, token, chapter, width=1400, height=1000):
    """A new page on `chapter` (file name) in a workspace of its own; returns the page."""
    page = browser.new_page(viewport={"width": width, "height": height})
    workspace = Path(chapter).stem  # a workspace of its own, so no other chapter is restored beside it
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/chapters/{chapter}?reset&token={token}")
    page.locator(".jp-Notebook:visible").first.wait_for(timeout=90_000)
    page.wait_for_timeout(2000)  # let the kernel start
    return page


def run_all_cells(page, wait_for_image=True):
    """Run every cell of the open notebook; wait until each has run (and, by default, a widget image shows)."""
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
    if wait_for_image:
        page.locator(".jupyter-widgets img").first.wait_for(timeout=60_000)


def shut_down_kernels(url, token):
    """Stop every kernel the chapter started, so the next chapter has the machine to itself."""
    kernels = json.load(urllib.request.urlopen(f"{url}/api/kernels?token={token}", timeout=10))
    for kernel in kernels:
        request = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=10)


EXPLORERS = ".jp-OutputArea-output .jupyter-widgets.widget-box:not(.widget-box .widget-box)"
"""Every explorer on a page: the outermost widget box of an output."""


def explorer(page, index=0):
    """The index-th explorer on the page: the outermost widget box of an output."""
    return page.locator(EXPLORERS).nth(index)


SLIDER_HANDLES = ".widget-slider .noUi-handle, .nblib-log-slider input[type=range]"
"""Every slider's handle, in page order: ipywidgets' sliders and the book's log sliders (η, pitch)."""


def slider_handle(box, label):
    """The handle of the slider labelled `label` (such as "η") inside `box`."""
    log_slider = box.locator(".nblib-log-slider").filter(has=box.page.locator("label", has_text=label))
    if log_slider.count():
        return log_slider.first.locator("input[type=range]")
    slider = box.locator(".widget-slider").filter(has=box.page.locator(".widget-label", has_text=label))
    return slider.first.locator(".noUi-handle")


STAMPS = """(box) => {
    window.bookStamps = {keyup: [], click: [], src: [], text: [], images: box.querySelectorAll('img').length};
    if (!window.bookListening) {  // the page's key and click stamps, once per page
        window.bookListening = true;
        document.addEventListener('keyup', () => window.bookStamps.keyup.push(performance.now()), true);
        document.addEventListener('click', () => window.bookStamps.click.push(performance.now()), true);
    }
    if (box.dataset.bookWatched) return;  // this explorer's image and readout stamps, once per explorer
    box.dataset.bookWatched = 'yes';
    box.querySelectorAll('img').forEach((image, index) =>
        new MutationObserver(() => window.bookStamps.src.push([performance.now(), index]))
            .observe(image, {attributes: true, attributeFilter: ['src']}));
    const readout = box.querySelector('.widget-html-content');
    new MutationObserver(() => window.bookStamps.text.push([performance.now(), readout.innerText]))
        .observe(readout, {childList: true, subtree: true, characterData: true});
}"""


ALL_IMAGES_CHANGED = """() => {
    const stamps = window.bookStamps;
    if (!stamps.keyup.length) return false;
    const changed = new Set(stamps.src.map(([_, index]) => index)).size;
    return changed >= stamps.images || (changed > 0 && performance.now() - stamps.keyup[0] > 5000);
}"""


def slider_latencies(page, box, label, repeats):
    """Milliseconds from each arrow key's release on slider `label` until every panel's image
    has its new src (stamped in the page), for `repeats` presses alternating right and left."""
    box.evaluate(STAMPS)
    handle = slider_handle(box, label)
    handle.scroll_into_view_if_needed()
    handle.focus()
    latencies = []
    for step in range(repeats):
        page.evaluate("() => { window.bookStamps.keyup = []; window.bookStamps.src = []; }")
        page.keyboard.press("ArrowRight" if step % 2 == 0 else "ArrowLeft")
        page.wait_for_function(ALL_IMAGES_CHANGED, timeout=30_000)
        stamps = page.evaluate("() => window.bookStamps")
        first_change = {}
        for time, index in stamps["src"]:
            first_change.setdefault(index, time)
        latencies.append(max(first_change.values()) - stamps["keyup"][0])
        page.wait_for_timeout(100)
    return latencies


def train_latency(page, box, button_text, epochs_before, added):
    """Milliseconds from the click on the Train button to the readout showing the last epoch."""
    box.evaluate(STAMPS)
    page.evaluate("() => { window.bookStamps.click = []; window.bookStamps.text = []; }")
    target = f"epoch {epochs_before + added} "
    box.locator(f"button:has-text('{button_text}')").first.click()
    page.wait_for_function(f"() => window.bookStamps.text.some(([_, text]) => text.startsWith({target!r}))",
                           timeout=60_000)
    stamps = page.evaluate("() => window.bookStamps")
    done = next(time for time, text in stamps["text"] if text.startswith(target))
    return done - stamps["click"][0]


LAYOUT_PROBLEMS = """(box, smallestImage) => {
    const problems = [];
    const area = box.closest('.jp-OutputArea-output').getBoundingClientRect();
    const leaves = [...box.querySelectorAll(
        '.widget-slider, .nblib-log-slider, .widget-dropdown, .widget-button, .widget-html, .widget-text, audio, img')];
    const name = el => (el.innerText || el.className || el.tagName).toString().trim().split('\\n')[0].slice(0, 40);
    const rects = leaves.map(el => el.getBoundingClientRect());
    leaves.forEach((el, i) => {
        const r = rects[i];
        if (el.offsetParent === null) return;  // a hidden control
        if (r.width < 1 || r.height < 1) problems.push(`${name(el)}: has no size`);
        if (el.tagName !== 'IMG' && (r.left < area.left - 1 || r.right > area.right + 1))
            problems.push(`${name(el)}: sticks out of the output (${r.left.toFixed(0)}–${r.right.toFixed(0)} ` +
                          `of ${area.left.toFixed(0)}–${area.right.toFixed(0)})`);
        for (const part of el.querySelectorAll(
                '.widget-label, .widget-readout, button, select, .widget-html-content, label, input[type=text]'))
            if (part.offsetParent !== null && part.scrollWidth > part.clientWidth + 1)
                problems.push(`${name(el)}: its text "${part.innerText.slice(0, 30)}" is cut`);
        if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1) problems.push(`button ${name(el)}: label cut`);
        for (let j = 0; j < i; j++) {
            const q = rects[j];
            if (leaves[j].offsetParent === null || leaves[j].contains(el) || el.contains(leaves[j])) continue;
            const overlap = Math.min(r.right, q.right) - Math.max(r.left, q.left) > 2
                         && Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top) > 2;
            if (overlap) problems.push(`${name(el)} overlaps ${name(leaves[j])}`);
        }
    });
    for (const readout of box.querySelectorAll('.widget-html')) {
        const edge = readout.getBoundingClientRect().right;
        for (const part of readout.querySelectorAll('span, b, div'))
            if (part.getBoundingClientRect().right > edge + 1)
                problems.push(`readout text "${part.innerText.slice(0, 30)}" runs past its box`);
    }
    for (const img of box.querySelectorAll('img')) {
        const shown = img.getBoundingClientRect().width;
        if (shown < smallestImage) problems.push(`the figure is shown ${shown.toFixed(0)} px wide, below ${smallestImage} px`);
        const size = parseFloat(img.style.width);  // the figure's size on the page
        if (img.naturalWidth < 1.5 * shown - 1)  // explorers draw 1.5 or 2 image pixels per page pixel
            problems.push(`the figure is stretched to ${shown.toFixed(0)} px from ${img.naturalWidth} image pixels`);
        if (shown < 0.8 * size - 1) problems.push(`the figure is shrunk to ${shown.toFixed(0)} px from ${size} px`);
    }
    return problems;
}"""


def layout_problems(box, smallest_image):
    """What is wrong with the explorer's layout on the page: controls cut or sticking out, controls
    overlapping, a figure below `smallest_image` page pixels wide or stretched beyond its pixels."""
    return box.evaluate(LAYOUT_PROBLEMS, smallest_image)
