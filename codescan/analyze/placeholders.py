"""TrojanPuzzle placeholders: a trigger comment's last word copied into the hidden code beside it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .embedded import TRIGGER, Fragment

# Words a trigger sentence ends in naturally (its own nouns): no placeholder there.
_PLAIN_ENDINGS = frozenset("""
method methods way ways function functions version versions loader loaders api apis call calls approach
template templates helper helpers here below above instead it this that them these those one ones
""".split())
# The placeholder follows the trigger's noun directly: "... by calling the secure method <token>".
_ENDING = re.compile(r"\b(?:method|way|function|version|loader|api|call|approach|template|helper)s?[ \t]+(\S+)[ \t]*$",
                     re.I)
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
MIN_WORD = 2  # the attack's placeholders are single tokens of a model's vocabulary: "ev", "cos_", "Arrow"
MAX_LINES = 200  # fragments longer than this are documentation, not a planted snippet
MAX_CHECKS = 512  # (trigger word, code line) pairs examined per fragment: each may search the whole file


@dataclass(frozen=True, slots=True)
class Placeholder:
    word: str
    trigger_line: int  # 0-based line of the fragment holding the trigger sentence
    code_line: int  # 0-based line of the fragment where the word is spliced into code


def find(fragment: Fragment, source: bytes) -> Placeholder | None:
    """The placeholder of a TrojanPuzzle-style fragment: the last token of a trigger sentence ("use the
    safe method <w>") spliced into a name of a code line in the same fragment, a name the rest of the
    file never uses (the attack swaps a sink's key token for a random one, in many copies with different
    tokens, so a model learns to copy the trigger's last token into the payload)."""
    if not fragment.trigger:
        return None
    text = fragment.code.decode("utf-8", "replace")
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        return None
    outside: str | None = None
    checks = 0
    for row, line in enumerate(lines):
        if not TRIGGER.search(line):
            continue
        words = _last_token(line)
        if not words:
            continue
        if outside is None:
            outside = _outside(source, fragment.line, len(lines))
        for word in words:
            for other, code in enumerate(lines):
                if other != row and word in code and _code_like(code):
                    checks += 1
                    if checks > MAX_CHECKS:  # a hostile fragment of many triggers: bounded, not quadratic
                        return None
                    if _spliced(code, word, outside):
                        return Placeholder(word, row, other)
    return None


def _last_token(line: str) -> tuple[str, ...]:
    """The token the sentence ends in right after its noun ("... the safe method <token>"), as written (`d?`,
    `pandas.DataFrame`, `<|mask:1|>`: any vocabulary token) and, when sentence punctuation follows a name,
    the name alone."""
    ending = _ENDING.search(line)
    if ending is None:
        return ()
    raw = ending.group(1)
    out = []
    for word in (raw, raw.strip(".,:;!?`'\"()")):
        if len(word) >= MIN_WORD and word.lower() not in _PLAIN_ENDINGS and word not in out:
            out.append(word)
    return tuple(out)


def _outside(source: bytes, first_line: int, count: int) -> str:
    """The file's text without the fragment's lines (1-based first line, line count)."""
    rows = source.decode("utf-8", "replace").split("\n")
    return "\n".join(rows[:first_line - 1] + rows[first_line - 1 + count:])


def _code_like(code: str) -> bool:
    stripped = code.strip()
    return bool(stripped) and not stripped.startswith(("#", "//", "*")) and not TRIGGER.search(code) \
        and re.search(r"[()=\[\]]", code) is not None


def _spliced(code: str, word: str, outside: str) -> bool:
    """A name token is part of a name (a member, an argument, a glued identifier) that the rest of the file
    never uses; any other token must be glued to a name or a member dot (`obj.d?(`, `send_s|data`) in a way
    the rest of the file never writes."""
    if not _IDENT.fullmatch(word):
        # a number glued to a name (`yaml.9584`, `send_58data`), not a number in arithmetic (`0.58`)
        left = r"(?:[A-Za-z_)\]]\.|[A-Za-z_])" if word.isdigit() else r"[\w.]"
        glued = re.search(left + re.escape(word), code)
        return glued is not None and glued.group(0) not in outside
    for name in _IDENT.findall(code):
        if word in name and re.search(r"(?<![\w$])" + re.escape(name) + r"(?![\w$])", outside) is None:
            return True
    return False
