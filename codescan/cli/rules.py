"""`codescan rules list|show|new|docs`: the rule catalogue, new-rule skeletons and the generated rule docs."""
from __future__ import annotations

from pathlib import Path

from ..records import CATEGORIES, SEVERITIES
from ..rules import load_rules
from .common import EXIT_CLEAN, EXIT_FINDINGS, UsageError

NAME = "rules"


def register(sub) -> None:
    rules = sub.add_parser("rules", help="list or show rules")
    rules_sub = rules.add_subparsers(dest="rules_verb", metavar="ACTION")
    rlist = rules_sub.add_parser("list", help="list rules")
    rlist.add_argument("--rules", action="append", metavar="DIR")
    rshow = rules_sub.add_parser("show", help="show one rule's documentation")
    rshow.add_argument("rule_id")
    rshow.add_argument("--rules", action="append", metavar="DIR")
    rnew = rules_sub.add_parser("new", help="write a rule skeleton and its fixture skeleton (never overwrites)")
    rnew.add_argument("rule_id")
    rnew.add_argument("--language", "-l", required=True)
    rnew.add_argument("--category", "-c", required=True, choices=CATEGORIES, metavar="CATEGORY")
    rnew.add_argument("--severity", default="medium", choices=SEVERITIES)
    rnew.add_argument("--rules-dir", default="rules", metavar="DIR", help="where rules live (default: rules)")
    rnew.add_argument("--fixtures-dir", default="fixtures/rules", metavar="DIR",
                      help="where fixtures live (default: fixtures/rules)")
    rdocs = rules_sub.add_parser("docs", help="regenerate docs/rules.md and the README rule table")
    rdocs.add_argument("--check", action="store_true", help="exit 1 when they are stale instead of writing")
    rdocs.add_argument("--write", action="store_true", help="write them (the default)")
    rdocs.add_argument("--root", default=".", help="the checkout (default: the current folder)")


def run(args) -> int:
    if args.rules_verb is None:
        raise UsageError("usage: codescan rules list | show ID | new ID --language L --category C | docs")
    if args.rules_verb == "new":
        return _new(args)
    if args.rules_verb == "docs":
        return _docs(args)
    ruleset = load_rules(tuple(args.rules or ()), builtin_semgrep=True)
    if args.rules_verb == "show":
        rule = ruleset.by_id().get(args.rule_id)
        if rule is None:
            raise UsageError(f"no rule {args.rule_id!r} (see `codescan rules list`)")
        d = rule.docs
        print(f"{rule.id}  [{rule.severity} · {rule.category} · {', '.join(rule.cwe)}]\n"
              f"languages: {', '.join(rule.languages)}   engine: {rule.engine}{_when(rule)}\n\n{rule.message}\n\n"
              f"What it flags:\n  {d.what}\n\nWhy it is dangerous:\n  {d.why}\n\nExample:\n"
              + "\n".join("  " + line for line in d.example.splitlines())
              + f"\n\nWrite instead:\n  {d.instead}\n")
        return EXIT_CLEAN
    for rule in sorted(ruleset.rules, key=lambda r: (r.languages[0], r.category, r.id)):
        print(f"{rule.id:<44} {rule.severity:<9} {rule.category:<25} {','.join(rule.languages)}{_when(rule)}")
    return EXIT_CLEAN


def _when(rule) -> str:
    """Built-in Semgrep rules run only when asked for: say how, so a listed rule is never silently idle."""
    from ..rules import builtin_rules_dir

    if rule.engine == "semgrep" and rule.source.startswith(str(builtin_rules_dir())):
        return "  (Semgrep; `scan` runs it with --engine all or semgrep, or when named in --select)"
    return ""


def _new(args) -> int:
    from ..rule_skeleton import new_rule

    rule_path, fixture_path = new_rule(args.rule_id, args.language, args.category, args.severity,
                                       Path(args.rules_dir), Path(args.fixtures_dir))
    print(f"wrote {rule_path}\nwrote {fixture_path}\nnext: write the query and both examples, then run\n"
          f"  python -m pytest tests/test_rule_fixtures.py -q -k {args.rule_id}\n  python -m codescan.catalogue")
    return EXIT_CLEAN


def _docs(args) -> int:
    from .. import catalogue

    root = Path(args.root)
    if not (root / "README.md").is_file():
        raise UsageError(f"{root}: no README.md here (give --root the checkout)")
    if args.check:
        old = catalogue.stale(root)
        for path in old:
            print(f"stale: {path}")
        return EXIT_FINDINGS if old else EXIT_CLEAN
    for path in catalogue.write(root):
        print(f"wrote {path}")
    return EXIT_CLEAN
