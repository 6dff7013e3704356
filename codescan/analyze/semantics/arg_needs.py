"""Which arguments of a call the fact rules can read, by canonical callee.

An adapter evaluates a call's callee first; the arguments cost most of the rest. A rule reads only the
arguments its sink and conditions select (`arg: 0`, `arg: [url, data]`, `also: {arg: verify, ...}`), and a
rule whose cases all name other callees (`callee: "^(?!...print$)"`) reads none of a `print` call's. So a
call's fact needs only the union of what the rules that may match its callee select: the other arguments
keep their places (a condition may ask whether one is present) with no value (the empty Value).

The union is taken over every rule of the engine, whatever the file's labels (a superset of any subset
the engine picks for a file: sound for all of them)."""
from __future__ import annotations

from .names import pattern_regex

ALL = "*"
MAX_MEMO = 65_536  # distinct callees remembered (a scan of many trees meets a few thousand)


class Needs:
    """What a call of one callee needs: `everything` (a `*` selector), else the `positions` and `keywords` some
    rule reads, and whether the object a method is called on is read (`receiver`)."""

    __slots__ = ("everything", "positions", "keywords", "receiver")

    def __init__(self, selectors: set):
        self.everything = ALL in selectors
        self.positions = frozenset(s for s in selectors if isinstance(s, int))
        # `options.verify_signature` reads one entry of the keyword `options`
        self.keywords = frozenset(part for s in selectors if isinstance(s, str) and s != ALL
                                  for part in {s, s.split(".", 1)[0]})
        self.receiver = "@receiver" in selectors or self.everything

    def position(self, index: int) -> bool:
        return self.everything or index in self.positions

    def keyword(self, name: str) -> bool:
        return self.everything or name in self.keywords


class ArgNeeds:
    def __init__(self, rules):
        self._sinks = []  # (callee regex, sink, the case conditions that go with it)
        self._paired = []  # callee regexes a case wants the file to call too (their facts count, not their args)
        for rule in rules:
            spec = rule.facts
            if spec.sink is not None:
                self._sinks.append((pattern_regex(spec.sink.callee), spec.sink,
                                    tuple(case.when for case in spec.cases)))
                for case in spec.cases:
                    if case.when.paired:
                        self._paired.append(pattern_regex(case.when.paired))
                    if case.when.paired_too:
                        self._paired.append(pattern_regex(case.when.paired_too))
            for item in spec.together:
                self._sinks.append((pattern_regex(item.callee), item, ()))
        self._memo: dict[str, Needs | None] = {}

    def of(self, callee: str) -> Needs | None:
        """None when no rule can match a call of `callee` (its fact is not needed at all)."""
        try:
            return self._memo[callee]
        except KeyError:
            pass
        if len(self._memo) > MAX_MEMO:
            self._memo.clear()
        found = self._memo[callee] = self._compute(callee)
        return found

    def _compute(self, callee: str) -> Needs | None:
        selectors: set = set()
        matched = False
        for regex, sink, cases in self._sinks:
            if not regex.match(callee) or not _callee_may_hold(sink.when, callee):
                continue
            open_cases = [c for c in cases if _callee_may_hold(c, callee)]
            if cases and not open_cases:
                continue  # every case names other callees (`^(?!...print$)`)
            matched = True
            selectors.update(sink.arg)
            for cond in (sink.when, *open_cases):
                _add_also(cond, selectors)
        if not matched:
            if any(regex.match(callee) for regex in self._paired):
                return Needs(set())  # the other half of a round trip: its presence is what counts
            return None
        return Needs(selectors)


def _callee_may_hold(cond, callee: str) -> bool:
    return cond is None or cond.callee is None or cond.callee.search(callee) is not None


def _add_also(cond, selectors: set) -> None:
    if cond is None:
        return
    for other_selectors, other in cond.also:
        selectors.update(other_selectors)
        _add_also(other, selectors)
