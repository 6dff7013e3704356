"""Validate and freeze the `facts:` part of a fact rule (engine: facts): sinks, conditions, severities."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import CodescanError
from .records import SEVERITIES

CONDITIONS = ("label", "no_label", "equals", "matches", "not_matches", "constant", "code", "via", "present",
              "path", "not_path", "also", "callee", "origin", "built", "one_of", "bits", "written", "paired",
              "paired_too",
              "windows_only", "pickle_data", "not_languages", "discarded",
              "stretched")
SINK_KEYS = ("callee", "arg", "when")


class FactRuleError(CodescanError, ValueError):
    """A `facts:` section that cannot be used."""


@dataclass(frozen=True, slots=True)
class Condition:
    """What an argument's value must satisfy; every key given must hold."""

    label: tuple[str, ...] = ()
    no_label: tuple[str, ...] = ()
    equals: tuple = ()  # (value,) when given
    matches: re.Pattern | None = None
    not_matches: re.Pattern | None = None
    constant: bool | None = None
    code: bool | None = None
    via: str | None = None
    present: bool | None = None
    path: re.Pattern | None = None
    not_path: re.Pattern | None = None
    callee: re.Pattern | None = None  # a regex the call's canonical callee must match
    origin: re.Pattern | None = None  # a regex the value's name must match (`builtins.open()`: a local file)
    built: bool | None = None  # the value's name or text was built at run time (getattr, "md" + "5")
    also: tuple = ()  # ((selectors, Condition), ...): conditions on other arguments of the same call
    one_of: bool = False  # also holds when any value a table lookup by an unknown key may give satisfies it
    bits: int | None = None  # the value is a known integer with any of these bits set (file modes, flags)
    written: re.Pattern | None = None  # a regex the call's own source lines must match (literal pieces of a
    # command built around values only known at run time: "certutil -urlcache -f " + url)
    # the same file also calls one of these (canonical patterns): the inverse half of a round trip, such as a
    # class that pickles what it stores and unpickles what it reads back
    paired: tuple[str, ...] = ()
    paired_too: tuple[str, ...] = ()  # and one of these as well (both halves of an encoding wrapped around it)
    windows_only: bool | None = None  # the call runs only on Windows (inside a platform test's branch)
    discarded: bool | None = None  # the file the call sets up is deleted or replaced by the next statements
    stretched: bool | None = None  # the call's function chains digests in a loop (an iterated, key-stretching scheme)
    pickle_data: bool | None = None  # the value is a constant pickle whose imports are all data types
    # the file's language is none of these: the same method name is a different API there (PHP's
    # PDOStatement::execute takes the bound parameters, never the SQL text that Python's cursor.execute takes)
    not_languages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sink:
    """Calls to any of `callee` (canonical names, `*` one part, `**` anything), argument `arg`."""

    callee: tuple[str, ...]
    arg: tuple = (0,)
    when: Condition | None = None


@dataclass(frozen=True, slots=True)
class Case:
    when: Condition
    severity: str | None = None
    message: str | None = None
    refines: bool = False  # only re-grades the same rule's shape finding on that line, never a finding alone


@dataclass(frozen=True, slots=True)
class FactSpec:
    """sink + cases (first case that holds decides; none holds: no finding), or facts `together`
    in one scope (reported at the first one)."""

    sink: Sink | None = None
    cases: tuple[Case, ...] = ()
    together: tuple[Sink, ...] = ()
    yield_to: tuple[str, ...] = ()  # rules that already report this behaviour on a line: then this one does not
    scope: str = "function"  # `together` facts in one function, or anywhere in the file ("file")

    def sinks(self) -> tuple[Sink, ...]:
        return (self.sink,) if self.sink is not None else self.together


def _strings(value, name: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise FactRuleError(f"{where}: facts '{name}' must be a string or a non-empty list of strings")


def _regex(value, name: str, where: str) -> re.Pattern:
    if not isinstance(value, str):
        raise FactRuleError(f"{where}: facts '{name}' must be a regular expression string")
    try:
        return re.compile(value)
    except re.error as exc:
        raise FactRuleError(f"{where}: facts '{name}' is not a valid regex: {exc}") from None


def _selectors(value, where: str) -> tuple:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(i, (int, str)) and not isinstance(i, bool) for i in items):
        raise FactRuleError(f"{where}: facts 'arg' must be a position, a keyword name, '*' or a list of them")
    return tuple(items)


def parse_condition(data, where: str) -> Condition:
    if not isinstance(data, dict) or not data:
        raise FactRuleError(f"{where}: a facts condition is a non-empty mapping ({', '.join(CONDITIONS)})")
    unknown = sorted(set(data) - set(CONDITIONS))
    if unknown:
        raise FactRuleError(f"{where}: unknown facts condition(s) {', '.join(unknown)}")
    kw: dict = {}
    for key in ("label", "no_label", "paired", "paired_too", "not_languages"):
        if key in data:
            kw[key] = _strings(data[key], key, where)
    if "equals" in data:
        if not isinstance(data["equals"], (str, int, float, bool, type(None))):
            raise FactRuleError(f"{where}: facts 'equals' must be a scalar")
        kw["equals"] = (data["equals"],)
    for key in ("matches", "not_matches", "path", "not_path", "callee", "origin", "written"):
        if key in data:
            kw[key] = _regex(data[key], key, where)
    for key in ("constant", "code", "present", "built", "one_of", "windows_only", "pickle_data", "discarded",
                "stretched"):
        if key in data:
            if not isinstance(data[key], bool):
                raise FactRuleError(f"{where}: facts '{key}' must be true or false")
            kw[key] = data[key]
    if "bits" in data:
        if not isinstance(data["bits"], int) or isinstance(data["bits"], bool) or data["bits"] <= 0:
            raise FactRuleError(f"{where}: facts 'bits' must be a positive integer (a mask)")
        kw["bits"] = data["bits"]
    if "via" in data:
        if data["via"] not in ("dynamic", "table"):
            raise FactRuleError(f"{where}: facts 'via' can only be 'dynamic' or 'table'")
        kw["via"] = data["via"]
    if "also" in data:
        also = data["also"] if isinstance(data["also"], list) else [data["also"]]
        parsed = []
        for item in also:
            if not isinstance(item, dict) or "arg" not in item:
                raise FactRuleError(f"{where}: facts 'also' items need an 'arg' and conditions")
            rest = {k: v for k, v in item.items() if k != "arg"}
            parsed.append((_selectors(item["arg"], where), parse_condition(rest, where)))
        kw["also"] = tuple(parsed)
    return Condition(**kw)


def parse_sink(data, where: str) -> Sink:
    if not isinstance(data, dict) or "callee" not in data:
        raise FactRuleError(f"{where}: a facts sink is a mapping with 'callee' (and 'arg', 'when')")
    unknown = sorted(set(data) - set(SINK_KEYS))
    if unknown:
        raise FactRuleError(f"{where}: unknown sink key(s) {', '.join(unknown)}")
    callee = _strings(data["callee"], "callee", where)
    bad = [c for c in callee if not re.fullmatch(r"[A-Za-z_*$@][\w*$@/-]*(?:\(\))?(?:\.[\w*$@/-]+(?:\(\))?)*", c)]
    if bad:
        raise FactRuleError(f"{where}: callee pattern(s) {bad} must be dotted names (`*` for one part)")
    arg = _selectors(data.get("arg", 0), where)
    when = parse_condition(data["when"], where) if "when" in data else None
    return Sink(callee=callee, arg=arg, when=when)


def parse_facts(data, where: str) -> FactSpec:
    """The frozen spec of a fact rule; FactRuleError says exactly what is wrong."""
    if not isinstance(data, dict):
        raise FactRuleError(f"{where}: 'facts' must be a mapping with 'sink' (and 'cases') or 'together'")
    unknown = sorted(set(data) - {"sink", "cases", "together", "yield_to", "scope"})
    if unknown:
        raise FactRuleError(f"{where}: unknown facts key(s) {', '.join(unknown)}")
    if ("sink" in data) == ("together" in data):
        raise FactRuleError(f"{where}: facts need exactly one of 'sink' or 'together'")
    yield_to = _strings(data["yield_to"], "yield_to", where) if "yield_to" in data else ()
    if "together" in data:
        items = data["together"]
        if not isinstance(items, list) or len(items) < 2:
            raise FactRuleError(f"{where}: facts 'together' lists at least two sinks")
        if "cases" in data:
            raise FactRuleError(f"{where}: 'cases' go with 'sink', not with 'together'")
        scope = data.get("scope", "function")
        if scope not in ("function", "file"):
            raise FactRuleError(f"{where}: facts 'scope' is 'function' or 'file'")
        return FactSpec(together=tuple(parse_sink(i, where) for i in items), yield_to=yield_to, scope=scope)
    if "scope" in data:
        raise FactRuleError(f"{where}: 'scope' goes with 'together', not with 'sink'")
    sink = parse_sink(data["sink"], where)
    cases = []
    for item in data.get("cases", []) or []:
        if not isinstance(item, dict) or "when" not in item or set(item) - {"when", "severity", "message", "refines"}:
            raise FactRuleError(f"{where}: each facts case is a mapping with 'when' (and 'severity', 'message', "
                                "'refines')")
        severity = item.get("severity")
        if severity is not None and severity not in SEVERITIES:
            raise FactRuleError(f"{where}: case severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        cases.append(Case(parse_condition(item["when"], where), severity, item.get("message"),
                          item.get("refines") is True))
    return FactSpec(sink=sink, cases=tuple(cases), yield_to=yield_to)
