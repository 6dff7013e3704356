"""Hash objects made with a broken algorithm (MessageDigest.getInstance("MD5"), SHA1.Create(), md5.New()): their value
carries the label `weak-hash`, so a rule can ask what is fed to them (`md.digest(password.toByteArray())`)."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import Value
from .flowvalues import labelled

WEAK_NAME = re.compile(r"(?i)^(?:md[245]|sha-?1|sha|sha-?0)$")
# factories whose first argument names the algorithm
_BY_NAME = frozenset(("java.security.MessageDigest.getInstance", "System.Security.Cryptography.HashAlgorithm.Create",
                      "System.Security.Cryptography.CryptoConfig.CreateFromName"))
# classes (C#) and packages (Go) that are a weak algorithm whatever they are given
_WEAK_CLASS = re.compile(r"(?:^|\.)(?:MD5|SHA1|MD5CryptoServiceProvider|SHA1CryptoServiceProvider|SHA1Managed|MD5Cng|"
                         r"SHA1Cng)(?:\.Create)?$|^crypto/(?:md5|sha1)\.New$")


def weak_digest(callee: str | None, args: list, line: int) -> Value | None:
    """The value of a call that makes a hash object of MD5/SHA-1, labelled `weak-hash`; else None."""
    if not callee:
        return None
    if callee in _BY_NAME:
        name = args[0].const if args else None
        if not (isinstance(name, str) and WEAK_NAME.match(name)):
            return None
        made = f"{callee}(\"{name}\")"
    elif _WEAK_CLASS.search(callee) and callee.startswith(("System.Security.Cryptography.", "crypto/")):
        made = f"{callee}()"
    else:
        return None
    out = labelled(("weak-hash",), line, f"{made} makes an MD5/SHA-1 hash")
    return Value(UNKNOWN, out.labels, f"{callee}()", None, out.trace)
