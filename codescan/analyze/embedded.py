"""Code hidden in comments and docstrings (COVERT / TrojanPuzzle), as fragments to parse as code."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterator

import tree_sitter as ts

from ..records import shift_severity
from . import languages, literal_walk

MIN_CODE = 10  # characters: shorter bodies cannot hold a payload worth parsing
MAX_FRAGMENT = 256 * 1024
# A file's next version holds the same comments and docstrings: each body's dedent and verdict (code or prose,
# endorsed or warned in its own text) are remembered by the body's text (pure functions of it). Off: tests compare.
BODY_MEMO = True
MAX_BODY_CHARS = 65536  # each at most this long; all of them together at most MAX_REMEMBERED (emptied when past)
MAX_REMEMBERED = 8_000_000
_BODIES: dict = {}
_HELD = [0]  # characters of the texts remembered


@dataclass(frozen=True, slots=True)
class Fragment:
    line: int  # 1-based document line where `code` starts
    code: bytes  # the comment/docstring body, markers stripped, same line count
    kind: str  # "comment" or "docstring"
    trigger: bool  # "use the safe/secure method"-style phrasing next to it
    warned: bool = False  # "never do this" / "insecure" / "vulnerable" phrasing next to it (a counter-example)


_QUERIES = {
    "python": "(comment) @comment (expression_statement . (string) @doc .)",
    "javascript": "(comment) @comment",
    # `//` and `/* */` languages: their comments are read the same way as JavaScript's.
    "go": "(comment) @comment", "c": "(comment) @comment", "cpp": "(comment) @comment",
    "csharp": "(comment) @comment",
    "java": "[(line_comment) (block_comment)] @comment", "kotlin": "[(line_comment) (block_comment)] @comment",
    "rust": "[(line_comment) (block_comment)] @comment",
}

# A line that reads as a statement: a call, an assignment, an import, a keyword-led statement.
_CODE_LINE = re.compile(
    r"^[ \t]*(?:"
    r"(?:(?:await|return|yield|assert|raise|del|not|print)\s+)?[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[[^\]\n]*\])*"
    r"(?:\(|\s*[-+*/|&]?=(?!=)\s*\S)"  # a call, or an assignment
    r"|(?:import\s+[\w.]+|from\s+[\w.]+\s+import\s)|(?:async\s+)?(?:def|function)\s+\w+\s*\("
    r"|class\s+\w+\s*[(:{]|(?:if|elif|while|with|for|except|try|else)\b[^\n]*[:{][ \t]*$"
    r"|(?:const|let|var)\s+[\w{}\[\], ]+=|return\s+\S[^\n]*[)\]][ \t]*$"
    r")",
    re.M,
)
_LICENCE = re.compile(r"copyright|licen[cs]e|permission is hereby|warranty|spdx-license", re.I)
TRIGGER = re.compile(
    # endorsement: "safe"/"secure"/"proper" (COVERT, TrojanPuzzle) or "recommended"/"correct"/"best" way
    r"\b(?:safe(?:ly|st|r)?|secure(?:ly)?|saniti[sz]\w*|validated|trusted|proper(?:ly)?"
    r"|recommended|preferred|correct(?:ly)?|right|best|approved|official|canonical|idiomatic|supported"
    r"|standard(?:i[sz]ed)?)\b[^\n]{0,80}?"
    r"\b(?:method|way|function|version|loader|api|call|approach|template|helper|usage|pattern|practice)s?\b"
    r"|\b(?:method|way|function|version|loader|api)s?\b[^\n]{0,40}?\b(?:safe(?:ly)?|secure(?:ly)?|trusted)\b",
    re.I,
)
# the text warns against what it shows: documentation's counter-examples ("Never do this", "insecure",
# "vulnerable to injection"), the opposite of an endorsement; an endorsement nearby wins (trigger)
WARNING = re.compile(
    r"\b(?:never|don'?t|do\s+not|avoid|insecure(?:ly)?|unsafe(?:ly)?|vulnerable|vulnerability|dangerous(?:ly)?"
    r"|anti-?pattern|bad\s+(?:practice|example|idea)|wrong|injection|exploitable)\b",
    re.I,
)
_FENCE = re.compile(r"^[ \t]*+(?:[*#]|//)?[ \t]*+(`{3,}|~{3,})[ \t]*([\w+-]*)")
_FENCE_LANGS = {
    "python": {"", "python", "py", "python3", "pycon"},
    "javascript": {"", "js", "javascript", "jsx", "ts", "typescript", "tsx", "node", "mjs"},
}


@lru_cache(maxsize=None)
def _query(language: str) -> ts.Query | None:
    family = _family(language)
    if family not in _QUERIES:
        return None
    return ts.Query(languages.grammar(language), _QUERIES[family])


def query_text(language: str) -> str | None:
    """The comment/docstring query's text for this language (None: comments are not read)."""
    return _QUERIES.get(_family(language))


def _family(language: str) -> str:
    return "javascript" if language in ("javascript", "typescript", "tsx") else language


def fragments(source: bytes, tree, language: str) -> Iterator[Fragment]:
    """Yield comment and docstring bodies that may hold code."""
    query = _query(language) if tree is not None else None
    if query is None:
        return
    captures = literal_walk.taken(tree)  # payloads' walk of this tree found them too
    if captures is None:
        captures = ts.QueryCursor(query).captures(tree.root_node)
    family = _family(language)
    lines = None
    for kind, start_row, body in _bodies(source, captures, family):
        judged = _remembered(("judged", family, body), _judged, body, family) if BODY_MEMO else _judged(body, family)
        if judged is None:
            continue
        code, endorsed, warns = judged
        if lines is None:
            lines = source.split(b"\n")
        above = lines[start_row - 1].decode("utf-8", "replace") if start_row > 0 else ""
        trigger = endorsed or bool(TRIGGER.search(above))
        warned = not trigger and (warns or bool(WARNING.search(above)))
        yield Fragment(line=start_row + 1, code=code, kind=kind, trigger=trigger, warned=warned)


def _judged(body: str, family: str) -> tuple[bytes, bool, bool] | None:
    """A body that may hold code: (its code, endorsed in its own text, warned against in its own prose); None when it
    is too short or long, prose, or a licence."""
    if len(body) < MIN_CODE or len(body) > MAX_FRAGMENT or ("(" not in body and ")" not in body and "=" not in body):
        return None
    body = _fenced_only(body, family)
    code = _doctest_only(body) if family == "python" and ">>>" in body else body
    if not _mostly_code(code) or _LICENCE.search(body[:600]):
        return None
    return code.encode("utf-8"), bool(TRIGGER.search(body)), bool(WARNING.search(_prose(body)))


def _remembered(key: tuple, compute, *args):
    size = len(key[-1])
    if size > MAX_BODY_CHARS:
        return compute(*args)
    found = _BODIES.get(key, _BODIES)
    if found is _BODIES:
        found = compute(*args)
        _HELD[0] += 2 * size  # the key's text and (at most as long) what it gives
        if _HELD[0] > MAX_REMEMBERED:
            _BODIES.clear()
            _HELD[0] = 2 * size
        _BODIES[key] = found
    return found


def _dedent(text: str) -> str:
    return _remembered(("dedent", text), textwrap.dedent, text) if BODY_MEMO else textwrap.dedent(text)


def stance(before: str, body: str) -> int | None:
    """Severity shift for code shown in documentation: 0 when the text around it endorses it ("the recommended
    way"), -2 when it warns against it ("never do this", "exploitable"), else None (no stance)."""
    if TRIGGER.search(before) or TRIGGER.search(_prose(body)):
        return 0
    if WARNING.search(before) or WARNING.search(_prose(body)):
        return -2
    return None


def _prose(body: str) -> str:
    """The lines of a body that do not read as code, and the trailing `#`/`//` comments of those that do."""
    out = []
    for line in body.split("\n"):
        if _CODE_LINE.match(line):
            for marker in ("#", "//"):
                if marker in line:
                    out.append(line.rsplit(marker, 1)[1])
                    break
        else:
            out.append(line)
    return "\n".join(out)


def _mostly_code(body: str) -> bool:
    """Two statement-like lines, or a third of the non-blank lines: prose with one example is skipped."""
    code = len(_CODE_LINE.findall(body))
    if code >= 2:
        return True
    return code == 1 and 3 * code >= sum(1 for line in body.split("\n") if line.strip())


def _bodies(source: bytes, captures: dict, family: str) -> Iterator[tuple[str, int, str]]:
    """(kind, 0-based start row, body text with the original line structure) per comment block/string."""
    comments = sorted(captures.get("comment", ()), key=lambda n: n.start_byte)
    group: list[str] = []
    group_start = last_row = -2
    for node in comments:
        text = source[node.start_byte:node.end_byte].decode("utf-8", "replace")
        row = node.start_point[0]
        line_start = source.rfind(b"\n", 0, node.start_byte) + 1
        own_line = not source[line_start:node.start_byte].strip()
        if text.startswith("/*"):
            if group:
                yield "comment", group_start, _dedent_lines(group)
                group = []
            if own_line or "\n" in text:
                yield "comment", row, _block_body(text)
            continue
        if not own_line:
            continue
        if group and row == last_row + 1:
            group.append(_strip_line_marker(text, family))
        else:
            if group:
                yield "comment", group_start, _dedent_lines(group)
            group, group_start = [_strip_line_marker(text, family)], row
        last_row = row
    if group:
        yield "comment", group_start, _dedent_lines(group)
    # in source order: the combined literal walk's captures do not come in a fixed order from run to run, and the
    # order fragments are scanned in decides which count first against a rule's per-file cap
    for node in sorted(captures.get("doc", ()), key=lambda n: n.start_byte):
        body = _string_body(source, node)
        if body is not None:
            yield "docstring", node.start_point[0], body


def _strip_line_marker(text: str, family: str) -> str:
    marker = "#" if family == "python" else "//"
    text = text.rstrip("\r\n")  # tree-sitter-rust's line comments include their newline
    text = text[len(marker):] if text.startswith(marker) else text
    if marker == "//" and text[:1] in ("/", "!"):  # Rust/C# doc comments: ///, //!
        text = text[1:]
    return text[1:] if text.startswith(" ") else text


def _block_body(text: str) -> str:
    """A /* ... */ comment's lines without the markers and the ` * ` gutter."""
    text = text[2:-2] if text.endswith("*/") else text[2:]
    text = text.lstrip("*!")  # /** JSDoc, /*! keep
    out = []
    for i, line in enumerate(text.split("\n")):
        stripped = line.lstrip()
        if i and stripped.startswith("*"):
            line = stripped[2:] if stripped.startswith("* ") else stripped[1:]
        out.append(line)
    return _dedent_lines(out)


def _string_body(source: bytes, node) -> str | None:
    """A bare string statement's text: first line as is (after the quotes), later lines dedented."""
    start = end = None
    for child in node.children:
        if child.type == "interpolation":
            return None
        if child.type == "string_start":
            start = child.end_byte
        elif child.type == "string_end":
            end = child.start_byte
    if start is None or end is None:
        return None
    text = source[start:end].decode("utf-8", "replace")
    first, _, rest = text.partition("\n")
    if not rest:
        return first.strip()
    return first.strip() + "\n" + _dedent(rest)


def _dedent_lines(lines: list[str]) -> str:
    return _dedent("\n".join(lines))


_PROMPT = re.compile(r"^[ \t]*(?:>>>|\.\.\.)(?: |$)")


def _doctest_only(body: str) -> str:
    """A body holding doctest examples (`>>> ` and `... ` prompts): only the prompted lines, prompts cut (the
    examples' output and the prose around them blank, the line count kept), so the session parses as the code a
    reader would paste. A body without a prompt line at a line start is returned as it is."""
    lines = body.split("\n")
    if not any(_PROMPT.match(line) and line.lstrip().startswith(">>>") for line in lines):
        return body
    return textwrap.dedent("\n".join(line[_PROMPT.match(line).end():] if _PROMPT.match(line) else ""
                                     for line in lines))


def _fenced_only(body: str, family: str) -> str:
    """When a body holds Markdown fences, only the fenced code of this language (other lines blank)."""
    if "```" not in body and "~~~" not in body:
        return body
    out: list[str] = []
    inside = keep = False
    block: list[str] = []
    for line in body.split("\n"):
        fence = _FENCE.match(line)
        if fence:
            if inside:
                out.extend(textwrap.dedent("\n".join(block)).split("\n") if keep else [""] * len(block))
                out.append("")
                inside, block = False, []
            else:
                inside, keep = True, fence.group(2).lower() in _FENCE_LANGS.get(family, {""})
                out.append("")
            continue
        if inside:
            block.append(line)
        else:
            out.append("")
    if inside:  # an unclosed fence runs to the end
        out.extend(textwrap.dedent("\n".join(block)).split("\n") if keep else [""] * len(block))
    return "\n".join(out)


FACTS_IN_PROSE = True  # the semantic rules also read code in comments and docstrings (off: tests compare)


def facts_in_prose(fact_rules, ctx, source: bytes, tree, language: str, line_offset: int, via, context: str,
                   shift: int, seen: set) -> None:
    """The semantic rules over a comment's or docstring's code (`tpl = request.args["t"]` then
    `Environment().from_string(tpl).render()` written as a usage example): their findings are graded as the shape
    rules' in the same place are (`shift` levels, "code in a docstring: ..."), and a line a shape rule of the same
    id already reported there is not reported twice."""
    if source.strip().count(b"\n") < 1:
        return  # one line: no flow between statements, and its one statement is the shape rules' to judge
    if language == "python":
        code = _without_prose(source)
        if code != source:  # "Usage::" / "For the mirror use:" above the example: parsed as code, an error
            source, tree = code, languages.parser(language).parse(code)
    before = len(ctx.findings)
    fact_rules.run(ctx, source, tree, language, line_offset, via)
    added = ctx.findings[before:]
    del ctx.findings[before:]
    for finding in added:
        if (finding.rule_id, finding.line) in seen:
            continue
        seen.add((finding.rule_id, finding.line))
        ctx.findings.append(replace(finding, context=context, category="payload-in-comment",
                                    message=f"code in a {context}: {finding.message}",
                                    severity=shift_severity(finding.severity, shift)))

# a line of prose around a Python example: "Usage::", "For the internal mirror use:", "Example (do not copy)."
_COMPOUND = re.compile(rb"(?:async\s+)?(?:def|class|if|elif|else|for|while|try|except|finally|with|match|case|lambda)\b")
_PROSE = re.compile(rb"[A-Za-z][\w'-]*(?: +[\w'(),.-]+){0,12}?(?: *::?|\.)")
_CODE_MARKS = re.compile(rb"[=\[\]{}]|\w\(|^(?:import|from|return|raise|assert|del|pass|yield|await|print)\b")


def _without_prose(code: bytes) -> bytes:
    """`code` with its lines of prose blanked (the line count kept) and what is left dedented, so an example under
    a heading parses as the code it shows."""
    lines = code.split(b"\n")
    kept = []
    for line in lines:
        text = line.strip()
        prose = bool(text) and _PROSE.fullmatch(text) is not None and not _COMPOUND.match(text) and \
            _CODE_MARKS.search(text) is None
        kept.append(b"" if prose else line)
    if kept == lines:
        return code
    return textwrap.dedent("\n".join(k.decode("utf-8", "replace") for k in kept)).encode("utf-8")
