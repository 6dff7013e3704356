"""What a shell command reads on its standard input: a `< file` / `<<< word` redirect, or the previous command of a
pipeline (the shell adapter's `stdin` keyword)."""
from __future__ import annotations

from ..facts import Value, merge
from .concepts import path_labels
from .flowvalues import labelled
from .shell_downloads import node_text as _text


class Redirect:
    """The data a `< file` or `<<< word` redirect feeds a command."""

    type = "redirect"

    def __init__(self, dest, from_file: bool):
        self.dest, self.from_file = dest, from_file
        self.start_byte, self.end_byte, self.start_point = dest.start_byte, dest.end_byte, dest.start_point

    def value(self, flow) -> Value:
        if self.from_file:
            text = _text(self.dest)
            return merge([labelled(path_labels(text), self.start_point[0] + 1, f"< {text}"), flow.value(self.dest)])
        return flow.value(self.dest)


class Pipe:
    """The output of the previous command of a pipeline."""

    type = "pipe"

    def __init__(self, node):
        self.node = node
        self.start_byte, self.end_byte, self.start_point = node.start_byte, node.end_byte, node.start_point
