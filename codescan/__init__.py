"""codescan: keep poisoned code out of code-model training data."""
__version__ = "0.1.0"
