"""Canonical qualified names: module aliases folded together, builtins prefixed, patterns matched."""
from __future__ import annotations

import re

from .pure_memo import PureMemo

# Modules that are another module under an old or private name.
MODULE_ALIASES = {
    "__builtin__": "builtins", "__builtins__": "builtins", "cPickle": "pickle", "_pickle": "pickle",
    "urllib2": "urllib.request", "posix": "os", "nt": "os", "commands": "subprocess",
    "pd": "pandas", "np": "numpy",
}
# Names that mean the builtins module in Python code.
BUILTIN_MODULES = frozenset({"builtins", "__builtins__", "__builtin__"})
PY_BUILTINS = frozenset("""
abs all any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex delattr dict
dir divmod enumerate eval exec execfile filter float format frozenset getattr globals hasattr hash help hex id
input int isinstance issubclass iter len list locals map max memoryview min next object oct open ord pow
print property range repr reversed round set setattr slice sorted staticmethod str sum super tuple type vars
zip __import__ reload file unicode basestring raw_input
""".split())


# Standard-library modules that hold another module as an attribute (`shutil.os`, `subprocess.builtins`,
# `tempfile._os`): `reduce(getattr, ["os", "system"], shutil)` and `getattr(glob, "os").popen` are os's functions.
_HELD_MODULES = {
    "os": """asyncore bdb bz2 cgi cgitb compileall configparser contextlib dbm doctest ensurepip filecmp fileinput
        fnmatch genericpath getopt getpass gettext glob gzip imp inspect linecache logging lzma mailbox mailcap
        mimetypes modulefinder netrc ntpath optparse pathlib pdb pipes pkgutil platform plistlib posixpath pstats pty
        py_compile pydoc runpy shlex shutil site smtpd socket socketserver ssl subprocess sysconfig tabnanny tarfile
        trace tracemalloc uu uuid venv webbrowser zipapp zipfile""",
    "_os": "argparse ctypes curses random tempfile threading",
    "subprocess": "ensurepip imaplib venv webbrowser",
    "builtins": "aifc codecs dataclasses gzip inspect lzma pydoc reprlib rlcompleter site subprocess wave",
}
HELD_MODULES = {(holder, attr): attr.lstrip("_") for attr, holders in _HELD_MODULES.items()
                for holder in holders.split()}

# Framework objects that are one concept whatever module they come from.
OBJECT_ALIASES = {"flask.request": "request", "flask.globals.request": "request", "bottle.request": "request",
                  "quart.request": "request", "sanic.request": "request", "werkzeug.local.request": "request",
                  # the C library loaded through ctypes: its functions are the C adapter's libc.* (system, popen)
                  "ctypes.CDLL()": "libc", "ctypes.cdll.LoadLibrary()": "libc", "ctypes.PyDLL()": "libc",
                  "ctypes.cdll.msvcrt": "libc"}


def canonical(dotted: str | None) -> str | None:
    """`__builtins__.eval` -> `builtins.eval`, `eval` -> `builtins.eval`, `cPickle.loads` -> `pickle.loads`."""
    if not dotted:
        return dotted
    return _CANONICAL(dotted)


def _canonical(dotted: str) -> str:
    for prefix, alias in OBJECT_ALIASES.items():
        if dotted.startswith(prefix) and (len(dotted) == len(prefix) or dotted[len(prefix)] in ".("):
            return alias + dotted[len(prefix):]
    head, dot, rest = dotted.partition(".")
    if head in MODULE_ALIASES:
        head = MODULE_ALIASES[head]
    elif not dot and head in PY_BUILTINS:
        return "builtins." + head
    if dot:
        attr, dot, tail = rest.partition(".")
        held = HELD_MODULES.get((head, attr))
        if held is not None:  # shutil.os.system is os.system
            return held + dot + tail
        return head + "." + attr + dot + tail
    return head


_CANONICAL = PureMemo(_canonical)


def pattern_regex(patterns) -> re.Pattern:
    """One regex for callee patterns: `*` stands for one name part (no dot), `**` for anything."""
    parts = []
    for pattern in patterns:
        lead = ""
        if pattern.startswith("**."):  # any owner, or none: `**.recv` matches `recv` and `a.b().recv`
            lead, pattern = r"(?:.*\.)?", pattern[3:]
        text = lead + re.escape(pattern).replace(r"\*\*", "\0").replace(r"\*", r"[^.]*").replace("\0", ".*")
        parts.append(text)
    return re.compile("(?:" + "|".join(parts) + r")\Z")


def last_parts(patterns) -> set[str]:
    """The final name part of each pattern (`os.exec*` -> `exec*`): what must appear near a call site."""
    out = set()
    for pattern in patterns:
        last = _LAST.get(pattern)
        if last is None:
            parts = [p.rstrip("()") for p in pattern.split(".")]
            while len(parts) > 1 and not parts[-1].strip("*"):
                parts.pop()  # `subprocess.*`: the module's name is what must appear
            last = _LAST[pattern] = parts[-1]
        out.add(last)
    return out


_LAST: dict[str, str] = {}  # pattern -> its last part (rule subsets share their patterns; rules are few thousand)


# Node's sub-path modules under the names the rules use (`import { chmod } from "node:fs/promises"` is fs.promises.chmod)
JS_MODULE_ALIASES = {"fs/promises": "fs.promises", "stream/promises": "stream.promises", "dns/promises": "dns.promises",
                     "timers/promises": "timers.promises", "readline/promises": "readline.promises"}


def js_module(text: str) -> str:
    """A required or imported module's name: `node:` dropped, sub-path modules dotted."""
    text = text[5:] if text.startswith("node:") else text
    return JS_MODULE_ALIASES.get(text, text)

