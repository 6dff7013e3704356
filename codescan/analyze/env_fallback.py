"""Hard-coded secrets given as the fallback of an environment read (`os.getenv("K") or "sk_live_..."`)."""
from __future__ import annotations

import re

from .lead_search import finditer as anchored_finditer  # its forms are tried only where an anchor occurs
from .secrets import TOKENS, _low_variety
from .textview import is_placeholder, shannon_entropy

RULE = "secret-env-fallback"
_KEY = r"""(?:"[^"\\\n]{1,128}"|'[^'\\\n]{1,128}'|`[^`\\\n]{1,128}`)"""
_LIT = r"""(?:"(?P<a>[^"\\\n]{1,256})"|'(?P<b>[^'\\\n]{1,256})'|`(?P<c>[^`\\\n]{1,256})`)"""
_OR = r"\s*(?:\|\||\?\?|\?:|\bor\b)\s*"
# Each form: an environment read whose fallback literal is the group a, b, c (quoted) or d (bare shell word).
FORMS = tuple(re.compile(p) for p in (
    # Python os.environ.get / os.getenv with a default; Ruby ENV.fetch; Java getenv().getOrDefault
    r"(?:\benviron\.get|\bos\.getenv|\bENV\.fetch|\bgetenv\(\s*\)\s*\.getOrDefault)\(\s*" + _KEY + r"\s*,\s*" + _LIT,
    # a read followed by or / || / ?? / ?: (Python, JS, PHP, Ruby, Kotlin, C#)
    r"(?:\bos\.getenv\(\s*" + _KEY + r"\s*\)|\benviron\.get\(\s*" + _KEY + r"\s*\)|\benviron\[\s*" + _KEY + r"\s*\]"
    r"|\bprocess\.env(?:\.[A-Za-z_$][\w$]*|\[\s*" + _KEY + r"\s*\])|\bgetenv\(\s*" + _KEY + r"\s*\)"
    r"|\$_(?:ENV|SERVER)\[\s*" + _KEY + r"\s*\]|\bENV\[\s*" + _KEY + r"\s*\]"
    r"|\bGetEnvironmentVariable\(\s*" + _KEY + r"\s*\))" + _OR + _LIT,
    # Go: v := os.Getenv("K") ... if v == "" { v = "..." }
    r"\b(?P<v>[A-Za-z_]\w*)\s*:?=\s*os\.Getenv\(\s*" + _KEY + r"\s*\)[^\n]*\n(?:[^\n]*\n){0,3}?"
    r"\s*if\s+(?P=v)\s*==\s*\"\"\s*\{\s*(?P=v)\s*=\s*" + _LIT,
    # shell ${NAME:-value} / ${NAME-value} / ${NAME:=value}
    r"\$\{[A-Za-z_]\w*:?[-=](?:" + _LIT + r"|(?P<d>[^}\s\"'$`]{1,256}))\}",
))
_NEEDLES = ("getenv", "Getenv", "environ", "ENV", "process.env", "GetEnvironmentVariable", "${")
# Per form, literals one of which every match starts with (None: the Go form starts at a variable name;
# it runs only where its literal occurs): the regexes are tried at those offsets only. Scanning the
# whole file with each form cost 10x the rest of this detector on the stdlib.
_ANCHORS = (("environ.get", "os.getenv", "ENV.fetch", "getenv"),
            ("os.getenv", "environ", "process.env", "getenv", "$_", "ENV[", "GetEnvironmentVariable"),
            None,
            ("${",))
_GATES = (None, None, "os.Getenv", None)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_URL_CREDENTIALS = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s:]+:(?P<p>[^/@\s]{6,})@", re.I)
_HOST_OR_PATH = re.compile(r"^(?:[\w-]+\.)+[a-z]{2,}(?::\d+)?$|^[\w.-]*:\d+$|^[~./\\]|^\d[\d.:]*$", re.I)


def judge(value: str) -> tuple[str, str] | None:
    """(severity, why) when `value` looks like a real credential, else None."""
    for name, _needles, pattern, _severity in TOKENS:
        found = pattern.search(value)
        if found and not is_placeholder(found.group()) and not _low_variety(found.group()):
            return "high", name
    cred = _URL_CREDENTIALS.match(value)
    if cred:
        secret = cred.group("p")
        return ("medium", "password in a connection URL") if _random_looking(secret, 8) else None
    if _URL.match(value) or _HOST_OR_PATH.search(value):
        return None
    return ("medium", "high-entropy literal") if _random_looking(value, 16) else None


def _random_looking(value: str, shortest: int) -> bool:
    if len(value) < shortest or any(c.isspace() for c in value) or is_placeholder(value):
        return False
    if not re.search(r"[A-Za-z]", value) or not re.search(r"\d", value):
        return False
    return shannon_entropy(value) >= (3.5 if len(value) >= 20 else 3.2)


def detect(ctx, view) -> None:
    """Report environment reads that fall back to a literal that looks like a live credential."""
    if not ctx.wants(RULE) or not view.code or not view.has_any(_NEEDLES):
        return
    text = view.text
    seen: set[int] = set()
    for form, anchors, gate in zip(FORMS, _ANCHORS, _GATES):
        if gate is not None and gate not in text:
            continue
        for m in (form.finditer(text) if anchors is None else anchored_finditer(form, text, anchors)):
            group = next(g for g in ("a", "b", "c", "d") if g in form.groupindex and m.group(g) is not None)
            start = m.start(group)
            if start in seen:
                continue
            verdict = judge(m.group(group))
            if verdict is None:
                continue
            seen.add(start)
            severity, why = verdict
            view.emit(RULE, start, m.end(group), severity=severity,
                      message=f"an environment read falls back to a hard-coded secret ({why}): the code works "
                              "without the variable set, so the secret ships with it")
