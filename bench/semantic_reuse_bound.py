"""How much of the semantic layer's CPU could reusing a file's previous version save at most? An upper bound on the
history bench's versions (bench/history_mirror.py: stdlib packages, release by release, `--steps` commits each).

    python bench/semantic_reuse_bound.py            # QUICK packages, 4 steps (the history bench's --quick)

One analyzer reads every file's versions in order, the evaluator and the scope index instrumented: what each
version's Python facts read (the lines of every node evaluated, every name the scope index was asked about) and
the CPU of each candidate call's evaluation. For each version with a previous one, the changed lines (difflib, old
and new side) are set against that:
- whole file: the version's layer time counts when no changed line meets an evaluated node, and no word of a
  changed line is a name looked up, a wanted callee word or a word that builds names at run time;
- per candidate: a candidate call's own evaluation time counts when its reads avoid the change likewise.
Both are upper bounds: what a memo hit stood for is not followed back to what it read, and no structural change
(a new scope, a new binding reached by no lookup yet) is ruled out. Prints the load average beside the figures.
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/semantic_reuse_bound.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import history_mirror  # noqa: E402
from codescan.analyze import document  # noqa: E402
from codescan.analyze.semantics import python_scopes  # noqa: E402
from codescan.analyze.semantics.lang import memo_eval, python as python_facts  # noqa: E402
from codescan.config import load as load_config  # noqa: E402
from codescan.records import Document  # noqa: E402
from codescan.rules import load_rules  # noqa: E402

_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_LOOKUPS = ("index_many", "bound_anywhere", "maybe_rebound", "_index_scope", "assignment_count")


def versions(packages: tuple[str, ...], steps: int) -> list[tuple[str, bytes]]:
    """(path, content) of each distinct successive version of every file, a file's versions together, oldest first."""
    out = []
    for package in packages:
        seen: dict[str, list[bytes]] = {}
        for _who, _when, _message, files in history_mirror._snapshots(package, steps):
            for rel, data in files.items():
                kept = seen.setdefault(rel, [])
                if not kept or kept[-1] != data:
                    kept.append(data)
        out += [(f"{package}/{rel}", data) for rel in sorted(seen) for data in seen[rel]]
    return out


class _Recorder:
    """Reads of the Python facts, per file version and per candidate call (instrumented in place)."""

    def __init__(self):
        self.file: tuple[list, set] | None = None  # (evaluated line spans, names asked)
        self.candidate: list | None = None  # [spans, names, start CPU]
        self.candidates: list[tuple[float, list, set]] = []

    def install(self) -> None:
        recorder, evaluate = self, memo_eval.MemoEval.ev

        def ev(values, node):
            if node is not None:
                span = (node.start_point[0], node.end_point[0])
                for sink in (recorder.file, recorder.candidate):
                    if sink is not None:
                        sink[0].append(span)
            return evaluate(values, node)
        memo_eval.MemoEval.ev = ev
        for method in _LOOKUPS:
            setattr(python_scopes.Scopes, method, self._asked(getattr(python_scopes.Scopes, method)))
        python_facts.callee_value = self._per_candidate(python_facts.callee_value)
        python_facts._PythonFacts._fact = self._per_candidate(python_facts._PythonFacts._fact)

    def _asked(self, method):
        recorder = self

        def asked(scopes, name, *rest):
            names = (name,) if isinstance(name, str) else tuple(name)
            for sink in (recorder.file, recorder.candidate):
                if sink is not None:
                    sink[1].update(names)
            return method(scopes, name, *rest)
        return asked

    def _per_candidate(self, function):
        recorder = self

        def timed(first, node, *rest, **kw):
            if recorder.candidate is not None or recorder.file is None:
                return function(first, node, *rest, **kw)
            recorder.candidate = [[(node.start_point[0], node.end_point[0])], set(), time.process_time()]
            try:
                return function(first, node, *rest, **kw)
            finally:
                spans, names, start = recorder.candidate
                recorder.candidate = None
                recorder.candidates.append((time.process_time() - start, spans, names))
        return timed


def _meets(spans, changed: set[int], cuts: list[int], names: set, words: set) -> bool:
    return any(a <= row <= b for a, b in spans for row in changed) or \
        any(a < row <= b for a, b in spans for row in cuts) or bool(names & words)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--packages", default=",".join(history_mirror.QUICK))
    args = parser.parse_args(argv)
    docs = versions(tuple(p for p in args.packages.split(",") if p), args.steps)
    config = load_config(None, None)
    rules = load_rules(config.rules).select(config.select, config.ignore)
    analyzer = document.Analyzer(rules, config, units=True, reuse=True)
    analyzer.compiled("python")
    wanted = analyzer.fact_rules.for_language("python")[1]
    recorder = _Recorder()
    recorder.install()
    run = analyzer.fact_rules.run
    spent = [0.0]

    def layer(ctx, source, tree, language, line_offset=0, via=None):
        if line_offset or via is not None:  # decoded payloads, code in comments: not the file's own text
            return run(ctx, source, tree, language, line_offset, via)
        recorder.file, start = ([], set()), time.process_time()
        try:
            return run(ctx, source, tree, language, line_offset, via)
        finally:
            spent[0] += time.process_time() - start
    analyzer.fact_rules.run = layer
    load = os.getloadavg()[0]
    pairs = whole = whole_ok = cands = cands_ok = 0.0
    previous: tuple[str, bytes, tuple | None] | None = None
    for path, content in docs:
        recorder.file, recorder.candidates, spent[0] = None, [], 0.0
        analyzer.analyze(Document(path=path, content=content, trusted=False))
        reads = recorder.file
        if previous is not None and previous[0] == path and previous[2] is not None and reads is not None:
            old, new = previous[1].split(b"\n"), content.split(b"\n")
            ops = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if op[0] != "equal"]
            words = {w.decode() for w in _WORD.findall(b"\n".join(
                [old[r] for op in ops for r in range(op[1], op[2])] + [new[r] for op in ops for r in range(op[3], op[4])]))}
            special = any(wanted.token_full(w) or w.encode() in python_facts._DYNAMIC_WORDS for w in words)
            # the previous version's reads against the old side; each candidate's own reads against the new side
            old_rows = {r for op in ops for r in range(op[1], op[2])}
            old_cuts = [op[1] for op in ops if op[1] == op[2]]
            pairs += 1
            whole += spent[0]
            if not special and not _meets(previous[2][0], old_rows, old_cuts, previous[2][1], words):
                whole_ok += spent[0]
            new_rows = {r for op in ops for r in range(op[3], op[4])}
            new_cuts = [op[3] for op in ops if op[3] == op[4]]
            for cost, spans, names in recorder.candidates:
                cands += cost
                if not _meets(spans, new_rows, new_cuts, names, words):
                    cands_ok += cost
        previous = (path, content, reads)
    print(f"{len(docs)} versions, {int(pairs)} with a previous one; load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"semantic layer on those: {whole:.2f} CPU-s")
    print(f"  whole-file reuse, at most: {whole_ok:.2f} CPU-s ({100 * whole_ok / max(whole, 1e-9):.0f} %)")
    print(f"  candidate evaluations: {cands:.2f} CPU-s; per-candidate reuse, at most: {cands_ok:.2f} CPU-s "
          f"({100 * cands_ok / max(whole, 1e-9):.0f} % of the layer)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
