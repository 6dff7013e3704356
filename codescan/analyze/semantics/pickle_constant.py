"""Whether a pickle written as a constant in the code builds only data: every global it imports is on a short list
of data types (numpy arrays and dtypes, datetime, containers), read with pickletools' opcode parser (never loaded)."""
from __future__ import annotations

import io
import pickletools
import re

MAX_BYTES = 65_536  # longer constants are not parsed (they stay reported as they are)
MAX_OPS = 20_000
_BUILTIN_TYPES = frozenset({"set", "frozenset", "complex", "bytearray", "slice", "range", "list", "dict", "tuple",
                            "bytes", "str", "int", "float", "bool", "object"})
_NUMPY_CORE = ("numpy.core.multiarray", "numpy._core.multiarray", "numpy.core.numeric", "numpy._core.numeric")
SAFE = {
    "builtins": _BUILTIN_TYPES, "__builtin__": _BUILTIN_TYPES,
    "copy_reg": frozenset({"_reconstructor"}), "copyreg": frozenset({"_reconstructor"}),
    "_codecs": frozenset({"encode"}),  # how protocol 2 writes bytes: _codecs.encode(text, "latin1")
    "datetime": frozenset({"datetime", "date", "time", "timedelta", "timezone"}),
    "decimal": frozenset({"Decimal"}), "fractions": frozenset({"Fraction"}), "uuid": frozenset({"UUID"}),
    "collections": frozenset({"OrderedDict", "deque", "Counter"}),
    "numpy": frozenset({"dtype", "ndarray", "matrix", "recarray", "record"}),
    "numpy.ma.core": frozenset({"_mareconstruct", "MaskedArray"}),
    **{module: frozenset({"_reconstruct", "scalar", "_frombuffer"}) for module in _NUMPY_CORE},
}
_NUMPY_SCALAR = re.compile(r"(?:float|int|uint|complex|bool_|str_|bytes_|void|datetime64|timedelta64|longdouble|"
                           r"half|single|double|object_)\d*\Z")
_TEXT_OPS = frozenset({"STRING", "BINSTRING", "SHORT_BINSTRING", "UNICODE", "BINUNICODE", "SHORT_BINUNICODE",
                       "BINUNICODE8", "BINBYTES", "SHORT_BINBYTES", "BINBYTES8"})
_QUIET = frozenset({"PUT", "BINPUT", "LONG_BINPUT", "MEMOIZE", "PROTO", "FRAME"})  # leave the stack as it is


def _safe(module: str, name: str) -> bool:
    allowed = SAFE.get(module)
    if allowed is not None and name in allowed:
        return True
    return module == "numpy" and _NUMPY_SCALAR.match(name) is not None


def data_only(blob) -> bool:
    """True when `blob` (bytes or text) parses as a pickle whose every import is a data type on the list; False for
    anything else (not a pickle, too long, an import off the list, an import the parser cannot name)."""
    if isinstance(blob, str):
        blob = blob.encode("latin-1", "replace")
    if not isinstance(blob, bytes) or not 2 <= len(blob) <= MAX_BYTES:
        return False
    memo: dict = {}
    top: list = []  # the last values pushed, when they are texts (None: something else)
    try:
        for count, (op, arg, _pos) in enumerate(pickletools.genops(io.BytesIO(blob))):
            if count > MAX_OPS:
                return False
            name = op.name
            if name in _QUIET:
                if name != "PROTO" and name != "FRAME":
                    key = len(memo) if name == "MEMOIZE" else arg
                    memo[key] = top[-1] if top else None
                continue
            if name in ("GLOBAL", "INST"):
                module, _, attr = str(arg).partition(" ")
                if not _safe(module, attr):
                    return False
                top.append(None)
            elif name == "STACK_GLOBAL":
                if len(top) < 2 or not isinstance(top[-1], str) or not isinstance(top[-2], str) \
                        or not _safe(top[-2], top[-1]):
                    return False
                top[-2:] = [None]
            elif name.startswith("EXT"):
                return False  # the extension registry names a callable by number
            elif name in _TEXT_OPS:
                top.append(arg.decode("latin-1") if isinstance(arg, bytes) else arg)
            elif name in ("GET", "BINGET", "LONG_BINGET"):
                top.append(memo.get(arg))
            else:
                top.append(None)
            del top[:-4]
    except (ValueError, TypeError, KeyError, IndexError, EOFError, UnicodeError, OverflowError):
        return False
    return True
