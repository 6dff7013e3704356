"""A dataset record as Documents: a code column, or the fenced code blocks of Markdown and chat turns."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..analyze import languages
from ..records import Document
from . import guess

# Free-text fields of instruction and preference datasets, scanned as Markdown when present.
TEXT_FIELDS = ("prompt", "response", "instruction", "input", "output", "completion", "question", "answer",
               "chosen", "rejected")
# Fields holding a conversation: a list of {role, content} (or ShareGPT's {from, value}) turns.
MESSAGE_FIELDS = ("messages", "conversations", "conversation")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


@dataclass(frozen=True, slots=True)
class Fields:
    """Which record fields hold what (command-line --content-field, --id-field, ...)."""

    content: str = "content"
    id: str | None = None  # None: the record's "id" key when it has one, else its row number
    path: str | None = None
    lang: str | None = None
    repo: str | None = None

    def columns(self) -> list[str]:
        wanted = [self.content, self.id or "id", self.path, self.lang, self.repo, *TEXT_FIELDS, *MESSAGE_FIELDS]
        return [c for c in wanted if c]


@dataclass(frozen=True, slots=True)
class Part:
    """One stretch of a record to analyze: which field, which fenced block (None: the whole field), from which
    line of the field, in which language."""

    field: str
    block: int | None
    line: int
    language: str | None
    text: str

    def locator(self, record_id: str) -> str:
        """`<record id>:<field>` or `<record id>:<field>#<block>`: what a finding's `record` says."""
        return f"{record_id}:{self.field}" + (f"#{self.block}" if self.block is not None else "")


def record_id(record: dict, index: int, fields: Fields) -> str:
    value = record.get(fields.id or "id")
    if value is None or isinstance(value, (dict, list)):
        return str(index)
    return str(value)


def meta(record: dict, fields: Fields, key: str | None) -> str | None:
    value = record.get(key) if key else None
    return value if isinstance(value, str) and value else None


_BINARY = (bytes, bytearray, memoryview)


def as_text(value) -> str | None:
    """A value as text: a string, or binary data that is UTF-8 (a Parquet binary column); else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, _BINARY):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def leaves(value, label: str) -> Iterator[tuple[str, object]]:
    """(label, leaf) for every leaf under nested objects (Parquet structs) and lists, depth first, in order."""
    stack = [(label, value)]
    while stack:
        name, item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed([(f"{name}.{k}", v) for k, v in item.items()]))
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed([(f"{name}[{i}]", v) for i, v in enumerate(item)]))
        else:
            yield name, item


def opaque_fields(record: dict, fields: Fields) -> list[str]:
    """The places of the analyzed fields that hold binary data that is not text: they cannot be analyzed, so
    they are reported (and dropped by default, `--drop-on opaque`)."""
    out = []
    for name in dict.fromkeys((fields.content, *TEXT_FIELDS, *MESSAGE_FIELDS)):
        for label, leaf in leaves(record.get(name), name):
            if isinstance(leaf, _BINARY) and as_text(leaf) is None:
                out.append(f"{label}: binary data that is not UTF-8 text ({len(bytes(leaf))} bytes), not analyzed")
    return out


def parts(record: dict, fields: Fields) -> list[Part]:
    """Everything in a record worth analyzing, with field names and line numbers for the report. Text may sit in
    a string, in UTF-8 binary data, or anywhere inside lists and objects."""
    path = meta(record, fields, fields.path)
    lang = guess.normalize(meta(record, fields, fields.lang)) or (languages.detect(path) if path else None)
    out: list[Part] = []
    content = record.get(fields.content)
    text = as_text(content)
    if text:
        out.extend(_code_parts(fields.content, text, lang))
    elif isinstance(content, (list, tuple)):
        out.extend(message_parts(fields.content, content))
    elif isinstance(content, dict):
        for label, leaf in leaves(content, fields.content):
            if (text := as_text(leaf)):
                out.extend(_code_parts(label, text, lang))
    for name in TEXT_FIELDS:
        value = record.get(name)
        if name == fields.content or not value:
            continue
        out.extend(_free_text_parts(name, value))
    for name in MESSAGE_FIELDS:
        value = record.get(name)
        if name != fields.content and value:
            out.extend(_free_text_parts(name, value))
    return out


def _code_parts(name: str, text: str, lang: str | None) -> list[Part]:
    if languages.has_grammar(lang) or lang in ("json", "yaml", "toml", "agent-rules"):
        return [Part(name, None, 1, lang, text)]
    return list(markdown_parts(name, text, lang))


def _free_text_parts(name: str, value) -> Iterator[Part]:
    """A prose or conversation field: text as Markdown, a list as turns, an object's texts each as Markdown."""
    text = as_text(value)
    if text:
        yield from markdown_parts(name, text, None)
    elif isinstance(value, (list, tuple)):
        yield from message_parts(name, value)
    elif isinstance(value, dict):
        for label, leaf in leaves(value, name):
            if (text := as_text(leaf)):
                yield from markdown_parts(label, text, None)


def message_parts(name: str, turns) -> Iterator[Part]:
    for i, turn in enumerate(turns):
        if isinstance(turn, dict):
            key = next((k for k in ("content", "value", "text") if k in turn), None)
            if key is None:
                continue
            label, text = f"{name}[{i}].{key}", _turn_text(turn[key])
        else:
            label, text = f"{name}[{i}]", _turn_text(turn)
        if text:
            yield from markdown_parts(label, text, None)


def _turn_text(value) -> str:
    """A turn's content: a string (or UTF-8 binary), or the texts inside a multi-part content list or object
    (part `type` tags left out)."""
    text = as_text(value)
    if text is not None:
        return text
    if isinstance(value, (list, tuple, dict)):
        texts = [t for label, leaf in leaves(value, "") if not label.endswith(".type") and (t := as_text(leaf))]
        return "\n".join(texts)
    return ""


def markdown_parts(name: str, text: str, lang: str | None) -> Iterator[Part]:
    """A Markdown-ish field: the whole text (for the text detectors, or as code when it looks like code) and
    each fenced block, its language from the info string, else guessed."""
    blocks = list(fenced_blocks(text))
    if blocks:
        yield Part(name, None, 1, "markdown", text)
    else:
        yield Part(name, None, 1, lang or guess.guess(text) or "markdown", text)
    for number, (line, info, body) in enumerate(blocks):
        yield Part(name, number, line, guess.from_info(info) or guess.guess(body), body)


def fenced_blocks(text: str) -> Iterator[tuple[int, str, str]]:
    """(first body line, info string, body) per fenced code block; an unclosed fence runs to the end."""
    if "```" not in text and "~~~" not in text:
        return
    lines = text.split("\n")
    opening = None  # (fence, info, first body line index)
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if opening is None:
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                opening = (match.group(1), match.group(2).strip(), i + 1)
        elif match and match.group(1)[0] == opening[0][0] and len(match.group(1)) >= len(opening[0]) \
                and not match.group(2).strip():
            yield opening[2] + 1, opening[1], "\n".join(lines[opening[2]:i])
            opening = None
    if opening is not None:
        yield opening[2] + 1, opening[1], "\n".join(lines[opening[2]:])


def documents(record: dict, index: int, display_path: str, fields: Fields, key_prefix: str | None = None
              ) -> Iterator[tuple[Part, Document]]:
    """One untrusted Document per part. Lines are kept in field coordinates (a block is preceded by blank
    lines), so a finding's line is its line in the field. With key_prefix, each Document's path is a unique
    key `<prefix>#<index>.<part>` instead of the display path."""
    rid = record_id(record, index, fields)
    repo = meta(record, fields, fields.repo)
    for number, part in enumerate(parts(record, fields)):
        content = file_bytes("\n" * (part.line - 1) + part.text)
        path = f"{key_prefix}#{index}.{number}" if key_prefix is not None else display_path
        yield part, Document(path=path, content=content, language=part.language, repo=repo,
                             id=part.locator(rid), trusted=False)


def file_bytes(text: str) -> bytes:
    """A field's text as the bytes of the file it was read from: a stray byte kept as U+DC80..U+DCFF (Python's
    surrogateescape) is that byte again, so the analyzer sees and reports it as it would in the file itself."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # other lone surrogates: kept as they are (the analyzer reports them as stray)
        return text.encode("utf-8", "surrogatepass")
