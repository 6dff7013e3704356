"""SARIF 2.1.0 output, for code-scanning dashboards (GitHub, Azure DevOps, IDE viewers)."""
from __future__ import annotations

import json
from urllib.parse import quote

from .. import __version__
from ..records import Finding, Rule
from ..standards import load as load_standards

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "codescanFingerprint/v1"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


def _uri(path: str) -> str:
    """A relative URI reference for a POSIX path (spaces and other specials percent-encoded)."""
    return quote(path, safe="/-._~!$&'()*+,;=:@")


def _location(path: str, repo: str | None) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(f"{repo}/{path}" if repo else path),
                                                      "uriBaseId": SRCROOT}}}


def _cwe_tags(cwe: tuple[str, ...]) -> list[str]:
    return [f"external/cwe/cwe-{c.split('-', 1)[1]}" for c in cwe if c.upper().startswith("CWE-")]


def _standards(category: str) -> tuple[list[str], dict]:
    """Tags and a property naming what the category evidences (OWASP LLM 2025, NIST AI RMF, NIST CSF)."""
    mapping = load_standards().for_category(category)
    return mapping.tags(), mapping.to_dict()


def _help_markdown(rule: Rule) -> str:
    d = rule.docs
    example = "\n".join("    " + line for line in d.example.splitlines())
    refs = "".join(f"\n- {ref}" for ref in rule.references)
    return (f"**What it flags.** {d.what}\n\n**Why it is dangerous.** {d.why}\n\n"
            f"**Example.**\n\n{example}\n\n**Write instead.** {d.instead}"
            + (f"\n\n**References**{refs}" if refs else ""))


def _help_text(rule: Rule) -> str:
    d = rule.docs
    return f"What it flags: {d.what}\nWhy it is dangerous: {d.why}\nExample:\n{d.example}\nWrite instead: {d.instead}"


def rule_descriptor(rule: Rule) -> dict:
    standard_tags, standards = _standards(rule.category)
    out = {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.docs.what},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": ["security", rule.category, *_cwe_tags(rule.cwe), *standard_tags],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": rule.confidence,
            "category": rule.category,
            "severity": rule.severity,
            "standards": standards,
        },
    }
    web = [r for r in rule.references if r.startswith(("https://", "http://"))]
    if web:
        out["helpUri"] = web[0]
    return out


def _bare_descriptor(finding: Finding) -> dict:
    """For a finding whose rule is not in the ruleset (a built-in detector id): what the finding knows."""
    standard_tags, standards = _standards(finding.category)
    return {
        "id": finding.rule_id,
        "name": finding.rule_id,
        "shortDescription": {"text": finding.message},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {"tags": ["security", finding.category, *_cwe_tags(finding.cwe), *standard_tags],
                       "security-severity": SECURITY_SEVERITY[finding.severity],
                       "category": finding.category, "severity": finding.severity, "standards": standards},
    }


def _region(f: Finding) -> dict:
    region = {"startLine": f.line, "endLine": max(f.end_line, f.line), "startColumn": max(f.column, 1)}
    if f.end_column is not None and f.end_line == f.line and f.end_column > region["startColumn"]:
        region["endColumn"] = f.end_column
    if f.snippet:
        region["snippet"] = {"text": f.snippet}
    return region


def _result(f: Finding, index: int, suppressed: bool) -> dict:
    location = _location(f.path, f.repo)
    props = {"category": f.category, "severity": f.severity, "confidence": f.confidence, "context": f.context}
    if f.record is None:
        location["physicalLocation"]["region"] = _region(f)
    else:  # a dataset record: its line in the file (none in Parquet); the line inside the field is a property
        if f.record_line is not None:
            location["physicalLocation"]["region"] = {"startLine": f.record_line, "endLine": f.record_line}
        props.update(field_line=f.line, field_end_line=max(f.end_line, f.line))
    for name in ("decoded", "repo", "blob", "commit", "author", "date", "record", "record_line"):
        value = getattr(f, name)
        if value is not None:
            props[name] = value
    out = {
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": props,
    }
    if f.trace:
        out["codeFlows"] = [_code_flow(f)]
    if suppressed:
        out["suppressions"] = [{"kind": "inSource", "justification": "codescan: ignore comment on the line"}]
    return out


def _code_flow(f: Finding) -> dict:
    """The flow from source to sink as one SARIF thread flow: a location per step, with what happened."""
    steps = []
    for step in f.trace:
        location = _location(f.path, f.repo)
        location["physicalLocation"]["region"] = {"startLine": step.line}
        location["message"] = {"text": step.note}
        steps.append({"location": location})
    return {"threadFlows": [{"locations": steps}]}


def document(result) -> dict:
    """The SARIF log as a dict: one run, rules that produced results, results, skipped files."""
    known = result.ruleset.by_id()
    descriptors: list[dict] = []
    index: dict[str, int] = {}
    everything = [(f, False) for f in result.findings] + [(f, True) for f in result.suppressed]
    for f, _ in sorted(everything, key=lambda pair: pair[0].rule_id):
        if f.rule_id not in index:
            index[f.rule_id] = len(descriptors)
            rule = known.get(f.rule_id)
            descriptors.append(rule_descriptor(rule) if rule else _bare_descriptor(f))
    notifications = [
        {"level": "warning", "message": {"text": f"skipped: {s.reason}"},
         "descriptor": {"id": "skipped-file"}, "locations": [_location(s.path, s.repo)]}
        for s in result.skips
    ]
    invocation = {"executionSuccessful": True, "toolExecutionNotifications": notifications}
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {"name": "codescan", "version": __version__, "semanticVersion": __version__,
                                "rules": descriptors}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index[f.rule_id], s) for f, s in everything],
            "properties": {"stats": result.stats.to_dict()},
        }],
    }


def write(result, stream) -> None:
    json.dump(document(result), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
