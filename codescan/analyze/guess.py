"""Which language a fence info string names, or a code snippet looks like when nothing names it."""
from __future__ import annotations

import re

from . import languages

ALIASES = {
    "py": "python", "python3": "python", "py3": "python", "python2": "python", "ipython": "python",
    "pycon": "python", "sage": "python",
    "js": "javascript", "node": "javascript", "nodejs": "javascript", "jsx": "javascript", "mjs": "javascript",
    "cjs": "javascript", "ecmascript": "javascript",
    "ts": "typescript", "mts": "typescript",
    "sh": "shell", "bash": "shell", "zsh": "shell", "ksh": "shell", "console": "shell", "shell-session": "shell",
    "shellsession": "shell", "terminal": "shell", "posix": "shell",
    "golang": "go", "kt": "kotlin", "kts": "kotlin",
    "c++": "cpp", "cc": "cpp", "cxx": "cpp", "hpp": "cpp", "h": "c",
    "cs": "csharp", "c#": "csharp", "dotnet": "csharp",
    "rb": "ruby", "rs": "rust", "docker": "dockerfile", "containerfile": "dockerfile",
    "md": "markdown", "text": "markdown", "txt": "markdown", "plaintext": "markdown", "plain": "markdown",
    "yml": "yaml", "jsonc": "json", "json5": "json",
}
_INFO = re.compile(r"[{.\s]*([\w#+-]+)")

# Each language's tell-tale lines; the language whose marks match most lines wins.
_MARKS = {
    "python": re.compile(r"^[ \t]*(def \w+\(|class \w++.*:\s*$|import \w|from [\w.]+ import |elif |print\(|"
                         r"if __name__ ==|@\w+|with .+ as \w+:|except\b.*:\s*$|return\b)", re.M),
    "javascript": re.compile(r"(^[ \t]*(const|let|var) \w+\s*=|function\s*+\w*\s*\(|=>|require\(['\"]|"
                             r"console\.log\(|module\.exports|^[ \t]*import .* from ['\"]|;\s*$)", re.M),
    "shell": re.compile(r"^[ \t]*(\$ )?(sudo |curl |wget |echo |apt(-get)? |pip3? install|npm |cd |export \w+=|"
                        r"chmod |rm -|mkdir |git |source |if \[|fi$|done$)|\|\s*(ba)?sh\b", re.M),
    "go": re.compile(r"^[ \t]*(package \w+$|func (\(\w+ \*?\w+\) )?\w+\(|import \(|\w+ := )", re.M),
    "java": re.compile(r"^[ \t]*(public |private |protected )?(static )?(class|interface|void) \w+|System\.out\.",
                       re.M),
    "c": re.compile(r"^[ \t]*(#include\s*[<\"]|int main\(|printf\(|malloc\()", re.M),
    "php": re.compile(r"(<\?php|\$\w+\s*=|echo \$)", re.M),
    "ruby": re.compile(r"^[ \t]*(require ['\"]|puts |def \w+[^:(]*$|end$|\w+\.each do)", re.M),
    "rust": re.compile(r"^[ \t]*(fn \w+\(|let mut |use \w+::|impl |pub fn |println!\()", re.M),
}


def from_info(info: str) -> str | None:
    """The language a fence's info string names (```python, ```{.js}, ```c++ title=x), else None."""
    match = _INFO.match(info.strip().lower())
    if not match:
        return None
    word = match.group(1)
    name = ALIASES.get(word, word)
    if name in languages.BY_NAME:
        return name
    return languages.detect(f"x.{word}") if word else None


def normalize(name: str | None) -> str | None:
    """A dataset's language label (The Stack's "Python", "C++", "Shell") as a codescan language name."""
    if not name or not isinstance(name, str):
        return None
    word = name.strip().lower()
    word = ALIASES.get(word, word)
    return word if word in languages.BY_NAME else None


def guess(text: str) -> str | None:
    """The language a snippet looks like: a shebang, else the language with most tell-tale lines (None if none)."""
    head = text.lstrip()[:200].encode("utf-8", "replace")
    if head.startswith(b"#!"):
        lang = languages.detect("", head)
        if lang:
            return lang
    best, score = _best(text[:20000])
    return best if score else None


def guess_file(text: str) -> str | None:
    """The language a whole file with no name to go by looks like: as guess(), but the tell-tale lines must be a
    share of the lines (prose that quotes `pip install` twice in 400 lines, a package's METADATA, is not shell)."""
    head = text.lstrip()[:200].encode("utf-8", "replace")
    if head.startswith(b"#!"):
        return guess(text)
    sample = text[:20000]
    best, score = _best(sample)
    lines = sum(1 for line in sample.splitlines() if line.strip())
    return best if score and (lines <= _FEW_LINES or score * _SHARE >= lines) else None


_FEW_LINES = 20  # a short file is judged by any tell-tale line, as a snippet is
_SHARE = 20  # else at least one line in twenty must be a tell-tale line


def _best(sample: str) -> tuple[str, int]:
    scores = {lang: len(pattern.findall(sample)) for lang, pattern in _MARKS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best, scores[best]
