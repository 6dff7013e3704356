"""Write a new rule's skeleton and its fixture skeleton (`codescan rules new`); never overwrite."""
from __future__ import annotations

from pathlib import Path

from .analyze import languages
from .errors import CodescanError
from .records import CATEGORIES, SEVERITIES
from .rules import RULE_ID

PLACEHOLDER = "TODO_write_the_query"

RULE_TEMPLATE = """\
id: {id}
languages: [{language}]
category: {category}
severity: {severity}
cwe: [{cwe}]
confidence: medium
message: "TODO: one line saying what was found and why it matters"
docs:
  what: >-
    TODO: the code shape this rule flags.
  why: >-
    TODO: why that shape is dangerous in code a model learns from.
  example: |
    TODO: a short flagged example
  instead: >-
    TODO: what to write instead.
references: []
# The @match capture is the reported node. Replace this placeholder query: until then the fixture's
# `expect` line is missed and tests/test_rule_fixtures.py fails for this rule.
query: |
  ((identifier) @match
    (#eq? @match "{placeholder}"))
"""

FIXTURE_TEMPLATE = """\
{c} Examples for {id}: each `expect` line must be reported, each `ok` line must not.
{c} Replace both examples with real code (a comment-only mark applies to the next code line).
{c} expect: {id}
TODO_flagged_example()
{c} ok: {id}
TODO_safe_example()
"""


class SkeletonError(CodescanError):
    """The id, language or category is not usable, or a file is already there."""


def new_rule(rule_id: str, language: str, category: str, severity: str = "medium",
             rules_dir: Path = Path("rules"), fixtures_dir: Path = Path("fixtures/rules")) -> tuple[Path, Path]:
    """Create rules/<language>/<id>.yaml and fixtures/rules/<language>/<id>.<ext>; returns both paths."""
    if not RULE_ID.match(rule_id):
        raise SkeletonError(f"rule id {rule_id!r} must be kebab-case (e.g. exec-of-decoded-payload)")
    if category not in CATEGORIES:
        raise SkeletonError(f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    if severity not in SEVERITIES:
        raise SkeletonError(f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    spec = languages.BY_NAME.get(language)
    if spec is None or not languages.has_grammar(language) or not spec.extensions or not spec.line_comment:
        usable = sorted(n for n, s in languages.BY_NAME.items()
                        if languages.has_grammar(n) and s.extensions and s.line_comment)
        raise SkeletonError(f"language {language!r} has no tree-sitter grammar here; one of {', '.join(usable)}")
    rule_path = rules_dir / language / f"{rule_id}.yaml"
    fixture_path = fixtures_dir / language / f"{rule_id}{spec.extensions[0]}"
    existing = [str(p) for p in (rule_path, fixture_path) if p.exists()]
    existing += [str(p) for p in rules_dir.glob(f"*/{rule_id}.y*ml") if p != rule_path]
    if existing:
        raise SkeletonError(f"not overwriting {', '.join(existing)}")
    from .standards import load as load_standards

    cwe = ", ".join(load_standards().for_category(category).cwe[:1]) or "CWE-710"
    rule_path.parent.mkdir(parents=True, exist_ok=True)
    fixture_path.parent.mkdir(parents=True, exist_ok=True)
    rule_path.write_text(RULE_TEMPLATE.format(id=rule_id, language=language, category=category, severity=severity,
                                              cwe=cwe, placeholder=PLACEHOLDER), encoding="utf-8")
    fixture_path.write_text(FIXTURE_TEMPLATE.format(c=spec.line_comment, id=rule_id), encoding="utf-8")
    return rule_path, fixture_path
