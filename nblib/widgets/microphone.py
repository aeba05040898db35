"""The microphone: record a sound in the browser and get its samples in Python.

Introduced in chapter 13, Your voice.

    mic = Microphone(sample_rate=8000, duration=1.0)
    mic                                   # shows it: record button, length, level meter
    mic.on_recording(lambda samples, rate: print(len(samples), rate))
    mic.samples, mic.sample_rate          # the last recording, float32 in −1…1
    mic.use("my_sound.wav")               # a WAV file instead, through the same steps

The browser side (microphone.js, beside this file) asks for the microphone with echo
cancellation, noise suppression and automatic gain turned off (they change the sound
and would make a recording unlike the training data), records at `sample_rate` through
an AudioWorklet and sends the samples as one binary buffer. This side checks them
(silent? clipped?), trims the leading zeros the browser puts before the first sound,
calls your functions, then draws the waveform and spectrogram and fills the player.
Every message the reader sees is written here, so it can be tested without a browser.

Recording needs a secure page (https, as on Binder, or http://localhost) and a running
notebook; in a static copy of the book the widget says so.
"""

import html
import tempfile
import traceback
from pathlib import Path

import anywidget
import numpy as np
import traitlets

from nblib.audio.io import AudioFileError, read_wav, resample, wav_bytes
from nblib.audio.synth import SAMPLE_RATE
from nblib.validation import as_float_array, as_positive_int, describe

SILENT_DB = -50.0
"""A recording whose loudest sample is quieter than this (dB below full scale) counts as silent."""

CLIPPED_LEVEL = 0.999
"""A sample this close to full scale has hit the limit of the microphone's converter."""

CLIPPED_FRACTION = 0.001
"""More than this fraction of samples at full scale (1 in 1,000) makes a recording clipped."""

MAX_SECONDS = 10.0
"""The longest recording (a browser sends at most 10 MiB in one message; 10 s at 48 kHz is 1.9 MB)."""

NEEDS_A_NOTEBOOK = ("This microphone needs a running notebook (JupyterLab or Notebook 7, for example on Binder). "
                    "A static copy of the page cannot record.")

MESSAGES = {
    "ready": "Press record and make your sound.",
    "insecure": ("The browser allows the microphone only on a secure page: an address that starts with https:// "
                 "(as on Binder) or http://localhost. This page is {detail}, so the microphone is hidden. "
                 "Open the notebook through localhost or https, or use a WAV file instead."),
    "permission": ("The browser was not allowed to use the microphone. Click the microphone or lock icon in the "
                   "address bar, allow the microphone for this page, and press record again."),
    "no-device": ("No microphone was found. Plug one in (or choose it in your system's sound settings) "
                  "and press record again, or use a WAV file instead."),
    "busy": ("The microphone could not be opened: another program may be using it. "
             "Close that program and press record again."),
    "unsupported": ("This browser cannot record here (it has no AudioWorklet). "
                    "Use a recent Chrome, Edge, Firefox or Safari, or use a WAV file instead."),
    "other": "Recording failed ({detail}). Press record to try again, or use a WAV file instead.",
    "bad-message": "The recording did not arrive whole ({detail}). Press record to try again.",
    "bad-file": "That file could not be used: {detail}",
    "silent": ("The recording is silent: its loudest sample is {detail}. Check that the right microphone is "
               "chosen and not muted (the level meter moves while it hears you), then record again, closer."),
    "clipped": ("Recorded {seconds:.2f} s, but it is clipped: {detail} of its samples hit the loudest value the "
                "microphone can record, which distorts the sound. Speak a little softer or further away, "
                "and record again."),
    "recorded": "Recorded {seconds:.2f} s at {rate} samples per second; its loudest sample is {detail}.",
    "callback": "Your function {detail} after the recording arrived; the traceback is in the log.",
}
"""What the widget says, by reason: errors from the browser, then checks of what arrived."""

PROBLEMS = ("insecure", "permission", "no-device", "busy", "unsupported", "other", "bad-message", "bad-file",
            "silent", "callback")
"""Reasons that mean nothing usable was recorded (a clipped recording is used, with a warning)."""

CSS = """
.nblib-microphone { font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px; max-width: 760px; }
.nblib-mic-controls { display: flex; gap: 0.8em; align-items: center; flex-wrap: wrap; }
.nblib-mic-record { font-size: 14px; padding: 0.3em 1em; min-width: 10em; cursor: pointer; }
.nblib-mic-file { color: var(--jp-ui-font-color2, #666); }
.nblib-mic-file input { font-size: 12px; }
.nblib-mic-meter { width: 10em; height: 0.8em; border: 1px solid #999; background: #eee; }
.nblib-mic-meter div { height: 100%; width: 0; background: #2a9d8f; }
.nblib-mic-meter div[data-clipped="yes"] { background: #d55e00; }
.nblib-mic-message { margin: 0.5em 0; }
.nblib-mic-message[data-kind="error"] { color: #b00020; font-weight: bold; }
.nblib-mic-message[data-kind="warning"] { color: #9a4f00; }
.nblib-mic-picture { display: block; max-width: 100%; }
.nblib-mic-picture[hidden], .nblib-mic-player[hidden] { display: none; }
"""


def decibels(peak):
    """A peak amplitude (0…1) as text in dB below full scale: '−12.0 dBFS' (or 'exactly zero')."""
    return "exactly zero" if peak == 0 else f"{20 * np.log10(peak):.1f} dBFS".replace("-", "−")


def trim_leading_zeros(samples):
    """`samples` without the run of exact zeros a browser records before the first sound (~30 ms)."""
    nonzero = np.flatnonzero(samples)
    return samples[nonzero[0]:] if len(nonzero) else samples[:0]


class Microphone(anywidget.AnyWidget):
    """A record button, a length choice and a level meter; after a recording, the waveform,
    the spectrogram and a player. `samples` (n_samples,) float32 and `sample_rate` hold the
    last usable recording; `problem` names what went wrong with the last one (None if nothing)."""

    _esm = Path(__file__).with_name("microphone.js")
    _css = CSS

    sample_rate = traitlets.Int(SAMPLE_RATE).tag(sync=True)
    duration = traitlets.Float(1.0).tag(sync=True)
    durations = traitlets.List([1.0, 2.0, 3.0, 5.0]).tag(sync=True)
    message = traitlets.Unicode(MESSAGES["ready"]).tag(sync=True)
    message_kind = traitlets.Unicode("info").tag(sync=True)
    picture = traitlets.Bytes(b"").tag(sync=True)
    audio = traitlets.Bytes(b"").tag(sync=True)
    result = traitlets.Unicode("").tag(sync=True)

    def __init__(self, sample_rate=SAMPLE_RATE, duration=1.0, durations=(1.0, 2.0, 3.0, 5.0), on_recording=None,
                 show_picture=True):
        sample_rate = as_positive_int(sample_rate, "sample_rate")
        if not 3000 <= sample_rate <= 48000:
            raise ValueError(f"sample_rate should be between 3000 and 48000 samples per second (browsers record in "
                             f"that range); got {sample_rate}. The book's recordings use 8000 or 16000.")
        durations = [self._seconds(value, "durations") for value in durations]
        duration = self._seconds(duration, "duration")
        if duration not in durations:
            durations = sorted(set(durations) | {duration})
        super().__init__(sample_rate=sample_rate, duration=duration, durations=durations)
        self.samples, self.problem, self.source = None, None, None
        self.show_picture = bool(show_picture)
        self._callbacks = []
        if on_recording is not None:
            self.on_recording(on_recording)
        self.on_msg(self._receive)

    @staticmethod
    def _seconds(value, name):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.1 <= value <= MAX_SECONDS:
            raise ValueError(f"{name} should be seconds between 0.1 and {MAX_SECONDS:g}; got {describe(value)}.")
        return float(value)

    def on_recording(self, callback, remove=False):
        """Call `callback(samples, sample_rate)` after every usable recording (or WAV file); what it
        returns, if not None, shows in the widget (probability bars, or any text). remove=True stops calling it."""
        if not callable(callback):
            raise TypeError(f"callback should be a function taking (samples, sample_rate); got {describe(callback)}.")
        if remove:
            self._callbacks.remove(callback)
        else:
            self._callbacks.append(callback)

    # --- what arrives from the browser -------------------------------------------------------

    def _receive(self, _widget, content, buffers):
        """Every message of the browser side: hello, error, recording or wav."""
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "hello":
            self.send({"type": "ready"})
        elif kind == "error":
            self._say(content.get("reason") if content.get("reason") in MESSAGES else "other",
                      detail=str(content.get("detail", "no detail")))
        elif kind == "recording":
            self._recording(content, buffers)
        elif kind == "wav":
            self._wav(content, buffers)
        else:
            self._say("bad-message", detail=f"a message of unknown type {kind!r}")

    def _recording(self, content, buffers):
        rate = content.get("sample_rate")
        if len(buffers) != 1:
            return self._say("bad-message", detail=f"1 buffer of samples expected, {len(buffers)} came")
        data = memoryview(buffers[0]).cast("B")
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 3000 <= rate <= 384000:
            return self._say("bad-message", detail=f"sample rate {rate!r} is not a rate a browser records at")
        if len(data) % 4:
            return self._say("bad-message", detail=f"{len(data)} bytes is not a whole number of float32 samples")
        samples = np.frombuffer(data, dtype="<f4").astype(np.float32)
        if content.get("n_samples") != len(samples):
            return self._say("bad-message", detail=f"{content.get('n_samples')} samples announced, {len(samples)} came")
        if int(rate) != self.sample_rate:  # the browser could not record at the asked rate
            samples = resample(samples, int(rate), self.sample_rate).astype(np.float32)
        self._take(samples, "recording")

    def _wav(self, content, buffers):
        name = str(content.get("name", "the file"))
        if len(buffers) != 1:
            return self._say("bad-message", detail=f"1 file expected, {len(buffers)} came")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(name).name
            path.write_bytes(memoryview(buffers[0]).cast("B"))
            try:
                samples, _ = read_wav(path, self.sample_rate)
            except AudioFileError as error:
                return self._say("bad-file", detail=str(error).replace(str(folder) + "/", ""))
        self._take(samples.astype(np.float32), name)

    # --- the same steps for a WAV file or samples from Python --------------------------------

    def use(self, sound, sample_rate=None):
        """Treat `sound` as if it had just been recorded: a WAV file's path, or samples
        (n_samples,) at `sample_rate` (resampled to the microphone's rate). Returns `problem`."""
        if isinstance(sound, (str, Path)):
            samples, _ = read_wav(sound, self.sample_rate)
            source = Path(sound).name
        else:
            samples = as_float_array(sound, "sound")
            if samples.ndim != 1:
                raise ValueError(f"sound should be one clip of samples, shape (n_samples,); got shape {samples.shape}.")
            if sample_rate is None:
                raise ValueError("sample_rate should say how many samples per second `sound` has, e.g. sample_rate=8000.")
            samples = resample(samples, as_positive_int(sample_rate, "sample_rate"), self.sample_rate)
            source = "samples"
        self._take(np.asarray(samples, dtype=np.float32), source)
        return self.problem

    def _take(self, samples, source):
        """Check a recording, keep it, call the callbacks, then draw it and fill the player."""
        if not np.isfinite(samples).all():
            return self._say("bad-message", detail="it holds NaN or infinite values")
        samples = trim_leading_zeros(samples)
        peak = float(np.abs(samples).max()) if len(samples) else 0.0
        self.result = ""
        if peak == 0 or 20 * np.log10(peak) < SILENT_DB:
            self.picture, self.audio = b"", b""
            return self._say("silent", detail=decibels(peak))
        self.samples, self.source = samples, source
        seconds = len(samples) / self.sample_rate
        clipped = float(np.mean(np.abs(samples) >= CLIPPED_LEVEL))
        if clipped > CLIPPED_FRACTION:
            self._say("clipped", detail=f"{clipped:.1%}", seconds=seconds)
        else:
            self._say("recorded", detail=decibels(peak), seconds=seconds, rate=self.sample_rate)
        for callback in list(self._callbacks):
            try:
                answer = callback(samples, self.sample_rate)
                if answer is not None:  # shown under the controls: HTML, an object that has HTML, or text
                    self.result = as_html(answer)
            except Exception as error:  # the reader's function: say so in the widget, keep the traceback
                traceback.print_exc()
                self._say("callback", detail=f"raised {type(error).__name__}: {error}")
                break
        if self.show_picture:
            self.picture = recording_png(samples, self.sample_rate)
        self.audio = wav_bytes(np.clip(samples, -1, 1), self.sample_rate)

    def _say(self, reason, detail="", **values):
        """Show the message for `reason` and remember it as the problem (None after a good recording)."""
        self.problem = reason if reason in PROBLEMS or reason == "clipped" else None
        self.message_kind = "error" if reason in PROBLEMS else "warning" if reason == "clipped" else "info"
        self.message = MESSAGES[reason].format(detail=detail, **values)

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = f"Microphone: {NEEDS_A_NOTEBOOK}"
        data["text/html"] = f"<p><b>🎤 Microphone.</b> {NEEDS_A_NOTEBOOK}</p>"
        return data, metadata

    def __repr__(self):
        last = "nothing recorded yet" if self.samples is None else f"{len(self.samples)} samples"
        return f"Microphone(sample_rate={self.sample_rate}, duration={self.duration:g}, {last})"


def as_html(answer):
    """A callback's answer as HTML: its own HTML if it has some (like probability bars), else its text."""
    if hasattr(answer, "_repr_html_"):
        return answer._repr_html_()
    return f"<pre>{html.escape(str(answer))}</pre>"


def recording_png(samples, sample_rate):
    """The waveform and the spectrogram of a recording side by side, as PNG bytes."""
    from nblib.audio.display import plot_spectrogram, plot_waveform
    from nblib.plots import figure_png, new_figure

    figure, (wave, spectrum) = new_figure(ncols=2, size=(9.0, 2.3), pyplot=False)
    figure.set_dpi(80)
    plot_waveform(samples, sample_rate, ax=wave, title="waveform")
    plot_spectrogram(samples, sample_rate, ax=spectrum, title="spectrogram", colorbar=False)
    return figure_png(figure)


def microphone(sample_rate=SAMPLE_RATE, duration=1.0, on_recording=None):
    """A `Microphone` recording `duration` seconds at `sample_rate`; `on_recording(samples, rate)`
    is called after each usable recording."""
    return Microphone(sample_rate=sample_rate, duration=duration, on_recording=on_recording)
