"""nblib: the small numpy library that the book *Deep Learning for Audio* builds, chapter by chapter.

One module per idea, each introduced by a chapter:

    activations  chapter 2     activation functions and their derivatives
    layers       chapter 3, 6  a dense layer of neurons: forward and backward
    network      chapter 3, 7  a stack of layers
    losses       chapter 4     mean squared error and the cross-entropies, with gradients
    optim        chapter 5     gradient descent, with momentum
    gradcheck    chapter 6     checking gradients against finite differences
    training     chapter 7     fit: epochs, mini-batches, history, divergence
    datasets     chapters 4–8  small 2-D data sets, splitting, scaling, one-hot
    audio        chapters 9–10 synthesized sounds, features, WAV files, players
    files        chapter 10    writing files whole or not at all
    plots        all           the book's figures
    widgets      all           the interactive explorers
    checks       all           exercise checks that explain what is wrong

Import what you need from its module, e.g. ``from nblib.layers import Dense``.
Importing ``nblib`` itself loads nothing else, so it is quick.
"""

__version__ = "0.1.0"
