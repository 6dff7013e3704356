"""Go adapter entry point: the facts of one parsed file (see clike.py and docs/semantics.md)."""
from __future__ import annotations

from .clike import adapter
from .treeflow import compare_possible  # noqa: F401 (the engine runs the layer where it holds)

DYNAMIC = (b"Call", b"ValueOf",  # calls a sink without naming it (equality tests: treeflow.compare_possible)
           b"InsecureSkipVerify")  # a field set on a tls.Config whose type is not written (tr.TLSClientConfig.X = v)


def facts(source: bytes, tree, wanted, budget):
    return adapter("go")(source, tree, "go", budget, wanted.wants if wanted is not None else None).facts()
