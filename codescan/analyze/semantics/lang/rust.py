"""Rust adapter entry point: the facts of one parsed file (see clike_rust.py and docs/semantics.md)."""
from __future__ import annotations

from .clike_rust import RustFlow
from .treeflow import compare_possible  # noqa: F401 (the engine runs the layer where it holds)

# words a wanted fact may be made through without the callee's own last name in the text: a Command run
# (`.status()` of a builder), `write!(stream, ..)`, a lookup through `to_socket_addrs`
DYNAMIC = (b"Command", b"write", b"writeln", b"to_socket_addrs")


def facts(source: bytes, tree, wanted, budget):
    return RustFlow(source, tree, "rust", budget, wanted.wants if wanted is not None else None).facts()
