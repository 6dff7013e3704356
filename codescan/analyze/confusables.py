"""Look-alike names: identifiers mixing scripts, and names whose skeleton equals another name (CVE-2021-42694)."""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

NON_ASCII = re.compile(r"[^\x00-\x7f]")
WORD = re.compile(r"\w+")
ASCII_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LOOKALIKE_SCRIPTS = frozenset(("CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"))
# Names that run code or reach the system: a disguised spelling of one of these is an attack, not a typo.
DANGEROUS = frozenset(("exec", "eval", "compile", "__import__", "getattr", "setattr", "open", "system", "popen",
                       "subprocess", "os", "builtins", "globals", "locals", "input", "Function", "require",
                       "spawn", "execSync", "child_process", "import_module", "loads", "pickle", "marshal"))


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """Non-Latin letter → the Latin letter it looks like (codescan/data/confusables.json)."""
    path = Path(__file__).resolve().parent.parent / "data" / "confusables.json"
    return json.loads(path.read_text(encoding="utf-8"))["map"]


def skeleton(word: str) -> str:
    """NFKC-fold, then replace each look-alike letter by the Latin letter it is drawn like."""
    mapping = table()
    return "".join(mapping.get(c, c) for c in unicodedata.normalize("NFKC", word))


def scripts(word: str) -> set[str]:
    """The scripts of the letters in a word (ASCII letters count as LATIN; compatibility forms are folded)."""
    out: set[str] = set()
    for c in unicodedata.normalize("NFKC", word):
        if c.isascii():
            if c.isalpha():
                out.add("LATIN")
        elif c.isalpha():
            out.add(unicodedata.name(c, "UNKNOWN").split(" ", 1)[0])
    return out


def is_mixed(word: str) -> bool:
    """Latin mixed with a look-alike script (or two look-alike scripts), using at least one look-alike letter."""
    found = scripts(word)
    foreign = found & LOOKALIKE_SCRIPTS
    if not foreign or (len(found) < 2):
        return False
    mapping = table()
    return any(c in mapping for c in unicodedata.normalize("NFKC", word))


def detect(ctx, view) -> None:
    """Flag mixed-script and look-alike words in code files (and agent rule files)."""
    mixed_on = ctx.wants("mixed-script-identifier")
    confusable_on = ctx.wants("confusable-identifier")
    if view.ascii or not (mixed_on or confusable_on) or not (view.code or view.agent_rules):
        return
    text = view.text
    candidates = [m for m in _non_ascii_words(text) if not m.group().isdigit()]
    if not candidates:
        return
    ascii_words: set[str] | None = None
    garbled: bool | None = None
    spellings: dict[str, set[str]] = {}
    for m in candidates:
        spellings.setdefault(skeleton(m.group()), set()).add(m.group())
    for m in candidates:
        word = m.group()
        place = _place(view, m.start())
        if place == "comment":
            continue
        mixed = is_mixed(word) and not (place == "string" and _not_a_word(text, m))
        skel = skeleton(word)
        disguised = (skel != word and skel.isascii() and ASCII_WORD.fullmatch(skel) is not None
                     and (len(skel) >= 3 or skel in DANGEROUS))
        if mixed and mixed_on:
            _emit_mixed(view, m, place)
        if disguised and confusable_on:
            if ascii_words is None:
                ascii_words = set(ASCII_WORD.findall(text))
            twin = skel in ascii_words or len(spellings.get(skel, ())) > 1
            nfkc = unicodedata.normalize("NFKC", word) == skel
            if place == "string" and not (twin or mixed or nfkc):
                continue  # a whole word of another script that happens to read as Latin: ordinary text
            if place == "code" and not (twin or mixed or nfkc):
                if garbled is None:
                    garbled = _mostly_errors(view)
                if garbled:
                    continue  # text data under a code extension (hyphenation patterns named .cs): words, not names
            _emit_confusable(view, m, place, skel, twin, mixed and not (place == "string" and _bare_string(view, m)))


_ESCAPE_LETTERS = frozenset("ntrabfv")
_STRINGS = frozenset(("string", "template_string", "concatenated_string"))


def _bare_string(view, m) -> bool:
    """The word is in a string that stands alone as a statement (a docstring, `"use strict"`): nothing reads it by
    its text, so a look-alike word in it (celery's docstring "called on сhord header", Cyrillic с) names nothing."""
    node = view.node_at(m.start()) if view.tree is not None else None
    for _ in range(4):
        if node is None or node.type in _STRINGS:
            break
        node = node.parent
    if node is None or node.type not in _STRINGS:
        return False
    while node.parent is not None and node.parent.type == "concatenated_string":
        node = node.parent
    parent = node.parent
    return parent is not None and parent.type == "expression_statement" and parent.named_child_count == 1


def _mostly_errors(view) -> bool:
    """The parse is mostly ERROR: the file is not in the language its name says (a word or pattern list named
    `.cs`), so a foreign-script word in it is text, not an identifier someone chose. A real file with one syntax
    error keeps its declarations as nodes; only top-level ERROR spans are counted."""
    tree = getattr(view, "tree", None)
    if tree is None:
        return False
    root = tree.root_node
    if root.type == "ERROR":
        return True
    if not root.has_error or root.end_byte == 0:
        return False
    broken = sum(c.end_byte - c.start_byte for c in root.children if c.type == "ERROR")
    return broken * 2 > root.end_byte - root.start_byte


def _not_a_word(text: str, m) -> bool:
    """A run of letters in a string that is not one word: an escape's letter glued to the text after it (`"\\nαβγ"`),
    or characters of a regex character class (`[a-zA-Zα-ω]`: range ends, or a class of symbols with no ASCII)."""
    word, start = m.group(), m.start()
    if start and text[start - 1] == "\\" and word[0] in _ESCAPE_LETTERS and not is_mixed(word[1:]):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    opened = before.rfind("[")
    if opened < 0 or "]" in before[opened:]:
        return False
    after = text[m.end():m.end() + 1]
    return before.endswith("-") or after == "-" or not any(c.isascii() for c in word)


def _non_ascii_words(text: str):
    """Word matches (\\w+) that hold at least one non-ASCII character, found from the non-ASCII characters."""
    search = NON_ASCII.search
    m = search(text)
    while m is not None:
        lo = m.start()
        while lo > 0 and WORD.match(text, lo - 1, lo):
            lo -= 1
        word = WORD.match(text, lo)
        if word is not None and word.end() > m.start():
            yield word
            m = search(text, word.end())
        else:
            m = search(text, m.end())


def _place(view, offset: int) -> str:
    """comment/string/code, from the tree or (without one) a guess from the line before the word."""
    where = view.where(offset)
    if where != "text":
        return "code" if where == "identifier" else where
    line, column = view.position(offset)
    before = view.line(line)[:column - 1]
    stripped = before.lstrip()
    if "//" in before or "/*" in before or stripped.startswith(("#", "*", "--", ";")) and not stripped.startswith("#!"):
        return "comment"
    if before.count('"') % 2 or before.count("'") % 2:
        return "string"
    return "code"


def _emit_mixed(view, m, place: str) -> None:
    word = m.group()
    severity = "high" if place == "code" and view.code else "medium"
    names = ", ".join(f"{c} U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in dict.fromkeys(word) if ord(c) > 0x7f)
    message = (f"{'identifier' if place == 'code' else 'word in a ' + place} {word!r} mixes scripts "
               f"({', '.join(sorted(scripts(word)))}): {names}")
    view.emit("mixed-script-identifier", m.start(), m.end(), message=message, severity=severity,
              decoded=skeleton(word), context="string" if place == "string" else "code")


def _emit_confusable(view, m, place: str, skel: str, twin: bool, mixed: bool = False) -> None:
    word = m.group()
    nfkc_only = unicodedata.normalize("NFKC", word) == skel
    in_code = place == "code" and view.code
    if twin:
        # a string twin mixing scripts inside one word names something by text (an SQL function registered under
        # "аlice" beside "alice", a dispatch key): the same trick as in code; whole foreign-script words stay medium
        severity = "critical" if in_code else "high" if mixed and place == "string" else "medium"
        why = f"looks exactly like `{skel}`, which also appears in this file, but is a different name"
    elif nfkc_only:
        severity = "critical" if in_code and skel in DANGEROUS else "high" if in_code else "low"
        why = (f"is written in compatibility characters that normalize to `{skel}`; Python and other NFKC "
               "languages treat it as that name while scanners reading the text do not")
    else:
        severity = "high" if in_code else "medium"
        why = f"is spelled with look-alike letters and reads as `{skel}`"
    message = f"{'identifier' if place == 'code' else 'word in a ' + place} {word!r} {why}"
    view.emit("confusable-identifier", m.start(), m.end(), message=message, severity=severity, decoded=skel,
              context="string" if place == "string" else "code")
