"""NeededHeads.for_attr asks each distinct last part once (grouped by its text, memoized): the answers of the loop
over every pattern."""
from __future__ import annotations

import re

from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang.python_heads import REQUEST_NAMES, NeededHeads
from codescan.rules import load_rules


def _reference(patterns, attr: str):
    """The loop over every pattern, each split here (as NeededHeads did before it kept each pattern's parts)."""
    if any("<" in p for p in patterns) or attr in REQUEST_NAMES:
        return None
    heads = set()
    for pattern in patterns:
        parts = pattern.split(".")
        last, head = parts[-1], parts[0].rstrip("()")
        any_head = len(parts) < 2 or not head or "*" in head or "(" in head
        if last.strip("*") and re.fullmatch(re.escape(last.rstrip("()")).replace(r"\*", r"[^.]*"), attr) is None:
            continue
        if any_head:
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
        assert answers == [_reference(subset, attr) for attr in attrs]
        assert any(a for a in answers) and any(a is None for a in answers)
