"""Run fact rules (engine: facts) on one parsed file: gate by tokens, ask the language adapter for
facts, match sinks and conditions, emit findings that carry their flow trace."""
from __future__ import annotations

import re
from dataclasses import replace
from importlib import import_module

from .. import languages
from .arg_needs import ArgNeeds
from .names import pattern_regex
from .possible_labels import PossibleLabels
from .escaped_words import with_escaped_words
from .rule_findings import SourceLines, emit_best, sink_rule, together_rule
from .together_gate import TogetherGate
from .wanted import MAX_SUBSETS, Wanted, callees_of, wanted_for

OPTION_LANGUAGES = frozenset(("python", "javascript", "typescript", "tsx"))  # rules' under_option reads the tree

# language -> adapter module (each has `facts(source, tree, wanted, budget) -> Facts`: budget is the per-file analyze.budget.Budget)
ADAPTERS = {"python": "python", "javascript": "javascript", "typescript": "javascript", "tsx": "javascript",
            "go": "go", "java": "java", "kotlin": "kotlin", "csharp": "csharp", "c": "c", "cpp": "cpp",
            "php": "php", "ruby": "ruby", "shell": "shell", "rust": "rust"}
TOGETHER_GATE = True  # leave out `together` rules an item of which cannot occur in the file (off: tests compare)


class FactRules:
    """The selected fact rules, grouped per language."""

    def __init__(self, rules):
        self.rules = tuple(r for r in rules if r.facts is not None and r.engine in ("facts", "treesitter"))
        self._by_language: dict[str, tuple] = {}
        self._wanted: dict[tuple, Wanted | None] = {}
        self._needed = {r.id: _needed_labels(r) for r in self.rules}
        self._callees = {r.id: callees_of((r,)) for r in self.rules}  # a subset's patterns: the union of its rules'
        self._together = TogetherGate(self.rules)
        self._arg_needs = ArgNeeds(self.rules)  # which arguments of a callee's calls some rule reads

    def for_language(self, language: str):
        if language not in self._by_language:
            names = set(languages.rule_languages(language)) | {language}
            rules = tuple(r for r in self.rules if names & set(r.languages))
            self._by_language[language] = (rules, Wanted(rules) if rules else None,
                                           [(r, [pattern_regex(s.callee) for s in r.facts.sinks()]) for r in rules])
        return self._by_language[language]

    def active(self, language: str, source: bytes):
        """(Wanted, compiled rules) for the rules whose data could exist in `source`: a rule that only
        fires on labelled data is left out when no token of any source of those labels occurs, and a `together`
        rule when one of its items cannot occur (TogetherGate: `write` with no `chmod` in the file)."""
        rules, _wanted, compiled = self.for_language(language)
        # searched for only the labels these rules need; names hidden in escaped strings count ('\x61\x74\x6f\x62')
        present = PossibleLabels(with_escaped_words(source), language)
        words = self._together.words_for(source, language) if TOGETHER_GATE else None
        chosen = [(rule, regexes) for rule, regexes in compiled
                  if ((needed := self._needed[rule.id]) is None or any(present.has(label) for label in needed))
                  and (not TOGETHER_GATE or self._together.possible(rule, present, words, source))]
        key = (language, tuple(rule.id for rule, _r in chosen))
        wanted = self._wanted.get(key, False)
        if wanted is False:
            if len(self._wanted) > MAX_SUBSETS:
                self._wanted.clear()
            patterns = frozenset().union(*(self._callees[rule.id] for rule, _r in chosen))
            wanted = self._wanted[key] = wanted_for(tuple(rule for rule, _r in chosen), _wanted, patterns) \
                if chosen else None
        return wanted, chosen

    def run(self, ctx, source: bytes, tree, language: str, line_offset: int = 0, via: str | None = None) -> list | None:
        module = ADAPTERS.get(language)
        if module is None or not self.rules:
            return
        rules, _wanted, _compiled = self.for_language(language)
        if not rules:
            return
        wanted, compiled = self.active(language, source)
        if wanted is None:
            return
        adapter = import_module(f"{__package__}.lang.{module}")
        if not wanted.token_regex(adapter.DYNAMIC).search(source) and not (
                (calls := getattr(adapter, "DYNAMIC_CALLS", None)) is not None and calls.search(source)) and not (
                (compares := getattr(adapter, "compare_possible", None)) is not None
                and wanted.wants("operator.eq") and compares(source)):
            return  # no token any rule's sink could be called through, no call through a variable
            # (an adapter's DYNAMIC_CALLS, PHP's `$f(...)`), no secret-like comparison: skipped
        try:
            facts = adapter.facts(source, tree, wanted, ctx.budget, self._arg_needs) if getattr(
                adapter, "ARG_NEEDS", False) else adapter.facts(source, tree, wanted, ctx.budget)
        except (ValueError, TypeError, AttributeError, IndexError, KeyError, UnicodeError) as exc:
            # a defect in an adapter must not cost the file its other findings (shape rules, text
            # detectors); the budget and recursion bounds are handled by the caller as before. The gap is
            # named in the report's skips: a file that trips a known defect must not pass as fully analyzed
            ctx.partial.append(f"semantic layer ({language}) stopped on an analyzer defect "
                               f"({type(exc).__name__}: {str(exc)[:120]})")
            return
        if not facts.calls:
            return
        calls = _character_columns(facts.calls, source)
        built = built_code(calls, source) if language in JS_LANGUAGES else None
        path = ctx.doc.named  # a record part is judged by its file's path (path/not_path, in_tests), as in a scan
        present = frozenset(call.callee for call in calls)
        lines = SourceLines(source, tree if language in OPTION_LANGUAGES else None)
        for rule, sinks in compiled:
            spec = rule.facts
            if spec.sink is not None:
                sink = sinks[0]  # each distinct callee matched once, not each call (most rules match none)
                hits = {callee for callee in present if sink.match(callee)}
                if not hits:
                    continue
                matched = [call for call in calls if call.callee in hits]
                sink_lines = frozenset(call.line for call in matched)
                best: dict = {}
                for call in matched:
                    sink_rule(ctx, rule, call, path, language, line_offset, via, sink_lines, lines, present, best)
                emit_best(ctx, rule, best, line_offset, via, language, lines)
            else:
                together_rule(ctx, rule, sinks, calls, path, language, line_offset, facts.callers, lines)
        return built  # constant code the file runs but does not hold as written (JS): the caller reads it as code


JS_LANGUAGES = frozenset(("javascript", "typescript", "tsx"))
# the calls that run their (last, for Function) argument as JavaScript code
_CODE_RUNNERS = re.compile(r"^(?:eval|Function|(?:window|globalThis|global|self)\.eval|execScript|setTimeout|"
                           r"setInterval|vm\.(?:runIn(?:New|This)?Context|compileFunction|Script))$")
MIN_BUILT, MAX_BUILT, MAX_BUILT_TEXTS = 24, 16_384, 8


def built_code(calls, source: bytes) -> list:
    """(line, text) of constant code a call runs that the file does not hold as written: text decoded, joined or
    unscrambled at run time (`Function(CODES.reduce((s, n) => s + String.fromCharCode(n ^ 42), ''))()`), for the
    rules to read as code of its own at the call's line."""
    out: list = []
    for call in calls:
        if not call.args or not _CODE_RUNNERS.match(call.callee):
            continue
        text = call.args[-1 if call.callee.endswith("Function") else 0].const
        if isinstance(text, str) and MIN_BUILT <= len(text) <= MAX_BUILT and (call.line, text) not in out and \
                text.encode("utf-8", "replace") not in source:
            out.append((call.line, text))
            if len(out) >= MAX_BUILT_TEXTS:
                break
    return out


def _character_columns(calls, source: bytes):
    """Adapters give tree-sitter's byte columns; findings count characters, as shape-rule findings do."""
    if source.isascii():
        return calls
    lines = source.split(b"\n")
    out = []
    for call in calls:
        row = call.line - 1
        if call.column > 1 and 0 <= row < len(lines) and not lines[row].isascii():
            call = replace(call, column=len(lines[row][:call.column - 1].decode("utf-8", "replace")) + 1)
        out.append(call)
    return out


def _needed_labels(rule) -> frozenset | None:
    """The labels one of which every case of a sink rule requires (None: the rule can fire without): per case, the
    labels its argument must carry or, when it names none, those another argument it tests must carry (`also`:
    the handle written to must name a startup file)."""
    spec = rule.facts
    if spec.sink is None or not spec.cases:
        return None
    needed: set = set()
    for case in spec.cases:
        required = case.when.label or next((other.label for _selectors, other in case.when.also if other.label), ())
        if not required:
            return None
        needed.update(required)
    return frozenset(needed)
