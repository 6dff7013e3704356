"""The exact shape of a manifest and of its document list: anything else is an edited (tampered) manifest."""
from __future__ import annotations

import json
import re
from dataclasses import fields as dataclass_fields
from typing import Any

from .records import Fields
from .shards import FORMATS

_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_FIELD_NAMES = frozenset(f.name for f in dataclass_fields(Fields))
_FORMATS = frozenset(FORMATS.values())
_SHARD_KEYS = {"path": "path", "format": "format", "documents": "count", "digest": "hex", "sha256": "hex"}
_INPUT_KEYS = {"path": "path", "format": "format", "sha256": "hex", "bytes": "count"}
_SIGNATURE_KEYS = {"algorithm": "str", "key_id": "str", "value": "str"}
_ENTRY_KEYS = {"shard": "path", "index": "count", "id": "str", "sha256": "hex"}


def _kind_error(value: Any, kind: str) -> str | None:
    """Why value is not of this kind (None when it is)."""
    if kind == "str":
        return None if isinstance(value, str) else "not a string"
    if kind == "hex":
        return None if isinstance(value, str) and _HEX64.match(value) else "not a 64-digit lower-case hex digest"
    if kind == "count":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else "not a whole number >= 0"
    if kind == "path":
        ok = (isinstance(value, str) and value and not value.startswith("/") and "\\" not in value
              and ".." not in value.split("/"))
        return None if ok else "not a relative path inside the output"
    if kind == "format":
        return None if value in _FORMATS else "not a shard format"
    raise AssertionError(kind)


def _object(value: Any, spec: dict[str, str], where: str, optional: frozenset = frozenset()) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where} is not an object"]
    problems = [f"{where} has an unknown field {name!r}" for name in sorted(set(value) - set(spec), key=str)]
    for name, kind in spec.items():
        if name not in value:
            if name not in optional:
                problems.append(f"{where} lacks the field {name!r}")
            continue
        error = _kind_error(value[name], kind)
        if error:
            problems.append(f"{where}.{name} is {error}")
    return problems


def _list(value: Any, spec: dict[str, str], where: str) -> list[str]:
    if not isinstance(value, list):
        return [f"{where} is not a list"]
    problems: list[str] = []
    for number, item in enumerate(value):
        problems.extend(_object(item, spec, f"{where}[{number}]"))
    return problems


def manifest_problems(data: dict) -> list[str]:
    """Every way the manifest differs from the shape the filter writes (empty when it has that shape)."""
    top = {"schema_version": "str", "kind": "str", "codescan_version": "str", "rules_digest": "hex",
           "policy": "object", "fields": "object", "root": "path", "inputs": "list", "shards": "list",
           "merkle_root": "hex", "documents": "object", "signature": "object"}
    problems = [f"the manifest has an unknown field {name!r}" for name in sorted(set(data) - set(top), key=str)]
    problems += [f"the manifest lacks the field {name!r}" for name in top if name not in data and name != "signature"]
    for name in ("schema_version", "kind", "codescan_version", "rules_digest", "root", "merkle_root"):
        if name in data:
            error = _kind_error(data[name], top[name])
            if error:
                problems.append(f"{name} is {error}")
    if "policy" in data and not isinstance(data["policy"], dict):
        problems.append("policy is not an object")
    if "fields" in data:
        problems += _fields_problems(data["fields"])
    if "inputs" in data:
        problems += _list(data["inputs"], _INPUT_KEYS, "inputs")
    if "shards" in data:
        problems += _list(data["shards"], _SHARD_KEYS, "shards")
        paths = [s.get("path") for s in data["shards"] if isinstance(s, dict)] if isinstance(data["shards"], list) \
            else []
        if len(set(map(str, paths))) != len(paths):
            problems.append("shards lists the same path twice")
    if "documents" in data:
        problems += _object(data["documents"], {"file": "path", "sha256": "hex", "count": "count"}, "documents")
        file = data["documents"].get("file") if isinstance(data["documents"], dict) else None
        if isinstance(file, str) and "/" in file:
            problems.append("documents.file is not a file beside the manifest")
    if "signature" in data:
        problems += _object(data["signature"], _SIGNATURE_KEYS, "signature")
    return problems


def _fields_problems(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return ["fields is not an object"]
    problems = [f"fields has an unknown field {name!r}" for name in sorted(set(value) - _FIELD_NAMES, key=str)]
    for name, item in value.items():
        if name in _FIELD_NAMES and not (isinstance(item, str) or (item is None and name != "content")):
            problems.append(f"fields.{name} is not a string")
    return problems


def parse_entries(raw: bytes, file_name: str) -> tuple[list[dict], list[str]]:
    """The document list's entries, and what is wrong with its lines (each bad line named, then left out)."""
    entries: list[dict] = []
    problems: list[str] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [], [f"{file_name} is not UTF-8 text"]
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            problems.append(f"{file_name} line {number} is not JSON")
            continue
        wrong = _object(entry, _ENTRY_KEYS, f"{file_name} line {number}")
        if wrong:
            problems.extend(wrong)
            continue
        entries.append(entry)
    return entries, problems
