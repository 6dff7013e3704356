"""Was an insecure choice disguised? Source text that builds a value or a name the plain way would write out."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import islice

from ..records import shift_severity

# Python spellings that hide a literal or a name from a reader (CodeBreaker's transformations): dunder
# lookups, getattr/import_module, literal + literal, slices and indexes of literals, literal conversions
# (bool(1), int(False)), reversed strings, character codes and decoders. Plain constants, aliases and
# ordinary calls (int(port), ", ".join(hosts)) are not disguise.
PYTHON = re.compile(
    r"__(?:dict|getattribute|import|builtins|class|globals)__|\bgetattr\(|\bimport_module\("
    r"|\b(?:globals|locals|vars)\(\)\["
    r"|['\"][ \t]*\+[ \t]*[rbuRBUfF]?['\"]"  # 'ab' + 'cd'
    r"|['\"][ \t]*\[[ \t]*+-?\d*[ \t]*:"  # 'abc'[:0]
    r"|['\"][ \t]*\[[ \t]*-?\d+[ \t]*\]"  # 'abc'[1]
    r"|['\"][ \t]*\.(?:replace|swapcase|upper|lower|strip|lstrip|rstrip|translate)\("  # '127.0.0.1'.replace(..)
    r"|(?:''|\"\")[ \t]*\.join\(|\[[ \t]*::[ \t]*-1[ \t]*\]"
    r"|\b(?:int|bool|str|float)\([ \t]*(?:True|False|None|-?\d+[ \t]*\)|['\"])"  # bool(1), int(False)
    r"|\bnot[ \t]+(?:True|False|None|\d)"
    r"|\b(?:exec|eval)\([ \t]*[rbuRBU]?['\"]"  # code kept in a string and run: exec("client.set_policy(...)")
    r"|\bchr\([ \t]*\d|\bb64decode\(|\bfromhex\(|\bunhexlify\(|\bcodecs\.decode\("
    r"|(?<!\w)(?=\w*?[A-Za-z_])\w++\[[ \t]*-?\d+[ \t]*\]"  # flag[1]: a constant table indexed by position (a word
    # with a letter, read from its start: `[A-Za-z_]\w*` tried from every letter of a long word was quadratic)
)
CONTEXT = 3  # characters either side of a changed span that still belong to it ('0.0'+'.0.0': the quotes)


def disguised_line(text: str) -> bool:
    """A Python line that builds a value or a name in one of the disguising ways."""
    return PYTHON.search(text) is not None


def folded_disguise(before: bytes, after: bytes, source: bytes = b"") -> bool:
    """Whether folding a line rewrote a disguising spelling (not merely an alias or a named constant):
    the spans of `before` that folding replaced or removed, with a little context, match PYTHON, or a
    name folding replaced was bound to such a spelling (`m = __import__("ssl")` for `m.wrap_socket`)."""
    old = _binary_hex_renamed(before.decode("utf-8", "replace"))
    new = after.decode("utf-8", "replace")
    pieces = []
    for tag, i1, i2, _j1, _j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            start, end = i1, i2
            while start > 0 and (old[start - 1].isalnum() or old[start - 1] in "_."):
                start -= 1  # the whole name a changed span sits in (flag[1], ssh.__dict__[...])
            while end < len(old) and (old[end].isalnum() or old[end] == "_"):
                end += 1
            pieces.append(old[max(0, start - CONTEXT):end + CONTEXT])
    if any(PYTHON.search(piece) for piece in pieces):
        return True
    names = {name for piece in pieces for name in _NAME.findall(piece)} - _KEYWORDS
    return any(_bound_disguised(name, source) for name in sorted(names)[:8])


_NAME = re.compile(r"\b[A-Za-z_]\w*\b")
_KEYWORDS = frozenset("and or not in is if else for while return lambda None True False def class import from as".split())


def _bound_disguised(name: str, source: bytes) -> bool:
    """A plain assignment of `name` in the file whose value is a disguising spelling (first few only)."""
    if not source:
        return False
    binding = re.compile(rb"(?m)^[ \t]*" + re.escape(name.encode()) + rb"[ \t]*=[ \t]*([^=\n][^\n]*)$")
    for match in islice(binding.finditer(source), 3):
        if _disguising(match.group(1).decode("utf-8", "replace")):
            return True
    return False


# a hex literal decoded (bytes.fromhex("0706050403020100"), unhexlify("00" * 16)): how binary data is written (an IV,
# a key, a test vector); it hides something only when the bytes spell text (fromhex("6f732e73797374656d"): os.system)
_HEX_CALL = re.compile(r"\b(?:fromhex|unhexlify)\([ \t]*[rbuRBU]?(['\"])([0-9A-Fa-f \t]*)\1")


def _disguising(text: str) -> bool:
    """PYTHON matches `text`, a hex literal of binary bytes excepted."""
    return PYTHON.search(_binary_hex_renamed(text)) is not None


def _binary_hex_renamed(text: str) -> str:
    """`text` with each decoder of a binary hex literal renamed (`bytes.binhex("0706..")`), so that no disguising
    spelling is seen in it, wherever a diff cuts the line."""
    if "hex" not in text:
        return text
    return _HEX_CALL.sub(lambda m: "bin" + m.group() if _binary(m.group(2)) else m.group(), text)


def _binary(hex_text: str) -> bool:
    try:
        data = bytes.fromhex(hex_text)
    except ValueError:
        return False
    return any(b < 32 and b not in (9, 10, 13) or b >= 127 for b in data)


def raised(severity: str) -> str:
    """A medium finding whose insecure choice was disguised is high: clean code has no reason to hide it."""
    return shift_severity(severity, 1) if severity == "medium" else severity
