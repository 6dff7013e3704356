"""What a shell command reads besides its words: its standard input (a `< file` / `<<< word` redirect, the previous
command of a pipeline: the adapter's `stdin` keyword) and the files an `@file` upload word names."""
from __future__ import annotations

import re

from ... import budget as budgets
from ..facts import NOTHING, Value, merge
from .concepts import SECRET_PATH, path_labels
from .flowvalues import labelled
from .shell_downloads import node_text as _text

MAX_SITES = 8  # callers of a function whose input a command in it reads


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


class CallerStdin(Redirect):
    """The standard input a command in a function body inherits: what the function's callers pipe or redirect into
    it (`collect | send_report "$URL"`, send_report() { curl --data-binary @- "$1"; })."""

    def __init__(self, command, function: str):
        self.command, self.function, self.from_file = command, function, True
        self.start_byte, self.end_byte, self.start_point = command.start_byte, command.end_byte, command.start_point

    def value(self, flow) -> Value:
        """What the function's callers feed it: the same for every command in it, so found once per function (a
        chain of functions each piped into the next from several places read each caller's input again for every
        path: 40 functions piped 8 times ran for minutes)."""
        known = flow.__dict__.setdefault("_caller_stdin_values", {})
        found = known.get(self.function)
        if found is not None:
            return found
        reading = flow.__dict__.setdefault("_caller_stdin", set())
        if self.function in reading:  # a function piping into itself
            return NOTHING
        reading.add(self.function)
        try:
            values = []
            for site, _args in flow.sites.get(self.function, [])[:MAX_SITES]:
                budgets.tick()
                stdin = flow.stdin_of(site)
                if stdin:
                    fed = flow.value(stdin[0][1])
                    values.append(fed.with_step(site.start_point[0] + 1, f"piped into {self.function}()")
                                  if fed.labels else fed)
            found = known[self.function] = merge(values) if values else NOTHING
            return found
        finally:
            reading.discard(self.function)


def caller_stdin(flow, node) -> list:
    """[("stdin", CallerStdin)] for a command without input of its own inside a function the file defines."""
    scope = flow.scope_at(node)
    return [("stdin", CallerStdin(node, scope.name))] if scope is not None and scope.name in flow.functions else []


def uploads(node, value: Value, flow=None) -> Value:
    """`f=@$HOME/.ssh/id_rsa` (curl -F/-d/--data-binary): the word names a credential file curl reads; `f=@$A` a file
    the script wrote (an archive it packed) uploads what was written."""
    text = _text(node)
    if "@" in text and SECRET_PATH.search(text.split("@", 1)[1]):
        return merge([value, labelled(("credential-file",), node.start_point[0] + 1, f"uploads {text}")],
                     const=value.const)
    field = flow.file_field(file_key(text.split("@", 1)[1])) if flow is not None and "@" in text else None
    if field:
        held = flow.field_value(field)
        return merge([value, held.with_step(node.start_point[0] + 1, f"uploads {text}")], const=value.const) \
            if held.labels else value
    return value


def file_key(text: str) -> str:
    """A written/run path as a key: quotes dropped, ${T} read as $T (a mktemp path in a variable counts)."""
    text = text.strip().strip("'\"")
    return re.sub(r"\$\{(\w+)\}", r"$\1", text)
