"""The microphone in a real browser: JupyterLab in headless Chromium with a fake microphone.

Chromium plays a WAV file as its microphone (--use-fake-device-for-media-stream
--use-file-for-fake-audio-capture=FILE). A small notebook shows a `Microphone` whose
callback names what it heard; the test presses record and waits for the answer.
With one of the book's spoken digits (resampled to 48 kHz, as a real microphone
delivers) the samples must arrive at the asked rate, hold the word, and the answer
must show within the latency target; with a silent file the widget must say the
recording is silent. Skipped without Chromium and playwright, like tests/test_browser.py.
"""

import json
import os
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from nblib.audio.io import read_wav, resample, write_wav
from test_browser import lab  # noqa: F401  (the JupyterLab server fixture)
from browser import CHROMIUM_ARGS, ROOT, chromium_path, run_all_cells, shut_down_kernels
from spoken_digits import spoken_digit

SCREENSHOTS = Path(os.environ.get("BOOK_SCREENSHOTS") or ROOT / "build" / "browser-screenshots")
"""Where a failing test leaves a picture of the page (build/ is not part of the repository)."""

LATENCY_TARGET_MS = 300
"""From the end of a recording to the answer on screen (the reader waits for this)."""

DIGIT_FILE = "7_jackson_0.wav"

NOTEBOOK_CELLS = [
    # The answer names the loudest frequency band and the number of samples: enough to see
    # that the word arrived whole and at the right rate. `predict` is filled in by the test.
    """import numpy as np
from nblib.widgets.microphone import Microphone

heard = []

def answer(samples, rate):
    heard.append(samples)
    mic.result = f"<span class='heard' data-samples='{len(samples)}' data-rate='{rate}'>" + predict(samples, rate) + "</span>"

mic = Microphone(sample_rate=8000, duration=1.0, on_recording=answer)
mic""",
]


def notebook(predict_source):
    cells = [{"cell_type": "code", "metadata": {}, "source": predict_source, "outputs": [], "execution_count": None}]
    cells += [{"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}
              for source in NOTEBOOK_CELLS]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def put_notebook(url, token, name, content):
    body = json.dumps({"type": "notebook", "format": "json", "content": content}).encode()
    request = urllib.request.Request(f"{url}/api/contents/{name}?token={token}", data=body, method="PUT",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=20)


def fake_microphone_file(folder, samples, rate, name):
    """A 48 kHz WAV file for Chromium to play as its microphone: 0.1 s of quiet, the sound, quiet up to 1.5 s."""
    at_48k = resample(samples, rate, 48000)
    padded = np.zeros(int(1.5 * 48000))
    padded[4800:4800 + len(at_48k)] = at_48k[:len(padded) - 4800]
    path = Path(folder) / name
    write_wav(path, np.clip(padded, -1, 1), 48000)
    return path


def record_in_browser(lab, fake_file, notebook_name, predict_source, times=1, app="lab"):
    """Write a small notebook with a microphone whose answer is `predict(samples, rate)`, and record with it."""
    url, token = lab
    put_notebook(url, token, notebook_name, notebook(predict_source))
    return drive_microphone(lab, fake_file, notebook_name, times=times, app=app)


def drive_microphone(lab, fake_file, notebook_name, times=1, which=0, app="lab", steps=None):
    """Open the notebook in Chromium with `fake_file` as the microphone, run all its cells, press
    record on microphone number `which` of the page `times` times; returns what that microphone
    shows: the message, the last answer and every latency (ms), and any error output of a cell.
    steps(page, microphone, record_once) replaces the presses of record, for a longer story."""
    from playwright.sync_api import sync_playwright

    url, token = lab
    args = CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream"]  # permission granted without asking
    if fake_file is not None:
        args += ["--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={fake_file}"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=args)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        problems = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        try:
            if app == "notebook":  # Notebook 7, served by the same server
                page.goto(f"{url}/notebooks/{notebook_name}?token={token}")
            else:
                workspace = Path(notebook_name).stem
                page.goto(f"{url}/lab/workspaces/{workspace}/tree/{notebook_name}?reset&token={token}")
            page.locator(".jp-Notebook:visible").first.wait_for(timeout=90_000)
            page.wait_for_timeout(2000)
            if app == "notebook":  # Notebook 7 keeps an empty cell at the end, so wait for the widget instead
                page.locator(".jp-Notebook:visible").first.click()
                page.keyboard.press("Escape")
                page.get_by_role("menuitem", name="Run", exact=True).click()
                page.get_by_text("Run All Cells", exact=True).click()
            else:
                run_all_cells(page, wait_for_image=False)
            microphone = page.locator(".nblib-microphone").nth(which)
            microphone.and_(page.locator("[data-ready='yes']")).wait_for(timeout=60_000)
            microphone.scroll_into_view_if_needed()
            def record_once(number, answers=None):
                """Press record for recording `number`; wait for it, and for `answers` answers in all."""
                microphone.locator(".nblib-mic-record").click()
                if fake_file is None:  # no microphone at all: the browser refuses, the widget says why
                    page.wait_for_function(
                        "which => { const m = document.querySelectorAll('.nblib-microphone')[which];"
                        " return m.querySelector('.nblib-mic-message').dataset.kind === 'error'"
                        " || (m.dataset.recordings === '1' && m.dataset.state === 'idle'); }", arg=which, timeout=30_000)
                    return
                page.wait_for_function(
                    "([n, which]) => { const m = document.querySelectorAll('.nblib-microphone')[which];"
                    " return m.dataset.recordings === String(n) && m.dataset.state === 'idle'; }",
                    arg=[number, which], timeout=30_000)
                if answers is None:
                    return
                page.wait_for_function(
                    "([n, which]) => { const m = document.querySelectorAll('.nblib-microphone')[which];"
                    " return (m.dataset.latencies || '').split(' ').filter(Boolean).length === n"
                    " || m.querySelector('.nblib-mic-message').dataset.kind === 'error'; }",
                    arg=[answers, which], timeout=30_000)
            if steps is None:
                for number in range(1, times + 1):
                    record_once(number, answers=number)
            else:
                steps(page, microphone, record_once)
            page.wait_for_timeout(1000)  # let the picture and the player arrive too
            view = page.evaluate("""(which) => {
                const m = document.querySelectorAll('.nblib-microphone')[which];
                const heard = m.querySelector('.heard');
                const best = m.querySelector('.nblib-probabilities');
                return {message: m.querySelector('.nblib-mic-message').textContent,
                        kind: m.querySelector('.nblib-mic-message').dataset.kind,
                        answer: heard ? heard.textContent : null,
                        best: best ? best.dataset.best : null,
                        samples: heard ? Number(heard.dataset.samples) : null,
                        rate: heard ? Number(heard.dataset.rate) : null,
                        latencies: (m.dataset.latencies || '').split(' ').filter(Boolean).map(Number),
                        picture: !m.querySelector('.nblib-mic-picture').hidden,
                        player: !m.querySelector('.nblib-mic-player').hidden,
                        cell_errors: [...document.querySelectorAll(
                            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")].map(e => e.textContent)};
            }""", which)
            view["problems"] = problems
            view["player_seconds"] = page.evaluate("""(which) => new Promise(done => {
                const audio = document.querySelectorAll('.nblib-microphone')[which].querySelector('.nblib-mic-player');
                if (!audio.src) { done(null); return; }
                if (audio.readyState >= 1) { done(audio.duration); return; }
                audio.addEventListener('loadedmetadata', () => done(audio.duration), {once: true});
                audio.addEventListener('error', () => done(-1), {once: true});
                audio.load();
            })""", which)
            if os.environ.get("BOOK_SCREENSHOTS"):  # a picture of the microphone as a reader sees it
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                microphone.screenshot(path=str(SCREENSHOTS / f"{Path(notebook_name).stem}-microphone.png"))
            return view
        except Exception:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{Path(notebook_name).stem}.png"), full_page=True)
            raise
        finally:
            browser.close()
            shut_down_kernels(url, token)


DIGIT_NETWORK = """import numpy as np
from pathlib import Path
from nblib.audio.io import fit_length, read_wav
from nblib.audio.features import clip_features
from nblib.network import Network
from nblib.training import fit
from nblib.widgets.probabilities import probability_bars, softmax

# A dense network on the book's spoken digits, without the five recordings of each digit
# that Jackson's test set holds (the fake microphone says one of them).
FOLDER = Path({folder!r})
files = sorted(path for path in FOLDER.glob("*.wav")
               if not (path.stem.split("_")[1] == "jackson" and int(path.stem.split("_")[2]) < 5))
clips = np.array([fit_length(read_wav(path, 8000)[0], 8000) for path in files])
digits = np.array([int(path.name[0]) for path in files])
features = clip_features(clips, sample_rate=8000)
mean, spread = features.mean(axis=0), features.std(axis=0)
network = Network.from_sizes([features.shape[1], 64, 10], activation="relu", output_activation="linear", rng=0)
fit(network, (features - mean) / spread, digits, loss="softmax_cross_entropy", learning_rate=0.05, epochs=60,
    batch_size=64, rng=0, progress=False)

def predict(samples, rate):
    heard = (clip_features(fit_length(samples, rate)[None, :], sample_rate=rate) - mean) / spread
    return probability_bars([str(digit) for digit in range(10)], softmax(network.forward(heard))[0]).html()
"""


LOUDEST_BAND = """def predict(samples, rate):
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    frequencies = np.fft.rfftfreq(len(samples), 1 / rate)
    return f"loudest near {frequencies[np.argmax(spectrum)]:.0f} Hz"
"""


def digit_fake_microphone(folder):
    samples, rate = read_wav(spoken_digit(DIGIT_FILE), sample_rate=None)
    return fake_microphone_file(folder, samples, rate, "digit_48k.wav")


def test_a_spoken_digit_arrives_through_the_fake_microphone_and_is_named(lab, tmp_path):
    fake = digit_fake_microphone(tmp_path)
    setup = DIGIT_NETWORK.format(folder=str(spoken_digit(DIGIT_FILE).parent))
    view = record_in_browser(lab, fake, "microphone_digit.ipynb", setup, times=3)
    print(view)
    assert view["kind"] != "error", view["message"]
    assert view["rate"] == 8000
    # one second at 8 kHz, less the zeros before the sound (0.1 s in the file, a little more from the browser)
    assert 6000 <= view["samples"] <= 8000, view
    assert view["picture"] and view["player"]
    assert view["best"] == DIGIT_FILE[0], f"the network heard {view['best']}: {view['answer']}"
    assert len(view["latencies"]) == 3
    assert np.median(view["latencies"]) <= LATENCY_TARGET_MS, view["latencies"]
    assert not view["problems"], view["problems"]


def test_without_a_microphone_the_widget_says_none_was_found(lab):
    """Chromium without a fake device, on a machine with no sound card: getUserMedia finds nothing."""
    view = record_in_browser(lab, None, "microphone_none.ipynb", LOUDEST_BAND)
    if view["kind"] != "error" and "Recorded" in view["message"]:
        pytest.skip("this machine has a microphone: Chromium recorded from it")
    assert view["kind"] == "error" and view["message"].startswith("No microphone was found."), view
    assert view["answer"] is None and view["latencies"] == []


def test_a_silent_microphone_says_the_recording_is_silent(lab, tmp_path):
    fake = tmp_path / "silence_48k.wav"
    write_wav(fake, np.zeros(48000), 48000)
    view = record_in_browser(lab, fake, "microphone_silent.ipynb", LOUDEST_BAND)
    assert view["kind"] == "error" and "silent" in view["message"], view
    assert view["answer"] is None and view["latencies"] == []


def test_the_chapters_network_names_the_digit_said_into_the_microphone(lab, tmp_path):
    """Chapter 13 run whole in JupyterLab; its "Say a digit" microphone (the second on the page) hears the digit."""
    view = drive_microphone(lab, digit_fake_microphone(tmp_path), "chapters/13_your_voice.ipynb", which=1, times=3)
    print(view)
    assert not view["cell_errors"], view["cell_errors"]
    assert view["kind"] != "error", view["message"]
    assert view["best"] == DIGIT_FILE[0], f"the chapter's network heard {view['best']}: {view['answer']}"
    assert 0.7 < view["player_seconds"] <= 1.0, f"the player should play the recording: {view['player_seconds']}"
    assert len(view["latencies"]) == 3 and np.median(view["latencies"]) <= LATENCY_TARGET_MS, view["latencies"]
    assert not view["problems"], view["problems"]
    latency_file = os.environ.get("BOOK_MIC_LATENCY_FILE")
    if latency_file:  # benchmarks/run.py reads the figures from here
        Path(latency_file).write_text(json.dumps(view["latencies"]))


def test_the_microphone_works_in_notebook_7_too(lab, tmp_path):
    pytest.importorskip("notebook", reason="Notebook 7 is not installed (pip install -r tests/requirements.txt)")
    view = record_in_browser(lab, digit_fake_microphone(tmp_path), "microphone_notebook7.ipynb", LOUDEST_BAND,
                             app="notebook")
    assert view["kind"] != "error", view["message"]
    assert view["rate"] == 8000 and 6000 <= view["samples"] <= 8000, view
    assert view["picture"] and view["player"] and view["latencies"]
    # Notebook 7 here logs one console error, "Cannot read properties of undefined (reading 'schema')",
    # not from this widget's script (which holds no such code); it is shown, not asserted on.
    print("Notebook 7 console errors:", view["problems"])
    assert not [problem for problem in view["problems"] if "nblib" in problem or "microphone" in problem]


def test_the_chapters_sound_trainer_records_trains_and_tests(lab, tmp_path):
    """Chapter 13's sound trainer (the third microphone on the page): two recordings into each of its
    three classes, Train, then a recording in test mode shows the bars."""
    def steps(page, microphone, record_once):
        trainer = page  # the trainer's controls are the only ones with these names on the page
        count = 0
        for name in ("clap", "whistle", "hum"):
            trainer.locator(".widget-toggle-button", has_text=name).click()
            for _ in range(2):
                count += 1
                record_once(count)
                page.wait_for_function(
                    "n => document.body.innerText.includes(n)", arg=f"{name}: {2 if count % 2 == 0 else 1} example",
                    timeout=30_000)
        trainer.locator(".jupyter-widgets button", has_text="Train").click()
        page.wait_for_function("() => document.body.innerText.includes('accuracy on the examples')", timeout=30_000)
        trainer.locator(".widget-toggle-button", has_text="test").click()
        record_once(count + 1, answers=1)

    view = drive_microphone(lab, digit_fake_microphone(tmp_path), "chapters/13_your_voice.ipynb", which=2, steps=steps)
    print(view)
    assert not view["cell_errors"], view["cell_errors"]
    assert view["best"] in ("clap", "whistle", "hum"), view
    assert len(view["latencies"]) == 1, "only the test recording answers with bars"
    assert not view["problems"], view["problems"]
