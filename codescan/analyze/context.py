"""Per-document analysis context: the text, its lines, the selected rules and how findings are made."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Document, Finding, Rule
from ..rules import TEST_PATH
from .budget import Budget
from .filekind import FileKind
from .textlines import split_lines

SNIPPET_MAX = 300
MAX_PER_RULE = 100  # findings of one rule kept per document; the rest are counted into one summary


@dataclass(slots=True)
class Context:
    """Everything a detector needs to turn a place in a document into a Finding."""

    doc: Document
    text: str
    rules: dict[str, Rule]  # the selected rules by id (text-engine rules included)
    language: str | None
    budget: Budget | None = None  # CPU seconds and decoded bytes left for this document
    findings: list[Finding] = field(default_factory=list)
    kind: FileKind | None = None  # what analyze/filekind.py decided the document is (its role, the path it goes by)
    problems: list[str] = field(default_factory=list)  # bounds hit and detector errors, for the report
    # a pass that stopped on a defect of the analyzer, not on the input (the semantic layer's adapter): named in
    # the report's skips so the gap is never silent, without the analysis-exhausted finding a hostile input earns
    partial: list[str] = field(default_factory=list)
    over_cap: dict[str, int] = field(default_factory=dict)  # rule id -> findings past MAX_PER_RULE
    _per_rule: dict[str, int] = field(default_factory=dict)
    presence: object | None = None  # rule_gate.Presence of the bytes the rules read (its words serve TextView too)
    _lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def line_text(self, line: int) -> str:
        lines = self.lines
        return lines[line - 1] if 1 <= line <= len(lines) else ""

    def wants(self, rule_id: str) -> bool:
        return rule_id in self.rules

    def emit(
        self,
        rule_id: str,
        line: int,
        end_line: int | None = None,
        column: int = 1,
        end_column: int | None = None,
        *,
        message: str | None = None,
        snippet: str | None = None,
        context: str = "code",
        decoded: str | None = None,
        severity: str | None = None,
        category: str | None = None,
        trace: tuple = (),
    ) -> Finding | None:
        """Record a finding for a selected rule (1-based line and column); unselected rules are dropped."""
        rule = self.rules.get(rule_id)
        if rule is None:
            return None
        count = self._per_rule.get(rule_id, 0) + 1
        self._per_rule[rule_id] = count
        if count > MAX_PER_RULE:  # 100,000 look-alike names made 200,000 findings
            self.over_cap[rule_id] = self.over_cap.get(rule_id, 0) + 1
            return None
        end_line = max(end_line or line, line)
        if snippet is None:
            snippet = self.line_text(line).strip()
        if len(snippet) > SNIPPET_MAX:
            snippet = snippet[:SNIPPET_MAX] + "…"
        if decoded is not None and len(decoded) > 2000:
            decoded = decoded[:2000] + "…"
        doc = self.doc
        if rule.in_tests is not None and severity in (None, rule.severity) and TEST_PATH.search(doc.named or ""):
            severity, message = rule.in_tests[0], f"{rule.in_tests[1]}: {message or rule.message}"
        finding = Finding(
            rule_id=rule.id,
            category=category or rule.category,
            severity=severity or rule.severity,
            message=message or rule.message,
            path=doc.path,
            line=line,
            end_line=end_line,
            column=column,
            end_column=end_column,
            snippet=snippet,
            cwe=rule.cwe,
            confidence=rule.confidence,
            context=context,
            decoded=decoded,
            repo=doc.repo,
            blob=doc.blob,
            commit=doc.commit,
            author=doc.author,
            date=doc.date,
            record=doc.id if doc.id and doc.id != doc.path else None,
            trace=trace,
        )
        self.findings.append(finding)
        return finding
