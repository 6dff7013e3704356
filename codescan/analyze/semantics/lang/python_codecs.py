"""Codec functions looked up by name and applied later: `dec = codecs.getdecoder("rot13")`, `dec(blob)[0]`,
`codecs.lookup("rot_13").decode(blob)`, `codecs.getencoder("hex")`. Folded like `codecs.decode(blob, "rot13")`."""
from __future__ import annotations

import codecs

from ..constants_calls import text_codec, codec_known
from ..facts import UNKNOWN, Value

_MAKERS = {"codecs.getdecoder": "decode", "codecs.getencoder": "encode", "codecs.lookup": None}
_MARK = "codecs.<"  # the name a looked-up codec function is given: codecs.<rot13>.decode


def codec_function(values, name: str | None, args) -> Value | None:
    """The value of `codecs.getdecoder(enc)` / `getencoder(enc)` / `lookup(enc)` for a codec known here."""
    if name not in _MAKERS or len(args) != 1:
        return None
    encoding = values.ev(args[0]).const
    if not codec_known(encoding):
        return None
    method = _MAKERS[name]
    return Value(name=f"{_MARK}{encoding}>" + (f".{method}" if method else ""))


def codec_applied(values, name: str | None, args, line: int) -> Value | None:
    """A looked-up codec function called on data: `(text, length)` as the codec returns it (the data decoded)."""
    if not name or not name.startswith(_MARK) or len(args) != 1:
        return None
    encoding, _, method = name[len(_MARK):].partition(">.")
    if method not in ("decode", "encode"):
        return None
    data = values.ev(args[0])
    hides = frozenset() if text_codec(encoding) else frozenset({"decoded"})  # utf-8 is no disguise
    if isinstance(data.const, (str, bytes)) and len(data.const) <= 100_000:
        try:
            out = getattr(codecs, method)(data.const, encoding)
        except (ValueError, TypeError, LookupError):
            out = None
        if out is not None:
            return Value((out, len(data.const)), data.labels | hides, None, None,
                         data.trace).with_step(line, f"{method}d with the {encoding} codec")
    return Value(UNKNOWN, data.labels | hides, None, None, data.trace).with_step(
        line, f"{method}d with the {encoding} codec")
