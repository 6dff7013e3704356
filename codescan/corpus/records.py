"""A dataset record as Documents: its code column, free-text fields and chat turns, one Document each; what each
is (and whether its fenced code blocks are analyzed) is decided by analyze/filekind.py, as for files."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..analyze import encoding, filekind
from ..analyze.fences import block_at, fenced_blocks
from ..analyze.guess import normalize
from ..records import Document

# Free-text fields of instruction and preference datasets, scanned as Markdown when present.
TEXT_FIELDS = ("prompt", "response", "instruction", "input", "output", "completion", "question", "answer",
               "chosen", "rejected")
# Fields holding a conversation: a list of {role, content} (or ShareGPT's {from, value}) turns.
MESSAGE_FIELDS = ("messages", "conversations", "conversation")


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
    """One field of a record to analyze: which field, from which line of the field, in which language, with the
    (first, last) body lines of its fenced code blocks (the analyzer reads them as code; a finding in one names
    its block)."""

    field: str
    line: int
    language: str | None
    text: str
    blocks: tuple[tuple[int, int], ...] = ()
    path: str = ""  # the record's file path ("" when it has none): what decides the part's kind

    def block_at(self, line: int) -> int | None:
        """Which fenced block a finding's line is in (None: outside every block)."""
        return block_at(self.blocks, line)

    def locator(self, record_id: str) -> str:
        """`<record id>:<field>`: what a finding's `record` says (the analyzer adds `#<block>` inside a block)."""
        return f"{record_id}:{self.field}"


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
    """A value as text: a string, or binary data that the analyzer reads as text (a Parquet binary column: UTF-8,
    a BOM's UTF-16/32, or UTF-8 with stray bytes, which are kept as U+DC80..U+DCFF so that the analyzer gets the
    file's own bytes back and reports them, as it does for a file); else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, _BINARY):
        data = bytes(value)
        try:
            encoding.decode(data)
        except encoding.NotText:
            return None
        return data.decode("utf-8", "surrogateescape")
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
    path = meta(record, fields, fields.path) or ""
    lang = normalize(meta(record, fields, fields.lang))
    out: list[Part] = []
    content = record.get(fields.content)
    text = as_text(content)
    if text:
        out.append(_code_part(fields.content, text, path, lang))
    elif isinstance(content, (list, tuple)):
        out.extend(message_parts(fields.content, content))
    elif isinstance(content, dict):
        for label, leaf in leaves(content, fields.content):
            if (text := as_text(leaf)):
                out.append(_code_part(label, text, path, lang))
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


def _code_part(name: str, text: str, path: str, lang: str | None) -> Part:
    """The code column: what the record's path (or its language label, or else its content) says it is."""
    return _part(name, text, filekind.classify(path, text, lang), path)


def _part(name: str, text: str, kind: filekind.FileKind, path: str = "") -> Part:
    language = kind.language or ("markdown" if not path else None)  # nameless text with no tell: prose
    blocks = tuple((b.line, b.last) for b in fenced_blocks(text)) if language in filekind.FENCED else ()
    return Part(name, 1, language, text, blocks, path)


def text_part(name: str, text: str) -> Part:
    """A free-text field or chat turn: Markdown when it holds fenced blocks, else what its content looks like."""
    return _part(name, text, filekind.classify(None, text))


def _free_text_parts(name: str, value) -> Iterator[Part]:
    """A prose or conversation field: text as Markdown, a list as turns, an object's texts each as Markdown."""
    text = as_text(value)
    if text:
        yield text_part(name, text)
    elif isinstance(value, (list, tuple)):
        yield from message_parts(name, value)
    elif isinstance(value, dict):
        for label, leaf in leaves(value, name):
            if (text := as_text(leaf)):
                yield text_part(label, text)


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
            yield text_part(label, text)


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


def documents(record: dict, index: int, display_path: str, fields: Fields, key_prefix: str | None = None
              ) -> Iterator[tuple[Part, Document]]:
    """One untrusted Document per part; a finding's line is its line in the field. With key_prefix, each
    Document's path is a unique key `<prefix>#<index>.<part>` instead of the display path."""
    rid = record_id(record, index, fields)
    repo = meta(record, fields, fields.repo)
    for number, part in enumerate(parts(record, fields)):
        content = file_bytes("\n" * (part.line - 1) + part.text)
        path = f"{key_prefix}#{index}.{number}" if key_prefix is not None else display_path
        yield part, Document(path=path, content=content, language=part.language, repo=repo,
                             id=part.locator(rid), trusted=False, kind_path=part.path)


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
