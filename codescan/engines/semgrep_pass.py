"""The semgrep pass of a scan: gate documents by the names the rules need, write the chosen ones
into batch folders, run one fenced Semgrep process per batch, and turn its JSON into Findings/Skips."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from ..config import Config
from ..errors import CodescanError
from ..records import Document, Finding, Rule, Skip
from ..analyze.textlines import split_lines
from . import semgrep, tokens

BATCH_BYTES = 16_000_000  # one Semgrep process per this much code (start-up is 1-4 s per process)
BATCH_FILES = 4000
SNIPPET_MAX = 300
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class SemgrepRuleError(CodescanError):
    """Semgrep could not use a rule (a pattern it cannot parse, a key its schema does not know): every file would
    miss that rule, so the scan stops with a usage error instead of skipping every file."""


@dataclass(slots=True)
class _Batch:
    folder: Path
    files: dict[str, Document] = field(default_factory=dict)  # temp file name -> document (no content)
    size: int = 0


@dataclass(frozen=True, slots=True)
class PassResult:
    findings: tuple[Finding, ...] = ()
    skips: tuple[Skip, ...] = ()
    suppressed: tuple[Finding, ...] = ()
    files: int = 0  # documents Semgrep was given
    bytes: int = 0
    processes: int = 0
    seconds: float = 0.0


class SemgrepPass:
    """Use as a context manager: `tee()` the document stream through it, then `run()`."""

    def __init__(self, rules: Iterable[Rule], config: Config, limits: semgrep.Limits | None = None,
                 exe: str | None = None, on_start=None):
        self.rules = tuple(r for r in rules if r.engine == "semgrep")
        self.by_id = {r.id: r for r in self.rules}
        from ..rules import builtin_rules_dir

        builtin = str(builtin_rules_dir())
        self.user_ids = frozenset(r.id for r in self.rules if not r.source.startswith(builtin))
        self.config = config
        self.exe = exe or semgrep.require_semgrep()
        self.limits = limits or semgrep.Limits(file_timeout=config.file_timeout, jobs=config.jobs or os.cpu_count() or 1,
                                               max_target_bytes=config.max_file_size)
        self.on_start = on_start
        self._gate = tokens.Gate(tokens.requirement(r) for r in self.rules)
        self._work = Path(tempfile.mkdtemp(prefix="codescan-semgrep-"))
        self._batches: list[_Batch] = []
        self._count = 0

    def __enter__(self) -> "SemgrepPass":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        shutil.rmtree(self._work, ignore_errors=True)

    # -- choosing files --------------------------------------------------------------------
    def tee(self, items: Iterable[Document | Skip]) -> Iterator[Document | Skip]:
        """Pass every item on unchanged, keeping a copy of each document some rule could match."""
        for item in items:
            if isinstance(item, Document):
                self.offer(item)
            yield item

    def wanted(self, doc: Document) -> bool:
        """Same guards as the analyzer (size, binary), the rule's language, then the names it needs."""
        if len(doc.content) > self.config.max_file_size:
            return False
        content = _text(doc.content)
        if content is None:
            return False
        language = _language(doc, content)
        which = [i for i, rule in enumerate(self.rules) if "*" in rule.languages or language in rule.languages
                 or (language == "tsx" and "typescript" in rule.languages)]
        return bool(which) and self._gate.matches(content, which)

    def offer(self, doc: Document) -> bool:
        if not self.wanted(doc):
            return False
        batch = self._batches[-1] if self._batches else None
        if batch is None or batch.size >= BATCH_BYTES or len(batch.files) >= BATCH_FILES:
            batch = _Batch(self._work / f"batch{len(self._batches)}")
            batch.folder.mkdir()
            (batch.folder / ".semgrepignore").write_text("")  # no default ignores (tests/, *.min.js ...)
            self._batches.append(batch)
        name = f"{self._count}_{_UNSAFE.sub('_', _file_name(doc))[-100:]}"
        self._count += 1
        (batch.folder / name).write_bytes(_text(doc.content) or b"")  # what the analyzer reads, as UTF-8
        batch.files[name] = Document(path=doc.path, content=b"", language=doc.language, repo=doc.repo, id=doc.id,
                                     blob=doc.blob, commit=doc.commit, author=doc.author, date=doc.date,
                                     trusted=doc.trusted)
        batch.size += len(doc.content)
        return True

    # -- running ---------------------------------------------------------------------------
    def run(self) -> PassResult:
        config = self._work / "rules.yaml"
        import json

        config.write_text(yaml.safe_dump({"rules": [json.loads(r.query) for r in self.rules]}, sort_keys=False))
        if not self._batches:
            if self.user_ids:  # no file reached Semgrep: still make it read a user's rules, so a broken one is said
                self._validate(config)
            return PassResult()
        findings: list[Finding] = []
        skips: list[Skip] = []
        suppressed: list[Finding] = []
        seconds = 0.0
        for batch in self._batches:
            outcome = semgrep.run(self.exe, config, batch.folder, self._work, self.limits, batch.size, self.on_start)
            seconds += outcome.seconds
            if outcome.report is None:
                skips.extend(Skip(d.path, f"semgrep: {outcome.error}", d.repo) for d in batch.files.values())
                continue
            got, lost = self._convert(outcome.report, batch)
            skips.extend(lost)
            kept, dropped = self._suppress(got, batch)
            findings.extend(kept)
            suppressed.extend(dropped)
        return PassResult(tuple(findings), tuple(skips), tuple(suppressed), self._count,
                          sum(b.size for b in self._batches), len(self._batches), seconds)

    def _convert(self, report: dict, batch: _Batch) -> tuple[list[Finding], list[Skip]]:
        findings: dict[tuple, Finding] = {}
        for result in report.get("results") or []:
            name = Path(str(result.get("path", ""))).name
            doc = batch.files.get(name)
            rule = self._rule(str(result.get("check_id", "")))
            if doc is None or rule is None:
                continue
            start, end = result.get("start") or {}, result.get("end") or {}
            line = int(start.get("line", 1))
            end_line = max(int(end.get("line", line)), line)
            if (rule.id, line, name) in findings:
                continue
            text = _line(batch.folder / name, line)
            snippet = text.strip()
            message = str((result.get("extra") or {}).get("message") or rule.message).strip()
            findings[(rule.id, line, name)] = Finding(
                rule_id=rule.id, category=rule.category, severity=rule.severity, message=message, path=doc.path,
                line=line, end_line=end_line, column=int(start.get("col", 1)),
                end_column=int(end["col"]) if end_line == line and "col" in end else None,
                snippet=snippet[:SNIPPET_MAX] + ("…" if len(snippet) > SNIPPET_MAX else ""),
                cwe=rule.cwe, confidence=rule.confidence, repo=doc.repo, blob=doc.blob, commit=doc.commit,
                author=doc.author, date=doc.date, record=doc.id if doc.id and doc.id != doc.path else None)
        skips = []
        general = []  # errors about no one file (a rule Semgrep could not parse): every file missed it
        for error in report.get("errors") or []:
            if error.get("path"):
                skip = _skip_for(error, batch)
                if skip is not None:
                    skips.append(skip)
            elif str(error.get("level", "error")).lower() == "error":
                general.append(_describe(error))
        if general:
            raise SemgrepRuleError(self._rule_problem(report))
        return list(findings.values()), skips

    def _validate(self, config: Path) -> None:
        """Run Semgrep over an empty folder: it parses every rule and reports those it cannot use."""
        empty = self._work / "validate"
        empty.mkdir(exist_ok=True)
        (empty / ".semgrepignore").write_text("")
        outcome = semgrep.run(self.exe, config, empty, self._work, self.limits, 0, self.on_start)
        if outcome.report is not None and any(not e.get("path") and str(e.get("level", "error")).lower() == "error"
                                              for e in outcome.report.get("errors") or []):
            raise SemgrepRuleError(self._rule_problem(outcome.report))

    def _rule_problem(self, report: dict) -> str:
        """One line: which rule (and its file) Semgrep could not use, and why."""
        parts = []
        for error in report.get("errors") or []:
            if error.get("path") or str(error.get("level", "error")).lower() != "error":
                continue
            rule = self._rule(str(error.get("rule_id") or ""))
            text = " ".join(str(error.get("long_msg") or error.get("message") or "").split())[:240]
            where = f"rule {rule.id} in {rule.source}: " if rule else ""
            parts.append(f"{where}{_kind(error)}: {text}".rstrip(": "))
        files = sorted({r.source for r in self.rules if r.id in self.user_ids})
        named = any(" in " in p for p in parts)
        tail = "" if named or not files else f" (Semgrep rules given: {', '.join(files)})"
        return "Semgrep cannot use the rules: " + "; ".join(dict.fromkeys(parts)) + tail

    def _rule(self, check_id: str) -> Rule | None:
        rule = self.by_id.get(check_id)
        if rule is None:  # a rewritten id carries the config's path as a dotted prefix
            rule = next((r for r in self.rules if check_id.endswith("." + r.id)), None)
        return rule

    def _suppress(self, found: list[Finding], batch: _Batch) -> tuple[list[Finding], list[Finding]]:
        """codescan's inline suppressions, for trusted documents only (Semgrep's own nosemgrep is off)."""
        if not self.config.honour_suppressions:
            return found, []
        from ..analyze import suppressions

        kept: list[Finding] = []
        dropped: list[Finding] = []
        by_path: dict[str, list[Finding]] = {}
        for f in found:
            by_path.setdefault(f.path, []).append(f)
        names = {d.path: n for n, d in batch.files.items()}
        trusted = {d.path: d.trusted for d in batch.files.values()}
        for path, group in by_path.items():
            if not trusted.get(path, False):
                kept.extend(group)
                continue
            lines = split_lines((batch.folder / names[path]).read_text(encoding="utf-8", errors="replace"))
            k, d = suppressions.apply(group, lines)
            kept.extend(k)
            dropped.extend(d)
        return kept, dropped


def merge(primary: Iterable[Finding], extra: Iterable[Finding], keep: frozenset[str] = frozenset()) -> list[Finding]:
    """Tree-sitter findings plus Semgrep's, minus any built-in Semgrep finding on a line where a tree-sitter
    rule already reported the same category (one issue, reported once). Findings of the rules in `keep` (the
    Semgrep rules a user added) always stay: a user who adds a rule sees it fire."""
    kept = list(primary)
    seen = {(f.repo, f.path, f.line, f.category) for f in kept}
    for f in extra:
        key = (f.repo, f.path, f.line, f.category)
        if f.rule_id in keep:
            kept.append(f)
        elif key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


def _kind(error: dict) -> str:
    kind = error.get("type")
    return str(kind[0] if isinstance(kind, list) and kind else kind or "error")


def _describe(error: dict) -> str:
    message = " ".join(str(error.get("message", "")).split())[:200]
    return f"{_kind(error)}: {message}".rstrip(": ")


def _skip_for(error: dict, batch: _Batch) -> Skip | None:
    """A Semgrep error about one file becomes that file's skip; warnings (partial parses) do not."""
    level = str(error.get("level", "error")).lower()
    if level != "error" and _kind(error) not in ("Timeout", "OutOfMemory", "Out of memory"):
        return None
    doc = batch.files.get(Path(str(error.get("path"))).name)
    if doc is None:
        return None
    return Skip(doc.path, f"semgrep: {_describe(error)}", doc.repo)


def _text(content: bytes) -> bytes | None:
    """The content as the analyzer reads it, in UTF-8 (any BOM or stray byte decoded); None for a binary."""
    from ..analyze import encoding

    try:
        decoded = encoding.decode(content)
    except encoding.NotText:
        return None
    return content if decoded.exact else decoded.text.encode("utf-8")


def _language(doc: Document, text: bytes) -> str | None:
    """The language the analyzer gives the document (analyze/filekind.py decides it for every verb)."""
    from ..analyze import filekind

    return filekind.classify(doc.named, text.decode("utf-8", "replace"), doc.language).language


def _file_name(doc: Document) -> str:
    """The document's base name, with its language's extension added when missing (Semgrep picks the
    language from the extension)."""
    from ..analyze import languages

    name = doc.path.rsplit("/", 1)[-1] or "file"
    language = _language(doc, _text(doc.content) or b"")
    spec = next((s for s in languages.SPECS if s.name == language), None)
    if spec is not None and spec.extensions and not name.endswith(tuple(spec.extensions)):
        name += spec.extensions[0]
    return name


def _line(path: Path, number: int) -> str:
    try:
        with open(path, "rb") as fh:
            for i, raw in enumerate(fh, start=1):
                if i == number:
                    return raw.decode("utf-8", "replace").rstrip("\r\n")
    except OSError:
        pass
    return ""
