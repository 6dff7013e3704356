"""Load and validate rules from YAML files (rules/<language>/<rule-id>.yaml and users' --rules dirs)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .records import CATEGORIES, SEVERITIES, Rule, RuleDocs
from .errors import CodescanError

RULE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CWE_ID = re.compile(r"^CWE-\d+$")
REQUIRED = ("id", "languages", "category", "severity", "cwe", "message", "docs")
DOC_FIELDS = ("what", "why", "example", "instead")
OPTIONAL = ("query", "engine", "confidence", "references", "facts", "in_tests", "under_option", "harmless_name",
            "harmless_program")
# A test suite's own files (fixtures, conftest, __tests__/, *.spec.ts): a credential or a switch there serves a test.
TEST_PATH = re.compile(r"(^|/)(tests?|testing|__tests__|spec)/|(^|/)(test_[^/]*|conftest)\.py$|_test\.(py|go)$"
                       r"|\.(test|spec)\.[cm]?[jt]sx?$")
ENGINES = ("treesitter", "text", "facts")
KNOWN_KEYS = frozenset(REQUIRED + OPTIONAL)
# libyaml's safe loader when PyYAML has it: ten times faster, and start-up reads every rule file.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RuleError(CodescanError, ValueError):
    """A rule file that cannot be used; the message names the file and the problem."""


def builtin_rules_dir() -> Path:
    """The rules shipped with codescan: inside the installed package, or rules/ in a checkout."""
    packaged = Path(__file__).with_name("builtin_rules")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def _as_tuple(value, name: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise RuleError(f"{where}: '{name}' must be a string or a list of strings")


def parse_rule(data: object, where: str) -> Rule:
    """Validate one rule mapping and freeze it; RuleError says exactly what is wrong."""
    if not isinstance(data, dict):
        raise RuleError(f"{where}: a rule file holds one mapping (id, languages, category, ...)")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {', '.join(unknown)}")
    missing = [key for key in REQUIRED if not data.get(key)]
    if missing:
        raise RuleError(f"{where}: missing or empty {', '.join(missing)}")
    rule_id = data["id"]
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise RuleError(f"{where}: id {rule_id!r} must be kebab-case (e.g. exec-of-decoded-payload)")
    if data["category"] not in CATEGORIES:
        raise RuleError(f"{where}: category {data['category']!r} is not one of {', '.join(CATEGORIES)}")
    if data["severity"] not in SEVERITIES:
        raise RuleError(f"{where}: severity {data['severity']!r} is not one of {', '.join(SEVERITIES)}")
    confidence = data.get("confidence", "high")
    if confidence not in ("low", "medium", "high"):
        raise RuleError(f"{where}: confidence must be low, medium or high")
    cwe = _as_tuple(data["cwe"], "cwe", where)
    bad_cwe = [c for c in cwe if not CWE_ID.match(c)]
    if bad_cwe:
        raise RuleError(f"{where}: cwe {bad_cwe} must look like CWE-78")
    docs = data["docs"]
    if not isinstance(docs, dict):
        raise RuleError(f"{where}: docs must be a mapping with {', '.join(DOC_FIELDS)}")
    empty = [f for f in DOC_FIELDS if not isinstance(docs.get(f), str) or not docs[f].strip()]
    if empty:
        raise RuleError(f"{where}: docs field(s) {', '.join(empty)} missing or empty")
    extra_docs = sorted(set(docs) - set(DOC_FIELDS))
    if extra_docs:
        raise RuleError(f"{where}: unknown docs field(s) {', '.join(extra_docs)}")
    engine = data.get("engine", "treesitter")
    if engine not in ENGINES:
        raise RuleError(f"{where}: engine {engine!r} is not one of {', '.join(ENGINES)}")
    query = data.get("query", "")
    if engine == "treesitter" and (not isinstance(query, str) or not query.strip()):
        raise RuleError(f"{where}: a tree-sitter rule needs a non-empty 'query' string")
    if engine == "text" and query:
        raise RuleError(f"{where}: a text-engine rule has no query (its detector is built in)")
    facts = None
    if engine == "facts":
        if query:
            raise RuleError(f"{where}: a facts rule has no query (it names sinks under 'facts')")
        if "facts" not in data:
            raise RuleError(f"{where}: a facts rule needs a 'facts' mapping (sink, cases or together)")
    if "facts" in data:
        if engine == "text":
            raise RuleError(f"{where}: 'facts' belongs to facts or tree-sitter rules, not text-engine ones")
        # a tree-sitter rule may also name facts: one rule per behaviour, matched by shape and by flow
        from .rules_facts import parse_facts
        facts = parse_facts(data["facts"], where)
    in_tests = _graded(data.get("in_tests"), "in_tests", where)
    under_option = _graded(data.get("under_option"), "under_option", where)
    if under_option is not None and not (set(data["languages"]) == {"python"} or
                                         set(data["languages"]) <= {"javascript", "typescript", "tsx"}):
        raise RuleError(f"{where}: under_option is for Python or for JavaScript/TypeScript rules (the branch a match "
                        "sits on is read from its tree)")
    harmless_name = _graded(data.get("harmless_name"), "harmless_name", where)
    harmless_program = _graded(data.get("harmless_program"), "harmless_program", where)
    for key, graded in (("harmless_name", harmless_name), ("harmless_program", harmless_program)):
        if graded is not None and not set(data["languages"]) <= {"javascript", "typescript", "tsx"}:
            raise RuleError(f"{where}: {key} is for JavaScript/TypeScript rules (what the match names is read from "
                            "its tree)")
    return Rule(
        id=rule_id,
        languages=_as_tuple(data["languages"], "languages", where),
        category=data["category"],
        severity=data["severity"],
        cwe=cwe,
        message=str(data["message"]).strip(),
        docs=RuleDocs(*(docs[f].strip() for f in DOC_FIELDS)),
        engine=engine,
        query=query,
        confidence=confidence,
        references=_as_tuple(data.get("references", []), "references", where),
        source=where,
        facts=facts,
        in_tests=in_tests,
        under_option=under_option,
        harmless_name=harmless_name,
        harmless_program=harmless_program,
    )


def _graded(raw: object, key: str, where: str) -> tuple[str, str] | None:
    """`in_tests: {severity: low, message: ...}` (a finding in a test suite's file), `under_option: {...}` (a match
    on a branch a caller's option chooses, analyze/option_branch): how such a finding is graded."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"severity", "message"}:
        raise RuleError(f"{where}: {key} must be a mapping with exactly severity and message")
    if raw["severity"] not in SEVERITIES:
        raise RuleError(f"{where}: {key} severity {raw['severity']!r} is not one of {', '.join(SEVERITIES)}")
    if not isinstance(raw["message"], str) or not raw["message"].strip():
        raise RuleError(f"{where}: {key} message must be a non-empty string")
    return raw["severity"], raw["message"].strip()


def _read_yaml(path: Path) -> object:
    """A rule file's YAML; RuleError when it cannot be read or parsed."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {exc}") from None
    return data


def load_rule_file(path: Path) -> Rule:
    data = _read_yaml(path)
    rule = parse_rule(data, str(path))
    if path.stem != rule.id:
        raise RuleError(f"{path}: file name must be the rule id ({rule.id}.yaml)")
    return rule


def load_file(path: Path) -> list[Rule]:
    """The rules in one file, detected per file: codescan's format (one rule) or Semgrep's (`rules:`)."""
    data = _read_yaml(path)
    from .engines import semgrep_rules

    if semgrep_rules.is_semgrep_document(data):
        return semgrep_rules.parse_file(data, str(path))
    rule = parse_rule(data, str(path))
    if path.stem != rule.id:
        raise RuleError(f"{path}: file name must be the rule id ({rule.id}.yaml)")
    return [rule]


def rule_files(directory: Path, semgrep: bool = True) -> list[Path]:
    """Rule files under a folder (either format); semgrep=False leaves out a semgrep/ subfolder."""
    return sorted(
        p for p in directory.rglob("*.y*ml")
        if p.suffix in (".yaml", ".yml") and (semgrep or "semgrep" not in p.relative_to(directory).parts)
    )


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def for_language(self, language: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if language in r.languages)

    def select(self, select: tuple[str, ...], ignore: tuple[str, ...]) -> "RuleSet":
        """Rules chosen by id or category. Selecting payload-in-comment keeps every code rule,
        since any of them can fire inside a comment (findings are then filtered by category)."""
        every_code_rule = "payload-in-comment" in select

        def chosen(rule: Rule) -> bool:
            keys = {rule.id, rule.category}
            if select and not keys & set(select) and not (every_code_rule and rule.engine == "treesitter"):
                return False
            return not keys & set(ignore)

        return RuleSet(tuple(r for r in self.rules if chosen(r)))


def load_rules(extra_dirs: tuple[str, ...] = (), include_builtin: bool = True,
               builtin_semgrep: bool = False) -> RuleSet:
    """All rules: the built-in set plus users' folders (or single files, either syntax); ids must be
    unique. codescan's own Semgrep rules (rules/semgrep/) load only with builtin_semgrep=True."""
    paths: list[Path] = []
    if include_builtin:
        paths += rule_files(builtin_rules_dir(), semgrep=builtin_semgrep)
    for entry in extra_dirs:
        p = Path(entry)
        if p.is_file():
            paths.append(p)
        elif p.is_dir():
            found = rule_files(p)
            if not found:
                raise RuleError(f"{entry}: no rule files (.yaml or .yml) in this folder")
            paths += found
        else:
            raise RuleError(f"{entry}: no such rule file or folder")
    rules: dict[str, Rule] = {}
    for path in paths:
        for rule in load_file(path):
            if rule.id in rules:
                raise RuleError(f"{path}: rule id {rule.id!r} already defined in {rules[rule.id].source}")
            rules[rule.id] = rule
    return RuleSet(tuple(rules.values()))
