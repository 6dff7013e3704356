"""The known text of a string built partly from data not known here (`"curl -s %s | sh" % url`, `` `curl ${u} | sh` ``,
f"https://127.0.0.1:{port}/"): its constant parts kept and each unknown part one HOLE, so that rules matching a
command's or a URL's shape (`matches`, `not_matches`) see it. Never a constant: equality and `constant` tests do not
read it. The languages' evaluators build it (lang/python_skeleton.py, lang/js_skeleton.py)."""
from __future__ import annotations

from .facts import Value

HOLE = "\ufffc"  # OBJECT REPLACEMENT CHARACTER: stands for text not known here
MAX_SKELETON = 4096


def text_part(value: Value) -> str:
    """What a part adds to the text: a constant as str() gives it, a skeleton as it is, else a hole."""
    const = value.const
    if isinstance(const, str):
        return const
    if isinstance(const, (int, float)) and not isinstance(const, bool):
        return str(const)
    return value.text or HOLE


def texty(value: Value) -> bool:
    """The part is text known at least in part."""
    return isinstance(value.const, str) or bool(value.text)


def kept(text: str | None) -> str | None:
    """`text` when it holds some constant text and is not too long, else None."""
    if text is None or len(text) > MAX_SKELETON or not text.replace(HOLE, "").strip():
        return None
    return text
