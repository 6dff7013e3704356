"""Which codescan categories count as the right category for a set's own label (CWE, rule name, class).

A label maps to a SET of accepted categories: one weakness can honestly land in more than one of
codescan's 13 categories (command injection is `injection` in a web handler, `code-execution` or
`backdoor` in a planted payload). An empty set means "outside codescan's categories": such items
still count for recall but not for category accuracy.
"""
from __future__ import annotations

import re

EXEC = frozenset({"code-execution", "injection", "backdoor", "obfuscation"})
INJ = frozenset({"injection"})
DESER = frozenset({"insecure-deserialization", "code-execution"})
TRANSPORT = frozenset({"insecure-transport"})
CRYPTO = frozenset({"insecure-crypto"})
SECRET = frozenset({"hardcoded-secret", "backdoor"})
MALWARE = frozenset({"backdoor", "obfuscation", "code-execution", "exfiltration", "install-hook"})
EXFIL = frozenset({"exfiltration"})
UNICODE = frozenset({"hidden-unicode"})
NONE: frozenset[str] = frozenset()

CWE_CATEGORIES: dict[int, frozenset[str]] = {
    22: INJ, 73: INJ, 79: INJ, 80: INJ, 89: INJ, 90: INJ, 91: INJ, 116: INJ, 601: INJ, 611: INJ,
    643: INJ, 918: INJ, 1336: INJ, 489: INJ,
    77: EXEC, 78: EXEC, 94: EXEC, 95: EXEC, 494: EXEC | {"install-hook"}, 829: EXEC | {"install-hook"},
    502: DESER,
    295: TRANSPORT, 297: TRANSPORT, 319: TRANSPORT, 322: TRANSPORT, 345: TRANSPORT, 523: TRANSPORT,
    757: TRANSPORT, 614: TRANSPORT, 1004: TRANSPORT,
    208: CRYPTO, 326: CRYPTO, 327: CRYPTO | TRANSPORT, 328: CRYPTO, 329: CRYPTO, 330: CRYPTO, 338: CRYPTO,
    347: CRYPTO, 759: CRYPTO, 760: CRYPTO, 916: CRYPTO, 1204: CRYPTO,
    259: SECRET, 312: SECRET, 321: SECRET, 798: SECRET,
    200: EXFIL, 522: EXFIL, 526: EXFIL,
    506: MALWARE, 912: MALWARE,
    451: UNICODE, 1007: UNICODE,
}

_CWE_NUMBER = re.compile(r"CWE-?(\d+)", re.IGNORECASE)


def cwe_number(text: str | int | None) -> int | None:
    """The number of 'CWE-79', 'CWE79_xss', 'CWE-79: Improper ...' or 79."""
    if isinstance(text, int):
        return text
    m = _CWE_NUMBER.search(text or "")
    return int(m.group(1)) if m else None


def for_cwe(*labels: str | int | None) -> frozenset[str]:
    """Accepted categories for any of the given CWE labels."""
    out: frozenset[str] = NONE
    for label in labels:
        n = cwe_number(label)
        if n is not None:
            out |= CWE_CATEGORIES.get(n, NONE)
    return out


# OWASP Benchmark (Python) test categories.
OWASP = {"pathtraver": INJ, "sqli": INJ, "xss": INJ, "cmdi": EXEC, "ldapi": INJ, "xpathi": INJ, "xxe": INJ,
         "redirect": INJ, "codeinj": EXEC, "deserialization": DESER, "hash": CRYPTO, "weakrand": CRYPTO,
         "crypto": CRYPTO, "securecookie": TRANSPORT, "trustbound": NONE}

# GuardDog rule names (semgrep and YARA rules alike), matched by the first keyword they contain.
_GUARDDOG_KEYWORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("unicode", UNICODE), ("hidden-code", MALWARE), ("steganography", MALWARE), ("obfuscation", MALWARE),
    ("mangling", MALWARE), ("pyarmor", MALWARE), ("aliasing", MALWARE),
    ("install", frozenset({"install-hook", "code-execution", "backdoor"})),
    ("hooks", frozenset({"install-hook", "code-execution", "backdoor"})),
    ("cmd-overwrite", frozenset({"install-hook", "backdoor"})),
    ("exfiltrat", EXFIL), ("serialize-environment", EXFIL), ("environment-read", EXFIL), ("sysinfo", EXFIL),
    ("system-info", EXFIL), ("network-on-require", EXFIL), ("clipboard", EXFIL), ("screenshot", EXFIL),
    ("keylogging", EXFIL), ("passwd", EXFIL), ("filesystem-read", EXFIL), ("browser", EXFIL),
    ("shady-links", EXFIL | EXEC), ("http-dependency", frozenset({"install-hook", "insecure-transport"})),
    ("download", EXEC), ("exec", EXEC), ("dynamic", EXEC), ("dll-hijacking", EXEC), ("lolbas", EXEC),
    ("cryptomining", MALWARE), ("self-propagation", MALWARE), ("autostart", MALWARE),
    ("code-execution", EXEC),
)


def for_guarddog_rule(rule: str) -> frozenset[str]:
    for keyword, cats in _GUARDDOG_KEYWORDS:
        if keyword in rule:
            return cats | frozenset({"backdoor"})
    return NONE


# Bandit test ids → codescan categories (for Bandit's own findings, so its category accuracy is comparable).
BANDIT: dict[str, str] = {
    "B102": "code-execution", "B307": "code-execution", "B301": "insecure-deserialization",
    "B302": "insecure-deserialization", "B403": "insecure-deserialization", "B506": "insecure-deserialization",
    "B614": "insecure-deserialization", "B615": "insecure-deserialization",
    "B303": "insecure-crypto", "B304": "insecure-crypto", "B305": "insecure-crypto", "B311": "insecure-crypto",
    "B324": "insecure-crypto", "B413": "insecure-crypto", "B505": "insecure-crypto",
    "B321": "insecure-transport", "B312": "insecure-transport", "B323": "insecure-transport",
    "B401": "insecure-transport", "B402": "insecure-transport", "B501": "insecure-transport",
    "B502": "insecure-transport", "B503": "insecure-transport", "B504": "insecure-transport",
    "B507": "insecure-transport", "B104": "insecure-transport", "B509": "insecure-transport",
    "B105": "hardcoded-secret", "B106": "hardcoded-secret", "B107": "hardcoded-secret",
}
# Everything else Bandit reports (subprocess, SQL, templates, XML, temp files, ...) is injection-like.
BANDIT_DEFAULT = "injection"


def bandit_category(test_id: str) -> str:
    return BANDIT.get(test_id, BANDIT_DEFAULT)
