"""What shell text commands print for constant input (base64/base32/xxd decodes, echo/printf, rev, rot13 tr) and
which curl/wget words log the client in rather than carry data."""
from __future__ import annotations

import base64
import binascii
import codecs
import re

from ...fold_values import as_text, b64, c_unescape
from ..constants import UNKNOWN
from ..facts import NOTHING, Value, merge
from .treeflow import join


def _text(node) -> str:
    return node.text.decode("utf-8", "replace")


def decode_text(name: str, data: bytes | None, args: list[str]):
    """What base64/base32 -d or xxd -r -p print for constant input, as text (None: not known or not text)."""
    if data is None:
        return None
    try:
        if name == "base64":
            out = b64(data)
        elif name == "base32":
            out = base64.b32decode(re.sub(rb"\s+", b"", data))
        elif name == "xxd" and sorted(args) in (["-p", "-r"], ["-ps", "-r"], ["-rp"]):
            out = binascii.unhexlify(re.sub(rb"\s+", b"", data))
        else:
            return None
    except (ValueError, binascii.Error):
        return None
    return as_text(out)


def echoed(name: str, values: list[Value], texts: list[str]) -> Value:
    """What echo/printf print: echo's words joined (-e reads escapes), printf's format filled by %s/%b."""
    if name == "echo":
        flags = ""
        while texts and re.fullmatch(r"-[neE]+", texts[0]):
            flags += texts.pop(0)
            values = values[1:]
        out = join(values)
        if "e" in flags and isinstance(out.const, str):
            out = merge([out], const=_unescaped(out.const))
        return out
    if not values:
        return NOTHING
    fmt, rest = values[0].const, values[1:]
    const = UNKNOWN
    if isinstance(fmt, str) and not rest and "%" not in fmt.replace("%%", ""):
        const = _unescaped(fmt)
    elif fmt in ("%s", "%s\\n", "%b") and rest and all(isinstance(v.const, str) for v in rest):
        const = "".join(v.const for v in rest)
        const = _unescaped(const) if fmt == "%b" else const
    return merge(values, const=const) if any(v.labels for v in values) else (Value(const) if const is not UNKNOWN
                                                                              else NOTHING)


def filtered(name: str, data: str, args: list[str]):
    """`rev` and the rot13 `tr` of constant input."""
    if name == "rev" and not args:
        return "\n".join(line[::-1] for line in data.split("\n"))
    if name == "tr" and args in (["A-Za-z", "N-ZA-Mn-za-m"], ["a-zA-Z", "n-za-mN-ZA-M"]):
        return codecs.encode(data, "rot13")
    return UNKNOWN


def _unescaped(text: str):
    out = as_text(c_unescape(text.encode("utf-8")))
    return out if out is not None else UNKNOWN


# A token in an Authorization-like header or a -u user:password is how a client logs in to the service it calls
# (kept as the `auth` keyword, which is not data sent); the same token in a body, a query or another header is data.
_AUTH_HEADER = re.compile(r"""^["']?(?:proxy-)?authorization\s*:|^["']?(?:x-[\w-]*(?:key|token|auth)[\w-]*|private-token"""
                          r"""|api-?key|[\w-]*-token)\s*:""", re.I)
_CREDENTIAL_FLAGS = {"-u", "--user", "--oauth2-bearer", "--proxy-user", "--password", "--http-password",
                     "--proxy-password"}
_HEADER_FLAGS = {"-H", "--header"}


# options that take no value (a word after them is an operand: the URL); a short cluster is read by its last letter
_NO_VALUE_SHORT = frozenset("sSfLkvqiIOnNgGjlRJ0123469#")
_NO_VALUE_LONG = {"--silent", "--show-error", "--fail", "--fail-with-body", "--location", "--insecure", "--compressed",
                  "--verbose", "--include", "--head", "--get", "--globoff", "--no-progress-meter", "--quiet",
                  "--no-verbose", "--no-check-certificate", "--remote-name", "--http1.1", "--http2", "--url"}


def _whole_variable(node, before) -> bool:
    """`"$URL"`/`${URL}` as a curl/wget operand (not an option's value): the address the client connects to. A
    secret that is the whole address (a webhook URL kept in a CI secret) is how that service is called: the URL is
    its credential, not data sent along with it."""
    if node.type == "string" and node.named_child_count == 1 and len(node.text) == len(node.named_children[0].text) + 2:
        node = node.named_children[0]
    if node.type not in ("simple_expansion", "expansion") or ":" in _text(node) or "/" in _text(node):
        return False
    if before is None or not before.startswith("-"):
        return True
    return before in _NO_VALUE_LONG or not before.startswith("--") and before[-1] in _NO_VALUE_SHORT


def credential_words(args) -> tuple[list, list]:
    """curl/wget arguments split into (data and destination words, the words that log the client in: a
    credential flag's or Authorization-like header's value, and an operand that is one whole variable, the address)."""
    kept, credentials, i = [], [], 0
    while i < len(args):
        text = _text(args[i])
        if _whole_variable(args[i], _text(args[i - 1]) if i else None):
            credentials.append(args[i])
            i += 1
            continue
        flag, _eq, inline = text.partition("=") if text.startswith("--") else (text, "", "")
        if flag in _HEADER_FLAGS | _CREDENTIAL_FLAGS and not inline and i + 1 < len(args):
            value = args[i + 1]
            if flag in _CREDENTIAL_FLAGS or _AUTH_HEADER.match(_text(value)):
                kept.append(args[i])
                credentials.append(value)
                i += 2
                continue
        elif inline and (flag in _CREDENTIAL_FLAGS or (flag == "--header" and _AUTH_HEADER.match(inline))):
            credentials.append(args[i])
            i += 1
            continue
        kept.append(args[i])
        i += 1
    return kept, credentials
