"""The frozen records that cross every stage boundary: Document, Rule, Finding, Skip."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

SCHEMA_VERSION = "1.0"

SEVERITIES = ("low", "medium", "high", "critical")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

CATEGORIES = (
    "code-execution",
    "exfiltration",
    "backdoor",
    "obfuscation",
    "install-hook",
    "insecure-crypto",
    "insecure-transport",
    "insecure-deserialization",
    "injection",
    "hardcoded-secret",
    "hidden-unicode",
    "prompt-injection",
    "payload-in-comment",
)


def git_blob_sha(content: bytes) -> str:
    """The id git gives a blob with this content (so files and mirror blobs share one key)."""
    header = b"blob %d\0" % len(content)
    return hashlib.sha1(header + content).hexdigest()


def severity_at_least(severity: str, threshold: str) -> bool:
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]


def shift_severity(severity: str, steps: int) -> str:
    rank = min(max(SEVERITY_RANK[severity] + steps, 0), len(SEVERITIES) - 1)
    return SEVERITIES[rank]


@dataclass(frozen=True, slots=True)
class Document:
    """One file (or record) to analyze. `path` is relative and POSIX; `content` is raw bytes."""

    path: str
    content: bytes
    language: str | None = None
    repo: str | None = None
    id: str | None = None
    blob: str | None = None
    commit: str | None = None
    author: str | None = None
    date: str | None = None
    # Suppression comments are honoured only for trusted (own) code, never for mirrors/corpora.
    trusted: bool = True
    # The file path that decides what this is when `path` is only a key (a corpus record part; "" when the record
    # names no file); None: `path` itself.
    kind_path: str | None = None

    @property
    def named(self) -> str:
        """The path analyze/filekind.py classifies."""
        return self.path if self.kind_path is None else self.kind_path

    @property
    def blob_sha(self) -> str:
        return self.blob or git_blob_sha(self.content)


@dataclass(frozen=True, slots=True)
class RuleDocs:
    what: str
    why: str
    example: str
    instead: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A detection rule loaded from data (rules/<language>/<id>.yaml or a built-in detector)."""

    id: str
    languages: tuple[str, ...]
    category: str
    severity: str
    cwe: tuple[str, ...]
    message: str
    docs: RuleDocs
    engine: str = "treesitter"  # treesitter | text | semgrep
    query: str = ""
    confidence: str = "high"
    references: tuple[str, ...] = ()
    source: str = ""  # file the rule came from
    facts: object = None  # engine "facts": the frozen spec (codescan.rules_facts.FactSpec)
    in_tests: tuple[str, str] | None = None  # (severity, message) for a finding in a test file (rules.TEST_PATH)
    under_option: tuple[str, str] | None = None  # (severity, message) on a branch a caller's option chooses
    harmless_name: tuple[str, str] | None = None  # (severity, message) for a member name built to spell a harmless API
    harmless_program: tuple[str, str] | None = None  # (severity, message): a socket on a fixed non-console program


_WS = re.compile(r"\s+")


def normalize_snippet(snippet: str) -> str:
    return _WS.sub(" ", snippet).strip()


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One step of the flow that led to a finding: a line and what happened to the data there."""

    line: int
    note: str

    def to_dict(self) -> dict:
        return {"line": self.line, "message": self.note}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule or detector found, at a place in a document."""

    rule_id: str
    category: str
    severity: str
    message: str
    path: str
    line: int
    end_line: int
    column: int = 1
    end_column: int | None = None
    snippet: str = ""
    cwe: tuple[str, ...] = ()
    confidence: str = "high"
    # Where the match was seen: code, comment, docstring, decoded, folded (seen through disguise).
    context: str = "code"
    # Text the analyzer decoded or folded to see this (the payload a reader would otherwise miss).
    decoded: str | None = None
    repo: str | None = None
    blob: str | None = None
    commit: str | None = None
    author: str | None = None
    date: str | None = None
    record: str | None = None  # record id inside a dataset shard, where known
    record_line: int | None = None  # the record's line in a JSONL file (line/end_line count inside its field)
    trace: tuple[TraceStep, ...] = ()  # the flow from a source to the sink, for findings made from facts

    @property
    def fingerprint(self) -> str:
        """Stable identity for baselines and monitoring: rule + path + normalized snippet, no lines."""
        key = "\0".join((self.rule_id, self.repo or "", self.path, normalize_snippet(self.snippet)))
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def with_(self, **changes) -> "Finding":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        out = {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": self.severity,
            "confidence": self.confidence,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "end_line": self.end_line,
            "column": self.column,
            "end_column": self.end_column,
            "snippet": self.snippet,
            "cwe": list(self.cwe),
            "context": self.context,
            "fingerprint": self.fingerprint,
        }
        for name in ("decoded", "repo", "blob", "commit", "author", "date", "record", "record_line"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.trace:
            out["trace"] = [step.to_dict() for step in self.trace]
        return out


@dataclass(frozen=True, slots=True)
class Skip:
    """A document that was not (fully) analyzed, and why."""

    path: str
    reason: str
    repo: str | None = None
    exhausted: bool = False  # built to exhaust the scanner (a compression bomb): evidence, an analysis-exhausted finding

    def to_dict(self) -> dict:
        out = {"path": self.path, "reason": self.reason}
        if self.repo is not None:
            out["repo"] = self.repo
        return out


@dataclass(frozen=True, slots=True)
class Unit:
    """A stretch of a document that campaign clustering compares across repositories.

    kind is function | class | block (a group of top-level statements) | file | line (a rare line).
    signature holds the MinHash values as little-endian uint64 bytes (for a line, its 8-byte hash).
    """

    kind: str
    line: int
    end_line: int
    signature: bytes
    name: str | None = None
    tokens: int = 0


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the analyzer made of one document."""

    path: str
    findings: tuple[Finding, ...] = ()
    skips: tuple[Skip, ...] = ()
    language: str | None = None
    size: int = 0
    lines: int = 0
    suppressed: tuple[Finding, ...] = field(default=())
    units: tuple[Unit, ...] = ()  # filled only when the analyzer is asked for campaign units
