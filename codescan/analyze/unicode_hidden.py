"""Hidden Unicode: bidirectional controls (Trojan Source), invisible characters, tag characters, variation selectors."""
from __future__ import annotations

import re
import unicodedata

BIDI_OPEN_EMBED = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, closed by PDF
BIDI_PDF = "\u202c"
BIDI_OPEN_ISOLATE = "\u2066\u2067\u2068"  # LRI RLI FSI, closed by PDI
BIDI_PDI = "\u2069"
BIDI_MARKS = "\u200e\u200f\u061c"  # LRM RLM ALM
BIDI_ALL = BIDI_OPEN_EMBED + BIDI_PDF + BIDI_OPEN_ISOLATE + BIDI_PDI + BIDI_MARKS
BIDI_RE = re.compile(f"[{BIDI_ALL}]")

INVISIBLE = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u3164\u115f\u1160\uffa0\u00ad"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]+")
TAG_RE = re.compile("[\U000e0000-\U000e007f]+")
VS_RE = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]+")
# One fast test per document: any character any of the four detectors cares about.
ANY_HIDDEN = re.compile(f"[{BIDI_ALL}{INVISIBLE}\ufe00-\ufe0f\U000e0000-\U000e01ef]")

_NAMES = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK", "\u061c": "ARABIC LETTER MARK",
    "\u3164": "HANGUL FILLER", "\u115f": "HANGUL CHOSEONG FILLER", "\u1160": "HANGUL JUNGSEONG FILLER",
    "\uffa0": "HALFWIDTH HANGUL FILLER",
}
_WORD_RE = re.compile(r"\w")
_FILLERS = frozenset("\u3164\u115f\u1160\uffa0")  # Hangul fillers: letters that draw nothing
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_BLACK_FLAG = "\U0001f3f4"
_CANCEL_TAG = "\U000e007f"
# the same flag with a ZERO WIDTH JOINER between every code point, as some emoji tables write every sequence
# (mitmproxy's utils/emoji.py ":england:"): still 2-6 lowercase/digit tags, so it carries no more than the flag
FLAG_ZWJ_RE = re.compile("\U0001f3f4(?:\u200d[\U000e0030-\U000e0039\U000e0061-\U000e007a]){2,6}\u200d\U000e007f")


def char_label(ch: str) -> str:
    return f"U+{ord(ch):04X} {_NAMES.get(ch) or unicodedata.name(ch, 'UNNAMED')}"


def detect(ctx, view) -> None:
    """Run the hidden-Unicode detectors when the document holds any character they look for."""
    if view.ascii or not ANY_HIDDEN.search(view.text):
        return
    if ctx.wants("bidi-control-character"):
        _bidi(ctx, view)
    if ctx.wants("invisible-character"):
        _invisible(ctx, view)
    if ctx.wants("unicode-tag-characters"):
        _tags(ctx, view)
    if ctx.wants("variation-selector-payload"):
        _variation_selectors(ctx, view)


# -- bidirectional controls ------------------------------------------------------------------
PLACES_CHECKED = 32  # where (code, string, comment) the first controls of a line sit; a flood of them is no different
def _bidi(ctx, view) -> None:
    text = view.text
    reported: set[int] = set()
    for match in BIDI_RE.finditer(text):
        line, _ = view.position(match.start())
        if line in reported:
            continue
        reported.add(line)
        start = view.starts[line - 1]
        line_text = view.line(line)
        found = [(start + i, ch) for i, ch in enumerate(line_text) if ch in BIDI_ALL]
        unterminated = _unbalanced(line_text)
        places = sorted({view.where(off) for off, _ in found[:PLACES_CHECKED]})
        kinds = ", ".join(sorted({char_label(ch) for _, ch in found}))
        controls = any(ch not in BIDI_MARKS for _, ch in found)
        in_code = any(p in ("code", "identifier") for p in places)
        rtl_text = bool(_RTL_LETTER.search(line_text))
        if not controls and not in_code and rtl_text:
            continue  # direction marks beside right-to-left text: ordinary localisation
        if unterminated and not view.code and not view.agent_rules and _opens_rtl_text(line_text):
            severity = "medium"  # a translation file's right-to-left message: the embedding is its text direction
        elif unterminated or (in_code and controls):
            severity = "critical"
        elif controls and not rtl_text:
            severity = "high"
        elif controls or in_code:
            severity = "medium"
        else:
            severity = "low"  # a stray direction mark in a comment or string
        where = "/".join(places)
        detail = " left open past the end of the line, so the rest of the line is displayed reordered" \
            if unterminated else ""
        message = (f"bidirectional control character(s) in {where}: {kinds}{detail}; the code a reviewer sees "
                   "is not the order the compiler reads (Trojan Source, CVE-2021-42574)")
        visible = "".join(f"<U+{ord(c):04X}>" if c in BIDI_ALL else c for c in line_text.strip())
        view.emit("bidi-control-character", found[0][0], message=message, severity=severity,
                  decoded=visible, context=_context(places))


_RTL_OPENERS = "\u202b\u2067"  # RLE, RLI
_OPENS_RTL = re.compile("[\u202b\u2067][\\s\u200f\u061c\"'\u00ab]*[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _opens_rtl_text(line_text: str) -> bool:
    """Every control on the line is a right-to-left embedding or isolate (or a mark) put right before right-to-left
    letters (electron-builder's Arabic installer messages: `ar: "<U+202B>إن ${PRODUCT_NAME} يعمل"`): it sets the
    direction of that text, reordering nothing a reader could mistake; an override (LRO/RLO), a left-to-right
    opener, a pop or an opener before Latin text is not this."""
    openers = [i for i, ch in enumerate(line_text) if ch in BIDI_ALL and ch not in BIDI_MARKS]
    return bool(openers) and all(line_text[i] in _RTL_OPENERS and _OPENS_RTL.match(line_text, i) for i in openers)


def _unbalanced(line_text: str) -> bool:
    """True when an embedding/override or isolate opened on this line is never closed on it."""
    embeds = isolates = 0
    for ch in line_text:
        if ch in BIDI_OPEN_EMBED:
            embeds += 1
        elif ch == BIDI_PDF:
            embeds = max(embeds - 1, 0)
        elif ch in BIDI_OPEN_ISOLATE:
            isolates += 1
        elif ch == BIDI_PDI:
            isolates = max(isolates - 1, 0)
    return embeds > 0 or isolates > 0


def _context(places) -> str:
    for place in ("comment", "string"):
        if place in places and len(places) == 1:
            return place
    return "code"


# -- zero-width and other invisible characters -------------------------------------------------
def _invisible(ctx, view) -> None:
    text = view.text
    seen_lines: set[int] = set()
    for match in INVISIBLE_RE.finditer(text):
        start, end = match.span()
        run = match.group()
        if start == 0 and run == "\ufeff":
            continue  # a byte-order mark at the start of the file
        if run == "\u00ad" or _joins_script(text, start, end, run):
            continue  # soft hyphen, or ZWJ/ZWNJ inside emoji or a script that needs them
        line, _ = view.position(start)
        if line in seen_lines:
            continue
        seen_lines.add(line)
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        in_word = bool(before and after and _WORD_RE.match(before) and _WORD_RE.match(after))
        place = view.where(start)
        code_place = place in ("code", "identifier") or (place == "text" and view.code)
        # in code, a character glued to a name on either side makes another name (`rm<U+200B> = os.system`)
        # (a byte-order mark left where two files were joined starts a line: not a name's part)
        touches = run.strip("\ufeff") != "" and bool(before and _WORD_RE.match(before) or after and _WORD_RE.match(after))
        if code_place and (in_word or touches or _FILLERS & set(run)):
            severity, where = "critical", "an identifier"
        elif in_word or view.agent_rules:
            severity, where = "high", f"a word in {place}"
        elif view.code:
            severity, where = "medium", place
        else:
            severity, where = "low", place
        word = _surrounding_word(text, start, end)
        message = (f"invisible character(s) {', '.join(sorted({char_label(c) for c in run}))} inside {where}: "
                   "two names that look identical are different to the compiler (CVE-2021-42694)")
        view.emit("invisible-character", start, end, message=message, severity=severity,
                  decoded="".join(f"<U+{ord(c):04X}>" if c in INVISIBLE else c for c in word),
                  context=_context([place]))


def _joins_script(text: str, start: int, end: int, run: str) -> bool:
    """ZWJ/ZWNJ between emoji or letters of a joining script (Arabic, Indic, ...) are legitimate."""
    if set(run) - {"\u200c", "\u200d"}:
        return False
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if not before or not after:
        return False
    if ord(before) >= 0x2000 and ord(after) >= 0x2000 and not (before.isascii() or after.isascii()):
        return True  # emoji sequences and non-Latin scripts
    return ord(before) > 0x7f and ord(after) > 0x7f and before.isalpha() and after.isalpha()


def _surrounding_word(text: str, start: int, end: int) -> str:
    lo = start
    while lo > 0 and start - lo < 40 and not text[lo - 1].isspace():
        lo -= 1
    hi = end
    while hi < len(text) and hi - end < 40 and not text[hi].isspace():
        hi += 1
    return text[lo:hi]


# -- Unicode tag characters ------------------------------------------------------------------
def decode_tags(run: str) -> str:
    """The ASCII a run of tag characters spells (tag char minus 0xE0000)."""
    return "".join(chr(ord(c) - 0xE0000) for c in run if 0x20 <= ord(c) - 0xE0000 < 0x7f)


def hidden_tag_texts(text: str):
    """(start, end, decoded ASCII) for every tag-character run that is not an emoji flag sequence."""
    flags = None
    for match in TAG_RE.finditer(text):
        start, end = match.span()
        run = match.group()
        if _is_flag_sequence(text, start, run):
            continue
        if flags is None:
            flags = [m.span() for m in FLAG_ZWJ_RE.finditer(text)]
        if any(lo < start and end <= hi for lo, hi in flags):
            continue
        yield start, end, decode_tags(run)


def _is_flag_sequence(text: str, start: int, run: str) -> bool:
    """🏴 + lowercase/digit tags + CANCEL TAG (England, Scotland, Wales): a legitimate emoji."""
    if not (start and text[start - 1] == _BLACK_FLAG and run.endswith(_CANCEL_TAG)):
        return False
    body = run[:-1]
    return 2 <= len(body) <= 6 and all("a" <= chr(ord(c) - 0xE0000) <= "z" or "0" <= chr(ord(c) - 0xE0000) <= "9"
                                       for c in body)


def _tags(ctx, view) -> None:
    for start, end, decoded in hidden_tag_texts(view.text):
        place = view.where(start)
        message = (f"{end - start} invisible Unicode tag character(s) in {place} spell hidden ASCII "
                   f"{decoded[:80]!r}: text a human cannot see but a model or tool reads")
        view.emit("unicode-tag-characters", start, end, message=message, decoded=decoded,
                  context=_context([place]))


# -- variation selectors -------------------------------------------------------------------------
def decode_selectors(run: str) -> bytes:
    """VS1–VS16 carry 0–15 and VS17–VS256 carry 16–255: one byte per selector."""
    out = bytearray()
    for c in run:
        cp = ord(c)
        out.append(cp - 0xFE00 if cp <= 0xFE0F else cp - 0xE0100 + 16)
    return bytes(out)


def _variation_selectors(ctx, view) -> None:
    text = view.text
    for match in VS_RE.finditer(text):
        start, end = match.span()
        run = match.group()
        base = text[start - 1] if start else ""
        if len(run) == 1 and _ordinary_base(base, run):
            continue
        data = decode_selectors(run)
        shown = data.decode("utf-8", "replace")
        printable = sum(ch.isprintable() for ch in shown) >= 0.8 * max(len(shown), 1)
        decoded = shown if printable and len(data) > 1 else data.hex(" ")
        severity = "critical" if len(run) >= 8 else "high" if len(run) >= 3 else "medium"
        place = view.where(start)
        message = (f"{len(run)} variation selector(s) after {('U+%04X' % ord(base)) if base else 'nothing'} in "
                   f"{place}: more than any emoji or ideograph uses; selectors can smuggle one byte each")
        view.emit("variation-selector-payload", start, end, message=message, severity=severity,
                  decoded=decoded, context=_context([place]))


def _ordinary_base(base: str, run: str) -> bool:
    """A single selector after a symbol/emoji/ideograph/letter beyond ASCII, or VS15/16 after anything printable."""
    if not base or base.isspace():
        return False
    if run in ("\ufe0e", "\ufe0f"):
        return True
    cp = ord(base)
    if 0xE0100 <= ord(run) <= 0xE01EF:
        return unicodedata.category(base) == "Lo" and (0x3400 <= cp <= 0x9FFF or 0x20000 <= cp <= 0x3FFFF)
    return cp > 0x7f and unicodedata.category(base)[0] in "LSN"
