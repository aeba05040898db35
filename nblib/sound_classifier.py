"""A sound classifier you can keep: feature settings, scaling and network in one object and one file.

Introduced in chapter 10, Classifying sounds.

A network trained on features is only half a classifier: a new sound must be cut to
the same length, turned into the same features and scaled with the *training* mean
and spread before the network sees it. `SoundClassifier` keeps all of that together:

    classifier = SoundClassifier.train(clips, labels, class_names)   # clips (n_clips, n_samples)
    classifier.classify_file("clap.wav")          # ("clap", {"clap": 0.93, "snap": 0.07})
    classifier.classify_folder("new_sounds/")     # one (path, name, probabilities) per WAV file
    classifier.save("my_classifier.npz")          # one file, written whole or not at all
    SoundClassifier.load("my_classifier.npz")     # numbers and text only: no code is ever loaded

The file holds the settings and the scaling as arrays and the network as the bytes of
its own `.npz` file (`Network.save`), so whatever layers the network has, it comes back
as it was saved.
"""

import json
import tempfile
from pathlib import Path

import numpy as np

from nblib.audio.features import N_MELS, clip_features
from nblib.audio.io import WAV_SUFFIXES, fit_length, read_wav
from nblib.audio.synth import DURATION, SAMPLE_RATE
from nblib.files import atomic_write, read_npz
from nblib.losses import softmax
from nblib.network import Network
from nblib.training import fit
from nblib.validation import as_float_array

FILE_FORMAT = "nblib-sound-classifier-1"


class SoundClassifier:
    """Classifies clips of sound: settings + scaling + network.

    network: a trained `Network` whose last layer gives one score per class (linear output,
    softmax cross-entropy). class_names: one name per output. mean, spread: the training
    features' mean and standard deviation, shape (2 · n_mels,). sample_rate, duration:
    every clip is resampled to this rate and cut or padded to this many seconds.
    """

    def __init__(self, network, class_names, mean, spread, sample_rate=SAMPLE_RATE, duration=DURATION, n_mels=N_MELS):
        self.network = network
        self.class_names = [str(name) for name in class_names]
        self.mean = as_float_array(mean, "mean")
        self.spread = as_float_array(spread, "spread")
        self.sample_rate, self.duration, self.n_mels = int(sample_rate), float(duration), int(n_mels)
        if self.mean.shape != (2 * self.n_mels,) or self.spread.shape != self.mean.shape:
            raise ValueError(
                f"mean and spread should have shape ({2 * self.n_mels},), one number per feature; "
                f"got {self.mean.shape} and {self.spread.shape}."
            )
        if len(self.class_names) < 2:
            raise ValueError(f"class_names should name at least 2 classes; got {self.class_names}.")

    @classmethod
    def train(cls, clips, labels, class_names, hidden=(32,), activation="tanh", learning_rate=0.05, epochs=100,
              batch_size=None, momentum=0.9, seed=0, sample_rate=SAMPLE_RATE, n_mels=N_MELS):
        """Compute features of `clips` (n_clips, n_samples), scale them, and train a new network on them.

        labels: (n_clips,) ints 0 … k−1, class_names[label] names them. hidden: the hidden
        layers' sizes (() for no hidden layer). batch_size: samples per step; None uses all
        clips in every step, which suits the few clips of a folder of your own.
        """
        clips = as_float_array(clips, "clips")
        if clips.ndim != 2 or len(clips) < 2:
            raise ValueError(f"clips should be a batch of at least 2 clips, shape (n_clips, n_samples); got shape {clips.shape}.")
        labels = np.asarray(labels)
        if labels.shape != (len(clips),):
            raise ValueError(f"labels should hold one class label per clip, shape ({len(clips)},); got shape {labels.shape}.")
        missing = sorted(set(range(len(class_names))) - set(labels.tolist()))
        if missing:
            raise ValueError(
                f"every class needs clips to learn from; {', '.join(repr(class_names[i]) for i in missing)} "
                "has none. Add clips of it, or leave the class out."
            )
        features = clip_features(clips, sample_rate=sample_rate, n_mels=n_mels)
        mean = features.mean(axis=0)
        spread = features.std(axis=0)
        spread = np.where(spread > 0, spread, 1.0)  # a constant feature stays 0 instead of dividing by 0
        network = Network.from_sizes([features.shape[1], *hidden, len(class_names)], activation=activation,
                                     output_activation="linear", rng=seed)
        fit(network, (features - mean) / spread, labels, loss="softmax_cross_entropy", learning_rate=learning_rate,
            epochs=epochs, batch_size=batch_size, momentum=momentum, rng=seed, progress=False)
        return cls(network, class_names, mean, spread, sample_rate=sample_rate,
                   duration=clips.shape[1] / sample_rate, n_mels=n_mels)

    @property
    def n_samples(self):
        """How many samples every clip is cut or padded to."""
        return int(round(self.duration * self.sample_rate))

    def features(self, clips):
        """Scaled features of clips (n_clips, n_samples) or one clip (n_samples,): (n_clips, 2 · n_mels)."""
        clips = np.atleast_2d(as_float_array(clips, "clips"))
        clips = np.stack([fit_length(clip, self.n_samples) for clip in clips])
        return (clip_features(clips, sample_rate=self.sample_rate, n_mels=self.n_mels) - self.mean) / self.spread

    def probabilities(self, clips):
        """Class probabilities of clips: shape (n_clips, n_classes), rows sum to 1."""
        return softmax(self.network.forward(self.features(clips)))

    def predict(self, clips):
        """The most probable class label of every clip: shape (n_clips,)."""
        return self.probabilities(clips).argmax(axis=1)

    def classify_file(self, path):
        """(class name, {class name: probability}) for one WAV file."""
        samples, _ = read_wav(path, self.sample_rate)
        probabilities = self.probabilities(samples)[0]
        return self.class_names[int(probabilities.argmax())], dict(zip(self.class_names, probabilities.tolist()))

    def classify_folder(self, folder):
        """[(path, class name, {class name: probability}), ...] for every WAV file in `folder`, by name."""
        folder = Path(folder)
        if not folder.is_dir():
            raise ValueError(f"{folder}: no such folder. Give the folder that holds the WAV files to classify.")
        paths = sorted(path for path in folder.iterdir() if path.suffix.lower() in WAV_SUFFIXES)
        if not paths:
            raise ValueError(f"{folder}: holds no .wav files to classify.")
        return [(path, *self.classify_file(path)) for path in paths]

    def save(self, path):
        """Save everything to one .npz file at `path`, written whole or not at all. Load it with `SoundClassifier.load`."""
        with tempfile.TemporaryDirectory() as folder:
            network_file = Path(folder) / "network.npz"
            self.network.save(network_file)
            network_bytes = np.frombuffer(network_file.read_bytes(), dtype=np.uint8)
        settings = {"sample_rate": self.sample_rate, "duration": self.duration, "n_mels": self.n_mels}
        with atomic_write(path) as stream:
            np.savez(stream, format=np.array(FILE_FORMAT), settings=np.array(json.dumps(settings)),
                     class_names=np.array(self.class_names), mean=self.mean, spread=self.spread, network=network_bytes)

    @classmethod
    def load(cls, path):
        """A classifier saved with `save`. Only numbers and text are read (allow_pickle=False)."""
        path = Path(path)
        if not path.is_file():
            raise ValueError(f"{path}: no such file. Save a classifier first with classifier.save(path).")
        arrays = read_npz(path, "a sound classifier saved by nblib")
        mark = arrays.get("format", np.array(""))
        if mark.shape != () or mark.dtype.kind != "U" or str(mark) != FILE_FORMAT:
            raise ValueError(f"{path}: not a sound classifier saved by nblib (no '{FILE_FORMAT}' mark inside).")
        try:
            settings = json.loads(str(arrays["settings"]))
            with tempfile.TemporaryDirectory() as folder:
                network_file = Path(folder) / "network.npz"
                network_file.write_bytes(arrays["network"].tobytes())
                try:
                    network = Network.load(network_file)
                except ValueError as error:  # name the classifier's file, not the temporary one
                    raise ValueError(str(error).replace(str(network_file), "its network")) from None
            return cls(network, arrays["class_names"].tolist(), arrays["mean"], arrays["spread"], **settings)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"{path}: the saved classifier is damaged or incomplete ({error}).") from None

    def __repr__(self):
        return f"SoundClassifier(classes={self.class_names}, {self.sample_rate} Hz, {self.duration:g} s, {self.network!r})"
