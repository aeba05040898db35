"""The sound trainer: name a few classes, record examples of each, train a network, test it live.

Introduced in chapter 13, Your voice (what Teachable Machine does, with the network you built).

    trainer = SoundTrainer(["clap", "whistle", "hum"])
    trainer                              # shows it: record examples, listen, delete, train, test
    trainer.add("clap", "clap_1.wav")    # every step also takes WAV files (or samples)
    trainer.train()
    trainer.predict("mystery.wav")       # probabilities as bars
    trainer.save_recordings("my_sounds") # my_sounds/clap/clap_01.wav …, the layout read_folder reads
    trainer.save("my_sounds.npz")        # the network and what it needs to hear; SoundTrainer.load reads it

Every example is cut or padded to `duration` seconds; its features are the mean and spread
of every log-mel band over time (chapter 9's `clip_features`), scaled with the mean and
spread of the training examples; the network is a small dense one trained with `fit`.
"""

import html
import json
import re
import tempfile
from pathlib import Path

import ipywidgets as widgets
import numpy as np

from nblib.audio.features import clip_features
from nblib.audio.io import fit_length, read_folder, read_wav, resample, wav_bytes, write_wav
from nblib.audio.synth import SAMPLE_RATE
from nblib.files import atomic_write, read_npz
from nblib.network import Network
from nblib.training import fit
from nblib.validation import as_float_array, as_positive_int, describe
from nblib.widgets.microphone import NEEDS_A_NOTEBOOK, Microphone, trim_leading_zeros
from nblib.widgets.probabilities import probability_bars, softmax

SAVE_FORMAT = "nblib-sound-trainer-1"
MIN_CLASSES, MAX_CLASSES = 2, 5
HIDDEN = 32


def check_class_names(class_names):
    """2–5 different names, each usable as a folder name: returns them as a list of str."""
    if isinstance(class_names, str):
        raise TypeError(f"class_names should be a list of names, e.g. ['clap', 'whistle']; got the text {class_names!r}.")
    names = [name.strip() if isinstance(name, str) else name for name in class_names]
    if not MIN_CLASSES <= len(names) <= MAX_CLASSES:
        raise ValueError(f"class_names should hold {MIN_CLASSES} to {MAX_CLASSES} names; got {len(names)}: {names!r}.")
    for name in names:
        if not isinstance(name, str) or not re.fullmatch(r"[\w][\w \-]{0,30}", name):
            raise ValueError(f"every class name should be a short word (letters, digits, spaces, - or _, at most 31); "
                             f"got {describe(name)}. It becomes a folder name when you save recordings.")
    if len(set(names)) != len(names):
        raise ValueError(f"class_names should all be different; got {names!r}.")
    return names


class SoundTrainer:
    """Examples of 2–5 classes of sound, a network trained on them, and the widget to do it by hand.

    examples: class name → list of clips (n_samples,) float32 at `sample_rate`, `duration` long.
    network: the trained network (None before `train`).
    """

    def __init__(self, class_names=("clap", "whistle"), sample_rate=SAMPLE_RATE, duration=1.0, seed=0):
        self.class_names = check_class_names(class_names)
        self.sample_rate = as_positive_int(sample_rate, "sample_rate")
        self.n_samples = int(round(Microphone._seconds(duration, "duration") * self.sample_rate))
        self.duration, self.seed = float(duration), seed
        self.examples = {name: [] for name in self.class_names}
        self.network, self.mean, self.spread, self.history = None, None, None, None
        self._widget = None

    # --- examples ------------------------------------------------------------------------

    def _clip(self, sound, sample_rate):
        if isinstance(sound, (str, Path)):
            samples, _ = read_wav(sound, self.sample_rate)
        else:
            samples = as_float_array(sound, "sound")
            if samples.ndim != 1:
                raise ValueError(f"sound should be one clip (n_samples,); got shape {samples.shape}.")
            if sample_rate is None:
                raise ValueError("sample_rate should say how many samples per second `sound` has, e.g. sample_rate=16000.")
            samples = resample(samples, as_positive_int(sample_rate, "sample_rate"), self.sample_rate)
        return fit_length(trim_leading_zeros(np.asarray(samples, dtype=np.float32)), self.n_samples)

    def _class(self, class_name):
        if class_name not in self.examples:
            raise ValueError(f"class_name should be one of {self.class_names}; got {class_name!r}.")
        return self.examples[class_name]

    def add(self, class_name, sound, sample_rate=None, replace=None):
        """Add an example of `class_name`: a WAV file's path, or samples (n_samples,) at `sample_rate`.
        replace=i puts it in place of example i (a re-recording). Returns its index."""
        examples = self._class(class_name)
        clip = self._clip(sound, sample_rate)
        if replace is None:
            examples.append(clip)
            index = len(examples) - 1
        else:
            self._check_index(class_name, replace)
            examples[replace] = clip
            index = replace
        self._refresh()
        return index

    def _check_index(self, class_name, index):
        examples = self._class(class_name)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < len(examples):
            raise ValueError(f"index should be an example of {class_name!r}, 0 to {len(examples) - 1}; got {describe(index)}.")

    def remove(self, class_name, index):
        """Delete example `index` of `class_name`."""
        self._check_index(class_name, index)
        del self.examples[class_name][index]
        self._refresh()

    def counts(self):
        """How many examples each class has: {name: count}."""
        return {name: len(clips) for name, clips in self.examples.items()}

    # --- training and predicting -----------------------------------------------------------

    def features(self, clips):
        """Scaled features of clips (n_clips, n_samples) → (n_clips, 2 · 40), as the network sees them."""
        if self.mean is None:
            raise ValueError("the trainer has not been trained yet: call train() first.")
        return (clip_features(clips, sample_rate=self.sample_rate) - self.mean) / self.spread

    def train(self, epochs=300, learning_rate=0.05):
        """Train a new network (features → 32 ReLU → one output per class) on every example; returns
        its History. Every class needs at least 2 examples."""
        short = {name: count for name, count in self.counts().items() if count < 2}
        if short:
            raise ValueError(f"every class needs at least 2 examples to train; these have fewer: {short}. "
                             "Record (or add) more first.")
        clips = np.array([clip for name in self.class_names for clip in self.examples[name]])
        labels = np.array([label for label, name in enumerate(self.class_names) for _ in self.examples[name]])
        raw = clip_features(clips, sample_rate=self.sample_rate)
        self.mean, self.spread = raw.mean(axis=0), np.maximum(raw.std(axis=0), 1e-3)
        X = (raw - self.mean) / self.spread
        self.network = Network.from_sizes([X.shape[1], HIDDEN, len(self.class_names)], activation="relu",
                                          output_activation="linear", rng=self.seed)
        self.history = fit(self.network, X, labels, loss="softmax_cross_entropy", learning_rate=learning_rate,
                           epochs=epochs, progress=False)
        self._refresh()
        return self.history

    def predict(self, sound, sample_rate=None):
        """The probability of every class for one sound (a WAV file's path, or samples at `sample_rate`),
        as bars; `.best` names the most probable class."""
        if self.network is None:
            raise ValueError("the trainer has not been trained yet: call train() first.")
        outputs = self.network.forward(self.features(self._clip(sound, sample_rate)[None, :]))
        return probability_bars(self.class_names, softmax(outputs)[0])

    # --- files ------------------------------------------------------------------------------

    def save_recordings(self, folder):
        """Write every example as a WAV file: folder/<class>/<class>_01.wav, … (the layout `read_folder`
        reads). Files of a class that are no longer examples are left alone. Returns the paths written."""
        folder, written = Path(folder), []
        for name, clips in self.examples.items():
            (folder / name).mkdir(parents=True, exist_ok=True)
            for number, clip in enumerate(clips, start=1):
                path = folder / name / f"{name}_{number:02d}.wav"
                write_wav(path, np.clip(clip, -1, 1), self.sample_rate)
                written.append(path)
        return written

    @classmethod
    def from_folder(cls, folder, sample_rate=SAMPLE_RATE, duration=1.0, seed=0):
        """A trainer whose examples are the WAV files of `folder`, one sub-folder per class."""
        read = read_folder(folder, sample_rate=sample_rate, duration=duration, on_error="report")
        trainer = cls(read.class_names, sample_rate=sample_rate, duration=duration, seed=seed)
        for clip, label in zip(read.clips, read.labels):
            trainer.examples[read.class_names[label]].append(fit_length(trim_leading_zeros(clip), trainer.n_samples))
        return trainer

    def save(self, path):
        """Save the trained network with its class names, sample rate, duration and feature scaling
        in one .npz file (written whole or not at all). `SoundTrainer.load(path)` reads it."""
        if self.network is None:
            raise ValueError("there is no trained network to save: call train() first.")
        with tempfile.TemporaryDirectory() as folder:
            self.network.save(Path(folder) / "network.npz")
            network_bytes = (Path(folder) / "network.npz").read_bytes()
        settings = {"format": SAVE_FORMAT, "class_names": self.class_names, "sample_rate": self.sample_rate,
                    "duration": self.duration}
        with atomic_write(path) as stream:
            np.savez(stream, settings=np.array(json.dumps(settings)), mean=self.mean, spread=self.spread,
                     network=np.frombuffer(network_bytes, dtype=np.uint8))

    @classmethod
    def load(cls, path):
        """A trainer with the network saved by `save` (no examples: add some to train it again)."""
        path = Path(path)
        if not path.is_file():
            raise ValueError(f"{path}: no such file. Save a trained sound trainer first with trainer.save(path).")
        saved = read_npz(path, "a sound trainer saved by nblib")
        try:
            settings = json.loads(str(saved["settings"])) if "settings" in saved else {}
            if not isinstance(settings, dict) or settings.get("format") != SAVE_FORMAT:
                raise ValueError(f"no '{SAVE_FORMAT}' mark inside")
            mean, spread, network_bytes = saved["mean"], saved["spread"], saved["network"].tobytes()
        except (KeyError, ValueError, TypeError) as error:
            raise ValueError(f"{path}: not a sound trainer saved by nblib, or damaged ({error}).") from None
        trainer = cls(settings["class_names"], settings["sample_rate"], settings["duration"])
        with tempfile.TemporaryDirectory() as folder:
            network_file = Path(folder) / "network.npz"
            network_file.write_bytes(network_bytes)
            try:
                trainer.network = Network.load(network_file)
            except ValueError as error:  # name the trainer's file, not the temporary one
                raise ValueError(f"{path}: its network is damaged ({str(error).replace(str(network_file), 'network')})") from None
        trainer.mean, trainer.spread = mean, spread
        return trainer

    # --- the widget -------------------------------------------------------------------------

    @property
    def widget(self):
        """The trainer's widget (made on first use): the microphone, the examples, train, test, save."""
        if self._widget is None:
            self._build()
        return self._widget

    def _build(self):
        self.microphone = Microphone(self.sample_rate, duration=self.duration, durations=[self.duration],
                                     on_recording=self._heard)
        self.target = widgets.ToggleButtons(options=self.class_names, description="record into")
        self.mode = widgets.ToggleButtons(options=["collect examples", "test"], description="mode")
        self.player = widgets.Audio(format="wav", autoplay=True, loop=False, layout=widgets.Layout(width="18em"))
        self.player_box = widgets.Box()  # the player appears on the first ▶ (an empty player is an error in a browser)
        self.example_rows = widgets.VBox()
        self.train_button = widgets.Button(description="Train", button_style="primary", icon="play")
        self.train_button.on_click(lambda _: self._train_clicked())
        self.readout = widgets.HTML()
        self.folder = widgets.Text(value="my_sounds", description="folder")
        save_recordings = widgets.Button(description="Save recordings")
        save_recordings.on_click(lambda _: self._save_clicked("recordings"))
        save_network = widgets.Button(description="Save network")
        save_network.on_click(lambda _: self._save_clicked("network"))
        self._replacing = None
        self._widget = widgets.VBox([
            widgets.HBox([self.mode, self.target]), self.microphone, self.example_rows, self.player_box,
            widgets.HBox([self.train_button, self.readout]), widgets.HBox([self.folder, save_recordings, save_network]),
        ])
        self._refresh()

    def _heard(self, samples, rate):
        if self.mode.value == "test":
            if self.network is None:
                self.microphone.result = "<b>Train the network first (the Train button below).</b>"
            else:
                self.microphone.result = self.predict(samples, rate).html()
            return
        name = self.target.value
        replacing = self._replacing if self._replacing and self._replacing[0] == name else None
        self._replacing = None
        self.add(name, samples, rate, replace=None if replacing is None else replacing[1])

    def _train_clicked(self):
        try:
            history = self.train()
        except ValueError as error:
            self.readout.value = f"<span style='color:#b00020'>{error}</span>"
            return
        self.readout.value = (f"trained: {history.epochs} epochs, accuracy on the examples "
                              f"{history.accuracy[-1]:.2f}. Switch to <i>test</i> and make a sound.")

    def _save_clicked(self, what):
        folder = Path(self.folder.value.strip() or "my_sounds")
        try:
            if what == "recordings":
                self.readout.value = f"saved {len(self.save_recordings(folder))} WAV files in {folder}/"
            else:
                self.save(folder.with_suffix(".npz"))
                self.readout.value = f"saved the network in {folder.with_suffix('.npz')}"
        except (ValueError, OSError) as error:
            self.readout.value = f"<span style='color:#b00020'>{error}</span>"

    def _refresh(self):
        """Redraw the list of examples: per class, a listen, re-record and delete button for each."""
        if self._widget is None:
            return
        rows = []
        for name, clips in self.examples.items():
            buttons = []
            for index in range(len(clips)):
                buttons.append(self._button(f"▶ {index + 1}", f"listen to {name} {index + 1}",
                                            lambda name=name, index=index: self._listen(name, index)))
                buttons.append(self._button("↻", "record this example again",
                                            lambda name=name, index=index: self._rerecord(name, index)))
                buttons.append(self._button("✖", "delete this example",
                                            lambda name=name, index=index: self.remove(name, index)))
            label = widgets.HTML(f"<b>{name}</b>: {len(clips)} example{'s' if len(clips) != 1 else ''}",
                                 layout=widgets.Layout(width="11em"))
            rows.append(widgets.HBox([label, *buttons], layout=widgets.Layout(flex_flow="row wrap")))
        self.example_rows.children = rows

    @staticmethod
    def _button(text, tooltip, action):
        button = widgets.Button(description=text, tooltip=tooltip, layout=widgets.Layout(width="auto"))
        button.on_click(lambda _: action())
        return button

    def _listen(self, name, index):
        clip = self.examples[name][index]
        self.player.value = wav_bytes(np.clip(clip, -1, 1), self.sample_rate)
        self.player_box.children = (self.player,)

    def _rerecord(self, name, index):
        self._replacing = (name, index)
        self.target.value = name
        self.mode.value = "collect examples"
        self.microphone.message = f"Press record: the next recording replaces {name} example {index + 1}."

    def _repr_mimebundle_(self, **kwargs):
        data = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = f"{self!r}: it needs a running notebook (JupyterLab or Notebook 7) to record."
        data["text/html"] = (f"<p><b>🎤 Sound trainer</b> ({html.escape(', '.join(self.class_names))}). "
                             f"{NEEDS_A_NOTEBOOK}</p>")
        return data

    def __repr__(self):
        counts = ", ".join(f"{name}: {count}" for name, count in self.counts().items())
        state = "trained" if self.network is not None else "not trained"
        return f"SoundTrainer({counts}; {state})"


def sound_trainer(class_names=("clap", "whistle"), sample_rate=SAMPLE_RATE, duration=1.0):
    """A `SoundTrainer` for 2–5 classes of your own sounds."""
    return SoundTrainer(class_names, sample_rate=sample_rate, duration=duration)
