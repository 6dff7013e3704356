"""Equality tests of secret-like names (`password == "x"`, strcmp, .equals) as operator.eq facts, and the
cheap source-text gate that says whether a file can hold one."""
from __future__ import annotations

import re

from ..facts import Call, merge
from .auth_gates import AUTH_NAME as _AUTH_SCOPE
from .flowvalues import labelled

EQUALS = frozenset((b"==", b"!=", b"===", b"!==", b"eq", b"ne"))
EQ_METHODS = frozenset(("equals", "equalsIgnoreCase", "contentEquals", "Equals", "strcmp", "strcasecmp", "strncmp",
                        "hash_equals", "secure_compare", "compare_digest", "eql?", "equal?", "ConstantTimeCompare"))
_SECRET_WORDS = (r"(?:get_?)?(?:pass|passwd|password|passphrase|pwd|pw|passcode|pin|pincode|secret|credentials?|creds?"
                 r"|secret_?key|api_?key|(?:auth|access|api|admin|master|private|secret)_?token|master_?key"
                 r"|admin_?key|admin_?pass\w*|magic|backdoor)")
SECRET_NAMES = re.compile(r"(?i)(?:^|[._$@>-])" + _SECRET_WORDS + r"(?:\(\))?$")
# In the source text, such a name is one of those words followed by no name character: a superset of what
# SECRET_NAMES accepts on a comparison side, so a file without it cannot hold a magic-value comparison.
_SECRET_IN_SOURCE = re.compile((r"(?i)" + _SECRET_WORDS + r"(?![\w$])").encode())
_COMPARE_IN_SOURCE = re.compile(rb"(?i)==|!=|equals|strn?case|strn?cmp|compare|eql\?|equal\?|\b(?:eq|ne)\b")


def compare_possible(source: bytes) -> bool:
    """Whether an equality test of a secret-like name could occur in `source`: the layer runs for it."""
    return _SECRET_IN_SOURCE.search(source) is not None and _COMPARE_IN_SOURCE.search(source) is not None


def comparison_sides(node):
    """(left, right) of an equality test node, else None."""
    op = node.child_by_field_name("operator")
    ops = [op.text] if op is not None else [c.text for c in node.children if not c.is_named]
    named = [c for c in node.named_children if "comment" not in c.type]
    if len(named) != 2 or not ops or ops[0] not in EQUALS:
        return None
    return named[0], named[1]


# a digest or encoding of the secret (`md5($pass)`, `sha1($pw)`, `hash('sha256', $password)`,
# `DigestUtils.sha256Hex(password)`, `Digest::MD5.hexdigest(pass)`, `base64_encode($key)`): compared with a
# constant, the constant is the secret in disguise
_DIGEST_CALL = re.compile(r"(?is)^[\w$.:\\>-]*?(?:md5|sha\d*|hash|crypt|digest|hex|base64|b64|rot13|strrev)"
                          r"[\w$.:\\>-]*\s*\((.{1,120})\)(?:\.\w+\(\))*$")


_HEX_DIGEST = re.compile(r"^[\"'`](?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|"
                         r"[0-9a-fA-F]{128})[\"'`]$")


# accessors that give the same text in another form (`pw.c_str()`, `password.trim()`, `key.to_s`): the name is the owner's
_SAME_TEXT = re.compile(r"(?:\s*(?:\.|->)\s*(?:c_str|data|str|toString|ToString|trim|Trim|strip|to_s|to_str|as_str|"
                        r"as_bytes|getBytes|toByteArray|encode)\s*(?:\(\s*\))?)+$")


# conversions that keep the text (`[]byte(pass)` for subtle.ConstantTimeCompare, `String(pw)`, `(char *)pw`):
# the name is the converted one's
_CONVERSION = re.compile(r"^(?:\[\]byte|\[\]rune|string|String|str|bytes|\(\s*(?:const\s+)?(?:unsigned\s+)?char\s*\*\s*\))"
                         r"\s*\(?\s*([\w$.>-]+(?:\s*\(\s*\))?)\s*\)?$")


def _named(side) -> bool:
    text = _SAME_TEXT.sub("", side.text[-200:].decode("utf-8", "replace").strip())
    converted = _CONVERSION.match(text)
    if converted is not None:
        text = _SAME_TEXT.sub("", converted.group(1))
    if SECRET_NAMES.search(text[-64:]) is not None:
        return True
    found = _DIGEST_CALL.match(text)
    return found is not None and any(SECRET_NAMES.search(arg.strip()) is not None
                                     for arg in found.group(1).split(","))


def comparison_fact(flow, node, scope, left, right) -> Call | None:
    """`a == b`, `a.equals(b)`, strcmp(a, b) as the fact operator.eq(a, b) when a side is read from a name
    like `password`, `apiKey` or `adminToken`, or is a digest of one (`md5($pass)`); that side carries the label
    `credential-name`. Else None."""
    named = [_named(side) for side in (left, right)]
    if not any(named) and _AUTH_SCOPE.search((getattr(scope, "name", None) or "").encode()):
        # in a function named like an authentication check: a digest of anything compared with a digest-sized
        # hex constant (`hex.EncodeToString(sum[:]) == "9f86d0..."`)
        named = [_DIGEST_CALL.match(side.text[-200:].decode("utf-8", "replace").strip()) is not None and
                 _HEX_DIGEST.match(other.text.decode("utf-8", "replace")) is not None
                 for side, other in ((left, right), (right, left))]
    if not any(named):
        return None
    values = []
    for side, secret in zip((left, right), named):
        value = flow.value(side)
        if secret:
            value = merge([value, labelled(("credential-name",), side.start_point[0] + 1,
                                           side.text[:40].decode("utf-8", "replace"))], const=value.const)
        values.append(value)
    return Call(callee="operator.eq", args=tuple(values), line=node.start_point[0] + 1,
                end_line=node.end_point[0] + 1, column=node.start_point[1] + 1, scope=scope.id)
