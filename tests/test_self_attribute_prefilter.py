"""class_attribute skips `self.x.y`, `self.x(`, `self.x[`, `self.xy` by the byte after them (PREFILTER), same values."""
from __future__ import annotations

import re
from pathlib import Path

from bench import corpus as corpora
from codescan.analyze import languages
from codescan.analyze.semantics.lang import python_selfattrs
from codescan.analyze.semantics.lang.python_values import PyValues

SOURCE = b"""import os, subprocess
class Runner:
    def __init__(self, cmd):
        self.cmd = cmd
        self.cmd_note = os.environ["NOTE"]
        self.cmd.strip()
        self.cmd(1)
        self.cmd[0]
        self.cmdx = 2
        fd, self.path = 3, 4
        self.opts: dict = {"shell": True}

    def run(self):
        return subprocess.call(self.cmd, shell=True), self.path, self.opts
"""


def _attributes(source: bytes, monkeypatch, prefilter: bool) -> list:
    """Every `self.<attr>` of every class of the source, as class_attribute gives it."""
    monkeypatch.setattr(python_selfattrs, "PREFILTER", prefilter)
    tree = languages.parser("python").parse(source)
    values = PyValues(source, tree.root_node, None)
    out = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "class_definition":
            text = source[node.start_byte:node.end_byte]
            for attr in sorted({m.decode() for m in re.findall(rb"self\.([A-Za-z_]\w*)", text)})[:40]:
                out.append((node.start_byte, attr, python_selfattrs.class_attribute(values, node, attr)))
        stack.extend(node.named_children)
    return out


def test_same_values_on_every_form(monkeypatch):
    on = _attributes(SOURCE, monkeypatch, True)
    assert on == _attributes(SOURCE, monkeypatch, False)
    found = {attr: value for _start, attr, value in on}
    assert found["cmd_note"].labels == {"env-var"} and "env-var" not in found["cmd"].labels  # not `self.cmd`
    assert found["opts"].const == {"shell": True} and found["cmdx"].const == 2


def test_same_values_on_stdlib_files(monkeypatch):
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 30))
    compared = 0
    for path in files:
        source = Path(path).read_bytes()
        on = _attributes(source, monkeypatch, True)
        assert on == _attributes(source, monkeypatch, False), path
        compared += len(on)
    assert compared > 200


def test_reads_and_calls_are_not_located(monkeypatch):
    """Only `self.cmd =`-like places are looked up in the tree (the reads and calls were located one by one)."""
    located = []
    tree = languages.parser("python").parse(SOURCE)
    values = PyValues(SOURCE, tree.root_node, None)
    original = values.scopes.locate

    def recording(start, end, named=True):
        located.append(SOURCE[start:end + 1])
        return original(start, end, named)

    monkeypatch.setattr(values.scopes, "locate", recording)
    monkeypatch.setattr(python_selfattrs, "PREFILTER", True)
    cls = tree.root_node.named_children[1]
    python_selfattrs.class_attribute(values, cls, "cmd")
    # only _written_through's own look-ups of `self.cmd.strip` and `self.cmd[0]`: none by the first loop
    assert sorted(text for text in located if text.endswith((b"(", b".", b"[", b"_", b"x"))) == [b"self.cmd.", b"self.cmd["]
