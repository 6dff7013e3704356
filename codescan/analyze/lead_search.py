"""A regex's finditer tried only where a match can start: at an occurrence of one of the literal texts every match
begins with (read from the pattern itself), the same matches in the same order as finditer over the whole text.

`re` tries a pattern such as `\\b(?:ignore|disregard)\\s+...` at every offset of the text; most phrase patterns find
nothing in most files (the history bench's 375 versions: 1.4 CPU-s, no match). Their leading literals (`ignore`,
`disregard`) are searched in C instead, and the pattern is tried at those offsets alone. finditer's matches are the
leftmost ones, each starting at or after the end of the one before (none of these patterns matches the empty
string): trying the offsets in order, skipping those inside the last match, gives them back one for one."""
from __future__ import annotations

import re
from re import _constants as sre_constants
from re import _parser as sre_parse

LITERAL, SUBPATTERN, BRANCH, AT = (sre_constants.LITERAL, sre_constants.SUBPATTERN, sre_constants.BRANCH,
                                   sre_constants.AT)
MAX_LEADS = 64


def leads(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Literal texts, one of which starts every match of `pattern` (None: not known, e.g. a leading character class,
    an optional part or a case-insensitive pattern). Leading assertions (\\b) are passed over: they test, not
    consume, and the pattern is tried whole at each offset."""
    if flags & re.IGNORECASE:
        return None
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = _sequence(list(parsed))
    if not found or "" in found or len(found) > MAX_LEADS:
        return None
    # a lead that starts with another lead adds no offset (`don` after `do`)
    ordered = sorted(found, key=len)
    kept: list[str] = []
    for lead in ordered:
        if not any(lead.startswith(k) for k in kept):
            kept.append(lead)
    return tuple(kept)


def _sequence(items: list) -> set[str] | None:
    """The literal prefixes of a sequence of parsed items (each prefix stops at the first item that is not a
    literal, after that item's own prefixes when it is a group or an alternation)."""
    prefixes = {""}
    started = False
    for op, av in items:
        if op is AT and not started:
            continue
        started = True
        if op is LITERAL:
            prefixes = {p + chr(av) for p in prefixes}
            continue
        inner = None
        if op is SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
            inner = _sequence(list(av[3]))
        elif op is BRANCH:
            inner = set()
            for branch in av[1]:
                got = _sequence(list(branch))
                if got is None:
                    return None
                inner |= got
        if inner is None:
            break
        prefixes = {p + q for p in prefixes for q in inner}
        if len(prefixes) > MAX_LEADS:
            return None
        break  # what follows a group may be optional in some branch: stop here
    return prefixes


def finditer(regex: re.Pattern, text: str, lead: tuple[str, ...]):
    """regex.finditer(text) for a regex whose every match starts with one of `lead` (leads() of its pattern, or
    anchors its caller knows): the regex is tried only where one occurs; match(text, at) still sees the text
    before `at` for \\b."""
    offsets: set[int] = set()
    for literal in lead:
        at = text.find(literal)
        while at >= 0:
            offsets.add(at)
            at = text.find(literal, at + 1)
    end = 0
    match_at = regex.match
    for at in sorted(offsets):
        if at < end:
            continue
        found = match_at(text, at)
        if found is not None:  # never empty: it begins with a lead
            end = found.end()
            yield found
