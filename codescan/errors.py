"""The one error type a user sees as a one-line message and exit 2 (bad flags, bad input files)."""
from __future__ import annotations


class CodescanError(Exception):
    """Raise (or subclass) this for any problem the user can fix; the CLI prints it on one line."""
