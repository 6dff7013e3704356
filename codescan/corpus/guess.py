"""Fence info strings and language guesses for dataset records: the analyzer's own (analyze/guess.py), one copy."""
from ..analyze.guess import ALIASES, from_info, guess, normalize  # noqa: F401
