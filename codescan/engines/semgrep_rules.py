"""Read Semgrep-syntax rule files (a top-level `rules:` list) into codescan Rules (engine "semgrep")."""
from __future__ import annotations

import json
import re

from ..records import CATEGORIES, SEVERITIES, Rule, RuleDocs
from ..rules import CWE_ID, DOC_FIELDS, RULE_ID, RuleError

# A rule needs one of these to match anything (search mode, taint mode, or the newer `match:` syntax).
MATCH_KEYS = ("pattern", "patterns", "pattern-either", "pattern-regex", "pattern-sources", "match", "taint")
SEVERITY_MAP = {"ERROR": "high", "WARNING": "medium", "INFO": "low", "INVENTORY": "low", "EXPERIMENT": "low",
                "CRITICAL": "critical", "HIGH": "high", "MEDIUM": "medium", "LOW": "low"}
# Semgrep language names -> codescan's (languages.py); "*" = every file (generic / regex rules).
LANGUAGES = {"python": "python", "py": "python", "python3": "python", "python2": "python",
             "javascript": "javascript", "js": "javascript", "typescript": "typescript", "ts": "typescript",
             "go": "go", "golang": "go", "java": "java", "kotlin": "kotlin", "kt": "kotlin", "c": "c",
             "cpp": "cpp", "c++": "cpp", "csharp": "csharp", "c#": "csharp", "cs": "csharp", "ruby": "ruby",
             "rb": "ruby", "php": "php", "rust": "rust", "rs": "rust", "bash": "shell", "sh": "shell",
             "dockerfile": "dockerfile", "docker": "dockerfile", "generic": "*", "regex": "*", "none": "*"}
# Without codescan metadata, a rule's CWE picks the category; anything else is reported as injection.
CWE_CATEGORY = {"CWE-78": "injection", "CWE-77": "injection", "CWE-89": "injection", "CWE-79": "injection",
                "CWE-22": "injection", "CWE-918": "injection", "CWE-1336": "injection", "CWE-94": "code-execution",
                "CWE-95": "code-execution", "CWE-502": "insecure-deserialization", "CWE-327": "insecure-crypto",
                "CWE-328": "insecure-crypto", "CWE-326": "insecure-crypto", "CWE-295": "insecure-transport",
                "CWE-319": "insecure-transport", "CWE-798": "hardcoded-secret", "CWE-259": "hardcoded-secret",
                "CWE-506": "backdoor", "CWE-912": "backdoor"}
DEFAULT_CATEGORY = "injection"
ANY_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")
CODESCAN_KEYS = frozenset({"category", "severity", "cwe", "confidence", "docs", "references", "tokens"})


def is_semgrep_document(data: object) -> bool:
    """A Semgrep config is a mapping whose `rules` is a list (codescan's own format has no such key)."""
    return isinstance(data, dict) and isinstance(data.get("rules"), list)


def parse_file(data: dict, where: str) -> list[Rule]:
    return [parse_rule(item, f"{where}: rules[{i}]") for i, item in enumerate(data["rules"])]


def parse_rule(item: object, where: str) -> Rule:
    """One Semgrep rule mapping -> Rule. `metadata.codescan`, when present, is validated strictly."""
    if not isinstance(item, dict):
        raise RuleError(f"{where}: a Semgrep rule is a mapping (id, languages, message, severity, pattern...)")
    rule_id = item.get("id")
    if not isinstance(rule_id, str) or not ANY_ID.match(rule_id):
        raise RuleError(f"{where}: id {rule_id!r} must be letters, digits, '.', '_' or '-'")
    where = f"{where} ({rule_id})"
    for key in ("languages", "message"):
        if not item.get(key):
            raise RuleError(f"{where}: missing or empty {key}")
    if not any(key in item for key in MATCH_KEYS):
        raise RuleError(f"{where}: needs one of {', '.join(MATCH_KEYS)}")
    if item.get("mode", "search") not in ("search", "taint"):
        raise RuleError(f"{where}: mode {item['mode']!r} is not supported (search or taint)")
    langs = item["languages"] if isinstance(item["languages"], list) else [item["languages"]]
    languages = tuple(dict.fromkeys(LANGUAGES.get(str(lang).lower(), str(lang).lower()) for lang in langs))
    metadata = item.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise RuleError(f"{where}: metadata must be a mapping")
    own = metadata.get("codescan")
    fields = _codescan_fields(own, where) if own is not None else _inferred_fields(item, metadata)
    return Rule(id=rule_id, languages=languages, message=str(item["message"]).strip(), engine="semgrep",
                query=json.dumps(item, sort_keys=True, default=str), source=where.split(": rules[")[0], **fields)


def _codescan_fields(own: object, where: str) -> dict:
    """The strict path: codescan's own metadata block, the same checks as codescan-format rules."""
    if not isinstance(own, dict):
        raise RuleError(f"{where}: metadata.codescan must be a mapping")
    unknown = sorted(set(own) - CODESCAN_KEYS)
    if unknown:
        raise RuleError(f"{where}: unknown metadata.codescan key(s) {', '.join(unknown)}")
    if own.get("category") not in CATEGORIES:
        raise RuleError(f"{where}: metadata.codescan.category must be one of {', '.join(CATEGORIES)}")
    if own.get("severity") not in SEVERITIES:
        raise RuleError(f"{where}: metadata.codescan.severity must be one of {', '.join(SEVERITIES)}")
    cwe = _strings(own.get("cwe"), where, "cwe")
    if not cwe or not all(CWE_ID.match(c) for c in cwe):
        raise RuleError(f"{where}: metadata.codescan.cwe must list ids like CWE-78")
    confidence = own.get("confidence", "high")
    if confidence not in ("low", "medium", "high"):
        raise RuleError(f"{where}: metadata.codescan.confidence must be low, medium or high")
    docs = own.get("docs")
    if not isinstance(docs, dict) or any(not isinstance(docs.get(f), str) or not docs[f].strip() for f in DOC_FIELDS):
        raise RuleError(f"{where}: metadata.codescan.docs needs non-empty {', '.join(DOC_FIELDS)}")
    if sorted(set(docs) - set(DOC_FIELDS)):
        raise RuleError(f"{where}: unknown metadata.codescan.docs field(s)")
    if "tokens" in own:
        from .tokens import declared

        declared(own["tokens"], where)  # raises on a malformed declaration
    return {"category": own["category"], "severity": own["severity"], "cwe": cwe, "confidence": confidence,
            "docs": RuleDocs(*(docs[f].strip() for f in DOC_FIELDS)),
            "references": _strings(own.get("references", []), where, "references")}


def _inferred_fields(item: dict, metadata: dict) -> dict:
    """A user's rule without codescan metadata: severity, CWE and category from what Semgrep rules carry."""
    cwe = tuple(dict.fromkeys(m.group(0) for text in _flat(metadata.get("cwe"))
                              for m in re.finditer(r"CWE-\d+", text)))
    category = metadata.get("category") if metadata.get("category") in CATEGORIES else None
    category = category or next((CWE_CATEGORY[c] for c in cwe if c in CWE_CATEGORY), DEFAULT_CATEGORY)
    severity = SEVERITY_MAP.get(str(item.get("severity", "WARNING")).upper(), "medium")
    confidence = str(metadata.get("confidence", "medium")).lower()
    message = str(item["message"]).strip()
    return {"category": category, "severity": severity, "cwe": cwe,
            "confidence": confidence if confidence in ("low", "medium", "high") else "medium",
            "docs": RuleDocs(what=message, why=str(metadata.get("description") or message),
                             example="(a Semgrep rule: see its file)", instead="(see the rule's references)"),
            "references": tuple(_flat(metadata.get("references")))}


def _strings(value, where: str, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise RuleError(f"{where}: metadata.codescan.{name} must be a string or a list of strings")


def _flat(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def builtin_id_ok(rule: Rule) -> bool:
    """codescan's own semgrep rules use kebab-case ids like every other rule."""
    return bool(RULE_ID.match(rule.id))
