"""Does a fact satisfy a rule's condition? (labels, constants, code, how the callee was named, path)."""
from __future__ import annotations

from ...rules_facts import Condition
from .facts import Call, Value
from .names import pattern_regex
from .pickle_constant import data_only
from .values import equals, is_code, text_of, whole

_VALUE_KEYS = ("label", "no_label", "equals", "matches", "not_matches", "constant", "code", "origin", "built", "bits",
               "pickle_data")
BUILT = frozenset({"dynamic", "built", "disguised"})  # Value.via of names and texts made at run time


def value_holds(cond: Condition, value: Value, language: str) -> bool:
    if cond.label and not value.labels.intersection(cond.label) and not (
            "request-stored" in value.labels and "request" in cond.label):  # an upload read back (python_stored)
        return False
    if cond.no_label and value.labels.intersection(cond.no_label):
        return False
    if cond.equals and not equals(value, cond.equals[0]):
        return False
    if cond.matches is not None or cond.not_matches is not None:
        text = text_of(value)
        if text is None:
            text = value.text  # a string known in part: the shape of its constant parts
        if cond.matches is not None and (text is None or not cond.matches.search(text)):
            return False
        if cond.not_matches is not None and text is not None and cond.not_matches.search(text):
            return False
    if cond.constant is not None:
        # one of a constant table's entries (ORDERS.get(key, "id")): every text it may give is a constant
        # a container is constant only when every item is: {"content": text} carries unknown data
        known = whole(value) or bool(value.choices) and all(whole(c) for c in value.choices)
        if known != cond.constant:
            return False
    if cond.code is not None and is_code(value, language) != cond.code:
        return False
    if cond.built is not None and (value.via in BUILT) != cond.built:
        return False
    if cond.origin is not None and (value.name is None or not cond.origin.search(value.name)):
        return False
    if cond.pickle_data is not None and (value.known and data_only(value.const)) != cond.pickle_data:
        return False
    if cond.bits is not None and (not isinstance(value.const, int) or isinstance(value.const, bool) or
                                  not value.const & cond.bits):
        return False
    return True


_PAIRED: dict = {}


def _paired(patterns: tuple, present: frozenset) -> bool:
    """Whether the file calls one of the canonical `patterns` (compiled once per pattern list)."""
    regex = _PAIRED.get(patterns)
    if regex is None:
        regex = _PAIRED[patterns] = pattern_regex(patterns)
    return any(regex.match(callee) for callee in present)


def _has_value_test(cond: Condition) -> bool:
    return any(getattr(cond, k) not in (None, (), False) or (k in ("constant", "built") and getattr(cond, k) is False)
               for k in _VALUE_KEYS)


def _text_test(cond: Condition) -> bool:
    """A test of the text alone (`matches`), not of the value as a whole (`constant`, `code` ask whether every
    value is a constant, or code: a list of statements compiled one by one is not one program)."""
    return cond.matches is not None and cond.constant is None and cond.code is None


def holds(cond: Condition | None, call: Call, selectors, path: str, language: str,
          present: frozenset = frozenset(), call_memo: dict | None = None) -> Value | None | bool:
    """The argument value that satisfies `cond` (True when the condition is about the call only,
    None when it does not hold); `present` holds the callees of the file's calls (for `paired`).

    `call_memo` (one dict per call) keeps the verdict of everything in `cond` that does not depend on `selectors`
    (callee, path, `also`): a sink taking every argument (`arg: "*"`) asks once per argument, and an `also` over
    every argument made a command of 5,000 words cost 25 million tests."""
    if cond is not None and call_memo is not None:
        common = call_memo.get(id(cond))
        if common is None:
            common = call_memo[id(cond)] = _call_holds(cond, call, path, language, present)
        if not common:
            return None
        return _chosen(cond, call, selectors, language)
    if cond is not None and not _call_holds(cond, call, path, language, present):
        return None
    return _chosen(cond, call, selectors, language)


def _call_holds(cond: Condition, call: Call, path: str, language: str, present: frozenset) -> bool:
    """The parts of `cond` about the call as a whole: callee, language, path, pairing and `also`."""
    if cond.via is not None and call.via != cond.via and not (cond.via == "dynamic" and call.via == "table"):
        return False  # a function picked from a table by a key not known here is reached dynamically too
    if cond.callee is not None and not cond.callee.search(call.callee):
        return False
    if cond.not_languages and language in cond.not_languages:
        return False
    if cond.windows_only is not None and call.windows_only != cond.windows_only:
        return False
    if cond.discarded is not None and call.discarded != cond.discarded:
        return False
    if cond.stretched is not None and call.stretched != cond.stretched:
        return False
    if cond.paired and not _paired(cond.paired, present):
        return False
    if cond.paired_too and not _paired(cond.paired_too, present):
        return False
    if cond.path is not None and not cond.path.search(path):
        return False
    if cond.not_path is not None and cond.not_path.search(path):
        return False
    for other_selectors, other in cond.also:
        others = call.selected(other_selectors)
        if other.present is not None and bool(others) != other.present:
            return False
        if other.present is False and call.may_hold_keyword(other_selectors):
            return False
        if _has_value_test(other) and not any(value_holds(other, v, language) for v in others):
            return False
    return True


def _chosen(cond: Condition | None, call: Call, selectors, language: str) -> Value | None | bool:
    """The selected argument that satisfies `cond`'s own value tests."""
    if cond is None:
        chosen = call.selected(selectors)
        return chosen[0] if chosen else True
    chosen = call.selected(selectors)
    if cond.present is not None and bool(chosen) != cond.present:
        return None
    if cond.present is False and call.may_hold_keyword(selectors):
        return None
    if not _has_value_test(cond):
        return chosen[0] if chosen else True
    for value in chosen:
        if value_holds(cond, value, language):
            return value
        if value.choices and (cond.one_of or value.via == "loop" and _text_test(cond)) and \
                any(value_holds(cond, choice, language) for choice in value.choices):
            # AES.new(k, MODES[name]): one of the modes the table may give is ECB (`one_of`); a loop's item that
            # matches (`for step in STEPS: os.system(step)` runs every one of them)
            return value
    return None
