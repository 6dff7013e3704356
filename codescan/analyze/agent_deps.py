"""Dependencies an agent rule file asks for by name: a package that public malware reports list (flatmap-stream,
a typosquat caught stealing tokens) written as a package.json entry or an install command the assistant will copy
into every project it touches."""
from __future__ import annotations

import re

from . import typosquat

# `"flatmap-stream": "0.1.1"` (a dependency entry with a version) and `npm install a b` / `pip install a`
_ENTRY = re.compile(r"\"(@?[\w.-]+(?:/[\w.-]+)?)\"\s*:\s*\"[~^<>=v]*\d")
_INSTALL = re.compile(r"\b(npm|pnpm|yarn|bun|pip3?|uv\s+pip|poetry)\s+(?:install|i|add)\b((?:\s+(?:-{1,2}[\w-]+|"
                      r"@?[\w.-]+(?:/[\w.-]+)?(?:[@=]{1,2}[\w.^~*-]+)?)){1,8})")
MAX_FOUND = 50


def malicious_asks(text: str):
    """(start, end, name, report) for each package named in an entry or an install command that the malware list holds."""
    if "install" not in text and "\":" not in text:
        return
    found = 0
    for m in _ENTRY.finditer(text):
        report = _listed("npm", m.group(1)) or _listed("pypi", m.group(1))
        if report:
            found += 1
            yield m.start(), m.end(), m.group(1), report
        if found >= MAX_FOUND:
            return
    for m in _INSTALL.finditer(text):
        ecosystem = "pypi" if m.group(1).startswith(("pip", "uv", "poetry")) else "npm"
        for word in m.group(2).split():
            if word.startswith("-"):
                continue
            name = _bare(word)
            report = _listed(ecosystem, name)
            if report:
                found += 1
                yield m.start(), m.end(), name, report
        if found >= MAX_FOUND:
            return


def _bare(word: str) -> str:
    """The package name of an install word: `flatmap-stream@0.1.1` / `@scope/x@2` / `x==1.0` without the version."""
    head, rest = ("@", word[1:]) if word.startswith("@") else ("", word)
    return head + re.split(r"[@=<>~]", rest, maxsplit=1)[0]


def _listed(ecosystem: str, name: str) -> str | None:
    return typosquat.malicious().get((ecosystem, typosquat.normalize(ecosystem, name)))
