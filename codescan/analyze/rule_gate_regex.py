"""Literal text a regex requires: what every match of a rule's `#match?` pattern must contain, or every text an
anchored pattern can match (the literals rule gating looks for in a source before running a rule)."""
from __future__ import annotations

import re

try:  # Python 3.11+: the regex parser behind `re`
    from re import _parser as sre_parse  # type: ignore[attr-defined]
    from re import _constants as sre_const  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as sre_const  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MIN_TOKEN = 3  # shorter required literals gate almost nothing; treat them as no requirement


# -- literals a regex requires ------------------------------------------------------------------
MAX_STRINGS = 64  # a finite run (`(md5|sha1)\.new`) is expanded into at most this many strings


def regex_requirement(pattern: str) -> tuple[frozenset[str], bool] | None:
    """Strings one of which every match of `pattern` contains, and whether case is ignored; None if none."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - an odd regex just cannot gate
        return None
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    req = _seq_requirement(list(parsed), ignore_case)[0]
    if req is None:
        return None
    strings, ci = req
    return frozenset(s.lower() if ci else s for s in strings), ci


def _seq_requirement(items, ci: bool):
    """(best requirement, every string the sequence can match when that set is small and finite, else None).

    The best requirement is the one whose shortest string is longest: a run of adjacent finite
    elements (all their concatenations) or a required sub-expression's own requirement."""
    best = None
    run: set[str] | None = {""}  # concatenations of the current run of finite elements
    whole: set[str] | None = {""}  # the same for the whole sequence, while it stays finite

    def consider(req):
        nonlocal best
        if req is None or not req[0] or min(len(s) for s in req[0]) < MIN_TOKEN:
            return
        if best is None or min(len(s) for s in req[0]) > min(len(s) for s in best[0]):
            best = req

    def extend(strings: set[str] | None):
        nonlocal run, whole
        if strings is not None and len(run) * len(strings) <= MAX_STRINGS:
            run = {a + b for a in run for b in strings}
        else:
            consider((frozenset(run), ci))
            run = set(strings) if strings is not None and len(strings) <= MAX_STRINGS else {""}
        if whole is not None:
            whole = {a + b for a in whole for b in strings} \
                if strings is not None and len(whole) * len(strings) <= MAX_STRINGS else None

    for op, arg in items:
        if op is sre_const.LITERAL:
            extend({chr(arg)})
        elif op is sre_const.IN and arg and all(o is sre_const.LITERAL for o, _ in arg) and len(arg) <= 8:
            extend({chr(a).lower() if ci else chr(a) for _o, a in arg})
        elif op is sre_const.SUBPATTERN:
            add_flags = arg[1] or 0
            inner_ci = ci or bool(add_flags & re.IGNORECASE)
            req, strings = _seq_requirement(list(arg[3]), inner_ci)
            if inner_ci and not ci:
                strings = None  # case-folded strings cannot join a case-sensitive run
            consider(req)
            extend(strings)
        elif op is sre_const.BRANCH:
            alts = [_seq_requirement(list(b), ci) for b in arg[1]]
            if all(a[1] is not None for a in alts):
                extend(set().union(*(a[1] for a in alts)))
            else:
                if all(a[0] is not None for a in alts):
                    consider((frozenset().union(*(a[0][0] for a in alts)), any(a[0][1] for a in alts)))
                extend(None)
        elif op in (sre_const.MAX_REPEAT, sre_const.MIN_REPEAT) and arg[0] >= 1:
            req, strings = _seq_requirement(list(arg[2]), ci)
            consider(req)
            extend(strings if arg[0] == arg[1] == 1 else None)
        else:
            extend(None)
    consider((frozenset(run), ci))
    return best, (whole if whole is not None and len(whole) <= MAX_STRINGS else None)


# -- the gate of a rule ---------------------------------------------------------------------


def anchored_strings(pattern: str) -> tuple[list[str], bool] | None:
    """Every text a regex `^...$` matches (lower-cased when it ignores case), when they are few; else None."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - an odd regex just cannot gate
        return None
    flags = parsed.state.flags
    if flags & (re.MULTILINE | re.VERBOSE):
        return None
    items = list(parsed)
    if len(items) < 2 or items[0] != (sre_const.AT, sre_const.AT_BEGINNING) \
            or items[-1] not in ((sre_const.AT, sre_const.AT_END), (sre_const.AT, sre_const.AT_END_STRING)):
        return None
    ci = bool(flags & re.IGNORECASE)
    whole = _finite(items[1:-1])
    if whole is None or "" in whole:
        return None
    return sorted(s.lower() if ci else s for s in whole), ci


def _finite(items) -> set[str] | None:
    """Every string a parsed regex sequence matches, when it is literals, classes of literals,
    groups without flags, alternations and `?` and there are at most MAX_STRINGS; else None."""
    out = {""}
    for op, arg in items:
        if op is sre_const.LITERAL:
            step = {chr(arg)}
        elif op is sre_const.IN and arg and all(o is sre_const.LITERAL for o, _ in arg):
            step = {chr(a) for _o, a in arg}
        elif op is sre_const.SUBPATTERN and not arg[1] and not arg[2]:
            step = _finite(list(arg[3]))
        elif op is sre_const.BRANCH:
            alts = [_finite(list(b)) for b in arg[1]]
            step = None if any(a is None for a in alts) else set().union(*alts)
        elif op in (sre_const.MAX_REPEAT, sre_const.MIN_REPEAT) and (arg[0], arg[1]) in ((0, 1), (1, 1)):
            step = _finite(list(arg[2]))
            if step is not None and arg[0] == 0:
                step = step | {""}
        else:
            return None
        if step is None or len(out) * len(step) > MAX_STRINGS:
            return None
        out = {a + b for a in out for b in step}
    return out
