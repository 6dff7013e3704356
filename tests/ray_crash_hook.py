"""Test-only Ray worker setup hook: a record holding KILL THE WORKER kills the Ray worker analyzing it (os._exit),
as a segfault or an OOM kill would — the same monkeypatch the local worker-pool test applies to forked workers."""
import os

MARKER = b"KILL THE WORKER"


def install() -> None:
    from codescan import pipeline

    real = pipeline._safe_analyze

    def fragile(analyzer, doc):
        if MARKER in doc.content:
            os._exit(9)
        return real(analyzer, doc)

    pipeline._safe_analyze = fragile
