"""nblib: the small numpy library that the book *Deep Learning for Audio* builds, chapter by chapter.

One module per idea, each introduced by a chapter:

    activations  chapter 2     activation functions and their derivatives
    layers       chapter 3, 6, 11  Dense (forward and backward), Dropout; the layer protocol
    network      chapter 3, 7, 11  a stack of layers; save and load every layer kind
    losses       chapter 4     mean squared error and the cross-entropies, with gradients
    optim        chapter 5, 11 gradient descent, with momentum; L2 weight decay; Adam
    gradcheck    chapter 6     checking gradients against finite differences
    training     chapter 7, 11 fit: epochs, mini-batches, history, divergence; early stopping, augmentation
    datasets     chapters 4–8, 11  small 2-D data sets, splitting (also by group), scaling, one-hot
    audio        chapters 9–11 synthesized sounds, features, WAV files and folders, augmentation, players
    files        chapter 10    writing files whole or not at all
    plots        all           the book's figures
    widgets      all           the interactive explorers
    checks       all           exercise checks that explain what is wrong

Import what you need from its module, e.g. ``from nblib.layers import Dense``.
Importing ``nblib`` itself loads nothing else, so it is quick.
"""

__version__ = "0.1.0"
