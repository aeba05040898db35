"""Interactive explorers: sliders and dropdowns that redraw a figure as you move them.

Used from chapter 1 on; one module per explorer, named after the idea it shows.
Each explorer keeps one matplotlib figure, updates its lines and images when a
control changes, and shows the redrawn figure as a PNG in an `ipywidgets.Image`.
It works in JupyterLab and in the classic notebook with nothing but ipywidgets.

Every explorer displays itself when it is the last line of a cell, and keeps
its controls as attributes, so a cell can also set them:

    explorer = neuron_explorer()
    explorer                      # shows it
    explorer.w1.value = 2.0       # moves the slider and redraws

    neuron_explorer          chapter 1   w₁, w₂, b and f of a neuron with two inputs
    activation_explorer      chapter 2   an activation, its derivative and a tangent
    loss_explorer            chapter 4   the loss as one weight moves
    learning_rate_explorer   chapter 5   gradient descent steps for a learning rate
    training_explorer        chapter 7   a network retrained for a learning rate and activation
    playground               chapter 8   data, depth, width, activation, learning rate; every neuron's map
    sound_explorer           chapter 9   a sound's class, pitch and noise: hear it, see its features
    kernel_explorer          chapter 12  a filter drawn by hand, slid along a real spectrogram
    microphone               chapter 13  record in the browser, get the samples in Python (anywidget)
    sound_trainer            chapter 13  name a few sounds, record examples, train, test live, save
    probability_bars         chapter 13  a network's answer as one bar per class

The η and pitch sliders are `LogSlider`s (an anywidget): a log scale whose handle tells a screen
reader the value shown, with a box that takes a typed value.
"""

from nblib.widgets.activation import ActivationExplorer, activation_explorer
from nblib.widgets.base import ACTIVATION_OPTIONS, Explorer
from nblib.widgets.convolution import KernelExplorer, kernel_explorer
from nblib.widgets.gradient_descent import LearningRateExplorer, learning_rate_explorer
from nblib.widgets.log_slider import LogSlider
from nblib.widgets.loss import LossExplorer, loss_explorer
from nblib.widgets.microphone import Microphone, microphone
from nblib.widgets.probabilities import ProbabilityBars, probability_bars
from nblib.widgets.neuron import NeuronExplorer, neuron_explorer
from nblib.widgets.sound import SoundExplorer, sound_explorer
from nblib.widgets.sound_trainer import SoundTrainer, sound_trainer
from nblib.widgets.deep_networks import Playground, playground
from nblib.widgets.training import TrainingExplorer, training_explorer

__all__ = [
    "ACTIVATION_OPTIONS", "ActivationExplorer", "Explorer", "KernelExplorer", "LearningRateExplorer", "LossExplorer",
    "Microphone", "NeuronExplorer", "Playground", "ProbabilityBars", "SoundExplorer", "SoundTrainer", "TrainingExplorer",
    "activation_explorer", "kernel_explorer", "learning_rate_explorer", "loss_explorer", "microphone", "neuron_explorer",
    "playground", "probability_bars", "sound_explorer", "sound_trainer", "training_explorer",
]
