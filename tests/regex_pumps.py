"""Adversarial inputs for one regex, read from its parsed form: for each repeat it holds, a run of what the repeat's
body matches (each alternative, each kind of character its classes accept), reached through the shortest text that
leads to it and followed by a tail that matches nothing after it. `slowest(pattern)` times each such run at two
lengths; a pattern whose time grows much faster than the text (nested or overlapping repeats, `.*` pairs, a
repeat re-tried from every start position) is what a hostile file can use to stop a scan inside the C engine."""
from __future__ import annotations

import re
import signal
import time
from re import _constants as C
from re import _parser

# characters tried for each character class: letters, digits, blanks, punctuation code is made of, non-ASCII
ALPHABET = "a0Z_ \t\n./\\()\"'$-=:;,<>{}[]%+*#@!&|~`?^\x00\x7f\u00e9\u202e\u0430x9fF"
TAILS = ("", "\x01", "\n", "!")
VARIANTS = 6  # examples of one repeat's body, at most


def _in_category(cat, ch: str) -> bool:
    table = {
        C.CATEGORY_DIGIT: ch.isdigit(), C.CATEGORY_NOT_DIGIT: not ch.isdigit(),
        C.CATEGORY_SPACE: ch.isspace(), C.CATEGORY_NOT_SPACE: not ch.isspace(),
        C.CATEGORY_WORD: ch.isalnum() or ch == "_", C.CATEGORY_NOT_WORD: not (ch.isalnum() or ch == "_"),
        C.CATEGORY_LINEBREAK: ch == "\n", C.CATEGORY_NOT_LINEBREAK: ch != "\n",
    }
    return table.get(cat, False)


def _in_class(items, ch: str, ignore_case: bool) -> bool:
    negate = False
    hit = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit = hit or ord(ch) == av or (ignore_case and ch.lower() == chr(av).lower())
        elif op is C.RANGE:
            hit = hit or av[0] <= ord(ch) <= av[1] or (ignore_case and (
                av[0] <= ord(ch.lower()) <= av[1] or av[0] <= ord(ch.upper()) <= av[1]))
        elif op is C.CATEGORY:
            hit = hit or _in_category(av, ch)
    return hit != negate


def _chars(op, av, ignore_case: bool) -> list[str]:
    """Characters of ALPHABET one item of a pattern accepts (one for a literal)."""
    if op is C.LITERAL:
        return [chr(av)]
    if op is C.NOT_LITERAL:
        return [c for c in ALPHABET if ord(c) != av]
    if op is C.ANY:
        return [c for c in ALPHABET if c != "\n"]
    if op is C.IN:
        return [c for c in ALPHABET if _in_class(av, c, ignore_case)]
    return []


def examples(seq, ignore_case: bool, limit: int = VARIANTS) -> list[str]:
    """Up to `limit` short strings the sequence matches, varied over its classes' characters and alternatives."""
    out = [""]
    for op, av in seq:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            options = _chars(op, av, ignore_case)[:limit] or ["a"]
        elif op is C.BRANCH:
            options = [e for alt in av[1] for e in examples(alt, ignore_case, 2)][:limit]
        elif op is C.SUBPATTERN:
            options = examples(av[3], ignore_case, limit)
        elif op is C.ATOMIC_GROUP:
            options = examples(av, ignore_case, limit)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low = av[0]
            options = [e * max(low, 1) if low else "" for e in examples(av[2], ignore_case, limit)]
            options = list(dict.fromkeys(options)) or [""]
        else:
            options = [""]  # anchors, lookarounds, back-references: no text of their own
        out = list(dict.fromkeys(a + b for a in out for b in options))[:limit]
    return out


def _repeats(seq, prefix: list, found: list) -> None:
    """(text leading to it, the repeat's body) for every repeat that can repeat, nested ones too."""
    for i, (op, av) in enumerate(seq):
        before = prefix + list(seq[:i])
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and (av[1] is C.MAXREPEAT or av[1] > 16):
            found.append((before, av[2]))
            _repeats(av[2], before, found)
        elif op is C.POSSESSIVE_REPEAT:
            _repeats(av[2], before, found)
        elif op is C.BRANCH:
            for alt in av[1]:
                _repeats(alt, before, found)
        elif op is C.SUBPATTERN:
            _repeats(av[3], before, found)
        elif op is C.ATOMIC_GROUP:
            _repeats(av, before, found)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _repeats(av[1], before, found)


def attacks(pattern: str | bytes, flags: int) -> list[tuple[str, str]]:
    """(lead, unit) pairs: the text lead + unit * n + tail is the adversarial input for any n."""
    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    parsed = _parser.parse(text, flags & ~re.LOCALE)
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    found: list = []
    _repeats(list(parsed), [], found)
    pairs: list[tuple[str, str]] = []
    for before, body in found:
        lead = examples(before, ignore_case, 1)[0]
        for unit in examples(body, ignore_case):
            if unit:
                pairs.append((lead, unit))
                pairs.append(("", unit))
    return list(dict.fromkeys(pairs))


class _Slow(Exception):
    pass


def _stop(_signum, _frame):
    raise _Slow()


def timed(compiled: re.Pattern, subject, cap: float, mode: str = "match") -> float:
    """Seconds of one match (or search) (cap when it had to be stopped: the engine checks signals while it
    backtracks)."""
    signal.setitimer(signal.ITIMER_REAL, cap)
    start = time.perf_counter()
    try:
        getattr(compiled, mode)(subject)
    except _Slow:
        return cap
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - start


def slowest(pattern: str | bytes, flags: int, size: int = 4000, ratio: int = 8, cap: float = 2.0,
            mode: str = "match"):
    """(growth, seconds at `size` characters, the input's lead, unit, tail) of the worst attack on the pattern:
    growth is the time ratio between inputs of `size` and `size // ratio` characters (~ratio when linear)."""
    compiled = re.compile(pattern, flags)
    worst = (0.0, 0.0, "", "", "")
    previous = signal.signal(signal.SIGALRM, _stop)
    try:
        for lead, unit in attacks(pattern, flags):
            for tail in TAILS:
                big = _subject(pattern, lead + unit * max(1, size // len(unit)) + tail)
                if big is None:
                    continue
                long_time = timed(compiled, big, cap, mode)
                if long_time < 0.005:
                    continue  # fast enough at this size whatever its growth
                if long_time >= cap:
                    return (float("inf"), cap, lead, unit, tail)  # stopped: no need to look further
                long_time = min(long_time, timed(compiled, big, cap, mode))
                small = _subject(pattern, lead + unit * max(1, size // ratio // len(unit)) + tail)
                short_time = max(min(timed(compiled, small, cap, mode) for _ in range(3)), 1e-6)
                growth = long_time / short_time
                if (growth, long_time) > worst[:2]:
                    worst = (growth, long_time, lead, unit, tail)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return worst


def _subject(pattern, text: str):
    if isinstance(pattern, bytes):
        try:
            return text.encode("latin-1")
        except UnicodeEncodeError:
            return None
    return text
