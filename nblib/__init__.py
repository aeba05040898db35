"""nblib: the small numpy library that the book *Deep Learning for Audio* builds, chapter by chapter.

One module per idea, each introduced by a chapter:

    activations  chapter 2   activation functions and their derivatives
    layers       chapter 3   a dense layer of neurons
    network      chapter 3   a stack of layers
    plots        all         the book's figures
    widgets      all         the interactive explorers
    checks       all         exercise checks that explain what is wrong

Import what you need from its module, e.g. ``from nblib.layers import Dense``.
Importing ``nblib`` itself loads nothing else, so it is quick.
"""

__version__ = "0.1.0"
