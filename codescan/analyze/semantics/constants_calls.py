"""Calls the constant interpreter can fold: str/bytes methods, chr/bytes/int/bool builtins,
base64/binascii/codecs decoders and comprehensions over constants."""
from __future__ import annotations

import base64
import binascii
import codecs
import posixpath
import re
import textwrap

from .constants import MAX_ITEMS, MAX_LEN, _BIG_WIDTH, _SCALARS, NotConstant, _ev, _is_int, _known

_CODECS = {"rot13", "rot_13", "hex", "hex_codec", "base64", "base64_codec", "utf-8", "utf8", "ascii",
           "latin-1", "latin1", "iso-8859-1", "utf-16", "utf_8"}
_TEXT_CODECS = {"utf-8", "utf8", "ascii", "latin-1", "latin1", "iso-8859-1", "utf-16", "utf_8"}
_B64 = {
    "b64decode": base64.b64decode, "standard_b64decode": base64.standard_b64decode,
    "urlsafe_b64decode": base64.urlsafe_b64decode, "b32decode": base64.b32decode,
    "b16decode": base64.b16decode, "b85decode": base64.b85decode, "a85decode": base64.a85decode,
    "decodebytes": base64.decodebytes,
}
_BINASCII = {"unhexlify": binascii.unhexlify, "a2b_hex": binascii.a2b_hex, "a2b_base64": binascii.a2b_base64}
_DEDENTS = frozenset(("dedent", "cleandoc"))


def inspect_cleandoc(text: str) -> str:
    import inspect  # (only when a file folds inspect.cleandoc of a constant)
    return inspect.cleandoc(text)


_STR_METHODS0 = {"lower", "upper", "title", "capitalize", "swapcase", "casefold"}
_STRIPS = {"strip", "lstrip", "rstrip"}


def _arguments(node, env, local, depth) -> tuple[list, dict]:
    args_node = node.child_by_field_name("arguments")
    if args_node is None:
        raise NotConstant
    if args_node.type == "generator_expression":
        return [comprehension(args_node, env, local, depth)], {}
    args, kwargs = [], {}
    for child in args_node.named_children:
        if child.type == "comment":
            continue
        if child.type == "keyword_argument":
            kwargs[child.child_by_field_name("name").text.decode()] = _known(
                _ev(child.child_by_field_name("value"), env, local, depth))
        elif child.type in ("list_splat", "dictionary_splat"):  # "{a} {b}".format(**PARTS), f(*ARGS): known
            inner = _known(_ev(child.named_children[0], env, local, depth)) if child.named_children else None
            if child.type == "list_splat" and isinstance(inner, (list, tuple)) and not kwargs:
                args.extend(_known(item) for item in inner)
            elif child.type == "dictionary_splat" and isinstance(inner, dict) and \
                    all(isinstance(k, str) for k in inner):
                kwargs.update((k, _known(v)) for k, v in inner.items())
            else:
                raise NotConstant
        else:
            args.append(_known(_ev(child, env, local, depth)))
    return args, kwargs


def call(node, env, local, depth):
    function = node.child_by_field_name("function")
    if function.type == "identifier":
        name = function.text.decode("utf-8")
        if name in _BUILTINS and (local is None or name not in local) and env.is_builtin(function):
            if name == "map":
                return _map(node, env, local, depth)
            args, kwargs = _arguments(node, env, local, depth)
            return _BUILTINS[name](args, kwargs)
        if name in _DEDENTS and env.name_of(function) in ("textwrap.dedent", "inspect.cleandoc"):
            args, kwargs = _arguments(node, env, local, depth)  # from textwrap import dedent; dedent("""...""")
            return _module_call(env.name_of(function).rsplit(".", 1)[0], name, args, kwargs)
        raise NotConstant
    if function.type != "attribute":
        raise NotConstant
    method = function.child_by_field_name("attribute").text.decode("utf-8")
    target = function.child_by_field_name("object")
    bound_here = target.type == "identifier" and local is not None and target.text.decode("utf-8") in local
    owner = env.name_of(target) if target.type in ("identifier", "attribute") and not bound_here else None
    if owner is not None:
        args, kwargs = _arguments(node, env, local, depth)
        return _module_call(owner, method, args, kwargs)
    value = _known(_ev(target, env, local, depth))
    args, kwargs = _arguments(node, env, local, depth)
    return _method(value, method, args, kwargs)


def _module_call(owner: str, method: str, args: list, kwargs: dict):
    if owner == "base64" and method in _B64 and len(args) == 1 and not kwargs:
        return _B64[method](args[0])
    if owner == "binascii" and method in _BINASCII and len(args) == 1 and not kwargs:
        return _BINASCII[method](args[0])
    if owner == "bytes" and method == "fromhex" and len(args) == 1 and isinstance(args[0], str):
        return bytes.fromhex(args[0])
    if owner == "codecs" and method in ("decode", "encode") and 1 <= len(args) <= 2:
        encoding = args[1] if len(args) == 2 else kwargs.get("encoding", "utf-8")
        if not codec_known(encoding):
            raise NotConstant
        return getattr(codecs, method)(args[0], encoding)
    if owner in ("str", "bytes") and method == "maketrans" and 1 <= len(args) <= 3 and not kwargs:
        # "...".translate(str.maketrans(ALPHABET, ROTATED)): a substitution cipher's table
        if any(len(a) > 4096 for a in args if isinstance(a, (str, bytes))):
            raise NotConstant
        return (str if owner == "str" else bytes).maketrans(*args)
    if owner in ("os.path", "posixpath") and method == "join" and args and not kwargs and \
            all(isinstance(a, str) for a in args) and sum(map(len, args)) <= 4096:
        return posixpath.join(*args)  # os.path.join("~", "." + "aws", "credentials"): one path text
    if (owner, method) in (("textwrap", "dedent"), ("inspect", "cleandoc")) and len(args) == 1 and not kwargs \
            and isinstance(args[0], str):  # a code template written indented in the module: the text it runs
        return textwrap.dedent(args[0]) if owner == "textwrap" else inspect_cleandoc(args[0])
    if owner == "str" and method == "join" and len(args) == 2:
        return _method(args[0], "join", args[1:], {})
    raise NotConstant


def _method(value, method: str, args: list, kwargs: dict):
    if isinstance(value, str) and method == "format":
        if _BIG_WIDTH.search(value) or any(not isinstance(a, _SCALARS) for a in (*args, *kwargs.values())):
            raise NotConstant
        return value.format(*args, **kwargs)
    if not isinstance(value, (str, bytes)):
        raise NotConstant
    if method == "join" and len(args) == 1 and not kwargs:
        items = args[0]
        if isinstance(items, (str, bytes)):
            items = list(items) if isinstance(items, str) else [bytes([b]) for b in items]
        if not isinstance(items, (list, tuple)) or any(type(i) is not type(value) for i in items):
            raise NotConstant
        return value.join(items)
    if method in _STR_METHODS0 and not args and not kwargs:
        return getattr(value, method)()
    if method in _STRIPS and len(args) <= 1 and not kwargs:
        return getattr(value, method)(*args)
    if method == "replace" and 2 <= len(args) <= 3 and not kwargs:
        if len(value) * max(len(args[1]), 1) > MAX_LEN:
            raise NotConstant
        return value.replace(*args)
    if method in ("removeprefix", "removesuffix") and len(args) == 1:
        return getattr(value, method)(args[0])
    if method == "split" and len(args) <= 2 and not kwargs:
        return value.split(*args)
    if method == "decode" and isinstance(value, bytes):
        return value.decode(*_codec_args(args, kwargs))
    if method == "encode" and isinstance(value, str):
        return value.encode(*_codec_args(args, kwargs))
    if method == "hex" and isinstance(value, bytes) and not args:
        return value.hex()
    if method == "translate" and len(args) == 1 and not kwargs and isinstance(args[0], (dict, bytes)):
        return value.translate(args[0])
    raise NotConstant


def codec_known(encoding) -> bool:
    """A codec the interpreter may apply to a constant: the text codecs, rot13 (any spelling), hex, base64."""
    if not isinstance(encoding, str) or len(encoding) > 20:
        return False
    if encoding.lower() in _CODECS:
        return True
    try:
        return codecs.lookup(encoding).name in ("rot-13", "hex", "base64") or text_codec(encoding)
    except LookupError:
        return False


def _codec_args(args: list, kwargs: dict) -> tuple:
    encoding = args[0] if args else kwargs.get("encoding", "utf-8")
    errors = args[1] if len(args) > 1 else kwargs.get("errors", "strict")
    if not isinstance(encoding, str) or not text_codec(encoding) or errors not in ("strict", "ignore"):
        raise NotConstant
    return encoding, errors


# Table codecs: EBCDIC code pages (cp1026, cp037, cp500: BlankOBF writes `exec` as b"\x85\xa7\x85\x83"), the
# UTF family and single-byte pages. Looking a codec up runs only the standard library's own tables.
_CODEC_NAME = re.compile(r"^(?:utf-(?:8|16|32)(?:-[lb]e)?|utf-7|ascii|latin-1|iso8859-\d+|cp\d+|mac-[a-z]+)$")


def text_codec(encoding: str) -> bool:
    if encoding.lower() in _TEXT_CODECS:
        return True
    if len(encoding) > 20:
        return False
    try:
        return _CODEC_NAME.match(codecs.lookup(encoding).name) is not None
    except LookupError:
        return False


def _chr(args, kwargs):
    (code,) = args
    if not _is_int(code) or not 0 <= code < 0x110000:
        raise NotConstant
    return chr(code)


def _str(args, kwargs):
    if len(args) == 1 and not kwargs and isinstance(args[0], (str, int, float, bool, type(None))):
        return str(args[0])
    if isinstance(args[0], bytes) and len(args) >= 2:
        return args[0].decode(*_codec_args(args[1:], kwargs))
    raise NotConstant


def _int(args, kwargs):
    if len(args) == 1 and isinstance(args[0], (int, bool, float)):
        return int(args[0])
    if 1 <= len(args) <= 2 and isinstance(args[0], str) and len(args[0]) < 100:
        return int(*args)
    raise NotConstant


def _bytes(args, kwargs):
    if len(args) == 1 and isinstance(args[0], (list, tuple)) and all(_is_int(a) for a in args[0]):
        return bytes(args[0])
    if len(args) == 1 and isinstance(args[0], bytes):
        return args[0]
    if len(args) >= 2 and isinstance(args[0], str):
        return args[0].encode(*_codec_args(args[1:], kwargs))
    raise NotConstant


def _sequence(kind):
    def build(args, kwargs):
        if len(args) != 1 or kwargs or not isinstance(args[0], (str, bytes, list, tuple)):
            raise NotConstant
        return kind(args[0])
    return build


_BUILTINS = {
    "chr": _chr, "str": _str, "int": _int, "bytes": _bytes, "bytearray": _bytes,
    "bool": lambda a, k: bool(a[0]) if len(a) == 1 and not k else _raise(),
    "ord": lambda a, k: ord(a[0]) if len(a) == 1 and isinstance(a[0], str) else _raise(),
    "len": lambda a, k: len(a[0]) if len(a) == 1 and isinstance(a[0], (str, bytes, list, tuple, dict)) else _raise(),
    "list": _sequence(list), "tuple": _sequence(tuple),
    "reversed": lambda a, k: list(reversed(a[0])) if len(a) == 1 and isinstance(a[0], (str, bytes, list, tuple)) \
    else _raise(),  # bytes(reversed(b"...")): a list of ints that bytes() joins back
    "map": None,
}


def _raise():
    raise NotConstant


def _map(node, env, local, depth):
    args_node = node.child_by_field_name("arguments")
    parts = [c for c in args_node.named_children if c.type != "comment"] if args_node else []
    if len(parts) != 2 or parts[0].type != "identifier" or not env.is_builtin(parts[0]):
        raise NotConstant
    fn = _BUILTINS.get(parts[0].text.decode())
    items = _known(_ev(parts[1], env, local, depth))
    if fn is None or parts[0].text == b"map" or not isinstance(items, (str, bytes, list, tuple)):
        raise NotConstant
    return [fn([item], {}) for item in items]


def comprehension(node, env, local, depth):
    body = node.child_by_field_name("body")
    clauses = [c for c in node.named_children if c.type in ("for_in_clause", "if_clause")]
    if not clauses or clauses[0].type != "for_in_clause" or sum(c.type == "for_in_clause" for c in clauses) != 1:
        raise NotConstant
    left = clauses[0].child_by_field_name("left")
    if left.type != "identifier":
        raise NotConstant
    items = _known(_ev(clauses[0].child_by_field_name("right"), env, local, depth))
    if not isinstance(items, (str, bytes, list, tuple)) or len(items) > MAX_ITEMS:
        raise NotConstant
    name = left.text.decode("utf-8")
    out = []
    for item in items:
        scope = dict(local or {}, **{name: _known(item)})
        if all(_known(_ev(c.named_children[0], env, scope, depth)) for c in clauses[1:]):
            out.append(_known(_ev(body, env, scope, depth)))
    return out


