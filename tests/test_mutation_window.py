"""python_mutations: a read of a name looks only at the uses in its range (`_in_window`), with the same values."""
from __future__ import annotations

from pathlib import Path

from bench import corpus as corpora
from codescan.analyze.semantics.engine import FactRules
from codescan.analyze.semantics.lang import python_mutations
from codescan.analyze.semantics.lang.python_fill_uses import _in_window
from codescan.rules import load_rules

from python_facts import facts_of


class _Use:
    def __init__(self, start: int):
        self.start_byte = start


class _Values:
    pass


def test_the_window_is_the_plain_loop_over_the_list():
    starts = [50, 10, 30, 90, 20, 70, 30, 5]
    uses = [_Use(s) for s in starts]
    values = _Values()
    for low, high in [(-1, 100), (10, 31), (20, 21), (60, 60), (0, 6), (91, 200)]:
        assert list(_in_window(values, "x", uses, low, high)) == [u for u in uses if low <= u.start_byte < high]
    # uses indexed while the caller works come last, as a loop over the growing list meets them
    seen = []
    for use in _in_window(values, "x", uses, 0, 60):
        seen.append(use.start_byte)
        if use.start_byte == 50:
            uses.extend([_Use(40), _Use(95)])
        if use.start_byte == 40:
            uses.append(_Use(1))
    assert seen == [50, 10, 30, 20, 30, 5, 40, 1]
    # a new list for the name (another file's values) is not answered from the old one's order
    other = [_Use(3), _Use(2)]
    assert [u.start_byte for u in _in_window(values, "x", other, 0, 10)] == [3, 2]


def test_facts_are_the_same_with_and_without_the_window(monkeypatch):
    rules = FactRules(load_rules().rules)
    files = list(corpora.sample(tuple(corpora.collect(corpora.default_root()).python), 60))
    sources = [Path(p).read_bytes() for p in files]

    with_window = [facts_of(rules, s) for s in sources]
    monkeypatch.setattr(python_mutations, "WINDOW", False)
    assert [facts_of(rules, s) for s in sources] == with_window
    assert sum(map(len, with_window)) > 50
