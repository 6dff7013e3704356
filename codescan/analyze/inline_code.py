"""Code handed to an interpreter on a shell command line (`python3 -c CODE`, `node -e CODE`, `ruby -e`, `php -r`,
`python3 - <<EOF ... EOF`), found in a shell script's tree, as (row, column, language, label, code) to analyze."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import tree_sitter as ts

from . import budget as budgets
from . import languages
from .semantics.lang.shell_wrappers import past_wrappers

MAX_CODES = 100  # inline programs of one script analyzed
MAX_CODE = 64 * 1024

# interpreter (basename, version suffixes allowed) -> (language, flags whose next argument is the program)
_INTERPRETERS = (
    (re.compile(r"(?:python|pypy)[0-9.]*[mw]?"), "python", ("-c",)),
    (re.compile(r"node(?:js)?|bun"), "javascript", ("-e", "-p", "--eval", "--print")),
    (re.compile(r"deno"), "javascript", ("eval",)),
    (re.compile(r"ruby[0-9.]*|jruby"), "ruby", ("-e",)),
    (re.compile(r"php[0-9.]*"), "php", ("-r",)),
)
# interpreter options whose value is the next word (python -W ignore, -X dev; node -r mod; ruby -I dir, -r lib)
_TAKES_VALUE = frozenset({"-W", "-X", "-r", "--require", "--import", "-I", "--loader", "--experimental-loader",
                          "--env-file"})
_DOUBLE_QUOTED_ESCAPE = re.compile(r"\\([\\\"$`\n])")


@dataclass(frozen=True, slots=True)
class InlineCode:
    row: int  # 0-based row of the program's first line in the script
    column: int  # 0-based column (characters) where the program starts on that row
    language: str
    label: str  # e.g. "python3 -c", "node -e", "python3 heredoc"
    code: bytes


@lru_cache(maxsize=None)
def _query() -> ts.Query:
    return ts.Query(languages.grammar("shell"), "(command) @c")


def find(source: bytes, tree) -> Iterator[InlineCode]:
    """Each program a command of the script gives an interpreter inline, in source order."""
    if tree is None or not _mentions_interpreter(source):
        return
    cursor = ts.QueryCursor(_query())
    found = 0
    for node in sorted(cursor.captures(tree.root_node).get("c", ()), key=lambda n: n.start_byte):
        budgets.check()
        inline = _inline(source, node)
        if inline is None:
            continue
        yield inline
        found += 1
        if found >= MAX_CODES:
            return


_MENTION = re.compile(rb"\b(?:python|pypy|node|nodejs|bun|deno|ruby|jruby|php)[0-9.]*[mw]?\b")


def _mentions_interpreter(source: bytes) -> bool:
    return _MENTION.search(source) is not None


def _inline(source: bytes, command) -> InlineCode | None:
    words = [c for c in command.named_children if c.type not in ("variable_assignment", "file_redirect",
                                                                   "herestring_redirect")]
    if words and words[0].type == "command_name":
        words[0] = words[0].named_children[0] if words[0].named_child_count else words[0]
    texts = [_text(source, w) for w in words]
    program = past_wrappers(range(len(words)), lambda k: texts[k])  # sudo -u app nohup env X=1 python3 -c ...
    if not program:
        return None
    i = program[0]
    name = texts[i].rsplit("/", 1)[-1]
    for pattern, language, flags in _INTERPRETERS:
        if pattern.fullmatch(name):
            break
    else:
        return None
    rest = texts[i + 1:]
    for j, word in enumerate(rest):
        if not _is_flag(word, flags):
            # options come before the program; past a script's name (`python tool.py -c cfg`) they are its own
            if word.startswith("-") or (j and rest[j - 1] in _TAKES_VALUE):
                continue
            break
        if j + 1 < len(rest):
            node = words[i + 2 + j]
            code = _unquoted(source, node)
            if code is None:
                return None
            start = node.start_byte + (1 if node.type in ("string", "raw_string") else 0)
            return _make(source, node.start_point[0], start, language, f"{name} {word}", code)
    # `python3 - <<EOF` / `python3 <<EOF`: the program is the here-document (no script file named)
    if all(w.startswith("-") for w in rest):
        parent = command.parent
        if parent is not None and parent.type == "pipeline" and parent.named_children[-1] == command:
            parent = parent.parent  # `cat x | python3 - <<EOF`: the here-document is the pipeline's last command's
        if parent is not None and parent.type == "redirected_statement":
            for child in parent.named_children:
                if child.type == "heredoc_redirect":
                    for body in child.named_children:
                        if body.type == "heredoc_body":
                            code = source[body.start_byte:body.end_byte]
                            return _make(source, body.start_point[0], body.start_byte, language,
                                         f"{name} here-document", code)
    return None


def _is_flag(word: str, flags: tuple[str, ...]) -> bool:
    """`-c`, or short options joined before it (`python3 -Ic`, `-uc`)."""
    if word in flags:
        return True
    return flags[0] == "-c" and len(word) > 2 and word[0] == "-" and word[1:].isalpha() and word.endswith("c")


def _make(source: bytes, row: int, start: int, language: str, label: str, code: str | bytes) -> InlineCode | None:
    data = code.encode("utf-8", "surrogatepass") if isinstance(code, str) else code
    if not data.strip() or len(data) > MAX_CODE:
        return None
    if language == "php" and not data.lstrip().startswith(b"<?"):
        data = b"<?php " + data  # `php -r` takes the code without the opening tag; the line stays the same
    line_start = source.rfind(b"\n", 0, start) + 1
    column = len(source[line_start:start].decode("utf-8", "replace"))
    return InlineCode(row, column, language, label, data)


def _text(source: bytes, node) -> str:
    if node.type in ("string", "raw_string", "concatenation"):
        value = _unquoted(source, node)
        if value is not None:
            return value
    return source[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _unquoted(source: bytes, node) -> str | None:
    """The word's value as the shell passes it: quotes removed, double-quote escapes resolved; expansions
    (`$VAR`, `$(...)`) stay as written. None for a word built some other way."""
    raw = source[node.start_byte:node.end_byte].decode("utf-8", "replace")
    if node.type == "raw_string":
        return raw[1:-1] if len(raw) >= 2 else None
    if node.type == "string":
        return _DOUBLE_QUOTED_ESCAPE.sub(lambda m: "" if m.group(1) == "\n" else m.group(1), raw[1:-1])
    if node.type == "word":
        return re.sub(r"\\(.)", r"\1", raw)
    if node.type == "concatenation":
        parts = [_unquoted(source, part) for part in node.named_children]
        return None if any(p is None for p in parts) else "".join(parts)
    return None
