"""The microphone widget, headless: messages go in through the same path the browser uses
(a comm message with binary buffers, handled by ipywidgets), and samples, pictures,
players and every message the reader can see come out."""

from pathlib import Path

import numpy as np
import pytest

from nblib.audio.io import read_wav, wav_bytes, write_wav
from nblib.widgets.microphone import MESSAGES, NEEDS_A_NOTEBOOK, Microphone, trim_leading_zeros

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = (ROOT / "nblib" / "widgets" / "microphone.js").read_text(encoding="utf-8")


def tone(frequency=440.0, seconds=1.0, rate=16000, amplitude=0.5, leading_zeros=480):
    t = np.arange(int(seconds * rate)) / rate
    samples = (amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32)
    samples[:leading_zeros] = 0
    return samples


def browser_says(mic, content, buffers=()):
    """Deliver `content` and `buffers` as the browser's model.send does: a custom comm message."""
    mic._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": list(buffers)})


def record(mic, samples, rate=None):
    samples = np.asarray(samples, dtype=np.float32)
    browser_says(mic, {"type": "recording", "sample_rate": rate or mic.sample_rate, "n_samples": len(samples)},
                 [memoryview(samples.tobytes())])


@pytest.fixture
def mic():
    mic = Microphone(sample_rate=16000, duration=1.0)
    mic.sent = []
    mic.send = lambda content, buffers=None: mic.sent.append(content)
    mic.heard = []
    mic.on_recording(lambda samples, rate: mic.heard.append((samples, rate)))
    return mic


def loudest_frequency(samples, rate):
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)]


def test_the_browser_is_told_a_kernel_is_listening(mic):
    browser_says(mic, {"type": "hello"})
    assert mic.sent == [{"type": "ready"}]
    assert mic.message == MESSAGES["ready"] and mic.message_kind == "info"


def test_a_recording_arrives_as_float32_samples_without_its_leading_zeros(mic):
    samples = tone(leading_zeros=480)
    record(mic, samples)
    assert mic.problem is None and mic.message_kind == "info"
    assert mic.samples.dtype == np.float32 and mic.sample_rate == 16000
    np.testing.assert_array_equal(mic.samples, samples[480:])
    assert len(mic.heard) == 1
    np.testing.assert_array_equal(mic.heard[0][0], samples[480:])
    assert mic.heard[0][1] == 16000
    assert mic.message == "Recorded 0.97 s at 16000 samples per second; its loudest sample is −6.0 dBFS."
    assert mic.picture[:8] == b"\x89PNG\r\n\x1a\n"
    played, rate = read_wav_bytes(mic.audio)
    assert rate == 16000 and len(played) == len(samples) - 480


def read_wav_bytes(data):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "played.wav"
        path.write_bytes(data)
        return read_wav(path, sample_rate=None)


def test_a_recording_at_another_rate_is_resampled_to_the_asked_rate(mic):
    record(mic, tone(440.0, rate=48000, leading_zeros=0), rate=48000)
    assert mic.sample_rate == 16000 and len(mic.samples) == 16000
    assert loudest_frequency(mic.samples, 16000) == pytest.approx(440.0, abs=1.0)


@pytest.mark.parametrize("samples, loudest", [(np.zeros(16000), "exactly zero"),
                                              (tone(amplitude=0.001), "−60.0 dBFS"),
                                              (np.zeros(0), "exactly zero")])
def test_a_silent_recording_is_refused_with_a_message(mic, samples, loudest):
    record(mic, tone())
    kept = mic.samples
    record(mic, samples)
    assert mic.problem == "silent" and mic.message_kind == "error"
    assert mic.message.startswith(f"The recording is silent: its loudest sample is {loudest}.")
    assert len(mic.heard) == 1, "the callback must not hear a silent recording"
    assert mic.samples is kept
    assert mic.picture == b"" and mic.audio == b"" and mic.result == ""


def test_a_clipped_recording_is_used_with_a_warning(mic):
    samples = np.clip(tone(amplitude=2.0), -1, 1)
    record(mic, samples)
    assert mic.problem == "clipped" and mic.message_kind == "warning"
    assert "clipped" in mic.message and "softer" in mic.message
    assert len(mic.heard) == 1


def test_a_quiet_but_clean_recording_is_not_clipped(mic):
    record(mic, tone(amplitude=0.99))
    assert mic.problem is None


@pytest.mark.parametrize("reason, words", [
    ("insecure", "https://"), ("permission", "not allowed"), ("no-device", "No microphone was found"),
    ("busy", "another program"), ("unsupported", "AudioWorklet"), ("other", "NotReadableError: x"),
    ("no-such-reason", "Recording failed"),
])
def test_every_browser_error_shows_its_message(mic, reason, words):
    browser_says(mic, {"type": "error", "reason": reason, "detail": "NotReadableError: x"})
    assert mic.message_kind == "error" and words in mic.message
    assert mic.problem == (reason if reason in MESSAGES else "other")
    assert mic.heard == []


def test_the_insecure_message_names_the_page(mic):
    browser_says(mic, {"type": "error", "reason": "insecure", "detail": "http://192.0.2.1:8888"})
    assert "This page is http://192.0.2.1:8888" in mic.message and "localhost" in mic.message


@pytest.mark.parametrize("content, buffers, words", [
    ({"type": "recording", "sample_rate": 16000, "n_samples": 4}, [], "1 buffer of samples expected, 0 came"),
    ({"type": "recording", "sample_rate": 16000, "n_samples": 4}, [b"abcde"], "5 bytes is not a whole number"),
    ({"type": "recording", "sample_rate": 16000, "n_samples": 9}, [np.ones(4, "<f4").tobytes()], "9 samples announced, 4 came"),
    ({"type": "recording", "sample_rate": "fast", "n_samples": 4}, [np.ones(4, "<f4").tobytes()], "sample rate 'fast'"),
    ({"type": "recording", "sample_rate": 16000, "n_samples": 2}, [np.array([np.nan, 1], "<f4").tobytes()], "NaN"),
    ({"type": "dance"}, [], "unknown type 'dance'"),
    ("not a dict", [], "unknown type None"),
])
def test_a_damaged_message_is_reported_not_raised(mic, content, buffers, words):
    browser_says(mic, content, [memoryview(buffer) for buffer in buffers])
    assert mic.problem == "bad-message" and mic.message_kind == "error"
    assert words in mic.message
    assert mic.heard == []


def test_a_wav_file_from_the_browser_goes_through_the_same_steps(mic):
    samples = tone(440.0, rate=8000, leading_zeros=0)
    browser_says(mic, {"type": "wav", "name": "my tone.wav"}, [memoryview(wav_bytes(samples, 8000))])
    assert mic.problem is None and mic.source == "my tone.wav"
    assert len(mic.samples) == 16000 and loudest_frequency(mic.samples, 16000) == pytest.approx(440.0, abs=1.0)
    assert len(mic.heard) == 1


def test_a_file_that_is_not_a_wav_says_so_by_name(mic):
    browser_says(mic, {"type": "wav", "name": "song.mp3"}, [memoryview(b"ID3\x04 not a wav at all")])
    assert mic.problem == "bad-file" and mic.message.startswith("That file could not be used: song.mp3: not a WAV file")
    assert mic.heard == []


def test_use_takes_a_wav_path_or_samples(mic, tmp_path):
    path = tmp_path / "tone.wav"
    write_wav(path, tone(330.0, rate=8000, leading_zeros=0), 8000)
    assert mic.use(path) is None and mic.source == "tone.wav"
    assert loudest_frequency(mic.samples, 16000) == pytest.approx(330.0, abs=1.0)
    assert mic.use(np.zeros(100), sample_rate=16000) == "silent"
    assert mic.use(tone(), sample_rate=16000) is None and len(mic.heard) == 2
    with pytest.raises(ValueError, match="sample_rate should say"):
        mic.use(tone())
    with pytest.raises(ValueError, match="shape"):
        mic.use(np.zeros((2, 100)), sample_rate=16000)


def test_a_callback_that_fails_is_reported_in_the_widget(mic, capsys):
    def broken(samples, rate):
        raise ZeroDivisionError("division by zero")

    mic.on_recording(broken)
    record(mic, tone())
    assert mic.problem == "callback"
    assert "raised ZeroDivisionError: division by zero" in mic.message
    assert "ZeroDivisionError" in capsys.readouterr().err
    assert mic.picture[:4] == b"\x89PNG", "the recording is still shown"


def test_a_callback_can_be_removed():
    heard = []
    mic = Microphone(on_recording=lambda s, r: heard.append(len(s)))
    callback = mic._callbacks[0]
    mic.on_recording(callback, remove=True)
    mic.use(tone(), sample_rate=16000)
    assert heard == []
    with pytest.raises(TypeError, match="callback should be a function"):
        mic.on_recording("print")


@pytest.mark.parametrize("arguments, words", [
    ({"sample_rate": 100}, "between 3000 and 48000"), ({"sample_rate": "16k"}, "sample_rate"),
    ({"duration": 0}, "duration should be seconds"), ({"duration": 60}, "between 0.1 and 10"),
    ({"durations": [1, "two"]}, "durations should be seconds"),
])
def test_bad_settings_are_refused(arguments, words):
    with pytest.raises((ValueError, TypeError), match=words):
        Microphone(**arguments)


def test_a_duration_outside_the_choices_joins_them():
    assert Microphone(duration=1.5).durations == [1.0, 1.5, 2.0, 3.0, 5.0]


def test_trim_leading_zeros():
    np.testing.assert_array_equal(trim_leading_zeros(np.array([0, 0, 0.5, 0, 1.0])), [0.5, 0, 1.0])
    assert len(trim_leading_zeros(np.zeros(5))) == 0


def test_outside_a_running_notebook_it_says_it_needs_one():
    data, _ = Microphone()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert NEEDS_A_NOTEBOOK in data["text/plain"] and NEEDS_A_NOTEBOOK in data["text/html"]
    assert "needs a running notebook" in SCRIPT, "the browser side says it too until the kernel answers"


@pytest.mark.parametrize("needed", [
    "echoCancellation: false", "noiseSuppression: false", "autoGainControl: false",  # the sound as it is
    "new AudioContext({ sampleRate: model.get(\"sample_rate\") })", "context.resume()",  # made and resumed in the click
    "AudioWorkletNode", "[samples.buffer]",  # an AudioWorklet; the samples as one binary buffer
])
def test_the_browser_side_records_as_the_book_needs(needed):
    assert needed in SCRIPT


def test_the_browser_side_uses_no_deprecated_script_processor():
    assert "ScriptProcessor" not in SCRIPT


def test_the_widgets_browser_files_ship_with_the_package():
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["nblib.widgets"]
    for path in sorted((ROOT / "nblib" / "widgets").glob("*.[jc]s*")):  # microphone.js, log_slider.js and .css
        assert any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns), f"{path.name} would not ship"
    assert {"microphone.js", "log_slider.js", "log_slider.css"} <= {path.name for path in (ROOT / "nblib" / "widgets").iterdir()}


def test_what_a_callback_returns_shows_in_the_widget(mic):
    from nblib.widgets.probabilities import probability_bars

    mic.on_recording(lambda samples, rate: probability_bars(["yes", "no"], [0.9, 0.1]))
    record(mic, tone())
    assert 'data-best="yes"' in mic.result
    mic.on_recording(lambda samples, rate: "a <loud> sound")
    record(mic, tone())
    assert mic.result == "<pre>a &lt;loud&gt; sound</pre>"
