"""NeededHeads.for_attr asks each distinct last-part regex once (grouped, memoized): the answers of the loop over
every pattern."""
from __future__ import annotations

from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang.python_heads import REQUEST_NAMES, NeededHeads
from codescan.rules import load_rules


def _reference(needed: NeededHeads, attr: str):
    if needed.never or attr in REQUEST_NAMES:
        return None
    heads = set()
    for fits, head in needed._patterns:
        if fits is not None and fits.match(attr) is None:
            continue
        if head is None:
            return None
        heads.add(head)
    return frozenset(heads)


def test_grouped_answers_are_the_pattern_loop():
    _rules, wanted, _compiled = FactRules(load_rules().rules).for_language("python")
    patterns = [p for p in wanted.patterns if "<" not in p]
    attrs = sorted({p.rsplit(".", 1)[-1].replace("*", "x").rstrip("()") for p in patterns})
    attrs += ["get", "post", "loads", "system", "nothing_here", "popen", "x", "exec_module", "request"]
    for subset in (patterns, patterns[::3], [p for p in patterns if p.startswith(("os.", "subprocess."))]):
        needed = NeededHeads(subset)
        answers = [needed.for_attr(attr) for attr in attrs]
        assert answers == [_reference(needed, attr) for attr in attrs]
        assert any(a for a in answers) and any(a is None for a in answers)
